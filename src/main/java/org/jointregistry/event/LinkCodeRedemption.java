package org.jointregistry.event;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemException;

/**
 * Redeeming a link code (contract §8): one attempt on the organisation's
 * failed-redemption budget ({@link FailedRedemptions}: 429 with Retry-After
 * once it is used up) around one transaction of {@link SharedEventService}.
 *
 * <p>The attempt is taken before that transaction starts, not inside it: its
 * draw on the budget takes a pooled connection of its own, and a transaction
 * holds one from its first statement. Taken inside, twenty concurrent
 * redemptions each held a connection while waiting for a second, the pool ran
 * dry, and one of them answered 503 after the acquisition timeout.
 */
@ApplicationScoped
public class LinkCodeRedemption {

    @Inject
    SharedEventService events;

    @Inject
    FailedRedemptions failures;

    /** 422 for a missing code or one longer than any issued (neither counts as a failure), else the redemption. */
    public SharedEventView join(UUID incidentId, String code) {
        if (code == null) {
            throw ProblemException.validation(List.of(new Problem.FieldError("code", "is required")));
        }
        if (code.length() > LinkCodes.LENGTH) {
            throw ProblemException.validation(List.of(new Problem.FieldError("code",
                    "must be at most " + LinkCodes.LENGTH + " characters")));
        }
        try (FailedRedemptions.Attempt attempt = failures.begin()) {
            return events.join(incidentId, code, attempt);
        }
    }
}
