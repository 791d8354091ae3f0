package org.jointregistry.incident;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.tenant.TenantContext;
import org.jointregistry.tenant.TenantSession;

/**
 * The organisation's change log, read from the revisions: each create, update
 * and delete appended one, which gets its feed position once committed, when
 * a reader first asks (R__change_feed.sql). A page names each changed
 * incident once, in its current state: a live one in full, a deleted one as a
 * tombstone. Applying pages in order converges on the current set, because
 * any change not served by this read gets a later position.
 */
@ApplicationScoped
@Transactional
@TenantSession
public class IncidentChanges {

    @Inject
    TenantContext tenant;

    @Inject
    EntityManager em;

    @Inject
    IncidentRepository incidents;

    /** A place in the feed: the change number of the last change served (0: the start). */
    public record Position(long seq) {
        public static final Position START = new Position(0);
    }

    /** Changed incidents after {@code after}, and the position to resume from (after unchanged when none). */
    public record Page(List<Object> items, Position last) {
    }

    /** A deleted incident, as the feed reports it. */
    // Nothing but these properties, and `deleted` required: so that a live incident is never also a tombstone
    // (the feed's items are oneOf the two, told apart by `kind`).
    @Schema(name = "Tombstone", description = "A deleted incident.", additionalProperties = Schema.False.class)
    public record Tombstone(
            @Schema(description = "Always `tombstone`: what the change feed's items are told apart by.",
                    enumeration = KIND, required = true)
            String kind,
            @Schema(description = "Id of the deleted incident.", required = true) UUID id,
            @Schema(examples = "HRO-2018-0042", nullable = true, maxLength = IncidentInput.EXTERNAL_ID_MAX)
            String externalId,
            @Schema(description = "Always true.", examples = "true", required = true) boolean deleted) {

        public static final String KIND = "tombstone";
    }

    /**
     * Up to {@code limit} changes after {@code after}, in change-number order.
     * First numbers the organisation's changes committed since the last read
     * (R__change_feed.sql), holding its numbering lock to this transaction's
     * end: every numbered change is then committed, and a change still being
     * committed will get a number above every one served here.
     */
    public Page since(Position after, int limit) {
        em.createNativeQuery("SELECT incident_change_number()").getSingleResult();
        @SuppressWarnings("unchecked")
        List<Object[]> changes = em.createNativeQuery("SELECT r.incident_id, r.change_seq FROM incident_revision r "
                + "WHERE r.organization = ?1 AND r.change_seq > ?2 ORDER BY r.change_seq LIMIT ?3")
                .setParameter(1, tenant.organization())
                .setParameter(2, after.seq())
                .setParameter(3, limit)
                .getResultList();
        if (changes.isEmpty()) {
            return new Page(List.of(), after);
        }
        Set<UUID> ids = new LinkedHashSet<>();
        changes.forEach(change -> ids.add((UUID) change[0]));
        Map<UUID, Incident> current = incidents.withIds(ids).stream()
                .collect(Collectors.toMap(i -> i.id, Function.identity()));
        return new Page(ids.stream().map(current::get).map(IncidentChanges::item).toList(),
                new Position(((Number) changes.get(changes.size() - 1)[1]).longValue()));
    }

    private static Object item(Incident incident) {
        return incident.deletedAt == null ? IncidentView.of(incident)
                : new Tombstone(Tombstone.KIND, incident.id, incident.externalId, true);
    }
}
