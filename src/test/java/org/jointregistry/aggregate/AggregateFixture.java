package org.jointregistry.aggregate;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jointregistry.stack.RegistryStack;
import org.jointregistry.stack.WholeNetwork;

/**
 * Hand-countable incidents of three organisations, written by SQL as the
 * PostgreSQL superuser (the tenant API is not needed to count). Every
 * narrative, pseudonym, site, external id and complaint reference holds
 * {@link #CANARY}, which no aggregate may ever return.
 * <pre>
 * volunteers   u1 female GB, u2 male FR, u3 female GB          (utopia-56)
 *              h1 female GB, h2 non_binary DE, h3 male -        (help-refugees)
 *              r1 female IE                                     (refugee-info-bus)
 * incident  org  occurred (UTC)        Paris month  commune        categories                   forces            status     complaint            volunteers
 * I1        U    2018-01-10 10:00      2018-01      Calais         identity_check, body_search  crs               submitted  filed igpn           u1 u2
 * I2        U    2018-01-31 23:30      2018-02 (!)  Calais         identity_check               crs, pol.nat.     verified   none                 u1
 * I3        U    2018-02-15 12:00      2018-02      Grande-Synthe  insult, threat               crs               submitted  none                 u2 u3
 * I4        U    2018-02-20 09:00      2018-02      Calais         physical_violence            crs               draft      none                 u3
 * I5        U    2018-02-21 09:00      2018-02      Calais         physical_violence            crs               submitted, DELETED              u1
 * I6        H    2018-01-05 08:00      2018-01      Dunkerque      fine                         police_municipale submitted  dismissed prosecutor h1 h2 h3
 * I7        H    2018-02-10 16:00      2018-02      Calais         identity_check, fine         (none)            submitted  none                 h1
 * I8        H    2018-03-31 23:30      2018-04 (!)  Calais         surveillance_filming         crs               verified   none                 h2 h3
 * I9        H    2018-03-05 10:00      2018-03      Calais         insult                       crs               retracted  none                 h1
 * I10       R    2018-02-12 11:00      2018-02      Loon-Plage     association_intimidation     gendarmerie       submitted  none                 (nobody)
 * I11       R    2018-03-01 10:00      2018-03      (none)         identity_check               crs               submitted  planned              r1
 * </pre>
 * Counted by default: I1 I2 I3 I6 I7 I8 I10 I11 (8 incidents, 7 volunteers).
 */
public final class AggregateFixture {

    public static final String CANARY = "CANARY-5e1f";
    public static final String UTOPIA = "utopia-56";
    public static final String HELP = "help-refugees";
    public static final String BUS = "refugee-info-bus";

    private AggregateFixture() {
    }

    /** Replaces every incident and volunteer with the fixture. */
    public static void load() {
        clear();
        volunteer(UTOPIA, "u1", "female", "GB");
        volunteer(UTOPIA, "u2", "male", "FR");
        volunteer(UTOPIA, "u3", "female", "GB");
        volunteer(HELP, "h1", "female", "GB");
        volunteer(HELP, "h2", "non_binary", "DE");
        volunteer(HELP, "h3", "male", null);
        volunteer(BUS, "r1", "female", "IE");
        incident(UTOPIA, "I1", "2018-01-10T10:00:00Z", "Calais", List.of("identity_check", "body_search"),
                List.of("crs"), "submitted", "filed", "igpn", "u1", "u2");
        incident(UTOPIA, "I2", "2018-01-31T23:30:00Z", "Calais", List.of("identity_check"),
                List.of("crs", "police_nationale"), "verified", "none", null, "u1");
        incident(UTOPIA, "I3", "2018-02-15T12:00:00Z", "Grande-Synthe", List.of("insult", "threat"),
                List.of("crs"), "submitted", "none", null, "u2", "u3");
        incident(UTOPIA, "I4", "2018-02-20T09:00:00Z", "Calais", List.of("physical_violence"),
                List.of("crs"), "draft", "none", null, "u3");
        incident(UTOPIA, "I5", "2018-02-21T09:00:00Z", "Calais", List.of("physical_violence"),
                List.of("crs"), "submitted", "none", null, "u1");
        execute("UPDATE incident SET deleted_at = now(), deleted_by = 'fixture' WHERE id = ?", id("I5"));
        incident(HELP, "I6", "2018-01-05T08:00:00Z", "Dunkerque", List.of("fine"), List.of("police_municipale"),
                "submitted", "dismissed", "prosecutor", "h1", "h2", "h3");
        incident(HELP, "I7", "2018-02-10T16:00:00Z", "Calais", List.of("identity_check", "fine"), List.of(),
                "submitted", "none", null, "h1");
        incident(HELP, "I8", "2018-03-31T23:30:00Z", "Calais", List.of("surveillance_filming"), List.of("crs"),
                "verified", "none", null, "h2", "h3");
        incident(HELP, "I9", "2018-03-05T10:00:00Z", "Calais", List.of("insult"), List.of("crs"),
                "retracted", "none", null, "h1");
        incident(BUS, "I10", "2018-02-12T11:00:00Z", "Loon-Plage", List.of("association_intimidation"),
                List.of("gendarmerie"), "submitted", "none", null);
        incident(BUS, "I11", "2018-03-01T10:00:00Z", null, List.of("identity_check"), List.of("crs"),
                "submitted", "planned", null, "r1");
    }

    /**
     * Removes every incident and volunteer of the whole-network database. Refused in the
     * shared one, where the suite's other classes write under unique names: a class that
     * counts the whole network runs under {@link WholeNetwork}.
     */
    public static void clear() {
        String database = RegistryStack.database();
        if (!database.endsWith("_network")) {
            throw new IllegalStateException("The fixture replaces the whole network's data; database " + database
                    + " is shared with the rest of the suite: run this class under @TestProfile(WholeNetwork.class)");
        }
        execute("TRUNCATE incident_volunteer, incident_revision, event_link_code, incident, "
                + "shared_event, volunteer, idempotency_key");
    }

    /** The incident's id: stable, derived from its fixture name. */
    public static UUID id(String name) {
        return UUID.nameUUIDFromBytes(("fixture:" + name).getBytes(StandardCharsets.UTF_8));
    }

    public static void execute(String sql, Object... parameters) {
        try (Connection connection = admin(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object p = parameters[i];
                if (p instanceof List<?> list) {
                    statement.setArray(i + 1, connection.createArrayOf("text", list.toArray()));
                } else {
                    statement.setObject(i + 1, p);
                }
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void volunteer(String organization, String name, String gender, String nationality) {
        // The canaries go into the sealed columns as their plain bytes: what the aggregate door must
        // never return, whatever those columns hold.
        String pseudonym = CANARY + "-pseudonym-" + name;
        execute("INSERT INTO volunteer (organization, id, pseudonym_sealed, pseudonym_index, gender, nationality, "
                + "created_by) VALUES (?, ?, convert_to(?, 'UTF8'), sha256(convert_to(?, 'UTF8')), ?, ?, 'fixture')",
                organization, id(name), pseudonym, pseudonym, gender, nationality);
    }

    private static void incident(String organization, String name, String occurredAt, String commune,
            List<String> categories, List<String> forces, String status, String complaintStatus,
            String complaintBody, String... volunteers) {
        execute("INSERT INTO incident (organization, id, external_id, occurred_at, occurred_offset_secs, commune, "
                + "site_sealed, coordinates_sealed, categories, forces, officer_count, description_sealed, "
                + "complaint_status, complaint_body, complaint_reference_sealed, status, created_by, updated_by) "
                + "VALUES (?, ?, ?, ?, 3600, ?, convert_to(?, 'UTF8'), convert_to('50.95,1.85', 'UTF8'), ?, ?, 3, "
                + "convert_to(?, 'UTF8'), ?, ?, convert_to(?, 'UTF8'), ?, 'fixture', 'fixture')",
                organization, id(name), CANARY + "-external-" + name, OffsetDateTime.parse(occurredAt), commune,
                CANARY + "-site-" + name, categories, forces, CANARY + "-narrative-" + name, complaintStatus,
                complaintBody, complaintBody == null ? null : CANARY + "-reference-" + name, status);
        for (String volunteer : volunteers) {
            execute("INSERT INTO incident_volunteer (organization, incident_id, volunteer_id) VALUES (?, ?, ?)",
                    organization, id(name), id(volunteer));
        }
    }

    /** A connection as the PostgreSQL superuser (row-level security does not apply). */
    public static Connection admin() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("registry.test.pg-admin-url", String.class),
                config.getValue("registry.test.pg-admin-user", String.class),
                config.getOptionalValue("registry.test.pg-admin-password", String.class).orElse(""));
    }

    /**
     * The rollups' figures (reports, volunteers and both cell keys, rows and total) for each of
     * {@code dimensions} under the default filter, which the rollups answer, equal the full scan's.
     */
    static void assertRollupsEqualScan(Statement sql, String when, List<String> dimensions) throws SQLException {
        for (String dimension : dimensions) {
            String rollup = "SELECT is_total, CASE WHEN NOT is_total THEN key END, incident_count, "
                    + "volunteer_count, incident_key, volunteer_key FROM aggregate_counts('" + dimension
                    + "', null, null, null, null, null, null, '{submitted,verified}')";
            assertSameRows(sql, when + " " + dimension, rollup,
                    rollup.replace("aggregate_counts(", "aggregate_scan_counts("));
        }
    }

    /**
     * Each query of maintained state (rows the write path's triggers keep) answers the same
     * rows before and after {@code aggregate_rollup_rebuild()} recomputes that state from the
     * tables in one pass; the rebuild is rolled back.
     */
    static void assertMaintainedEqualsRebuilt(Connection admin, String when, List<String> maintained)
            throws SQLException {
        admin.setAutoCommit(false);
        try (Statement sql = admin.createStatement()) {
            for (int i = 0; i < maintained.size(); i++) {
                sql.execute("CREATE TEMPORARY TABLE maintained_" + i + " ON COMMIT DROP AS " + maintained.get(i));
            }
            sql.execute("SELECT aggregate_rollup_rebuild()");
            for (int i = 0; i < maintained.size(); i++) {
                assertSameRows(sql, when + ": maintained " + maintained.get(i), "SELECT * FROM maintained_" + i,
                        maintained.get(i));
            }
        } finally {
            admin.rollback();
            admin.setAutoCommit(true);
        }
    }

    /**
     * Two queries answer the same rows (a door or rollup against its full scan): the
     * first has rows and their symmetric difference is empty.
     */
    static void assertSameRows(Statement sql, String what, String actual, String scan) throws SQLException {
        try (ResultSet rows = sql.executeQuery("SELECT (SELECT count(*) FROM (" + actual + ") r), "
                + "(SELECT count(*) FROM ((" + actual + " EXCEPT " + scan + ") UNION ALL (" + scan
                + " EXCEPT " + actual + ")) d)")) {
            rows.next();
            org.junit.jupiter.api.Assertions.assertTrue(rows.getLong(1) > 0, what + ": rows expected");
            org.junit.jupiter.api.Assertions.assertEquals(0, rows.getLong(2), what + ": differs from the full scan");
        }
    }
}
