package org.jointregistry.volunteer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jointregistry.common.Conflicts;
import org.jointregistry.common.ETags.IfMatch;
import org.jointregistry.common.FieldErrors;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;
import org.jointregistry.common.RegistryClock;
import org.jointregistry.tenant.TenantContext;
import org.jointregistry.tenant.TenantSession;

/**
 * The active organisation's pseudonymous volunteers. Single-row writes are
 * active-record calls on {@link Volunteer}; every query is
 * {@link VolunteerRepository}'s, scoped to the organisation of the
 * {@link TenantContext}, and row-level security confines the transaction to it
 * as well.
 */
@ApplicationScoped
@Transactional
@TenantSession
public class VolunteerService {

    private static final List<String> PSEUDONYM_KEY = List.of("volunteer_pseudonym_index_key");
    private static final String PSEUDONYM_TAKEN = "Another volunteer of your organisation has that pseudonym.";

    @Inject
    TenantContext tenant;

    @Inject
    EntityManager em;

    @Inject
    RegistryClock clock;

    @Inject
    VolunteerRepository volunteers;

    @Inject
    VolunteerLinks links;

    public VolunteerView create(VolunteerInput input) {
        validate(input);
        Instant now = clock.now();
        Volunteer volunteer = new Volunteer();
        volunteer.organization = tenant.organization();
        volunteer.id = UUID.randomUUID();
        volunteer.version = 1;
        volunteer.createdAt = now;
        volunteer.createdBy = tenant.actor();
        apply(volunteer, input, now);
        volunteer.persist();
        Conflicts.flush(em, PSEUDONYM_KEY, PSEUDONYM_TAKEN);
        return VolunteerView.of(volunteer);
    }

    public List<VolunteerView> list() {
        return volunteers.all().stream().map(VolunteerView::of).toList();
    }

    /** Every volunteer of the organisation: id → pseudonym (for sheets, which name volunteers by pseudonym). */
    public Map<UUID, String> pseudonyms() {
        return volunteers.pseudonyms();
    }

    public VolunteerView get(UUID id) {
        return VolunteerView.of(find(id, LockModeType.NONE));
    }

    public VolunteerView replace(UUID id, IfMatch ifMatch, VolunteerInput input) {
        validate(input);
        Volunteer volunteer = find(id, LockModeType.PESSIMISTIC_WRITE);
        ifMatch.check(volunteer.version);
        Instant now = clock.now();
        apply(volunteer, input, now);
        volunteer.version++;
        Conflicts.flush(em, PSEUDONYM_KEY, PSEUDONYM_TAKEN);
        return VolunteerView.of(volunteer);
    }

    /**
     * Deletes a volunteer. While live incidents name it, only with
     * {@code detach}: the links go in the same transaction, each incident
     * recording a revision.
     */
    public void delete(UUID id, IfMatch ifMatch, boolean detach) {
        Volunteer volunteer = find(id, LockModeType.PESSIMISTIC_WRITE);
        ifMatch.check(volunteer.version);
        if (!detach && links.linked(id)) {
            throw new ProblemException(ProblemType.CONFLICT, "Incidents of your organisation name this volunteer: "
                    + "remove them from those incidents first, or delete with ?detach=true.");
        }
        links.detach(id);
        volunteer.delete();
        Conflicts.flush(em, List.of("incident_volunteer_organization_volunteer_id_fkey"),
                "An incident was linked to this volunteer meanwhile: try again.");
    }

    /**
     * Which of {@code ids} are volunteers of the active organisation. They stay
     * locked against deletion until the transaction ends, so an incident
     * linking them can be written safely.
     */
    public Set<UUID> ownAmong(Collection<UUID> ids) {
        return ids.isEmpty() ? Set.of() : volunteers.lockedAmong(ids);
    }

    private Volunteer find(UUID id, LockModeType lock) {
        return volunteers.find(id, lock).orElseThrow(() -> ProblemException.notFound("volunteer"));
    }

    private static void validate(VolunteerInput input) {
        FieldErrors errors = new FieldErrors();
        input.validate(errors);
        errors.throwIfAny();
    }

    private static void apply(Volunteer volunteer, VolunteerInput input, Instant now) {
        volunteer.pseudonym = input.pseudonym();
        volunteer.gender = input.gender().code();
        volunteer.nationality = input.nationality();
        volunteer.updatedAt = now;
    }
}
