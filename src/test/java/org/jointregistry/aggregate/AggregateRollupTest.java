package org.jointregistry.aggregate;

import static org.jointregistry.aggregate.AggregateFixture.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jointregistry.demo.DemoData;
import org.jointregistry.demo.DemoSeeder;
import org.jointregistry.stack.WholeNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The rollups that answer the hot breakdowns stay equal to a scan of the
 * tables through every kind of write: the demo data written by the service
 * role, then edits, tombstones, moved dates, changed links and a hard delete.
 * With the counts, the cell keys the perturbation reads (V100): the rollups'
 * volunteer keys (summed at read time over the maintained memberships) equal
 * the scan's and a sum written here from the tables.
 */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class AggregateRollupTest {

    private static final List<String> DIMENSIONS = List.of("{category,month}", "{month}", "{categoryGroup,category}",
            "{organization}", "{categoryGroup,organization,month}", "{category}", "{force}", "{month,force}",
            "{commune,organization}", "{complaintStatus}", "{month,complaintStatus}", "{gender}", "{nationality}",
            "{organization,gender}", "{month,nationality}", "{category,gender}", "{gender,category,month}",
            "{complaintBody}", "{complaintBody,complaintStatus}", "{complaintStatus,complaintBody}");

    @Inject
    DemoSeeder seeder;

    @Inject
    Flyway flyway;

    @AfterAll
    static void clear() {
        AggregateFixture.clear();
    }

    @Test
    void rollupsEqualTheScanAfterEveryKindOfWrite() throws SQLException {
        AggregateFixture.clear();
        seeder.seed(new DemoData(11, 300));
        assertRollupsEqualScan("after the seed");

        try (Connection admin = AggregateFixture.admin(); Statement sql = admin.createStatement()) {
            sql.execute("UPDATE incident SET status = 'retracted' WHERE external_id LIKE '%1'");
            sql.execute("UPDATE incident SET status = 'submitted' WHERE status = 'draft'");
            sql.execute("UPDATE incident SET deleted_at = now(), deleted_by = 'test' WHERE external_id LIKE '%2'");
            sql.execute("UPDATE incident SET categories = '{physical_violence,insult,identity_check}' "
                    + "WHERE external_id LIKE '%3'");
            sql.execute("UPDATE incident SET occurred_at = occurred_at + interval '17 days' "
                    + "WHERE external_id LIKE '%4'");
            sql.execute("UPDATE incident SET officer_count = 7, forces = '{}', commune = NULL, "
                    + "complaint_status = 'upheld' WHERE external_id LIKE '%5'");
            sql.execute("DELETE FROM incident_volunteer WHERE incident_id IN "
                    + "(SELECT id FROM incident WHERE external_id LIKE '%6')");
            sql.execute("INSERT INTO incident_volunteer SELECT i.organization, i.id, v.id FROM incident i "
                    + "JOIN volunteer v ON v.organization = i.organization WHERE i.external_id LIKE '%7' "
                    + "ON CONFLICT DO NOTHING");
            sql.execute("DELETE FROM incident_revision WHERE incident_id IN "
                    + "(SELECT id FROM incident WHERE external_id LIKE '%8')");
            sql.execute("DELETE FROM incident WHERE external_id LIKE '%8'");
            // The volunteers' attributes move their incidents and memberships between gender and nationality rows.
            sql.execute("UPDATE volunteer SET gender = CASE gender WHEN 'female' THEN 'non_binary' ELSE 'female' END "
                    + "WHERE id IN (SELECT id FROM volunteer ORDER BY id LIMIT 4)");
            sql.execute("UPDATE volunteer SET nationality = NULL WHERE id IN (SELECT id FROM volunteer ORDER BY id "
                    + "DESC LIMIT 3)");
            sql.execute("UPDATE volunteer SET nationality = 'SD' WHERE nationality IS NOT NULL AND id IN "
                    + "(SELECT id FROM volunteer ORDER BY id LIMIT 6)");
            sql.execute("UPDATE incident SET cell_key = (cell_key + 1) % 4294967296 WHERE external_id LIKE '%9'");
            // Keys an operator redraws: the cells of the volunteers' memberships trade the old for the new.
            sql.execute("UPDATE volunteer SET cell_key = (cell_key + 2147483648) % 4294967296 WHERE id IN "
                    + "(SELECT id FROM volunteer ORDER BY id DESC LIMIT 5)");
            sql.execute("UPDATE incident SET complaint_body = 'igpn', complaint_status = 'filed' "
                    + "WHERE external_id LIKE '%0'");
        }
        assertRollupsEqualScan("after the edits");

        try (Connection admin = AggregateFixture.admin(); Statement sql = admin.createStatement()) {
            long before = cells(sql);
            sql.execute("SELECT aggregate_rollup_rebuild()");
            assertEquals(before, cells(sql), "a rebuild from scratch finds the same cells");
        }
    }

    /**
     * afterMigrate.sql rebuilds stale rollups exactly when what they are
     * computed from changed (here: the recorded fingerprint no longer matches,
     * as after a new rollup definition), and leaves them alone otherwise:
     * emptied rollups stay empty through a migrate with nothing changed.
     */
    @Test
    void migrateRebuildsTheRollupsOnlyWhenTheirDefinitionChanged() throws SQLException {
        AggregateFixture.clear();
        seeder.seed(new DemoData(7, 120));
        try (Connection admin = AggregateFixture.admin(); Statement sql = admin.createStatement()) {
            String recorded = state(sql);
            sql.execute("DELETE FROM aggregate_rollup_cell");
            sql.execute("DELETE FROM aggregate_rollup_member");
            flyway.migrate();
            assertEquals(recorded, state(sql), "nothing changed: no rebuild, state row untouched");
            assertEquals(0, count(sql, "aggregate_rollup_cell"), "nothing changed: the emptied rollups stay empty");

            sql.execute("UPDATE aggregate_rollup_state SET fingerprint = 'an earlier rollup definition'");
            flyway.migrate();
            String rebuilt = state(sql);
            assertNotEquals(recorded, rebuilt, "a changed definition: the rollups are rebuilt");
            assertEquals(recorded.substring(0, recorded.indexOf(' ')), rebuilt.substring(0, rebuilt.indexOf(' ')),
                    "the fingerprint recorded again is the current definition's");
        }
        assertRollupsEqualScan("after the rebuild by migrate");
    }

    private static String state(Statement sql) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT fingerprint || ' ' || rebuilt_at, count(*) OVER () "
                + "FROM aggregate_rollup_state")) {
            assertTrue(row.next(), "afterMigrate.sql records what the rollups were built from");
            assertEquals(1, row.getLong(2), "one state row");
            return row.getString(1);
        }
    }

    private static long count(Statement sql, String table) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT count(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void assertRollupsEqualScan(String when) throws SQLException {
        try (Connection admin = AggregateFixture.admin(); Statement sql = admin.createStatement()) {
            AggregateFixture.assertRollupsEqualScan(sql, when, DIMENSIONS);
            for (String organizations : List.of("null", "'{utopia-56,refugee-info-bus}'")) {
                String summary = "SELECT * FROM aggregate_summary(null, null, " + organizations
                        + ", null, null, null, '{submitted,verified}')";
                assertSameRows(sql, when + " summary of " + organizations, summary,
                        summary.replace("aggregate_summary(", "aggregate_scan_summary("));
            }
            // The keys against the tables: per month, and of all counted incidents.
            String volunteers = "SELECT DISTINCT to_char(i.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM') AS m, "
                    + "v.organization, v.id, v.cell_key FROM incident i JOIN incident_volunteer iv "
                    + "ON iv.organization = i.organization AND iv.incident_id = i.id JOIN volunteer v "
                    + "ON v.organization = iv.organization AND v.id = iv.volunteer_id "
                    + "WHERE i.deleted_at IS NULL AND i.status IN ('submitted', 'verified')";
            assertSameRows(sql, when + " volunteer keys by month", "SELECT key, volunteer_key FROM aggregate_counts("
                    + "'{month}', null, null, null, null, null, null, '{submitted,verified}') "
                    + "WHERE NOT is_total AND volunteer_count > 0",
                    "SELECT ARRAY[m], sum(cell_key) % 4294967296 FROM (" + volunteers + ") AS d GROUP BY m");
            assertSameRows(sql, when + " volunteer key of the summary", "SELECT volunteer_key FROM aggregate_summary("
                    + "null, null, null, null, null, null, '{submitted,verified}')",
                    "SELECT sum(cell_key) % 4294967296 FROM (SELECT DISTINCT organization, id, cell_key FROM ("
                    + volunteers + ") AS d) AS o");
        }
    }


    /** A fingerprint of the rollup: its cells summed over stripes. */
    private static long cells(Statement sql) throws SQLException {
        try (ResultSet result = sql.executeQuery("SELECT sum(hashtext(concat_ws('/', organization, period, family, "
                + "value, incidents, volunteers))) FROM (SELECT organization, period, family, value, "
                + "sum(incidents) AS incidents, sum(volunteers) AS volunteers FROM aggregate_rollup_cell "
                + "GROUP BY 1, 2, 3, 4 HAVING sum(incidents) > 0 OR sum(volunteers) > 0) c")) {
            result.next();
            return result.getLong(1);
        }
    }
}
