package org.jointregistry.incident;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jointregistry.common.DateBounds;
import org.jointregistry.common.FieldErrors;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.Coded;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;

/**
 * What a list request asks for: filters (each repeatable filter matches any
 * of its values), page size and keyset position. Built from raw query strings
 * so that every bad parameter is reported at once as a 400 problem.
 */
public record IncidentFilter(
        Optional<Instant> from,
        Optional<Instant> to,
        List<Category> categories,
        List<IncidentStatus> statuses,
        List<String> communes,
        List<PoliceForce> forces,
        int limit,
        Optional<Position> after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** Calendar dates in filters are days of the registry's reporting zone. */
    static final ZoneId DATES_ZONE = ZoneId.of("Europe/Paris");

    /** Keyset position: the last incident of the previous page in the list's order. */
    public record Position(Instant occurredAt, UUID id) {

        String encode() {
            String raw = ChronoUnit.MICROS.between(Instant.EPOCH, occurredAt) + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            return new Position(Instant.EPOCH.plus(Long.parseLong(raw.substring(0, colon)), ChronoUnit.MICROS),
                    UUID.fromString(raw.substring(colon + 1)));
        }
    }

    /** The same filters, for the page of {@code limit} incidents after a list's {@code nextCursor}. */
    public IncidentFilter page(int limit, String nextCursor) {
        return new IncidentFilter(from, to, categories, statuses, communes, forces, limit,
                Optional.ofNullable(nextCursor).map(Position::decode));
    }

    /** Parses the query parameters; 400 listing every invalid one. */
    public static IncidentFilter parse(String from, String to, List<String> categories, List<String> statuses,
            List<String> communes, List<String> forces, String limit, String cursor) {
        FieldErrors errors = new FieldErrors();
        IncidentFilter filter = new IncidentFilter(
                instant(errors, "from", from, false),
                instant(errors, "to", to, true),
                codes(errors, "category", categories, Category.class),
                codes(errors, "status", statuses, IncidentStatus.class),
                communes.stream().filter(c -> !c.isBlank()).map(c -> c.toLowerCase(Locale.ROOT)).toList(),
                codes(errors, "force", forces, PoliceForce.class),
                limit(errors, limit),
                position(errors, cursor));
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_PARAMETER,
                    "Invalid query parameters: " + String.join(", ",
                            errors.list().stream().map(Problem.FieldError::field).distinct().toList()) + ".",
                    errors.list(), Map.of());
        }
        return filter;
    }

    /**
     * A date-time with offset, or a calendar date (a day in Europe/Paris): `from`
     * includes it, `to` excludes the date-time and includes the whole date.
     */
    private static Optional<Instant> instant(FieldErrors errors, String name, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return supported(errors, name, day)
                        .map(d -> (endOfDay ? d.plusDays(1) : d).atStartOfDay(DATES_ZONE).toInstant());
            }
            return supported(errors, name, OffsetDateTime.parse(value)).map(OffsetDateTime::toInstant);
        } catch (DateTimeParseException e) {
            errors.add(name, "must be a date (2018-03-14) or a date-time with offset (2018-03-14T18:30:00+01:00)");
            return Optional.empty();
        }
    }

    /** The date if it falls in the supported years; otherwise an error for {@code name}. */
    private static <T extends TemporalAccessor> Optional<T> supported(FieldErrors errors,
            String name, T date) {
        if (DateBounds.supported(date)) {
            return Optional.of(date);
        }
        errors.add(name, DateBounds.MESSAGE);
        return Optional.empty();
    }

    private static <E extends Enum<E> & Coded> List<E> codes(FieldErrors errors, String name, List<String> values,
            Class<E> type) {
        return values.stream().map(code -> Coded.fromCode(type, code).or(() -> {
            errors.add(name, "unknown code '" + code + "'");
            return Optional.empty();
        })).flatMap(Optional::stream).toList();
    }

    private static int limit(FieldErrors errors, String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        return parsed(value, Integer::valueOf)
                .filter(n -> n >= 1 && n <= MAX_LIMIT)
                .orElseGet(() -> {
                    errors.add("limit", "must be a whole number from 1 to " + MAX_LIMIT);
                    return DEFAULT_LIMIT;
                });
    }

    private static Optional<Position> position(FieldErrors errors, String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return Optional.empty();
        }
        Optional<Position> position = parsed(cursor, Position::decode);
        if (position.isEmpty()) {
            errors.add("cursor", "is not a cursor this list returned");
        }
        return position;
    }

    private static <T> Optional<T> parsed(String value, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(value));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
