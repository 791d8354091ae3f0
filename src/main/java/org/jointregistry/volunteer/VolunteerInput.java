package org.jointregistry.volunteer;

import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.FieldErrors;
import org.jointregistry.taxonomy.Gender;

/** A volunteer as a client writes it (POST and PUT). */
@Schema(name = "VolunteerInput", description = "A pseudonymous volunteer record. Never put a name in it.")
public record VolunteerInput(
        @Schema(maxLength = PSEUDONYM_MAX, description = "The organisation's pseudonym for the volunteer, unique within the organisation "
                + "(1 to 64 characters).", examples = "V-017", required = true)
        String pseudonym,
        @Schema(description = "Gender code from the taxonomy.", required = true)
        Gender gender,
        @Schema(description = "ISO 3166-1 alpha-2 country code, upper case; optional.", examples = "GB",
                nullable = true, maxLength = NATIONALITY_LENGTH, pattern = "^[A-Z]{2}$")
        String nationality) {

    static final int PSEUDONYM_MAX = 64;
    static final int NATIONALITY_LENGTH = 2;
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    void validate(FieldErrors errors) {
        if (pseudonym == null || pseudonym.isBlank()) {
            errors.add("pseudonym", "is required");
        } else if (pseudonym.codePointCount(0, pseudonym.length()) > PSEUDONYM_MAX) {
            errors.add("pseudonym", "must be at most " + PSEUDONYM_MAX + " characters");
        } else if (pseudonym.codePoints().anyMatch(Character::isISOControl)) {
            errors.add("pseudonym", "must not contain control characters");
        }
        if (gender == null) {
            errors.add("gender", "is required");
        }
        if (nationality != null && !COUNTRIES.contains(nationality)) {
            errors.add("nationality", "must be an upper-case ISO 3166-1 alpha-2 country code, such as GB");
        }
    }
}
