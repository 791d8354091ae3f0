package org.jointregistry.limits;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * A request's place among the expensive requests, taken at its first
 * expensive call and given back when the request ends (after a streamed
 * export's last byte, too), so that nested expensive calls take one place.
 */
@RequestScoped
class Admission {

    @Inject
    ExpensiveRequests expensive;

    @Inject
    Requester requester;

    private Runnable release;

    void admit() {
        if (release == null) {
            release = expensive.admit(requester.owner());
        }
    }

    @PreDestroy
    void release() {
        if (release != null) {
            release.run();
            release = null;
        }
    }
}
