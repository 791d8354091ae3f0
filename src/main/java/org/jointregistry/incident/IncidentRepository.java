package org.jointregistry.incident;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jointregistry.taxonomy.Coded;
import org.jointregistry.tenant.TenantContext;
import org.jointregistry.tenant.TenantKey;
import org.jointregistry.tenant.TenantSession;

/**
 * Every incident query, each scoped to the organisation of the
 * {@link TenantContext} (wall one); row-level security scopes the same
 * transaction again (wall two).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
@TenantSession
class IncidentRepository {

    private static final String LIVE = "from Incident i where i.organization = :organization and i.deletedAt is null";

    @Inject
    TenantContext tenant;

    @Inject
    EntityManager em;

    /** Persists a new incident of the active organisation (inserted at the next flush). */
    void add(Incident incident) {
        incident.organization = tenant.organization();
        em.persist(incident);
    }

    /** A live (not deleted) incident, optionally locked against concurrent writers. */
    Optional<Incident> live(UUID id, LockModeType lock) {
        return query("select i " + LIVE + " and i.id = :id", Incident.class)
                .setParameter("id", id)
                .setLockMode(lock)
                .getResultStream().findFirst();
    }

    /** A live incident with its volunteers, in one query (a read by id: the hot path). */
    Optional<Incident> liveWithVolunteers(UUID id) {
        return query("select i from Incident i left join fetch i.volunteerIds where i.organization = :organization "
                + "and i.deletedAt is null and i.id = :id", Incident.class)
                .setParameter("id", id)
                .getResultStream().findFirst();
    }

    /** Whether the incident exists, live or as a tombstone. */
    boolean exists(UUID id) {
        return em.find(Incident.class, new TenantKey(tenant.organization(), id)) != null;
    }

    /**
     * One page of the list, plus one incident more when there is a next page.
     * In SQL, for the array operators: the keyset condition and the order
     * match the index incident_list_idx.
     */
    List<Incident> page(IncidentFilter filter) {
        StringBuilder sql = new StringBuilder(
                "SELECT i.* FROM incident i WHERE i.organization = :organization AND i.deleted_at IS NULL");
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("organization", tenant.organization());
        filter.from().ifPresent(from -> condition(sql, parameters, " AND i.occurred_at >= :from", "from", from));
        filter.to().ifPresent(to -> condition(sql, parameters, " AND i.occurred_at < :to", "to", to));
        if (!filter.categories().isEmpty()) {
            condition(sql, parameters, " AND i.categories && CAST(:categories AS text[])", "categories",
                    codes(filter.categories()));
        }
        if (!filter.statuses().isEmpty()) {
            condition(sql, parameters, " AND i.status IN (:statuses)", "statuses",
                    List.of(codes(filter.statuses())));
        }
        if (!filter.communes().isEmpty()) {
            condition(sql, parameters, " AND lower(i.commune) IN (:communes)", "communes", filter.communes());
        }
        if (!filter.forces().isEmpty()) {
            condition(sql, parameters, " AND i.forces && CAST(:forces AS text[])", "forces", codes(filter.forces()));
        }
        filter.after().ifPresent(after -> {
            // The first term is what PostgreSQL can seek the index to; the OR alone is only a filter,
            // and each page would then scan every row of the pages before it.
            condition(sql, parameters, " AND i.occurred_at <= :afterAt"
                    + " AND (i.occurred_at < :afterAt OR (i.occurred_at = :afterAt AND i.id > :afterId))",
                    "afterAt", after.occurredAt());
            parameters.put("afterId", after.id());
        });
        sql.append(" ORDER BY i.occurred_at DESC, i.id LIMIT :limit");
        parameters.put("limit", filter.limit() + 1);
        Query query = em.createNativeQuery(sql.toString(), Incident.class);
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<Incident> page = query.getResultList();
        return page;
    }

    /** externalId → id of the live incidents carrying one of {@code externalIds}. */
    Map<String, UUID> liveIdsByExternalId(Collection<String> externalIds) {
        Map<String, UUID> ids = new HashMap<>();
        if (!externalIds.isEmpty()) {
            query("select i.externalId, i.id " + LIVE + " and i.externalId in :externalIds", Object[].class)
                    .setParameter("externalIds", externalIds)
                    .getResultList()
                    .forEach(row -> ids.put((String) row[0], (UUID) row[1]));
        }
        return ids;
    }

    /** The live incidents carrying one of {@code externalIds}, locked against concurrent writers. */
    List<Incident> lockLiveByExternalIds(Collection<String> externalIds) {
        if (externalIds.isEmpty()) {
            return List.of();
        }
        return query("select i " + LIVE + " and i.externalId in :externalIds order by i.id", Incident.class)
                .setParameter("externalIds", externalIds)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    /**
     * Serialises, until the transaction ends, the upserts of these externalIds
     * of the organisation, creators included (there is no row to lock yet).
     * Taken in one statement, in hash order, so that two overlapping imports
     * cannot deadlock.
     */
    void lockExternalIds(Collection<String> externalIds) {
        if (!externalIds.isEmpty()) {
            em.createNativeQuery("SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT "
                    + "hashtextextended(?1 || '/' || x, 0) AS h FROM unnest(CAST(?2 AS text[])) x ORDER BY 1) s")
                    .setParameter(1, tenant.organization())
                    .setParameter(2, externalIds.toArray(String[]::new))
                    .getSingleResult();
        }
    }

    boolean liveLinkedTo(UUID volunteerId) {
        return !query("select i.id " + LIVE + " and :volunteer member of i.volunteerIds", UUID.class)
                .setParameter("volunteer", volunteerId)
                .setMaxResults(1)
                .getResultList().isEmpty();
    }

    List<Incident> lockLiveLinkedTo(UUID volunteerId) {
        return query("select i " + LIVE + " and :volunteer member of i.volunteerIds order by i.id", Incident.class)
                .setParameter("volunteer", volunteerId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    /** The incidents with these ids, live or tombstones (the change feed's current states). */
    List<Incident> withIds(Collection<UUID> ids) {
        return query("from Incident i where i.organization = :organization and i.id in :ids", Incident.class)
                .setParameter("ids", ids)
                .getResultList();
    }

    /** Drops the volunteer's links from deleted incidents, which no read shows and no revision follows. */
    void unlinkTombstones(UUID volunteerId) {
        em.createNativeQuery("DELETE FROM incident_volunteer iv USING incident i WHERE iv.organization = ?1 "
                + "AND iv.volunteer_id = ?2 AND i.organization = iv.organization AND i.id = iv.incident_id "
                + "AND i.deleted_at IS NOT NULL")
                .setParameter(1, tenant.organization())
                .setParameter(2, volunteerId)
                .executeUpdate();
    }

    private <T> TypedQuery<T> query(String hql, Class<T> type) {
        return em.createQuery(hql, type).setParameter("organization", tenant.organization());
    }

    private static void condition(StringBuilder sql, Map<String, Object> parameters, String clause, String name,
            Object value) {
        sql.append(clause);
        parameters.put(name, value);
    }

    private static String[] codes(List<? extends Coded> values) {
        return values.stream().map(Coded::code).toArray(String[]::new);
    }
}
