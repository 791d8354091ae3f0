package org.jointregistry.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jointregistry.tenant.TenantContext;
import org.jointregistry.tenant.TenantSession;

/**
 * Writes and reads incident revisions of the active organisation, inside the
 * caller's transaction (the record and its revision commit or fail together).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
@TenantSession
public class Revisions {

    private static final TypeReference<List<FieldChange>> CHANGES = new TypeReference<>() {
    };

    @Inject
    TenantContext tenant;

    @Inject
    ObjectMapper json;

    /** Appends revision {@code revision} of an incident (inserted at the next flush, batched with its peers). */
    public void record(UUID incidentId, int revision, Instant at, RevisionAction action, List<FieldChange> changes) {
        Revision entry = new Revision();
        entry.organization = tenant.organization();
        entry.incidentId = incidentId;
        entry.revision = revision;
        entry.at = at;
        entry.actor = tenant.actor();
        entry.action = action.code();
        try {
            entry.changes = json.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        entry.persist();
    }

    /** An incident's revisions, oldest first. */
    public List<RevisionView> history(UUID incidentId) {
        return Revision.<Revision>list("organization = ?1 and incidentId = ?2 order by revision",
                tenant.organization(), incidentId).stream().map(this::view).toList();
    }

    private RevisionView view(Revision entry) {
        try {
            return new RevisionView(entry.revision, entry.at, entry.actor,
                    RevisionAction.valueOf(entry.action.toUpperCase(Locale.ROOT)),
                    json.readValue(entry.changes, CHANGES));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
