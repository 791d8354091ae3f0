package org.jointregistry.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem details document, the body of every error response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details, served as application/problem+json.")
public record Problem(
        @Schema(maxLength = BoundsFilter.TEXT_MAX, description = "URI reference naming the kind of problem.", examples = "/problems/validation-failed")
        String type,
        @Schema(maxLength = BoundsFilter.TEXT_MAX, description = "Short summary of the kind of problem.", examples = "Request validation failed")
        String title,
        @Schema(description = "HTTP status code.", examples = "422", minimum = "400", maximum = "599")
        int status,
        @Schema(maxLength = BoundsFilter.FIELD_PATH_MAX, description = "What went wrong in this occurrence.", examples = "2 fields are invalid.")
        String detail,
        @Schema(maxLength = BoundsFilter.LOCATION_MAX, description = "Path of the request that failed.", examples = "/api/v1/incidents")
        String instance,
        @Schema(description = "One entry per invalid field (validation problems only).",
                maxItems = BoundsFilter.UNPAGED)
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: a JSON path into the request (`location.latitude`, `[5].categories[0]`). */
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(examples = "location.latitude", maxLength = BoundsFilter.FIELD_PATH_MAX) String field,
            @Schema(examples = "must be between -90 and 90", maxLength = BoundsFilter.FIELD_PATH_MAX) String message) {
    }
}
