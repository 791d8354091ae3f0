package org.jointregistry.report;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jointregistry.aggregate.Perturbation;
import org.jointregistry.bench.RegistryProcess;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * A snapshot frozen, then the data reloaded identically into a fresh
 * database, gives the same bytes and hash (issue 15): the packaged registry
 * seeds the founding demo data (five partners, shared events, volunteers with
 * gender and nationality) into database A and freezes the joint report; a
 * second database B is migrated from empty by the registry's own migrations,
 * receives A's rows (cell keys and the organisations' wrapped keysets among
 * them) and rebuilds its rollups, and a registry on B, under the same
 * key-encryption key, freezes the same report again. Turning one volunteer's
 * key then moves a perturbed figure, so the equality is not vacuous. Run like
 * the fault drill (the packaged service as child processes), in every
 * {@code ./mvnw verify}, or alone:
 * {@code ./mvnw verify -Dtest=SnapshotReproductionIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("fault-drill")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotReproductionIT {

    /**
     * Each frozen on both databases: the whole record, which the rollups answer (so B's rebuilt rollups
     * are compared), and the founding report's months, which the door scans from the rows.
     */
    private static final List<Map<String, String>> PERIODS = List.of(Map.of(),
            Map.of("from", "2017-11-01", "to", "2018-06-30"));
    /**
     * Not copied: B's own migration history and seeded rules, the rollups (derived: rebuilt from the
     * copied rows), A's snapshots (B freezes its own, which is the point), and the running service's
     * rate-limit and replication state.
     */
    private static final Set<String> NOT_COPIED = Set.of("flyway_schema_history", "aggregate_category",
            "aggregate_rollup_state", "aggregate_rollup_cell", "aggregate_rollup_member", "aggregate_event_cell",
            "aggregate_incident_attributes",
            "report_snapshot", "rate_limit_bucket", "replication_heartbeat");
    /** Half of the keys' circle (they are 32 bits, summed modulo 2^32). */
    private static final long HALF_TURN = 1L << 31;

    private final Path build = Path.of(System.getProperty("registry.build.dir", "target"));
    private LocalStack.Handle keycloak;
    private LocalStack.Postgres postgres;
    private String reloadedDatabase;
    private RegistryProcess reloaded;
    /** The snapshots A froze, as served (envelope and document), in the order of {@link #PERIODS}. */
    private final List<String> frozen = new ArrayList<>();

    @BeforeAll
    void bringUp() throws Exception {
        keycloak = LocalStack.keycloak(Path.of(System.getProperty("registry.keycloak.dist")),
                Path.of("docker/registry-realm.json"), build.resolve("keycloak.log"));
        String prefix = System.getenv().getOrDefault("REGISTRY_TEST_DB", "registry_test") + "_hash_";
        String originalDatabase = prefix + "a";
        reloadedDatabase = prefix + "b";
        postgres = LocalStack.postgres(build, "snapshot-reproduction");
        LocalStack.prepareDatabase(postgres, originalDatabase, true);
        LocalStack.prepareDatabase(postgres, reloadedDatabase, true);
        // The demo seeder writes through the services, as partners would: revisions, link codes redeemed
        // into shared events, sealing under each organisation's keyset, keys drawn by the database.
        Map<String, String> seeding = new HashMap<>(environment(originalDatabase));
        seeding.put("REGISTRY_DEMO_SEED", "true");
        try (RegistryProcess original = start(seeding, "original")) {
            for (Map<String, String> period : PERIODS) {
                frozen.add(freeze(original, period));
            }
        }
        // A restore starts from the schema: B is migrated from empty, then loaded with the service stopped.
        start(environment(reloadedDatabase), "migrate-only").close();
        copyRows(originalDatabase, reloadedDatabase);
        reloaded = start(environment(reloadedDatabase), "reloaded");
    }

    @AfterAll
    void tearDown() {
        if (reloaded != null) {
            reloaded.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void theSameRowsInAFreshDatabaseFreezeTheSameBytesAndHash() {
        JsonPath whole = JsonPath.from(SnapshotJson.documentOf(frozen.get(0)));
        assertTrue(whole.getInt("summary.incidents") > 600, "the founding data was seeded");
        assertTrue(whole.getInt("summary.sharedEvents") > 0, "with shared events");
        assertTrue(whole.getList("byNationality.rows").size() > 1, "and perturbed person rows");
        for (int i = 0; i < PERIODS.size(); i++) {
            String original = frozen.get(i);
            String again = freeze(reloaded, PERIODS.get(i));
            String document = SnapshotJson.documentOf(original);
            assertEquals(document, SnapshotJson.documentOf(again), "the document's bytes, " + PERIODS.get(i));
            assertEquals(JsonPath.from(original).getString("sha256"), JsonPath.from(again).getString("sha256"),
                    "the hash, " + PERIODS.get(i));
            String read = given().baseUri(reloaded.url()).auth().oauth2(Tokens.analyst()).accept("application/json")
                    .get("/api/v1/reports/" + JsonPath.from(again).getString("id")).then().statusCode(200)
                    .extract().asString();
            assertEquals(document, SnapshotJson.documentOf(read), "read back as frozen, " + PERIODS.get(i));
        }
    }

    /**
     * A reload that draws new keys gives other perturbed figures. Drawn at random, every figure could
     * by chance keep its value; a half turn of one counted volunteer's key cannot: it moves the
     * summary's cell key by half the circle, and the perturbation table's cumulative weights (1, 2, 4,
     * 2, 1 of 10, read off the key as a fraction) put any two keys half a circle apart on different
     * perturbations. Turned back afterwards (a second half turn).
     */
    @Test
    void oneVolunteersKeyTurnedHalfwayMovesThePublishedVolunteersAndTheHash() throws SQLException {
        JsonPath before = JsonPath.from(SnapshotJson.documentOf(frozen.get(0)));
        long volunteers = before.getLong("summary.volunteers");
        // Two above the floor, every perturbation is possible and the weights are the full table's.
        assertTrue(volunteers >= before.getInt("rules.minCellSize") + 2 + Perturbation.MAX,
                "volunteers " + volunteers + " are far enough above k for the argument");
        try (Connection admin = postgres.admin(reloadedDatabase)) {
            VolunteerKey turned = counted(admin);
            turnHalfway(admin, turned);
            try {
                String redrawn = freeze(reloaded, PERIODS.get(0));
                JsonPath after = JsonPath.from(SnapshotJson.documentOf(redrawn));
                assertNotEquals(volunteers, after.getLong("summary.volunteers"), "the perturbed figure moved");
                assertNotEquals(JsonPath.from(frozen.get(0)).getString("sha256"),
                        JsonPath.from(redrawn).getString("sha256"), "and the hash with it");
                for (String exact : List.of("summary.incidents", "summary.events", "summary.sharedEvents")) {
                    assertEquals(before.getLong(exact), after.getLong(exact), exact + " is exact: keys do not move it");
                }
            } finally {
                turnHalfway(admin, turned);
            }
        }
    }

    private record VolunteerKey(String organization, UUID id) {
    }

    /**
     * A volunteer of a counted incident (so in the summary's cell) whose key, turned or not, no other
     * volunteer of its organisation holds: the door sums each organisation's distinct keys.
     */
    private static VolunteerKey counted(Connection admin) throws SQLException {
        try (PreparedStatement select = admin.prepareStatement("SELECT v.organization, v.id FROM volunteer v "
                + "WHERE EXISTS (SELECT FROM incident_volunteer iv JOIN incident i "
                + "ON i.organization = iv.organization AND i.id = iv.incident_id "
                + "WHERE iv.organization = v.organization AND iv.volunteer_id = v.id "
                + "AND aggregate_rollup_counted(i.status, i.deleted_at)) "
                + "AND NOT EXISTS (SELECT FROM volunteer o WHERE o.organization = v.organization AND o.id <> v.id "
                + "AND o.cell_key IN (v.cell_key, (v.cell_key + ?) % ?)) ORDER BY v.organization, v.id LIMIT 1")) {
            select.setLong(1, HALF_TURN);
            select.setLong(2, 2 * HALF_TURN);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "a counted volunteer");
                return new VolunteerKey(row.getString(1), row.getObject(2, UUID.class));
            }
        }
    }

    private static void turnHalfway(Connection admin, VolunteerKey volunteer) throws SQLException {
        try (PreparedStatement update = admin.prepareStatement(
                "UPDATE volunteer SET cell_key = (cell_key + ?) % ? WHERE organization = ? AND id = ?")) {
            update.setLong(1, HALF_TURN);
            update.setLong(2, 2 * HALF_TURN);
            update.setString(3, volunteer.organization());
            update.setObject(4, volunteer.id());
            assertEquals(1, update.executeUpdate());
        }
    }

    /**
     * Copies every table's rows from {@code from} into the migrated {@code to} but {@link #NOT_COPIED},
     * as a superuser (row-level security does not apply) with binary COPY, so each value arrives as
     * stored; then the sequences' positions, then the rollups rebuilt from the rows. In one transaction,
     * with row triggers and foreign-key checks off while loading (the rollups' upkeep would count the rows
     * twice, and the tables arrive in any order). JDBC rather than pg_dump: the embedded PostgreSQL a
     * machine without a server gets ships no pg_dump, and another version's would refuse it.
     */
    private void copyRows(String from, String to) throws SQLException, IOException {
        try (Connection source = postgres.admin(from); Connection target = postgres.admin(to);
                Statement sql = target.createStatement()) {
            target.setAutoCommit(false);
            CopyManager out = source.unwrap(PGConnection.class).getCopyAPI();
            CopyManager in = target.unwrap(PGConnection.class).getCopyAPI();
            sql.execute("SET session_replication_role = replica");
            Map<String, String> tables = copiedTables(source);
            // The migrations seed the organisations; the copy brings A's (the keysets refer to them).
            sql.execute("TRUNCATE " + String.join(", ", tables.keySet()));
            for (Map.Entry<String, String> table : tables.entrySet()) {
                // Columns named: B's order is the migrations' as A's is, and a difference fails here.
                String columns = table.getKey() + " (" + table.getValue() + ")";
                ByteArrayOutputStream rows = new ByteArrayOutputStream();
                out.copyOut("COPY " + columns + " TO STDOUT (FORMAT binary)", rows);
                in.copyIn("COPY " + columns + " FROM STDIN (FORMAT binary)",
                        new ByteArrayInputStream(rows.toByteArray()));
            }
            try (Statement read = source.createStatement(); ResultSet sequences = read.executeQuery(
                    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
                            + "AND last_value IS NOT NULL")) {
                while (sequences.next()) {
                    sql.execute("SELECT setval('" + sequences.getString(1) + "', " + sequences.getLong(2) + ")");
                }
            }
            sql.execute("SET session_replication_role = DEFAULT");
            sql.execute("SELECT aggregate_rollup_rebuild()");
            target.commit();
        }
    }

    /** The tables to copy, each with its columns in order. */
    private static Map<String, String> copiedTables(Connection source) throws SQLException {
        Map<String, String> tables = new HashMap<>();
        try (Statement sql = source.createStatement(); ResultSet rows = sql.executeQuery(
                "SELECT table_name, string_agg(column_name, ', ' ORDER BY ordinal_position) "
                        + "FROM information_schema.columns c JOIN pg_tables t "
                        + "ON t.schemaname = c.table_schema AND t.tablename = c.table_name "
                        + "WHERE c.table_schema = 'public' GROUP BY table_name")) {
            while (rows.next()) {
                if (!NOT_COPIED.contains(rows.getString(1))) {
                    tables.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return tables;
    }

    private Map<String, String> environment(String database) {
        return Map.of("REGISTRY_DB_URL", postgres.jdbcUrl(database), "REGISTRY_OIDC_URL", LocalStack.REALM_URL);
    }

    /** The packaged registry on a free port; every process of the build shares the key-encryption key. */
    private RegistryProcess start(Map<String, String> environment, String name)
            throws IOException, InterruptedException {
        return RegistryProcess.start(build, LocalStack.freePort(), environment,
                build.resolve("snapshot-reproduction/" + name + ".log"), "-Xmx384m");
    }

    /** Freezes the joint report of {@code period} as an analyst; the snapshot as served. */
    private static String freeze(RegistryProcess instance, Map<String, String> period) {
        Response created = given().baseUri(instance.url()).auth().oauth2(Tokens.analyst())
                .contentType("application/json").body(period).post("/api/v1/reports");
        assertEquals(201, created.statusCode(), created.asString());
        return created.asString();
    }
}
