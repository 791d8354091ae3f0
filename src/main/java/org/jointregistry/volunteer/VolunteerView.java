package org.jointregistry.volunteer;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.taxonomy.Coded;
import org.jointregistry.taxonomy.Gender;

@Schema(name = "Volunteer", description = "A pseudonymous volunteer of the caller's organisation.")
public record VolunteerView(
        @Schema(description = "Server-assigned id; use it in an incident's volunteerIds.") UUID id,
        @Schema(examples = "V-017", maxLength = VolunteerInput.PSEUDONYM_MAX) String pseudonym,
        Gender gender,
        @Schema(examples = "GB", nullable = true, maxLength = VolunteerInput.NATIONALITY_LENGTH) String nationality,
        @Schema(description = "Incremented by every change; the ETag is derived from it.", examples = "1",
                minimum = "1") int version,
        Instant createdAt,
        Instant updatedAt) {

    static VolunteerView of(Volunteer v) {
        return new VolunteerView(v.id, v.pseudonym, Coded.fromCode(Gender.class, v.gender).orElseThrow(),
                v.nationality, v.version, v.createdAt, v.updatedAt);
    }
}
