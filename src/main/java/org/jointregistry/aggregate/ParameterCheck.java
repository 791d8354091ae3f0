package org.jointregistry.aggregate;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jointregistry.common.DateBounds;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;

/**
 * Reads query parameters and collects every invalid one, so that a single 400
 * problem lists them all, each with the values it accepts.
 */
public final class ParameterCheck {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    /** An ISO date (`2018-03-14`), or null when absent. */
    public LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(value.trim());
            if (!DateBounds.supported(day)) {
                fail(field, DateBounds.MESSAGE);
                return null;
            }
            return day;
        } catch (DateTimeParseException e) {
            fail(field, "must be a date (YYYY-MM-DD)");
            return null;
        }
    }

    /** A period whose end is not before its start. */
    public void period(LocalDate from, LocalDate to) {
        if (from != null && to != null && to.isBefore(from)) {
            fail("to", "must not be before from");
        }
    }

    /**
     * The distinct values of a repeatable parameter (each occurrence may also
     * hold a comma-separated list), in order; null when absent. With
     * {@code allowed}, every value must be one of them.
     */
    public List<String> values(String field, List<String> raw, Collection<String> allowed) {
        Set<String> values = new LinkedHashSet<>();
        if (raw != null) {
            for (String occurrence : raw) {
                for (String value : occurrence.split(",")) {
                    if (!value.isBlank()) {
                        values.add(value.trim());
                    }
                }
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        if (allowed != null && !allowed.containsAll(values)) {
            List<String> unknown = values.stream().filter(v -> !allowed.contains(v)).toList();
            fail(field, "unknown value(s) " + String.join(", ", unknown) + "; must be one of: "
                    + String.join(", ", allowed));
        }
        return List.copyOf(values);
    }

    public void fail(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
    }

    /** 400 invalid-parameter listing every error found so far, if any. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            String detail = errors.size() == 1 ? "1 query parameter is invalid."
                    : errors.size() + " query parameters are invalid.";
            throw new ProblemException(ProblemType.INVALID_PARAMETER, detail, List.copyOf(errors), Map.of());
        }
    }
}
