package org.jointregistry.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jointregistry.taxonomy.Coded;

/**
 * The one parser of the API's parameters (query strings, and the report
 * body's from/to, which take the same forms). It collects every invalid
 * parameter, so one problem lists them all, each error naming its parameter:
 * 400 invalid-parameter for a query, 422 validation-failed for a body.
 *
 * <p>The forms, on every endpoint alike: a value is text without control
 * characters and without the replacement character that invalid UTF-8
 * decodes to, surrounding blanks ignored, blank meaning absent; a repeatable
 * parameter takes repeated or comma-separated values (distinct, in order);
 * codes are checked against the taxonomy; numbers are whole and bounded;
 * from/to are a date (a Europe/Paris day, {@code to} inclusive) or a
 * date-time with offset (an instant, {@code to} exclusive).
 */
public final class Parameters {

    /** The shared from/to parameters of the contract (components/parameters), named as in the query. */
    public static final String FROM = "from";
    public static final String TO = "to";
    /** The forms of from/to, on every endpoint and in the report body: the contract's one description of them. */
    public static final String PERIOD_FORMS = "A date (2018-03-14: a Europe/Paris day) or a date-time with offset "
            + "(2018-03-14T18:30:00+01:00: an instant). `from` includes its date or instant; `to` includes its "
            + "date and excludes its instant; a period that ends before it starts is refused. Aggregates and the "
            + "joint report count whole Paris days: there a date-time must be the start of one "
            + "(2018-03-01T00:00:00+01:00).";

    /**
     * The written forms of from/to as a pattern of a plain string. A union
     * (oneOf date, date-time) would be the exact type, but generated clients
     * turn a union query parameter into a wrapper class (Java) or drop its
     * validation (Python); a string with a pattern generates as a plain string
     * everywhere. This parser stays the judge: the pattern only says what to send.
     */
    public static final String PERIOD_PATTERN =
            "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$";

    /**
     * The bounds on every query parameter, which the contract states
     * (BoundsFilter): a value of at most this many characters...
     */
    public static final int VALUE_MAX = 200;
    /** ...and a repeatable parameter of at most this many values, repeated or comma-separated. */
    public static final int VALUES_MAX = 100;

    static final String TEXT_MESSAGE = "must be UTF-8 text without control characters";
    static final String DATE_MESSAGE = "must be a date (2018-03-14) or a date-time with offset "
            + "(2018-03-14T18:30:00+01:00)";

    private final ProblemType type;
    private final Set<Problem.FieldError> errors = new LinkedHashSet<>();

    private Parameters(ProblemType type) {
        this.type = type;
    }

    /** For query parameters: 400 invalid-parameter. */
    public static Parameters query() {
        return new Parameters(ProblemType.INVALID_PARAMETER);
    }

    /** For the same forms in a JSON body: 422 validation-failed. */
    public static Parameters body() {
        return new Parameters(ProblemType.VALIDATION_FAILED);
    }

    /** One text value, stripped; null when absent or blank. */
    public String text(String name, String raw) {
        // The text rule first: Java counts U+001C to U+001F, tab and newline as blanks.
        if (raw == null || !plain(name, raw) || raw.isBlank()) {
            return null;
        }
        if (raw.codePointCount(0, raw.length()) > VALUE_MAX) {
            fail(name, "must be at most " + VALUE_MAX + " characters");
            return null;
        }
        return raw.strip();
    }

    /** A value taken exactly as sent (a path segment naming a record): only the text rule applies. */
    public String exact(String name, String raw) {
        return raw == null || plain(name, raw) ? raw : null;
    }

    /** The distinct values of a repeatable parameter, in order; empty when absent. */
    public List<String> texts(String name, List<String> raw) {
        Set<String> values = new LinkedHashSet<>();
        if (raw != null) {
            for (String occurrence : raw) {
                for (String part : occurrence.split(",", -1)) {
                    String value = text(name, part);
                    if (value != null) {
                        values.add(value);
                    }
                }
            }
        }
        if (values.size() > VALUES_MAX || raw != null && raw.size() > VALUES_MAX) {
            fail(name, "must have at most " + VALUES_MAX + " values");
            return List.of();
        }
        return List.copyOf(values);
    }

    /** The distinct values of a repeatable parameter, each one of {@code allowed}. */
    public List<String> oneOf(String name, List<String> raw, Collection<String> allowed) {
        List<String> values = texts(name, raw);
        List<String> unknown = values.stream().filter(v -> !allowed.contains(v)).toList();
        if (!unknown.isEmpty()) {
            fail(name, "unknown value(s) " + String.join(", ", unknown) + "; must be one of: "
                    + String.join(", ", allowed));
        }
        return values.stream().filter(allowed::contains).toList();
    }

    /** One of {@code allowed}; null when absent. */
    public String choice(String name, String raw, Collection<String> allowed) {
        String value = text(name, raw);
        if (value != null && !allowed.contains(value)) {
            fail(name, "must be one of: " + String.join(", ", allowed));
            return null;
        }
        return value;
    }

    /** Refuses a required parameter that has no value (and no other error). */
    public void require(String name, List<?> values, String what) {
        if (values.isEmpty() && errors.stream().noneMatch(e -> e.field().equals(name))) {
            fail(name, "is required: " + what);
        }
    }

    /** The distinct taxonomy codes of a repeatable parameter. */
    public <E extends Enum<E> & Coded> List<E> codes(String name, List<String> raw, Class<E> type) {
        return oneOf(name, raw, codes(type)).stream().map(c -> Coded.fromCode(type, c).orElseThrow()).toList();
    }

    /** A whole number from {@code min} to {@code max}; {@code absent} when left out. */
    public int integer(String name, String raw, int min, int max, int absent) {
        String value = text(name, raw);
        if (value == null) {
            return absent;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range number
        }
        fail(name, "must be a whole number from " + min + " to " + max);
        return absent;
    }

    /** {@code true} or {@code false}; {@code absent} when left out. */
    public boolean flag(String name, String raw, boolean absent) {
        String value = text(name, raw);
        if (value == null) {
            return absent;
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        fail(name, "must be true or false");
        return absent;
    }

    /**
     * An opaque value (a cursor) read by {@code decode}, which answers empty
     * for one it does not recognise; empty when absent.
     */
    public <T> Optional<T> opaque(String name, String raw, Function<String, Optional<T>> decode, String message) {
        String value = text(name, raw);
        if (value == null) {
            return Optional.empty();
        }
        Optional<T> decoded = decode.apply(value);
        if (decoded.isEmpty()) {
            fail(name, message);
        }
        return decoded;
    }

    /** The period of {@code from} and {@code to}; a period that ends before it starts is refused. */
    public TimeSpan span(String from, String to) {
        Instant start = bound(FROM, from, false);
        Instant end = bound(TO, to, true);
        if (start != null && end != null && !end.isAfter(start)) {
            fail(TO, "must be after from (a date includes its whole day)");
        }
        return new TimeSpan(start, end);
    }

    /**
     * The period of {@code from} and {@code to} as Europe/Paris days, for the
     * endpoints that count whole days (aggregates, the joint report): a
     * date-time there must be the start of a Paris day.
     */
    public TimeSpan.Days days(String from, String to) {
        TimeSpan span = span(from, to);
        LocalDate first = day(FROM, span.from());
        LocalDate end = day(TO, span.to());
        return new TimeSpan.Days(first, end == null ? null : end.minusDays(1));
    }

    public void fail(String name, String message) {
        errors.add(new Problem.FieldError(name, message));
    }

    /** The problem listing every error found so far, if there is any. */
    public void throwIfInvalid() {
        if (errors.isEmpty()) {
            return;
        }
        List<Problem.FieldError> list = List.copyOf(errors);
        if (type == ProblemType.VALIDATION_FAILED) {
            throw ProblemException.validation(list);
        }
        throw new ProblemException(type, "Invalid parameters: " + String.join(", ",
                list.stream().map(Problem.FieldError::field).distinct().toList()) + ".", list, Map.of());
    }

    /** The API codes of a taxonomy type, in its order. */
    public static <E extends Enum<E> & Coded> List<String> codes(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Coded::code).toList();
    }

    /** Whether the value is plain text; else an error for {@code name}. */
    private boolean plain(String name, String value) {
        boolean plain = value.codePoints().noneMatch(c -> Character.getType(c) == Character.CONTROL
                || c == 0xFFFD);
        if (!plain) {
            fail(name, TEXT_MESSAGE);
        }
        return plain;
    }

    /** A from/to value as an instant: a date's start, or its end for {@code to}; null when absent or invalid. */
    private Instant bound(String name, String raw, boolean end) {
        String value = text(name, raw);
        if (value == null) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(value);
            return supported(name, day) ? (end ? day.plusDays(1) : day).atStartOfDay(TimeSpan.ZONE).toInstant()
                    : null;
        } catch (DateTimeParseException notADate) {
            try {
                OffsetDateTime at = OffsetDateTime.parse(value);
                return supported(name, at) ? at.toInstant() : null;
            } catch (DateTimeParseException e) {
                fail(name, DATE_MESSAGE);
                return null;
            }
        }
    }

    private boolean supported(String name, TemporalAccessor date) {
        if (!DateBounds.supported(date)) {
            fail(name, DateBounds.MESSAGE);
            return false;
        }
        return true;
    }

    /** The Paris day an instant starts; null, with an error, when it is not the start of one. */
    private LocalDate day(String name, Instant at) {
        if (at == null) {
            return null;
        }
        LocalDate day = at.atZone(TimeSpan.ZONE).toLocalDate();
        if (!day.atStartOfDay(TimeSpan.ZONE).toInstant().equals(at)) {
            fail(name, "counts whole Europe/Paris days here: a date, or a date-time at the start of a Paris day "
                    + "(2018-03-01T00:00:00+01:00)");
            return null;
        }
        return day;
    }
}
