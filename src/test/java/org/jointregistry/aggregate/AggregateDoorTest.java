package org.jointregistry.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jointregistry.stack.WholeNetwork;
import org.junit.jupiter.api.Test;

/**
 * The service role under forced row-level security: it sees only the
 * organisation of its transaction, yet the aggregate door counts every
 * partner, and the door is all it gets.
 */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class AggregateDoorTest extends FixtureTest {

    @Test
    void serviceRoleSeesOnlyItsTransactionsOrganisation() throws SQLException {
        try (Connection app = appConnection(); Statement sql = app.createStatement()) {
            assertEquals(0, count(sql, "SELECT count(*) FROM incident"), "no organisation set: nothing");
            app.setAutoCommit(false);
            sql.execute("SELECT set_config('app.organization', 'utopia-56', true)");
            assertEquals(5, count(sql, "SELECT count(*) FROM incident"), "I1 to I5, deleted one included");
            assertEquals(3, count(sql, "SELECT count(*) FROM volunteer"));
            app.rollback();
        }
    }

    @Test
    void theDoorCountsEveryPartner() throws SQLException {
        try (Connection app = appConnection(); Statement sql = app.createStatement()) {
            assertEquals(8, count(sql, "SELECT incident_count FROM aggregate_event_summary(null, null, null, null, "
                    + "null, null, '{submitted,verified}')"));
            assertEquals(7, count(sql, "SELECT volunteer_count FROM aggregate_event_counts('{organization}', null, "
                    + "null, null, null, null, null, '{submitted,verified}') WHERE is_total"));
        }
    }

    @Test
    void nothingElseIsOpen() throws SQLException {
        try (Connection app = appConnection(); Statement sql = app.createStatement()) {
            for (String query : new String[] { "SELECT * FROM aggregate_incident_fact",
                    "SELECT * FROM aggregate_volunteer_fact", "SELECT * FROM aggregate_category_fact",
                    "SELECT aggregate_source('{}')",
                    // The reports-only doors and the linked scan are the event doors' parts, not entry points.
                    "SELECT * FROM aggregate_summary(null, null, null, null, null, null, '{submitted}')",
                    "SELECT * FROM aggregate_counts('{month}', null, null, null, null, null, null, '{submitted}')",
                    "SELECT * FROM aggregate_linked_counts('{month}', null, null, null, null, null, null, "
                            + "'{submitted}')" }) {
                SQLException refused = assertThrows(SQLException.class, () -> sql.executeQuery(query).close(),
                        query);
                assertEquals("42501", refused.getSQLState(), query);
            }
            SQLException unknown = assertThrows(SQLException.class, () -> sql.executeQuery(
                    "SELECT * FROM aggregate_event_counts('{\"f.description\"}', null, null, null, null, null, null, "
                            + "'{submitted}')").close());
            assertTrue(unknown.getMessage().contains("unknown aggregate dimension"));
        }
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet result = sql.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Connection appConnection() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }
}
