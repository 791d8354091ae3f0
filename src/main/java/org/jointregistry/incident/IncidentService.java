package org.jointregistry.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import org.jointregistry.audit.HistoryView;
import org.jointregistry.audit.Revisions;
import org.jointregistry.common.Conflicts;
import org.jointregistry.common.ETags.IfMatch;
import org.jointregistry.common.FieldErrors;
import org.jointregistry.common.MergePatch;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;
import org.jointregistry.common.RegistryClock;
import org.jointregistry.tenant.TenantSession;
import org.jointregistry.volunteer.VolunteerService;

/**
 * The active organisation's incidents: the one place that writes them. Each
 * public method is one transaction (or joins the caller's), bound to the
 * organisation for row-level security; each change appends a revision in the
 * same transaction.
 *
 * Bulk callers (batch, CSV import, upsert by externalId) use
 * {@link #createAll(List)}, which validates every item first and reports all
 * errors with `[index].` paths, then writes with one statement batch per kind.
 */
@ApplicationScoped
@Transactional
@TenantSession
public class IncidentService {

    private static final List<String> EXTERNAL_ID_KEY = List.of("incident_external_id_key");
    private static final String EXTERNAL_ID_TAKEN = "Another live incident of your organisation has this externalId.";
    private static final String NOT_OWN_VOLUNTEER = "is not a volunteer of your organisation";

    @Inject
    IncidentRepository incidents;

    @Inject
    IncidentAudit audit;

    @Inject
    RegistryClock clock;

    @Inject
    Revisions revisions;

    @Inject
    VolunteerService volunteers;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    /** Creates one incident: 422 listing every invalid field, 409 when its externalId is taken. */
    public IncidentView create(IncidentInput input) {
        return insert(List.of(input), i -> "").get(0);
    }

    /**
     * Creates all incidents or none. Errors carry the item's index
     * (`[5].categories`); a taken or repeated externalId answers 409 with the
     * same kind of paths.
     */
    public List<IncidentView> createAll(List<IncidentInput> inputs) {
        return insert(inputs, i -> "[" + i + "]");
    }

    /**
     * PUT by the partner's own id: replaces the live incident with this
     * externalId (If-Match checked when given), or creates it (If-Match then
     * fails: there is no current version). Concurrent upserts of one
     * externalId take turns, so the second replaces what the first created.
     */
    public Upserted upsert(String externalId, IfMatch ifMatch, IncidentInput input) {
        if (input.externalId() != null && !input.externalId().equals(externalId)) {
            throw ProblemException.validation(List.of(new Problem.FieldError("externalId",
                    "must be left out or equal the externalId of the path")));
        }
        IncidentInput named = input.withExternalId(externalId);
        Optional<Incident> existing = lockLiveByExternalIds(List.of(externalId)).stream().findFirst();
        if (existing.isEmpty()) {
            ifMatch.checkMissing();
            return new Upserted(create(named), true);
        }
        ifMatch.check(existing.get().version);
        return new Upserted(update(existing.get(), named), false);
    }

    /**
     * Creates or replaces all incidents or none, as a sheet import does:
     * items with the externalId of a live incident replace it, the others are
     * created. Errors carry {@code path.apply(index)}; an externalId used by
     * two items answers 409.
     */
    public List<Upserted> upsertAll(List<IncidentInput> inputs, IntFunction<String> path) {
        Instant now = now();
        validate(inputs, path, now);
        checkRepeatedExternalIds(inputs, path);
        Map<String, Incident> existing = new HashMap<>();
        lockLiveByExternalIds(inputs.stream().map(IncidentInput::externalId).filter(Objects::nonNull).toList())
                .forEach(incident -> existing.put(incident.externalId, incident));
        List<IncidentInput> fresh = inputs.stream().filter(in -> !existing.containsKey(in.externalId())).toList();
        Iterator<Incident> created = persist(fresh, now).iterator();
        List<Incident> written = new ArrayList<>(inputs.size());
        for (IncidentInput input : inputs) {
            Incident replaced = existing.get(input.externalId());
            written.add(replaced == null ? created.next() : overwrite(replaced, input, now));
        }
        flush();
        List<Upserted> results = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            boolean isNew = !existing.containsKey(inputs.get(i).externalId());
            results.add(new Upserted(IncidentView.of(written.get(i)), isNew));
        }
        return results;
    }

    /** An incident as an upsert left it, and whether the upsert created it. */
    public record Upserted(IncidentView incident, boolean created) {
    }

    public IncidentView get(UUID id) {
        return IncidentView.of(incidents.liveWithVolunteers(id).orElseThrow(IncidentService::notFound));
    }

    public IncidentPage list(IncidentFilter filter) {
        List<Incident> rows = incidents.page(filter);
        boolean more = rows.size() > filter.limit();
        List<Incident> page = more ? rows.subList(0, filter.limit()) : rows;
        Incident last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new IncidentPage(page.stream().map(IncidentView::of).toList(),
                more ? new IncidentFilter.Position(last.occurredAt, last.id).encode() : null);
    }

    /** Replaces every client-writable field; a replacement that changes nothing keeps the version. */
    public IncidentView replace(UUID id, IfMatch ifMatch, IncidentInput input) {
        Incident incident = live(id, LockModeType.PESSIMISTIC_WRITE);
        ifMatch.check(incident.version);
        return update(incident, input);
    }

    /**
     * Applies a JSON merge patch (RFC 7396) to the incident's writable fields,
     * then validates the result as a replacement. A patch naming an unknown or
     * server-owned field, or of the wrong type, fails with the mapper's
     * exception (a 4xx problem with the field path).
     */
    public IncidentView patch(UUID id, IfMatch ifMatch, JsonNode patch) throws JsonProcessingException {
        Incident incident = live(id, LockModeType.PESSIMISTIC_WRITE);
        ifMatch.check(incident.version);
        JsonNode merged = MergePatch.apply(json.valueToTree(IncidentMapping.input(incident)), patch);
        return update(incident, json.treeToValue(merged, IncidentInput.class));
    }

    /** Deletes an incident, leaving a tombstone that history and the change feed still see. */
    public void delete(UUID id, IfMatch ifMatch) {
        Incident incident = live(id, LockModeType.PESSIMISTIC_WRITE);
        ifMatch.check(incident.version);
        audit.deleted(incident, now());
        flush();
    }

    /**
     * Locks a live incident of the organisation against concurrent writers
     * before its event changes (404 when there is none); returns its current
     * event, if any.
     */
    public Optional<UUID> lockForEventChange(UUID id) {
        return Optional.ofNullable(live(id, LockModeType.PESSIMISTIC_WRITE).eventId);
    }

    /**
     * Puts an incident locked by {@link #lockForEventChange} into an event, or
     * takes it out (null): like any change, a new version, a revision (field
     * `eventId`) and a change-feed entry, of this organisation's incident only.
     */
    public IncidentView setEvent(UUID id, UUID eventId) {
        Incident incident = live(id, LockModeType.PESSIMISTIC_WRITE);
        var before = audit.snapshot(incident);
        incident.eventId = eventId;
        audit.updated(incident, before, now());
        flush();
        return IncidentView.of(incident);
    }

    /** Revisions of an incident, deleted ones included, oldest first. */
    public HistoryView history(UUID id) {
        if (!incidents.exists(id)) {
            throw notFound();
        }
        return new HistoryView(revisions.history(id));
    }

    private List<IncidentView> insert(List<IncidentInput> inputs, IntFunction<String> path) {
        Instant now = now();
        validate(inputs, path, now);
        checkExternalIds(inputs, path, null);
        List<Incident> created = persist(inputs, now);
        flush();
        return created.stream().map(IncidentView::of).toList();
    }

    /** Queues validated new incidents and their revisions for the next flush. */
    private List<Incident> persist(List<IncidentInput> inputs, Instant now) {
        List<Incident> created = new ArrayList<>(inputs.size());
        for (IncidentInput input : inputs) {
            Incident incident = new Incident();
            incident.id = UUID.randomUUID();
            IncidentMapping.apply(input, incident);
            audit.stampNew(incident, now);
            incidents.add(incident);
            created.add(incident);
        }
        // Revisions after all incidents, so that each kind of insert goes in one JDBC batch.
        created.forEach(audit::created);
        return created;
    }

    private IncidentView update(Incident incident, IncidentInput input) {
        Instant now = now();
        validate(List.of(input), i -> "", now);
        checkExternalIds(List.of(input), i -> "", incident.id);
        overwrite(incident, input, now);
        flush();
        return IncidentView.of(incident);
    }

    /** Applies a validated input; a change bumps the version and appends a revision, no change touches nothing. */
    private Incident overwrite(Incident incident, IncidentInput input, Instant now) {
        var before = audit.snapshot(incident);
        IncidentMapping.apply(input, incident);
        audit.updated(incident, before, now);
        return incident;
    }

    /**
     * Writes the queued changes. No lock for the change feed: it numbers
     * changes after they commit (R__change_feed.sql), so writers of one
     * organisation commit side by side.
     */
    private void flush() {
        Conflicts.flush(em, EXTERNAL_ID_KEY, EXTERNAL_ID_TAKEN);
    }

    /** Every field rule, then (one query for all items) whether each volunteer is the organisation's own. */
    private void validate(List<IncidentInput> inputs, IntFunction<String> path, Instant now) {
        FieldErrors errors = new FieldErrors();
        List<UUID> named = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            IncidentInput input = inputs.get(i);
            if (input == null) {
                errors.at(path.apply(i)).add("", "must be an incident object");
            } else {
                input.validate(now, errors.at(path.apply(i)));
                if (input.volunteerIds() != null) {
                    input.volunteerIds().stream().filter(Objects::nonNull).forEach(named::add);
                }
            }
        }
        Set<UUID> own = volunteers.ownAmong(named);
        for (int i = 0; i < inputs.size(); i++) {
            List<UUID> ids = inputs.get(i) == null ? null : inputs.get(i).volunteerIds();
            for (int j = 0; ids != null && j < ids.size(); j++) {
                // The same answer for a foreign and an unknown id: nothing tells them apart.
                if (ids.get(j) != null && !own.contains(ids.get(j))) {
                    errors.at(path.apply(i)).add("volunteerIds[" + j + "]", NOT_OWN_VOLUNTEER);
                }
            }
        }
        errors.throwIfAny();
    }

    /**
     * 409 when an externalId is used twice among the inputs or by a live
     * incident other than {@code replacing} (null when creating).
     */
    private void checkExternalIds(List<IncidentInput> inputs, IntFunction<String> path, UUID replacing) {
        FieldErrors errors = new FieldErrors();
        Map<String, Integer> firstUse = repeatedExternalIds(inputs, path, errors);
        incidents.liveIdsByExternalId(firstUse.keySet()).forEach((externalId, owner) -> {
            if (!owner.equals(replacing)) {
                errors.at(path.apply(firstUse.get(externalId)))
                        .add("externalId", "is used by another live incident of your organisation");
            }
        });
        throwConflictIfAny(errors);
    }

    private static void checkRepeatedExternalIds(List<IncidentInput> inputs, IntFunction<String> path) {
        FieldErrors errors = new FieldErrors();
        repeatedExternalIds(inputs, path, errors);
        throwConflictIfAny(errors);
    }

    /** Adds an error for each item repeating an earlier item's externalId; returns externalId → first index. */
    private static Map<String, Integer> repeatedExternalIds(List<IncidentInput> inputs, IntFunction<String> path,
            FieldErrors errors) {
        Map<String, Integer> firstUse = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            String externalId = inputs.get(i).externalId();
            if (externalId != null && firstUse.putIfAbsent(externalId, i) != null) {
                errors.at(path.apply(i)).add("externalId",
                        "repeats the externalId of item " + firstUse.get(externalId));
            }
        }
        return firstUse;
    }

    private static void throwConflictIfAny(FieldErrors errors) {
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.CONFLICT, EXTERNAL_ID_TAKEN, errors.list(), Map.of());
        }
    }

    /** Locks the externalIds (taken or not) against concurrent upserts, then their live incidents. */
    private List<Incident> lockLiveByExternalIds(List<String> externalIds) {
        incidents.lockExternalIds(externalIds);
        return incidents.lockLiveByExternalIds(externalIds);
    }

    private Incident live(UUID id, LockModeType lock) {
        return incidents.live(id, lock).orElseThrow(IncidentService::notFound);
    }

    private static ProblemException notFound() {
        return ProblemException.notFound("incident");
    }

    private Instant now() {
        return clock.now();
    }
}
