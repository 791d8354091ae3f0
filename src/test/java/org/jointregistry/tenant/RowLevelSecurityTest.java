package org.jointregistry.tenant;

import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.createVolunteer;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jointregistry.support.Db;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Wall two alone: plain SQL as the service's database role, with no
 * application code in the way, sees and writes only the organisation named by
 * the transaction's app.organization setting, and nothing without it.
 */
@QuarkusTest
class RowLevelSecurityTest {

    private static final String A = "refugee-info-bus";
    private static final String B = "refugee-womens-centre";
    private static final List<String> TENANT_TABLES = List.of("volunteer", "incident", "incident_volunteer",
            "incident_revision", "idempotency_key", "shared_event", "event_link_code");
    /** SQLSTATE insufficient_privilege: what PostgreSQL raises for a row-level security violation too. */
    private static final String REFUSED = "42501";

    private UUID volunteerOfA;
    private UUID incidentOfA;
    private UUID incidentOfB;

    @BeforeEach
    void recordsOfAAndB() {
        volunteerOfA = UUID.fromString(createVolunteer(Tokens.coordinator(A), unique("V")));
        Map<String, Object> body = incident("Calais");
        body.put("volunteerIds", List.of(volunteerOfA.toString()));
        incidentOfA = UUID.fromString(createIncident(Tokens.reporter(A), body));
        incidentOfB = UUID.fromString(createIncident(Tokens.reporter(B), incident("Calais")));
        try (Connection db = Db.admin()) {
            // A row in the one tenant table the API of this issue does not write.
            update(db, "INSERT INTO idempotency_key (organization, key, request_hash) VALUES (?, ?, 'h')", A,
                    unique("key"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTransactionActingForBSeesNoneOfAsRows() throws SQLException {
        try (Connection app = Db.app()) {
            actFor(app, B);
            assertEquals(0, count(app, "SELECT count(*) FROM incident WHERE id = ?", incidentOfA));
            assertEquals(0, count(app, "SELECT count(*) FROM volunteer WHERE id = ?", volunteerOfA));
            assertEquals(0, count(app, "SELECT count(*) FROM incident_volunteer WHERE incident_id = ?", incidentOfA));
            assertEquals(0, count(app, "SELECT count(*) FROM incident_revision WHERE incident_id = ?", incidentOfA));
            for (String table : TENANT_TABLES) {
                assertEquals(0, count(app, "SELECT count(*) FROM " + table + " WHERE organization <> ?", B), table);
            }
            assertEquals(1, count(app, "SELECT count(*) FROM incident WHERE id = ?", incidentOfB));
            app.rollback();

            actFor(app, A);
            assertEquals(1, count(app, "SELECT count(*) FROM incident WHERE id = ?", incidentOfA));
            assertTrue(count(app, "SELECT count(*) FROM idempotency_key") > 0);
            app.rollback();
        }
    }

    /**
     * The change feed's numbering runs as the owner (R__change_feed.sql), yet
     * numbers only the acting organisation's revisions, and none without one.
     */
    @Test
    void theFeedsNumberingReachesOnlyTheActingOrganisation() throws SQLException {
        try (Connection app = Db.app()) {
            actFor(app, B);
            count(app, "SELECT incident_change_number()");
            assertEquals(1, count(app, "SELECT count(*) FROM incident_revision WHERE incident_id = ? "
                    + "AND change_seq IS NOT NULL", incidentOfB));
            app.commit();
            app.setAutoCommit(true);
            assertThrows(SQLException.class, () -> count(app, "SELECT incident_change_number()"));
        }
        try (Connection admin = Db.admin()) {
            assertEquals(1, count(admin, "SELECT count(*) FROM incident_revision WHERE incident_id = ? "
                    + "AND change_seq IS NULL", incidentOfA), "A's revision waits for A's reader");
        }
    }

    @Test
    void writesNamingAnotherOrganisationAreRefused() throws SQLException {
        try (Connection app = Db.app()) {
            actFor(app, B);
            assertRefused(app, "INSERT INTO volunteer (organization, id, pseudonym_sealed, pseudonym_index, gender, "
                    + "created_by) VALUES (?, gen_random_uuid(), 'intruder', 'intruder', 'male', 'test')", A);
            actFor(app, B);
            assertRefused(app, "INSERT INTO incident (organization, id, occurred_at, occurred_offset_secs, categories, "
                    + "status, created_by, updated_by) VALUES (?, gen_random_uuid(), now(), 0, '{fine}', 'draft', "
                    + "'test', 'test')", A);
            actFor(app, B);
            assertRefused(app, "INSERT INTO incident_revision (organization, incident_id, revision, by, action) "
                    + "VALUES (?, ?, 99, 'test', 'update')", A, incidentOfA);
            actFor(app, B);
            assertRefused(app, "INSERT INTO incident_volunteer (organization, incident_id, volunteer_id) "
                    + "VALUES (?, ?, ?)", A, incidentOfA, volunteerOfA);
            actFor(app, B);
            assertRefused(app, "INSERT INTO idempotency_key (organization, key, request_hash) VALUES (?, 'k', 'h')", A);
            // Moving B's own row into A is refused by the policy's WITH CHECK...
            actFor(app, B);
            assertRefused(app, "UPDATE incident SET organization = ? WHERE id = ?", A, incidentOfB);
            // ...and A's rows are beyond reach of UPDATE and DELETE: nothing matches.
            actFor(app, B);
            assertEquals(0, update(app, "UPDATE incident SET officer_count = 499 WHERE id = ?", incidentOfA));
            assertEquals(0, update(app, "UPDATE volunteer SET pseudonym_sealed = 'x' WHERE id = ?", volunteerOfA));
            assertEquals(0, update(app, "DELETE FROM incident_volunteer WHERE incident_id = ?", incidentOfA));
            assertEquals(0, update(app, "DELETE FROM volunteer WHERE id = ?", volunteerOfA));
            app.commit();
        }
        try (Connection admin = Db.admin()) {
            assertEquals(1, count(admin, "SELECT count(*) FROM incident WHERE id = ? AND officer_count IS NULL "
                    + "AND organization = ?", incidentOfA, A));
            assertEquals(1, count(admin, "SELECT count(*) FROM incident_volunteer WHERE incident_id = ?", incidentOfA));
            assertEquals(1, count(admin, "SELECT count(*) FROM volunteer WHERE id = ? AND pseudonym_sealed <> 'x'",
                    volunteerOfA));
            assertEquals(0, count(admin, "SELECT count(*) FROM volunteer WHERE pseudonym_index = 'intruder'"));
        }
    }

    @Test
    void withoutTheSettingNothingIsVisibleNorWritable() throws SQLException {
        try (Connection app = Db.app()) {
            app.setAutoCommit(false);
            for (String table : TENANT_TABLES) {
                assertEquals(0, count(app, "SELECT count(*) FROM " + table), table);
            }
            assertRefused(app, "INSERT INTO volunteer (organization, id, pseudonym_sealed, pseudonym_index, gender, "
                    + "created_by) VALUES (?, gen_random_uuid(), 'nobody', 'nobody', 'male', 'test')", A);

            // The setting is transaction-local: once the transaction ends it is gone.
            actFor(app, A);
            assertTrue(count(app, "SELECT count(*) FROM incident") > 0);
            app.commit();
            for (String table : TENANT_TABLES) {
                assertEquals(0, count(app, "SELECT count(*) FROM " + table), table);
            }
            app.rollback();
        }
    }

    @Test
    void theServiceRoleOwnsNothingAndCannotLiftTheWall() throws SQLException {
        try (Connection app = Db.app()) {
            app.setAutoCommit(true);
            for (String table : TENANT_TABLES) {
                for (String ddl : List.of("ALTER TABLE %s DISABLE ROW LEVEL SECURITY",
                        "ALTER TABLE %s NO FORCE ROW LEVEL SECURITY", "DROP POLICY tenant_isolation ON %s",
                        "DROP TABLE %s", "TRUNCATE %s")) {
                    assertRefused(app, ddl.formatted(table));
                }
            }
            assertRefused(app, "CREATE TABLE side_door (organization text)");
            assertRefused(app, "UPDATE incident_revision SET by = 'forger'");
            assertRefused(app, "DELETE FROM incident_revision");
            assertRefused(app, "DELETE FROM incident");
        }
        try (Connection admin = Db.admin()) {
            for (String table : TENANT_TABLES) {
                assertEquals(1, count(admin, "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                        + "WHERE c.relname = ? AND c.relrowsecurity AND c.relforcerowsecurity "
                        + "AND r.rolname = 'registry_owner'", table), table);
            }
            assertEquals(0, count(admin, "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                    + "WHERE r.rolname = 'registry_app'"));
            assertFalse(count(admin, "SELECT count(*) FROM pg_roles WHERE rolname = 'registry_app' "
                    + "AND (rolbypassrls OR rolsuper)") > 0);
        }
    }

    /** Starts a transaction acting for {@code organization}, as the service does. */
    private static void actFor(Connection db, String organization) throws SQLException {
        db.setAutoCommit(false);
        try (PreparedStatement set = db.prepareStatement("SELECT set_config('app.organization', ?, true)")) {
            set.setString(1, organization);
            set.execute();
        }
    }

    private static void assertRefused(Connection db, String sql, Object... parameters) throws SQLException {
        SQLException refused = assertThrows(SQLException.class, () -> update(db, sql, parameters), sql);
        assertEquals(REFUSED, refused.getSQLState(), sql + ": " + refused.getMessage());
        if (!db.getAutoCommit()) {
            db.rollback();
        }
    }

    private static long count(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement query = prepare(db, sql, parameters); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static int update(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(db, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection db, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = db.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
