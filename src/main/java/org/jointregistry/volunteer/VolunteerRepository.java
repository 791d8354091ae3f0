package org.jointregistry.volunteer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jointregistry.tenant.TenantContext;
import org.jointregistry.tenant.TenantKey;
import org.jointregistry.tenant.TenantSession;

/**
 * Every volunteer query, each scoped to the organisation of the
 * {@link TenantContext} (wall one); row-level security scopes the same
 * transaction again (wall two).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
@TenantSession
class VolunteerRepository {

    @Inject
    TenantContext tenant;

    @Inject
    EntityManager em;

    /**
     * The organisation's volunteers by pseudonym, ordered here: the database
     * holds only ciphertexts (atrest). Shredded pseudonyms (null) come last.
     */
    List<Volunteer> all() {
        return em.createQuery("from Volunteer v where v.organization = :organization", Volunteer.class)
                .setParameter("organization", tenant.organization())
                .getResultStream()
                .sorted(Comparator.comparing((Volunteer v) -> v.pseudonym, Comparator.nullsLast(
                        Comparator.naturalOrder())).thenComparing(v -> v.id.toString()))
                .toList();
    }

    /**
     * Every volunteer of the organisation: id → pseudonym. Whole entities, so
     * that each pseudonym is opened (a projection would return the ciphertext).
     */
    Map<UUID, String> pseudonyms() {
        Map<UUID, String> pseudonyms = new HashMap<>();
        em.createQuery("from Volunteer v where v.organization = :organization", Volunteer.class)
                .setParameter("organization", tenant.organization())
                .getResultStream().forEach(v -> pseudonyms.put(v.id, v.pseudonym));
        return pseudonyms;
    }

    /** A volunteer of the organisation, optionally locked against concurrent writers. */
    Optional<Volunteer> find(UUID id, LockModeType lock) {
        return Optional.ofNullable(em.find(Volunteer.class, new TenantKey(tenant.organization(), id), lock));
    }

    /** Which of {@code ids} are the organisation's volunteers, share-locked until the transaction ends. */
    Set<UUID> lockedAmong(Collection<UUID> ids) {
        return Set.copyOf(em.createQuery("select v.id from Volunteer v where v.organization = :organization "
                + "and v.id in :ids", UUID.class)
                .setParameter("organization", tenant.organization())
                .setParameter("ids", new HashSet<>(ids))
                .setLockMode(LockModeType.PESSIMISTIC_READ)
                .getResultList());
    }
}
