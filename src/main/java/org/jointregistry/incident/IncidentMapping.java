package org.jointregistry.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.Coded;
import org.jointregistry.taxonomy.ComplaintBody;
import org.jointregistry.taxonomy.ComplaintStatus;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;

/** Between the incident entity and its client-writable fields. */
final class IncidentMapping {

    /**
     * Fields whose values the history never records: the narrative and every
     * other field sealed at rest (a revision is stored in clear, so quoting one
     * there would undo the sealing).
     */
    static final Set<String> NARRATIVE = Set.of("description", "location.site", "location.latitude",
            "location.longitude", "complaint.reference");

    private IncidentMapping() {
    }

    /** The client-writable state of an incident, as a client would PUT it. */
    static IncidentInput input(Incident i) {
        Location location = new Location(i.commune, i.site, i.latitude, i.longitude);
        Complaint complaint = new Complaint(code(ComplaintStatus.class, i.complaintStatus),
                code(ComplaintBody.class, i.complaintBody), i.complaintFiledOn, i.complaintReference);
        return new IncidentInput(i.externalId,
                i.occurredAt.atOffset(ZoneOffset.ofTotalSeconds(i.occurredOffsetSecs)),
                location,
                Arrays.stream(i.categories).map(c -> code(Category.class, c)).toList(),
                Arrays.stream(i.forces).map(f -> code(PoliceForce.class, f)).toList(),
                i.officerCount,
                i.volunteerIds.stream().sorted(Comparator.comparing(UUID::toString)).toList(),
                i.description,
                complaint,
                code(IncidentStatus.class, i.status));
    }

    /** Writes a validated input into the entity: lists deduplicated, defaults applied. */
    static void apply(IncidentInput in, Incident i) {
        i.externalId = in.externalId();
        i.occurredAt = in.occurredAt().toInstant().truncatedTo(ChronoUnit.MICROS);
        i.occurredOffsetSecs = in.occurredAt().getOffset().getTotalSeconds();
        Location location = Objects.requireNonNullElse(in.location(), Location.NONE);
        i.commune = location.commune();
        i.site = location.site();
        i.latitude = location.latitude();
        i.longitude = location.longitude();
        i.categories = codes(in.categories());
        i.forces = codes(in.forces());
        i.officerCount = in.officerCount();
        i.volunteerIds.clear();
        if (in.volunteerIds() != null) {
            i.volunteerIds.addAll(in.volunteerIds());
        }
        i.description = in.description();
        Complaint complaint = Objects.requireNonNullElse(in.complaint(), Complaint.NONE);
        i.complaintStatus = complaint.status().code();
        i.complaintBody = complaint.body() == null ? null : complaint.body().code();
        i.complaintFiledOn = complaint.filedOn();
        i.complaintReference = complaint.reference();
        i.status = Objects.requireNonNullElse(in.status(), IncidentInput.DEFAULT_STATUS).code();
    }

    /**
     * The audited fields of an incident, flattened to paths (`location.commune`),
     * in the representation's order, every field present (JSON null when empty):
     * the client-writable ones, then the server-owned eventId.
     */
    static Map<String, JsonNode> audited(Incident incident, ObjectMapper json) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        flatten("", json.valueToTree(input(incident)), fields);
        fields.put("eventId", json.valueToTree(incident.eventId));
        return fields;
    }

    private static void flatten(String path, JsonNode node, Map<String, JsonNode> into) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
                    e.getValue(), into));
        } else {
            into.put(path, node);
        }
    }

    private static String[] codes(Collection<? extends Coded> values) {
        return values == null ? new String[0]
                : new LinkedHashSet<>(values).stream().map(Coded::code).toArray(String[]::new);
    }

    private static <E extends Enum<E> & Coded> E code(Class<E> type, String code) {
        return code == null ? null : Coded.fromCode(type, code).orElseThrow();
    }
}
