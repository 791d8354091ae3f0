package org.jointregistry.incident;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.DateBounds;
import org.jointregistry.common.FieldErrors;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.ComplaintStatus;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;

/**
 * An incident as a client writes it (POST, PUT, and the document a merge patch
 * applies to): the response shape minus every server-owned field. A body that
 * carries id, organization, version or a timestamp is refused as having an
 * unknown property: the server never takes them from a client.
 */
@Schema(name = "IncidentInput", description = "An incident as written by its organisation. Server-owned fields "
        + "(id, organization, version, createdAt, updatedAt, createdBy) are refused.")
public record IncidentInput(
        @Schema(maxLength = EXTERNAL_ID_MAX, description = "The organisation's own id for the incident (1 to 100 characters, no `/` or control "
                + "characters), unique among its live incidents.", examples = "HRO-2018-0042", nullable = true)
        String externalId,
        @JsonFormat(without = JsonFormat.Feature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        @Schema(description = "When it happened: ISO 8601 date-time with its UTC offset, which is kept and echoed. "
                + "At most 24 hours in the future.", examples = "2018-03-14T18:30:00+01:00", required = true)
        OffsetDateTime occurredAt,
        @Schema(nullable = true) Location location,
        @Schema(description = "At least one category code.", required = true, minItems = 1,
                maxItems = CATEGORIES_MAX)
        List<Category> categories,
        @Schema(description = "Police forces involved (may be empty).", nullable = true,
                maxItems = FORCES_MAX)
        List<PoliceForce> forces,
        @Schema(description = "Number of officers, 0 to 500.", examples = "4", nullable = true, minimum = "0",
                maximum = "" + OFFICERS_MAX)
        Integer officerCount,
        @Schema(description = "Ids of the organisation's own volunteers involved.", nullable = true,
                maxItems = VOLUNTEERS_MAX)
        List<UUID> volunteerIds,
        @Schema(maxLength = DESCRIPTION_MAX, description = "Narrative, up to 20,000 characters. Confidential to the organisation; the history "
                + "records that it changed, never its text.", nullable = true)
        String description,
        @Schema(description = "Complaint lodged about the incident; `{status: none}` when left out.", nullable = true)
        Complaint complaint,
        @Schema(description = "Defaults to `submitted` when left out.", nullable = true)
        IncidentStatus status) {

    static final IncidentStatus DEFAULT_STATUS = IncidentStatus.SUBMITTED;
    public static final int EXTERNAL_ID_MAX = 100;
    static final int COMMUNE_MAX = 100;
    static final int SITE_MAX = 200;
    static final int DESCRIPTION_MAX = 20_000;
    static final int REFERENCE_MAX = 100;
    static final int OFFICERS_MAX = 500;
    static final int VOLUNTEERS_MAX = 200;
    /** Room for every category (17 today) and force (7), and for terms added later: a longer list only repeats codes. */
    static final int CATEGORIES_MAX = 28;
    static final int FORCES_MAX = 12;
    static final Duration FUTURE_TOLERANCE = Duration.ofHours(24);

    /** The same input under {@code externalId}. */
    IncidentInput withExternalId(String externalId) {
        return new IncidentInput(externalId, occurredAt, location, categories, forces, officerCount, volunteerIds,
                description, complaint, status);
    }

    /**
     * Adds every rule this input breaks to {@code errors} (paths relative to
     * the input). Whether volunteerIds are the organisation's own needs the
     * database: {@link IncidentService} checks that for a whole batch at once.
     */
    void validate(Instant now, FieldErrors errors) {
        if (externalId != null && line(errors, "externalId", externalId, EXTERNAL_ID_MAX) && externalId.contains("/")) {
            errors.add("externalId", "must not contain '/'");
        }
        if (occurredAt == null) {
            errors.add("occurredAt", "is required");
        } else if (!DateBounds.supported(occurredAt)) {
            errors.add("occurredAt", DateBounds.MESSAGE);
        } else if (occurredAt.toInstant().isAfter(now.plus(FUTURE_TOLERANCE))) {
            errors.add("occurredAt", "must not be more than 24 hours in the future");
        }
        if (location != null) {
            validate(location, errors.at("location"));
        }
        if (categories == null || categories.isEmpty()) {
            errors.add("categories", "must contain at least one category");
        } else {
            noNulls(errors, "categories", categories);
        }
        if (categories != null && categories.size() > CATEGORIES_MAX) {
            errors.add("categories", "must list at most " + CATEGORIES_MAX + " categories");
        }
        noNulls(errors, "forces", forces);
        if (forces != null && forces.size() > FORCES_MAX) {
            errors.add("forces", "must list at most " + FORCES_MAX + " forces");
        }
        if (officerCount != null && (officerCount < 0 || officerCount > OFFICERS_MAX)) {
            errors.add("officerCount", "must be between 0 and " + OFFICERS_MAX);
        }
        noNulls(errors, "volunteerIds", volunteerIds);
        if (volunteerIds != null && volunteerIds.size() > VOLUNTEERS_MAX) {
            errors.add("volunteerIds", "must list at most " + VOLUNTEERS_MAX + " volunteers");
        }
        if (description != null && length(description) > DESCRIPTION_MAX) {
            errors.add("description", "must be at most " + DESCRIPTION_MAX + " characters");
        }
        if (complaint != null) {
            validate(complaint, now, errors.at("complaint"));
        }
    }

    private static void validate(Location location, FieldErrors errors) {
        if (location.commune() != null) {
            line(errors, "commune", location.commune(), COMMUNE_MAX);
        }
        if (location.site() != null) {
            line(errors, "site", location.site(), SITE_MAX);
        }
        Double latitude = location.latitude();
        Double longitude = location.longitude();
        if (latitude != null && (latitude < -90 || latitude > 90)) {
            errors.add("latitude", "must be between -90 and 90");
        }
        if (longitude != null && (longitude < -180 || longitude > 180)) {
            errors.add("longitude", "must be between -180 and 180");
        }
        if (latitude != null && longitude == null) {
            errors.add("longitude", "is required when latitude is given");
        } else if (longitude != null && latitude == null) {
            errors.add("latitude", "is required when longitude is given");
        }
    }

    private static void validate(Complaint complaint, Instant now, FieldErrors errors) {
        if (complaint.status() == null) {
            errors.add("status", "is required");
        }
        if (complaint.reference() != null) {
            line(errors, "reference", complaint.reference(), REFERENCE_MAX);
        }
        if (!DateBounds.supported(complaint.filedOn())) {
            errors.add("filedOn", DateBounds.MESSAGE);
        } else if (complaint.filedOn() != null && complaint.filedOn().isAfter(LocalDate.ofInstant(now.plus(FUTURE_TOLERANCE),
                ZoneOffset.UTC))) {
            errors.add("filedOn", "must not be in the future");
        }
        if (complaint.status() == ComplaintStatus.NONE) {
            String none = "must be left out when status is none";
            if (complaint.body() != null) {
                errors.add("body", none);
            }
            if (complaint.filedOn() != null) {
                errors.add("filedOn", none);
            }
            if (complaint.reference() != null) {
                errors.add("reference", none);
            }
        }
    }

    /** A one-line text: not blank, at most {@code max} characters, no control characters. */
    private static boolean line(FieldErrors errors, String field, String value, int max) {
        if (value.isBlank()) {
            errors.add(field, "must not be blank");
        } else if (length(value) > max) {
            errors.add(field, "must be at most " + max + " characters");
        } else if (value.codePoints().anyMatch(Character::isISOControl)) {
            errors.add(field, "must not contain control characters");
        } else {
            return true;
        }
        return false;
    }

    private static void noNulls(FieldErrors errors, String field, List<?> values) {
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) == null) {
                    errors.add(field + "[" + i + "]", "must not be null");
                }
            }
        }
    }

    /** Length in characters as PostgreSQL counts them (code points, not UTF-16 units). */
    private static int length(String value) {
        return value.codePointCount(0, value.length());
    }
}
