package org.jointregistry.incident;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Supplier;
import org.jointregistry.atrest.Sealing;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemException;
import org.jointregistry.incident.Idempotency.Stored;
import org.jointregistry.tenant.TenantContext;
import org.jointregistry.tenant.TenantSession;

/**
 * The stored responses of Idempotency-Keys (table idempotency_key, under
 * row-level security: keys are per organisation).
 *
 * The key's row is inserted first, in the transaction of the write itself:
 * a concurrent request with the same key blocks on the primary key until that
 * transaction ends, then finds the stored response (commit) or takes over the
 * key (rollback: failures are not stored). So one key writes once, and no
 * client ever sees a half-done request.
 */
@ApplicationScoped
@Transactional
@TenantSession
class IdempotencyKeys {

    @Inject
    TenantContext tenant;

    private static final String KIND = "idempotency-key";
    private static final String BODY = "response";

    @Inject
    EntityManager em;

    /** The stored response is a whole incident, narrative included: sealed like the incident itself. */
    @Inject
    Sealing sealing;

    /** Runs {@code write} unless the key was used before: then replays its response (422 for another request). */
    Stored once(String key, String requestHash, Supplier<Stored> write) {
        purgeExpired();
        int claimed = em.createNativeQuery("INSERT INTO idempotency_key (organization, key, request_hash) "
                + "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
                .setParameter(1, tenant.organization())
                .setParameter(2, key)
                .setParameter(3, requestHash)
                .executeUpdate();
        if (claimed == 1) {
            Stored response = write.get();
            em.createNativeQuery("UPDATE idempotency_key SET status = ?3, location = ?4, etag = ?5, "
                    + "response_sealed = ?6 WHERE organization = ?1 AND key = ?2")
                    .setParameter(1, tenant.organization())
                    .setParameter(2, key)
                    .setParameter(3, response.status())
                    .setParameter(4, response.location())
                    .setParameter(5, response.etag())
                    .setParameter(6, sealing.seal(KIND, tenant.organization(), key, BODY, response.body()))
                    .executeUpdate();
            return response;
        }
        Object[] stored = (Object[]) em.createNativeQuery("SELECT request_hash, status, location, etag, response_sealed "
                + "FROM idempotency_key WHERE organization = ?1 AND key = ?2")
                .setParameter(1, tenant.organization())
                .setParameter(2, key)
                .getSingleResult();
        // Constant-time, though the hash is of the caller's own body: nothing to leak, nothing to doubt.
        if (!MessageDigest.isEqual(requestHash.getBytes(StandardCharsets.UTF_8),
                String.valueOf(stored[0]).getBytes(StandardCharsets.UTF_8))) {
            throw ProblemException.validation(List.of(new Problem.FieldError(Idempotency.HEADER,
                    "was already used with a different request: use a new key for a new request")));
        }
        return new Stored(((Number) stored[1]).intValue(), (String) stored[2], (String) stored[3],
                sealing.open(KIND, tenant.organization(), key, BODY, (byte[]) stored[4]), true);
    }

    /**
     * Deletes the organisation's keys older than 24 hours, a few at a time,
     * skipping rows another request is purging (no waiting, no deadlock).
     */
    private void purgeExpired() {
        em.createNativeQuery("DELETE FROM idempotency_key WHERE (organization, key) IN (SELECT organization, key "
                + "FROM idempotency_key WHERE organization = ?1 AND created_at < now() - interval '24 hours' "
                + "LIMIT 100 FOR UPDATE SKIP LOCKED)")
                .setParameter(1, tenant.organization())
                .executeUpdate();
    }
}
