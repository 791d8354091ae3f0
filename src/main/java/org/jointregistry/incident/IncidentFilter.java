package org.jointregistry.incident;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jointregistry.common.DateBounds;
import org.jointregistry.common.Parameters;
import org.jointregistry.common.TimeSpan;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;

/**
 * What a list request asks for: filters (each repeatable filter matches any
 * of its values), page size and keyset position, read from the query by the
 * API's one parameter parser.
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

    /** Keyset position: the last incident of the previous page in the list's order. */
    public record Position(Instant occurredAt, UUID id) {

        String encode() {
            String raw = ChronoUnit.MICROS.between(Instant.EPOCH, occurredAt) + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The position of a cursor this list handed out; empty for anything
         * else, a forged one beyond the years the database stores included.
         */
        static Optional<Position> read(String cursor) {
            try {
                return Optional.of(decode(cursor))
                        .filter(p -> DateBounds.supported(p.occurredAt().atOffset(ZoneOffset.UTC)));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
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
        Parameters parameters = Parameters.query();
        TimeSpan span = parameters.span(from, to);
        IncidentFilter filter = new IncidentFilter(
                Optional.ofNullable(span.from()),
                Optional.ofNullable(span.to()),
                parameters.codes("category", categories, Category.class),
                parameters.codes("status", statuses, IncidentStatus.class),
                parameters.texts("commune", communes).stream().map(c -> c.toLowerCase(Locale.ROOT)).distinct()
                        .toList(),
                parameters.codes("force", forces, PoliceForce.class),
                parameters.integer("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT),
                parameters.opaque("cursor", cursor, Position::read, "is not a cursor this list returned"));
        parameters.throwIfInvalid();
        return filter;
    }
}
