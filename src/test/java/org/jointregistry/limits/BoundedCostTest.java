package org.jointregistry.limits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jointregistry.support.Api;
import org.jointregistry.support.Db;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Bounded cost: the caps on expensive requests running at once (per
 * organisation, overall) refuse the excess at once while the tenant space
 * answers, and a statement past the timeout answers a 503 problem and gives
 * its connection back. The figures are held up by a lock on the tables the
 * aggregates read, taken in a separate session, so that "running" does not
 * depend on how fast this machine is.
 */
@QuarkusTest
@TestProfile(BoundedCostTest.Tight.class)
class BoundedCostTest {

    static final int PER_ORGANIZATION = 2;
    static final int OVERALL = 3;
    static final int TIMEOUT_SECONDS = 10;
    /** Read by the category breakdowns (the joint report has them), not by the tenant space's reads. */
    private static final String FIGURE_TABLES = "aggregate_category, aggregate_rollup_cell, aggregate_rollup_member";

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.limits.expensive.per-organization", Integer.toString(PER_ORGANIZATION),
                    "registry.limits.expensive.overall", Integer.toString(OVERALL),
                    "registry.limits.expensive.statement-timeout", "PT" + TIMEOUT_SECONDS + "S");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void tenJointReportsOfOneOrganisationTheCapsHoldAndTheTenantSpaceAnswers() throws Exception {
        String reporter = Tokens.reporter("utopia-56");
        String other = Tokens.reporter("help-refugees");
        String incident = Api.createIncident(other, Api.incident("Calais"));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try (Connection lock = lock(FIGURE_TABLES)) {
            CompletionService<Response> reports = new ExecutorCompletionService<>(pool);
            List<Future<Response>> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add(reports.submit(() -> given().auth().oauth2(reporter).get("/api/v1/reports/joint")));
            }
            // The excess is refused while the admitted ones still wait on the lock: refused at once, not queued.
            for (int i = 0; i < 10 - PER_ORGANIZATION; i++) {
                Response refused = reports.poll(60, TimeUnit.SECONDS).get();
                refused.then().statusCode(429)
                        .contentType("application/problem+json")
                        .body("type", equalTo("/problems/too-many-requests"))
                        .body("detail", containsString(PER_ORGANIZATION + " aggregate, report or export requests"))
                        .header("Retry-After", notNullValue());
            }
            assertEquals(PER_ORGANIZATION, sent.stream().filter(f -> !f.isDone()).count());

            // Meanwhile another organisation's read by id is served.
            given().auth().oauth2(other).get(Api.INCIDENTS + "/" + incident).then().statusCode(200)
                    .body("id", equalTo(incident));

            // One more place overall: an analyst gets it, and the next request finds the registry full.
            CompletionService<Response> analyst = new ExecutorCompletionService<>(pool);
            List<Future<Response>> analysts = List.of(
                    analyst.submit(() -> given().auth().oauth2(Tokens.analyst()).get("/api/v1/reports/joint")),
                    analyst.submit(() -> given().auth().oauth2(Tokens.analyst()).get("/api/v1/reports/joint")));
            analyst.poll(60, TimeUnit.SECONDS).get().then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("/problems/service-unavailable"))
                    .body("detail", containsString("as many aggregates, reports and exports as it runs at once"))
                    .header("Retry-After", notNullValue());
            assertEquals(1, analysts.stream().filter(f -> !f.isDone()).count());

            lock.rollback();
            for (Future<Response> admitted : sent) {
                if (!admitted.get().asString().contains("too-many-requests")) {
                    admitted.get().then().statusCode(200);
                }
            }
            for (Future<Response> admitted : analysts) {
                assertTrue(List.of(200, 503).contains(admitted.get().statusCode()));
            }
        } finally {
            pool.shutdownNow();
        }
        // Every place was given back: the organisation may run reports again.
        given().auth().oauth2(reporter).get("/api/v1/aggregates/summary").then().statusCode(200);
    }

    @Test
    void aStatementPastTheTimeoutAnswersAProblemAndFreesItsConnection() throws Exception {
        String analyst = Tokens.analyst();
        given().auth().oauth2(analyst).get("/api/v1/aggregates/summary").then().statusCode(200);
        long activeBefore = dataSource.getMetrics().activeCount();
        try (Connection lock = lock("incident, " + FIGURE_TABLES)) {
            Response timedOut = given().auth().oauth2(analyst).get("/api/v1/aggregates/summary");
            timedOut.then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("/problems/service-unavailable"))
                    .body("detail", containsString("longer to compute than the registry allows"))
                    .header("Retry-After", notNullValue());
            // Answered while the lock is still held: the statement was cancelled, not waited out.
            assertFalse(lock.isClosed());
            assertEquals(activeBefore, dataSource.getMetrics().activeCount(), "the connection went back to the pool");
            assertEquals(0, dataSource.getMetrics().awaitingCount());
            lock.rollback();
        }
        given().auth().oauth2(analyst).get("/api/v1/aggregates/summary").then().statusCode(200);
    }

    /** A superuser session holding ACCESS EXCLUSIVE locks on {@code tables} until it rolls back. */
    private static Connection lock(String tables) throws SQLException {
        Connection admin = Db.admin();
        admin.setAutoCommit(false);
        try (Statement statement = admin.createStatement()) {
            statement.execute("LOCK TABLE " + tables + " IN ACCESS EXCLUSIVE MODE");
        }
        return admin;
    }
}
