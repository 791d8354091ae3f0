package org.jointregistry.aggregate;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One combination of dimension values and its counts. The dimension values
 * appear as properties named after the dimensions (`"category": "identity_check"`),
 * null when not recorded (no commune, no force, no volunteer involved).
 */
@JsonPropertyOrder({ "incidents", "events", "volunteers", "suppressed" })
@Schema(name = "CountRow", description = "One row of a breakdown: a property per dimension of groupBy (its value, "
        + "null for \"not recorded\") and the counts. In a breakdown by gender or nationality a suppressed row has "
        + "null counts; in another, only its volunteers figure is null.",
        additionalProperties = Schema.True.class)
public record CountRow(
        @JsonIgnore List<String> key,
        @JsonIgnore List<Dimension> dimensions,
        @Schema(description = "Distinct incidents in this row; exact, but perturbed in a breakdown by gender or "
                + "nationality; null when suppressed.", examples = "42", nullable = true)
        Long incidents,
        @Schema(description = "Distinct occurrences among those incidents (contract §8): the incidents of one "
                + "shared event count once, an unlinked incident is its own; perturbed as incidents are; null when "
                + "suppressed.", examples = "38",
                nullable = true)
        Long events,
        @Schema(description = "Distinct volunteers involved in those incidents, perturbed; null when 1 to k-1.",
                examples = "17", nullable = true)
        Long volunteers,
        @Schema(description = "True when figures are withheld to protect volunteers: all of a row by gender or "
                + "nationality, the volunteers figure of another row.")
        boolean suppressed) {

    @JsonAnyGetter
    public Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < dimensions.size(); i++) {
            values.put(dimensions.get(i).apiName(), key.get(i));
        }
        return values;
    }

    /** This row with its counts withheld. */
    public CountRow suppress() {
        return new CountRow(key, dimensions, null, null, null, true);
    }
}
