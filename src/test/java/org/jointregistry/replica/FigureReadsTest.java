package org.jointregistry.replica;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jointregistry.support.Api;
import org.jointregistry.support.Db;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * With a read replica configured (here the test database itself, as
 * targetServerType=preferSecondary finds when no standby runs), the figures are
 * read through the replica's own pool, every figure read says as of when its
 * data is current, the heartbeat beats, and a snapshot still includes the
 * write acknowledged just before it. A real standby serves them in the HA
 * drill (ha.HaDrill), which checks X-Data-As-Of against its bound.
 */
@QuarkusTest
@TestProfile(FigureReadsTest.WithReplica.class)
class FigureReadsTest {

    public static class WithReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.replica.url", "${quarkus.datasource.jdbc.url}");
        }
    }

    @Test
    void everyFigureReadSaysAsOfWhenItsDataIsCurrent() {
        for (String path : List.of("/api/v1/aggregates/summary", "/api/v1/aggregates/counts?groupBy=category",
                "/api/v1/aggregates/timeseries?interval=month&from=2018-01-01&to=2018-03-31",
                "/api/v1/reports/joint?from=2018-01-01&to=2018-03-31")) {
            Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Response answer = given().auth().oauth2(Tokens.analyst()).accept("application/json").when().get(path);
            Instant after = Instant.now();
            answer.then().statusCode(200);
            Instant asOf = Instant.parse(answer.header(DataAsOf.HEADER));
            assertFalse(asOf.isBefore(before) || asOf.isAfter(after), path + ": X-Data-As-Of " + asOf
                    + " outside the request's " + before + " .. " + after);
        }
    }

    @Test
    void theyAreReadThroughTheReplicasPool() {
        double before = figureReads("primary-via-replica");
        double fallbacks = figureReads("primary-fallback");
        given().auth().oauth2(Tokens.analyst()).when().get("/api/v1/aggregates/summary").then().statusCode(200);
        assertEquals(before + 1, figureReads("primary-via-replica"), "one read through the replica's pool, "
                + "which found the primary (no standby runs here)");
        assertEquals(fallbacks, figureReads("primary-fallback"), "no fallback to the primary's pool");
    }

    @Test
    void writesAndSnapshotsReadThePrimaryAndCarryNoDataAsOf() {
        String coordinator = Tokens.coordinator("utopia-56");
        Map<String, String> period = Map.of("from", "1990-01-01", "to", "1990-01-31");
        int before = given().auth().oauth2(coordinator).contentType("application/json").body(period)
                .when().post("/api/v1/reports").then().statusCode(201).header(DataAsOf.HEADER, nullValue())
                .extract().path("document.summary.incidents");
        Map<String, Object> incident = Api.incident(Api.unique("Figures"));
        incident.put("occurredAt", "1990-01-15T12:00:00+01:00");
        incident.put("status", "submitted");
        Api.as(coordinator).body(incident).post(Api.INCIDENTS).then().statusCode(201)
                .header(DataAsOf.HEADER, nullValue());
        int after = given().auth().oauth2(coordinator).contentType("application/json").body(period)
                .when().post("/api/v1/reports").then().statusCode(201)
                .extract().path("document.summary.incidents");
        assertEquals(before + 1, after, "the snapshot includes the write acknowledged just before it");
    }

    @Test
    void theHeartbeatBeatsOnThePrimary() throws Exception {
        Instant first = heartbeat();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!heartbeat().isAfter(first)) {
            assertTrue(System.nanoTime() < deadline, "the heartbeat did not move in 30 s");
            Thread.sleep(100);
        }
    }

    /** registry_figure_reads_total{source} from the service's Prometheus metrics (0 before the first). */
    private static double figureReads(String source) {
        Matcher counter = Pattern.compile("(?m)^registry_figure_reads_total\\{[^}]*source=\"" + source
                + "\"[^}]*} ([0-9.E+]+)$").matcher(given().when().get("/q/metrics").asString());
        return counter.find() ? Double.parseDouble(counter.group(1)) : 0;
    }

    private static Instant heartbeat() {
        return ((Timestamp) Db.row("SELECT beat_at FROM replication_heartbeat WHERE id = 1").orElseThrow()
                .get("beat_at")).toInstant();
    }
}
