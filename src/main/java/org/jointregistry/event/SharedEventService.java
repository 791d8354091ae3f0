package org.jointregistry.event;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;
import org.jointregistry.common.RegistryClock;
import org.jointregistry.incident.IncidentService;
import org.jointregistry.incident.IncidentView;
import org.jointregistry.tenant.TenantContext;
import org.jointregistry.tenant.TenantSession;

/**
 * Linking the organisation's incidents into shared events (contract §8). Each
 * method is one transaction of the active organisation; the only reads and
 * writes beyond its rows go through the SECURITY DEFINER functions of
 * R__shared_events.sql. An incident's event changes through
 * {@link IncidentService#setEvent}, so it is versioned, audited and fed like
 * any other change.
 */
@ApplicationScoped
@Transactional
@TenantSession
public class SharedEventService {

    /** The contract's validity of a link code. */
    static final Duration CODE_VALIDITY = Duration.ofDays(7);

    /** One answer for an unknown, a used and an expired code: nothing tells them apart. */
    static final String INVALID_CODE = "is not a valid link code: unknown, already used or expired";

    @Inject
    IncidentService incidents;

    @Inject
    RegistryClock clock;

    @Inject
    TenantContext tenant;

    @Inject
    EntityManager em;

    /**
     * Issues a single-use code for the incident's event, putting the incident
     * in a new event first when it is in none.
     */
    public LinkCodeView issue(UUID incidentId) {
        Instant now = clock.now();
        UUID event = incidents.lockForEventChange(incidentId).orElseGet(() -> {
            UUID created = UUID.randomUUID();
            em.createNativeQuery("INSERT INTO shared_event (organization, id, created_at, created_by) "
                    + "VALUES (?1, ?2, ?3, ?4)")
                    .setParameter(1, tenant.organization()).setParameter(2, created).setParameter(3, now)
                    .setParameter(4, tenant.actor()).executeUpdate();
            incidents.setEvent(incidentId, created);
            return created;
        });
        String code = LinkCodes.generate();
        Instant expiresAt = now.plus(CODE_VALIDITY);
        em.createNativeQuery("INSERT INTO event_link_code (organization, code_sha256, event_id, incident_id, "
                + "created_at, created_by, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, tenant.organization()).setParameter(2, LinkCodes.hash(code)).setParameter(3, event)
                .setParameter(4, incidentId).setParameter(5, now).setParameter(6, tenant.actor())
                .setParameter(7, expiresAt).executeUpdate();
        return new LinkCodeView(code, expiresAt);
    }

    /**
     * Links the incident into the event of a partner's code, as the attempt
     * {@link LinkCodeRedemption} took on the failure budget: 404 for an
     * incident that is not the organisation's, 422 for an invalid code (the
     * attempt failed) or the issuing incident's own, 409 when the incident is
     * in another event. Concurrent redemptions of one code take turns on its
     * row: one joins, the others find it used.
     */
    SharedEventView join(UUID incidentId, String code, FailedRedemptions.Attempt attempt) {
        Instant now = clock.now();
        Optional<UUID> current = incidents.lockForEventChange(incidentId);
        Object[] redeemed = (Object[]) em.createNativeQuery(
                "SELECT outcome, event_id FROM shared_event_redeem(?1, ?2, ?3)")
                .setParameter(1, LinkCodes.hash(code)).setParameter(2, incidentId).setParameter(3, now)
                .getSingleResult();
        UUID event = (UUID) redeemed[1];
        switch ((String) redeemed[0]) {
            case "invalid" -> {
                attempt.failed();
                throw ProblemException.validation(List.of(new Problem.FieldError("code", INVALID_CODE)));
            }
            case "issuer" -> throw ProblemException.validation(List.of(new Problem.FieldError("code",
                    "was issued for this incident: hand it to the partner whose report is to join")));
            default -> {
                // Throwing rolls the redemption back: the code stays unused.
                if (current.isPresent() && !current.get().equals(event)) {
                    throw new ProblemException(ProblemType.CONFLICT,
                            "The incident is in another shared event; leave it first (DELETE its event).");
                }
                if (current.isEmpty()) {
                    incidents.setEvent(incidentId, event);
                }
            }
        }
        return view(event);
    }

    /** The incident's event as its organisation may see it; 404 when the incident is in none. */
    public SharedEventView eventOf(UUID incidentId) {
        IncidentView incident = incidents.get(incidentId);
        if (incident.eventId() == null) {
            throw notInEvent();
        }
        return view(incident.eventId());
    }

    /** Takes the incident out of its event (the event stays for the others); 404 when it is in none. */
    public void leave(UUID incidentId) {
        if (incidents.lockForEventChange(incidentId).isEmpty()) {
            throw notInEvent();
        }
        incidents.setEvent(incidentId, null);
    }

    private SharedEventView view(UUID event) {
        @SuppressWarnings("unchecked")
        List<Object[]> partners = em.createNativeQuery("SELECT o.alias, p.reports FROM shared_event_partners(?1) p "
                + "CROSS JOIN LATERAL unnest(p.organizations) AS o (alias) ORDER BY o.alias")
                .setParameter(1, event).getResultList();
        @SuppressWarnings("unchecked")
        List<UUID> own = em.createNativeQuery("SELECT id FROM incident WHERE organization = ?1 AND event_id = ?2 "
                + "AND deleted_at IS NULL ORDER BY id", UUID.class)
                .setParameter(1, tenant.organization()).setParameter(2, event).getResultList();
        long reports = partners.isEmpty() ? 0 : ((Number) partners.get(0)[1]).longValue();
        return new SharedEventView(event, partners.stream().map(p -> (String) p[0]).toList(), reports, own);
    }

    private static ProblemException notInEvent() {
        return new ProblemException(ProblemType.NOT_FOUND, "The incident is in no shared event.");
    }
}
