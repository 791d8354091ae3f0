package org.jointregistry.atrest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jointregistry.common.RegistryClock;
import org.jointregistry.support.Api;
import org.jointregistry.support.Db;
import org.jointregistry.support.LogCapture;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: what a seized database shows of testimony (nothing), what a moved
 * ciphertext gets (refused, logged by record id), and that the key operations
 * keep every record readable, or, for a shred, none of that organisation's.
 */
@QuarkusTest
class DataAtRestTest {

    private static final String ORG = "help-refugees";
    private static final String OTHER = "auberge-des-migrants";
    private static final String SHREDDED = "refugee-womens-centre";

    @Inject
    KeyOperations operations;

    @Inject
    OrganizationKeysets keysets;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aDatabaseDumpHoldsNoCanaryAndTheApiReadsThemBack() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String narrative = "canary-narrative-" + run + " the officer took her phone";
        String site = "canary-site-" + run;
        String reference = "canary-reference-" + run;
        String pseudonym = "canary-pseudonym-" + run;
        double latitude = 50.9 + Integer.parseInt(run.substring(0, 5), 16) / 1e7;
        double longitude = 1.8 + Integer.parseInt(run.substring(3, 8), 16) / 1e7;
        String coordinator = Tokens.coordinator(ORG);
        String volunteer = Api.createVolunteer(coordinator, pseudonym);
        Map<String, Object> body = canaryIncident(narrative, site, reference, latitude, longitude, volunteer);
        String id = Api.as(coordinator).header("Idempotency-Key", "canary-" + run).body(body)
                .post(Api.INCIDENTS).then().statusCode(201).extract().path("id");
        // A second revision of every sealed field, and a replayed idempotent answer.
        Api.as(coordinator).header("Idempotency-Key", "canary-" + run).body(body).post(Api.INCIDENTS)
                .then().statusCode(201);

        String dump = pgDump();
        assertTrue(dump.contains(id), "the dump holds the incident's row");
        for (String canary : List.of(narrative, site, reference, pseudonym, Double.toString(latitude),
                Double.toString(longitude), "canary-narrative-" + run)) {
            assertFalse(dump.contains(canary), "pg_dump shows " + canary);
        }

        // Doubles, not RestAssured's default floats, to compare coordinates to the last digit.
        JsonPath incident = Api.as(coordinator).get(Api.INCIDENTS + "/" + id).then().statusCode(200)
                .extract().jsonPath().using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertEquals(narrative, incident.getString("description"));
        assertEquals(site, incident.getString("location.site"));
        assertEquals(latitude, incident.getDouble("location.latitude"));
        assertEquals(longitude, incident.getDouble("location.longitude"));
        assertEquals(reference, incident.getString("complaint.reference"));
        assertEquals(pseudonym, Api.as(coordinator).get(Api.VOLUNTEERS + "/" + volunteer).then().statusCode(200)
                .extract().path("pseudonym"));
        String history = Api.as(coordinator).get(Api.INCIDENTS + "/" + id + "/history").then().statusCode(200)
                .extract().asString();
        for (String canary : List.of(narrative, site, reference, Double.toString(latitude))) {
            assertFalse(history.contains(canary), "history quotes " + canary);
        }
        String export = given().auth().oauth2(coordinator).accept("text/csv").get(Api.INCIDENTS + "/export")
                .then().statusCode(200).extract().asString();
        assertTrue(export.contains(narrative) && export.contains(pseudonym), "the export carries the plaintext");
        // Uniqueness of pseudonyms holds through the blind index.
        Api.as(coordinator).body(Map.of("pseudonym", pseudonym, "gender", "male")).post(Api.VOLUNTEERS)
                .then().statusCode(409);
    }

    @Test
    void aCiphertextMovedToAnotherRecordOrOrganisationIsRefusedAndLogged() throws SQLException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String narrative = "moved-narrative-" + run;
        String source = Api.createIncident(Tokens.reporter(ORG), withDescription(narrative));
        String sameOrganisation = Api.createIncident(Tokens.reporter(ORG), withDescription("other " + run));
        String otherOrganisation = Api.createIncident(Tokens.reporter(OTHER), withDescription("foreign " + run));
        try (LogCapture logs = LogCapture.start()) {
            for (String target : List.of(sameOrganisation, otherOrganisation)) {
                copyDescription(source, target);
            }
            Response moved = Api.as(Tokens.reporter(ORG)).get(Api.INCIDENTS + "/" + sameOrganisation);
            assertEquals(500, moved.statusCode());
            assertTrue(moved.contentType().startsWith("application/problem+json"));
            assertFalse(moved.asString().contains(narrative));
            Response foreign = Api.as(Tokens.reporter(OTHER)).get(Api.INCIDENTS + "/" + otherOrganisation);
            assertEquals(500, foreign.statusCode());
            assertFalse(foreign.asString().contains(narrative));
            for (String target : List.of(sameOrganisation, otherOrganisation)) {
                assertTrue(logs.records().stream().anyMatch(r -> r.contains("Integrity failure") && r.contains(target)),
                        "an integrity line names " + target);
            }
            logs.assertContainsNone(narrative);
            // The source itself still reads.
            assertEquals(narrative, Api.as(Tokens.reporter(ORG)).get(Api.INCIDENTS + "/" + source).then()
                    .statusCode(200).extract().path("description"));
        } finally {
            // Leave the shared test database readable for the other classes.
            for (String target : List.of(sameOrganisation, otherOrganisation)) {
                sql("UPDATE incident SET description_sealed = NULL WHERE id = ?", UUID.fromString(target));
            }
        }
    }

    @Test
    void afterBothRotationsEveryRecordReads() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String coordinator = Tokens.coordinator(OTHER);
        String volunteer = Api.createVolunteer(coordinator, "rotation-" + run);
        List<String> ids = new ArrayList<>();
        ids.add(Api.createIncident(coordinator, withDescription("before-rotation-" + run)));
        byte[] keysetBefore = storedKeyset(OTHER);
        byte[] sealedBefore = sealedDescription(ids.get(0));

        operations.rotateDataKey(OTHER, false);
        assertNotEquals(new String(keysetBefore, StandardCharsets.ISO_8859_1),
                new String(storedKeyset(OTHER), StandardCharsets.ISO_8859_1), "a new keyset is stored");
        assertArrayEquals(sealedBefore, sealedDescription(ids.get(0)), "no data rewritten without --reseal");
        ids.add(Api.createIncident(coordinator, withDescription("after-data-rotation-" + run)));
        readsBack(coordinator, ids, run, volunteer);

        operations.rotateDataKey(OTHER, true);
        assertFalse(Arrays.equals(sealedBefore, sealedDescription(ids.get(0))), "--reseal rewrites");
        readsBack(coordinator, ids, run, volunteer);

        Path masterKey = Path.of(ConfigProvider.getConfig().getValue("registry.atrest.master-key-file", String.class));
        String kekBefore = Files.readString(masterKey);
        byte[] otherBefore = storedKeyset(ORG);
        byte[] sealedAfterReseal = sealedDescription(ids.get(0));
        operations.rotateKeyEncryptionKey();
        assertNotEquals(kekBefore, Files.readString(masterKey), "the master key file holds a new key");
        assertFalse(Arrays.equals(otherBefore, storedKeyset(ORG)), "every keyset is re-wrapped");
        assertArrayEquals(sealedAfterReseal, sealedDescription(ids.get(0)), "a KEK rotation rewrites no data");
        ids.add(Api.createIncident(coordinator, withDescription("after-kek-rotation-" + run)));
        readsBack(coordinator, ids, run, volunteer);
        Api.as(Tokens.reporter(ORG)).get(Api.INCIDENTS).then().statusCode(200);
    }

    @Test
    void shreddingOneOrganisationLosesItsTestimonyOnlyAndKeepsTheFigures() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String coordinator = Tokens.coordinator(SHREDDED);
        Map<String, Object> body = canaryIncident("shred-narrative-" + run, "shred-site-" + run,
                "shred-reference-" + run, 50.5, 1.5, Api.createVolunteer(coordinator, "shred-" + run));
        body.put("status", "submitted");
        String id = Api.createIncident(coordinator, body);
        String kept = Api.createIncident(Tokens.reporter(ORG), withDescription("kept-" + run));
        String summary = summary();
        Response snapshot = given().auth().oauth2(Tokens.analyst()).contentType("application/json").body("{}")
                .post("/api/v1/reports");
        assertEquals(201, snapshot.statusCode());
        String snapshotId = snapshot.path("id");
        byte[] saved = storedKeyset(SHREDDED);
        byte[] savedIndex = storedKeyset(SHREDDED, "blind_index_keyset");
        try {
            operations.shred(SHREDDED);
            assertNull(storedKeyset(SHREDDED), "the keyset is destroyed");
            JsonPath shredded = Api.as(coordinator).get(Api.INCIDENTS + "/" + id).then().statusCode(200)
                    .extract().jsonPath();
            assertNull(shredded.get("description"));
            assertNull(shredded.get("location.site"));
            assertNull(shredded.get("location.latitude"));
            assertNull(shredded.get("complaint.reference"));
            assertEquals("kept-" + run, Api.as(Tokens.reporter(ORG)).get(Api.INCIDENTS + "/" + kept).then()
                    .statusCode(200).extract().path("description"));
            assertEquals(summary, summary(), "the aggregates never read sealed fields");
            given().auth().oauth2(Tokens.analyst()).get("/api/v1/reports/" + snapshotId).then().statusCode(200)
                    .body("sha256", equalTo(snapshot.path("sha256")));
            Api.as(coordinator).body(withDescription("after shred")).post(Api.INCIDENTS).then().statusCode(409);
        } finally {
            // Only the superuser can undo a shred, and only because this test kept the wrapped keysets:
            // the organisation is shared with the other test classes.
            sql("UPDATE organization_keyset SET aead_keyset = ?, blind_index_keyset = ?, shredded_at = NULL "
                    + "WHERE organization = ?", saved, savedIndex, SHREDDED);
            keysets.forget();
        }
    }

    /**
     * Past the keysets' cache lifetime, requests that hold every connection of the
     * pool and all need an organisation's keys are served at once with the cached
     * ones, which are read again in the background: a read of its own per request
     * would wait for a connection none of them gives back (the acquisition timeout,
     * a 503), as the benchmark's writers found once a minute.
     */
    @Test
    void expiredKeysetsServeTheRequestsWhileTheyAreReadAgain() throws Exception {
        int requests = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.max-size", Integer.class);
        keysets.keys(ORG);
        QuarkusMock.installMockForType(new RegistryClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1))),
                RegistryClock.class);
        CyclicBarrier together = new CyclicBarrier(requests);
        ExecutorService threads = Executors.newFixedThreadPool(requests);
        try {
            List<Future<Boolean>> served = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                served.add(threads.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
                    try (Connection held = dataSource.getConnection();
                            PreparedStatement statement = held.prepareStatement("SELECT 1")) {
                        statement.execute();
                        together.await(30, TimeUnit.SECONDS);
                        return !keysets.keys(ORG).shredded();
                    }
                })));
            }
            for (Future<Boolean> request : served) {
                assertTrue(request.get(60, TimeUnit.SECONDS), "the organisation's keys");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void deletingAnIncidentClearsItsSealedFields() throws SQLException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String coordinator = Tokens.coordinator(ORG);
        String id = Api.createIncident(coordinator, canaryIncident("deleted-" + run, "site-" + run, "ref-" + run,
                50.1, 1.1, null));
        String etag = Api.as(coordinator).get(Api.INCIDENTS + "/" + id).then().statusCode(200).extract()
                .header("ETag");
        Api.as(coordinator).header("If-Match", etag).delete(Api.INCIDENTS + "/" + id).then().statusCode(204);
        Map<String, Object> row = Db.row("SELECT site_sealed, coordinates_sealed, description_sealed, "
                + "complaint_reference_sealed, deleted_at FROM incident WHERE id = ?", UUID.fromString(id)).orElseThrow();
        assertTrue(row.get("deleted_at") != null, "a tombstone stays");
        for (String column : List.of("site_sealed", "coordinates_sealed", "description_sealed",
                "complaint_reference_sealed")) {
            assertNull(row.get(column), column + " of the tombstone");
        }
    }

    private static void readsBack(String token, List<String> ids, String run, String volunteer) {
        List<String> expected = List.of("before-rotation-", "after-data-rotation-", "after-kek-rotation-");
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(expected.get(i) + run, Api.as(token).get(Api.INCIDENTS + "/" + ids.get(i)).then()
                    .statusCode(200).extract().path("description"));
        }
        assertEquals("rotation-" + run, Api.as(token).get(Api.VOLUNTEERS + "/" + volunteer).then().statusCode(200)
                .extract().path("pseudonym"));
    }

    private static String summary() {
        return given().auth().oauth2(Tokens.analyst()).get("/api/v1/aggregates/summary").then().statusCode(200)
                .extract().asString();
    }

    private static Map<String, Object> withDescription(String description) {
        Map<String, Object> body = Api.incident("Calais");
        body.put("description", description);
        return body;
    }

    private static Map<String, Object> canaryIncident(String narrative, String site, String reference,
            double latitude, double longitude, String volunteer) {
        Map<String, Object> body = Api.incident("Calais");
        body.put("description", narrative);
        body.put("location", new HashMap<>(Map.of("commune", "Calais", "site", site, "latitude", latitude,
                "longitude", longitude)));
        body.put("complaint", Map.of("status", "filed", "body", "igpn", "filedOn", "2018-03-20",
                "reference", reference));
        if (volunteer != null) {
            body.put("volunteerIds", List.of(volunteer));
        }
        return body;
    }

    private static void copyDescription(String from, String to) throws SQLException {
        sql("UPDATE incident SET description_sealed = (SELECT description_sealed FROM incident WHERE id = ?) "
                + "WHERE id = ?", UUID.fromString(from), UUID.fromString(to));
    }

    private static byte[] sealedDescription(String id) {
        return (byte[]) Db.row("SELECT description_sealed FROM incident WHERE id = ?", UUID.fromString(id))
                .orElseThrow().get("description_sealed");
    }

    private static byte[] storedKeyset(String organization) {
        return storedKeyset(organization, "aead_keyset");
    }

    private static byte[] storedKeyset(String organization, String column) {
        return (byte[]) Db.row("SELECT " + column + " FROM organization_keyset WHERE organization = ?", organization)
                .orElseThrow().get(column);
    }

    private static void sql(String statement, Object... parameters) throws SQLException {
        try (Connection db = Db.admin(); PreparedStatement update = db.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            update.executeUpdate();
        }
    }

    /** The real pg_dump of the test database, as the superuser, in plain SQL. */
    private static String pgDump() throws IOException, InterruptedException {
        URI url = URI.create(ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class)
                .substring("jdbc:".length()));
        Path out = Files.createTempFile("registry-dump", ".sql");
        try {
            ProcessBuilder dump = new ProcessBuilder("pg_dump", "-h", url.getHost(), "-p",
                    Integer.toString(url.getPort() < 0 ? 5432 : url.getPort()), "-U",
                    ConfigProvider.getConfig().getValue("registry.test.pg-admin-user", String.class),
                    "-d", url.getPath().substring(1), "-f", out.toString()).redirectErrorStream(true);
            ConfigProvider.getConfig().getOptionalValue("registry.test.pg-admin-password", String.class)
                    .ifPresent(password -> dump.environment().put("PGPASSWORD", password));
            Process process = dump.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), "pg_dump failed: " + output);
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
