package org.jointregistry.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jointregistry.audit.FieldChange;
import org.jointregistry.audit.RevisionAction;
import org.jointregistry.audit.Revisions;
import org.jointregistry.tenant.TenantContext;

/**
 * Stamps an incident's version and timestamps and appends the matching
 * revision, for every way an incident changes: the revision number is the
 * version the change produced.
 */
@ApplicationScoped
class IncidentAudit {

    @Inject
    Revisions revisions;

    @Inject
    TenantContext tenant;

    @Inject
    ObjectMapper json;

    /** The audited state of an incident, to pass back to {@link #updated} after changing it. */
    Map<String, JsonNode> snapshot(Incident incident) {
        return IncidentMapping.audited(incident, json);
    }

    /** Stamps a new incident; call before persisting it (Hibernate inserts the state it had then). */
    void stampNew(Incident incident, Instant now) {
        incident.version = 1;
        incident.createdAt = now;
        incident.createdBy = tenant.actor();
        stamp(incident, now);
    }

    /** Records the creation of a persisted incident (after it, so that the insert precedes its revision's). */
    void created(Incident incident) {
        revisions.record(incident.id, incident.version, incident.createdAt, RevisionAction.CREATE,
                FieldChange.between(Map.of(), snapshot(incident), IncidentMapping.NARRATIVE));
    }

    /** Records the change since {@code before}; returns false, touching nothing, when nothing changed. */
    boolean updated(Incident incident, Map<String, JsonNode> before, Instant now) {
        List<FieldChange> changes = FieldChange.between(before, snapshot(incident), IncidentMapping.NARRATIVE);
        if (changes.isEmpty()) {
            return false;
        }
        incident.version++;
        stamp(incident, now);
        revisions.record(incident.id, incident.version, now, RevisionAction.UPDATE, changes);
        return true;
    }

    /** Tombstones the incident, clearing its sealed fields: a deleted testimony is not kept, even as ciphertext. */
    void deleted(Incident incident, Instant now) {
        incident.purge();
        incident.version++;
        incident.deletedAt = now;
        incident.deletedBy = tenant.actor();
        stamp(incident, now);
        revisions.record(incident.id, incident.version, now, RevisionAction.DELETE, List.of());
    }

    private void stamp(Incident incident, Instant now) {
        incident.updatedAt = now;
        incident.updatedBy = tenant.actor();
    }
}
