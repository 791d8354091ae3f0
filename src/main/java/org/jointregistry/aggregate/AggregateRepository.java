package org.jointregistry.aggregate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jointregistry.replica.FigureReads;

/**
 * Reads counts through the database door (aggregate_event_counts, aggregate_event_summary:
 * SECURITY DEFINER functions, the only cross-organisation read the service role
 * has). Counting happens in PostgreSQL; only counts come back. Package-private:
 * other features ask {@link AggregateService}, which applies k and the order.
 */
@ApplicationScoped
class AggregateRepository {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final String COUNTS = "SELECT is_total, key, incident_count, volunteer_count, event_count, "
            + "incident_key, volunteer_key FROM aggregate_event_counts(?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SUMMARY = "SELECT incident_count, volunteer_count, organization_count, "
            + "first_occurred_at, last_occurred_at, complaint_count, event_count, shared_event_count, volunteer_key "
            + "FROM aggregate_event_summary(?, ?, ?, ?, ?, ?, ?)";

    /** The primary, or the read replica for a request that reads figures there (replica.FigureReads). */
    @Inject
    FigureReads reads;

    /** Counted rows by {@code dimensions} and the total, true counts with their cell keys. */
    public Breakdown counts(List<Dimension> dimensions, AggregateFilter filter) {
        try {
            return reads.read(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(COUNTS)) {
                    statement.setArray(1, connection.createArrayOf("text",
                            dimensions.stream().map(Dimension::apiName).toArray()));
                    bindFilter(connection, statement, 2, filter);
                    List<Counted> rows = new ArrayList<>();
                    Counted total = Counted.empty(List.of());
                    try (ResultSet result = statement.executeQuery()) {
                        while (result.next()) {
                            List<String> key = result.getBoolean(1) ? List.of()
                                    : Arrays.asList((String[]) result.getArray(2).getArray());
                            Counted counted = new Counted(key, result.getLong(3), result.getLong(5),
                                    result.getLong(4), result.getObject(6, Long.class), result.getLong(7));
                            if (result.getBoolean(1)) {
                                total = counted;
                            } else {
                                rows.add(counted);
                            }
                        }
                    }
                    return new Breakdown(rows, total);
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("aggregate_counts failed", e);
        }
    }

    /** The summary of the counted set, times in Europe/Paris, its volunteers perturbed (k). */
    public Summary summary(AggregateFilter filter, int minCellSize) {
        try {
            return reads.read(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(SUMMARY)) {
                    bindFilter(connection, statement, 1, filter);
                    try (ResultSet result = statement.executeQuery()) {
                        result.next();
                        return new Summary(result.getLong(1), result.getLong(7), result.getLong(8),
                                Protection.volunteers(result.getLong(2), result.getLong(9), minCellSize),
                                result.getLong(3), paris(result.getObject(4, OffsetDateTime.class)),
                                paris(result.getObject(5, OffsetDateTime.class)), result.getLong(6), minCellSize,
                                Perturbation.MAX);
                    }
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("aggregate_summary failed", e);
        }
    }

    /**
     * Makes the current transaction read one snapshot of the data (REPEATABLE
     * READ), so that a document composed of several counts is consistent. Must
     * come before any other statement of the transaction.
     */
    public void readConsistently() {
        try {
            reads.readConsistently();
        } catch (SQLException e) {
            throw new IllegalStateException("could not set the isolation level", e);
        }
    }

    /** Rows (true counts, in database order) and the total of a breakdown. */
    public record Breakdown(List<Counted> rows, Counted total) {
    }

    private static void bindFilter(Connection connection, PreparedStatement statement, int first,
            AggregateFilter filter) throws SQLException {
        statement.setDate(first, date(filter.from()));
        statement.setDate(first + 1, date(filter.to()));
        List<List<String>> lists = Arrays.asList(filter.organizations(), filter.categories(), filter.forces(),
                filter.communes(), filter.statuses());
        for (int i = 0; i < lists.size(); i++) {
            statement.setArray(first + 2 + i, array(connection, lists.get(i)));
        }
    }

    private static Array array(Connection connection, List<String> values) throws SQLException {
        return values == null ? null : connection.createArrayOf("text", values.toArray());
    }

    private static Date date(LocalDate day) {
        return day == null ? null : Date.valueOf(day);
    }

    private static OffsetDateTime paris(OffsetDateTime at) {
        return at == null ? null : at.atZoneSameInstant(PARIS).toOffsetDateTime();
    }
}
