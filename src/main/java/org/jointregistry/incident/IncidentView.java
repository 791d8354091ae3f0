package org.jointregistry.incident;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;
import org.jointregistry.common.BoundsFilter;

@Schema(name = "Incident", description = "An incident of the caller's organisation.")
public record IncidentView(
        // The change feed's discriminator: a generated client tells an incident from a tombstone by it.
        @Schema(description = "Always `incident`: what the change feed's items are told apart by.",
                enumeration = KIND, required = true)
        String kind,
        // Always present (so that a tombstone of the change feed is never also an incident).
        @Schema(description = "Server-assigned id.", required = true) UUID id,
        @Schema(maxLength = BoundsFilter.ALIAS_MAX, description = "The owning organisation, from the token.", examples = "utopia-56", required = true)
        String organization,
        @Schema(examples = "HRO-2018-0042", nullable = true, maxLength = IncidentInput.EXTERNAL_ID_MAX)
        String externalId,
        @Schema(description = "As sent, with the sender's offset.", examples = "2018-03-14T18:30:00+01:00",
                required = true)
        OffsetDateTime occurredAt,
        Location location,
        @Schema(maxItems = IncidentInput.CATEGORIES_MAX) List<Category> categories,
        @Schema(maxItems = IncidentInput.FORCES_MAX) List<PoliceForce> forces,
        @Schema(nullable = true, minimum = "0", maximum = "" + IncidentInput.OFFICERS_MAX) Integer officerCount,
        @Schema(description = "Volunteers involved, in the text order of their ids.",
                maxItems = IncidentInput.VOLUNTEERS_MAX) List<UUID> volunteerIds,
        @Schema(nullable = true, maxLength = IncidentInput.DESCRIPTION_MAX) String description,
        Complaint complaint,
        IncidentStatus status,
        @Schema(description = "The shared event this report is linked into (see `/incidents/{id}/event`), null when "
                + "unlinked. Server-owned: changed by redeeming a link code or leaving the event.", nullable = true)
        UUID eventId,
        @Schema(minimum = "1", description = "1 on creation, incremented by every change. The ETag is derived from it.",
                examples = "3")
        int version,
        Instant createdAt,
        Instant updatedAt,
        @Schema(maxLength = BoundsFilter.USERNAME_MAX, description = "Username of the creator.", examples = "utopia-56-reporter") String createdBy) {

    public static final String KIND = "incident";

    static IncidentView of(Incident incident) {
        IncidentInput in = IncidentMapping.input(incident);
        return new IncidentView(KIND, incident.id, incident.organization, in.externalId(), in.occurredAt(),
                in.location(), in.categories(), in.forces(), in.officerCount(), in.volunteerIds(), in.description(),
                in.complaint(), in.status(), incident.eventId, incident.version, incident.createdAt, incident.updatedAt,
                incident.createdBy);
    }
}
