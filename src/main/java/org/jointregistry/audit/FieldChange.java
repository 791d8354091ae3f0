package org.jointregistry.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.BoundsFilter;

/**
 * One field changed by a revision. Narrative fields, and every field sealed
 * at rest, are recorded as changed but without their value
 * ({@code redacted: true}, no from/to): the history is
 * append-only, so text put there could never be taken back, and a narrative
 * corrected because it named someone must really be gone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "FieldChange", description = "A field changed by a revision, with its old and new value (JSON null "
        + "for none). Narrative fields and the other fields sealed at rest (description, location.site, "
        + "location.latitude, location.longitude, complaint.reference) carry `redacted: true` instead of their values.")
public record FieldChange(
        @Schema(description = "Field path in the record's representation.", examples = "location.commune",
                maxLength = BoundsFilter.FIELD_PATH_MAX)
        String field,
        // Not `nullable`: AnyValue already admits null, and `anyOf: [AnyValue, null]` breaks generated clients.
        @Schema(description = "Value before the revision: a string, a number, an array of strings or null.",
                examples = "Calais")
        JsonNode from,
        @Schema(description = "Value after the revision, like `from`.", examples = "Dunkerque")
        JsonNode to,
        @Schema(description = "Present and true for a narrative or sealed field, whose value the history never keeps.",
                nullable = true)
        Boolean redacted) {

    /**
     * The fields whose value differs between two states of a record (each an
     * ordered map from field path to JSON value, containing every field). An
     * empty {@code before} is a creation: every field that has a value counts.
     */
    public static List<FieldChange> between(Map<String, JsonNode> before, Map<String, JsonNode> after,
            Set<String> narrative) {
        List<FieldChange> changes = new ArrayList<>();
        after.forEach((field, to) -> {
            JsonNode from = before.get(field);
            boolean changed = from == null ? !blank(to) : !from.equals(to);
            if (changed) {
                changes.add(narrative.contains(field) ? new FieldChange(field, null, null, true)
                        : new FieldChange(field, from == null ? NullNode.getInstance() : from, to, null));
            }
        });
        return changes;
    }

    private static boolean blank(JsonNode value) {
        return value.isNull() || value.isContainerNode() && value.isEmpty();
    }
}
