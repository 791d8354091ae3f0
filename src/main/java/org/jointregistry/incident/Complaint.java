package org.jointregistry.incident;

import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.taxonomy.ComplaintBody;
import org.jointregistry.taxonomy.ComplaintStatus;

@Schema(name = "Complaint", description = "Whether a complaint about the incident was lodged, where and when. "
        + "With status `none`, body, filedOn and reference must be left out.")
public record Complaint(
        @Schema(description = "Defaults to `none` when the complaint is left out.", required = true)
        ComplaintStatus status,
        @Schema(nullable = true) ComplaintBody body,
        @Schema(description = "Date the complaint was filed (ISO 8601 date).", examples = "2018-03-20",
                nullable = true)
        LocalDate filedOn,
        @Schema(maxLength = IncidentInput.REFERENCE_MAX, description = "Reference given by the body (up to 100 characters).", examples = "IGPN-2018-0311",
                nullable = true)
        String reference) {

    static final Complaint NONE = new Complaint(ComplaintStatus.NONE, null, null, null);
}
