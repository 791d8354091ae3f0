package org.jointregistry.incident;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Location", description = "Where the incident happened. Latitude and longitude come together or not "
        + "at all.")
public record Location(
        @Schema(maxLength = IncidentInput.COMMUNE_MAX, description = "Commune (up to 100 characters).", examples = "Calais", nullable = true)
        String commune,
        @Schema(maxLength = IncidentInput.SITE_MAX, description = "Place within the commune, free text (up to 200 characters). Never leaves the "
                + "organisation: aggregates do not count by site.", examples = "rue des Verrotières", nullable = true)
        String site,
        @Schema(description = "WGS 84 latitude, -90 to 90.", examples = "50.951", nullable = true)
        Double latitude,
        @Schema(description = "WGS 84 longitude, -180 to 180.", examples = "1.858", nullable = true)
        Double longitude) {

    static final Location NONE = new Location(null, null, null, null);
}
