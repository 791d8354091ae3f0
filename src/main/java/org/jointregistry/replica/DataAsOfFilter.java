package org.jointregistry.replica;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/** Marks the requests that read figures (so they may go to the replica) and sends their X-Data-As-Of. */
@Provider
public class DataAsOfFilter implements ContainerRequestFilter, ContainerResponseFilter {

    @Inject
    ReplicaSession session;

    @Override
    public void filter(ContainerRequestContext request) {
        if (DataAsOf.covers(request.getMethod(), request.getUriInfo().getPath())) {
            session.makeEligible();
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        // The rule first: the session (request-scoped) is created only for the requests it covers.
        if (DataAsOf.covers(request.getMethod(), request.getUriInfo().getPath()) && session.asOf() != null
                && response.getStatus() < 300) {
            response.getHeaders().putSingle(DataAsOf.HEADER, DataAsOf.format(session.asOf()));
        }
    }
}
