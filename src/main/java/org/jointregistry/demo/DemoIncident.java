package org.jointregistry.demo;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.ComplaintBody;
import org.jointregistry.taxonomy.ComplaintStatus;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;

/**
 * A generated incident, shaped like the incident API's request (plus its
 * organisation and id). {@code occurredAt} carries the Europe/Paris offset a
 * reporter on the spot would have written.
 */
public record DemoIncident(
        String organization,
        UUID id,
        String externalId,
        OffsetDateTime occurredAt,
        String commune,
        String site,
        double latitude,
        double longitude,
        List<Category> categories,
        List<PoliceForce> forces,
        int officerCount,
        String description,
        ComplaintStatus complaintStatus,
        ComplaintBody complaintBody,
        LocalDate complaintFiledOn,
        String complaintReference,
        IncidentStatus status,
        List<UUID> volunteerIds) {
}
