package org.jointregistry.limits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jointregistry.common.RegistryClock;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The rate limits with small budgets: a client over its budget is refused
 * with a 429 problem and Retry-After while another organisation is served;
 * the budget refills after Retry-After; an organisation's clients share its
 * budget; reads, writes and aggregates draw on separate budgets; every
 * authenticated response states its budgets, and an anonymous one is
 * answered 401 without drawing on any; a second replica draws on the same
 * budgets through the database.
 */
@QuarkusTest
@TestProfile(RateLimitTest.SmallBudgets.class)
class RateLimitTest {

    static final int CLIENT_READS = 5;
    static final int ORGANIZATION_READS = 8;
    static final int CLIENT_AGGREGATES = 3;
    /**
     * Long enough that a test's few requests fall in one window even on a
     * loaded machine; where one crosses a refill anyway, the loops below go
     * on until the budget is used up and check the remaining count.
     */
    static final int WINDOW_SECONDS = 30;
    private static final Pattern ITEM = Pattern.compile("\"([a-z-]+)\";([a-z]+)=(\\d+);([a-z]+)=(\\d+)");

    public static class SmallBudgets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String window = "PT" + WINDOW_SECONDS + "S";
            return Map.of("registry.limits.reads.client", Integer.toString(CLIENT_READS),
                    "registry.limits.reads.organization", Integer.toString(ORGANIZATION_READS),
                    "registry.limits.reads.window", window,
                    "registry.limits.aggregates.client", Integer.toString(CLIENT_AGGREGATES),
                    "registry.limits.aggregates.organization", "100",
                    "registry.limits.aggregates.window", window);
        }
    }

    @Test
    void aClientOverItsBudgetIsRefusedWhileAnotherOrganisationIsServedAndItsBudgetRefills() throws Exception {
        String runaway = Tokens.syncClient("utopia-56");
        Response refused = useUp(runaway, "/api/v1/me", "reads-client");
        refused.then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/too-many-requests"))
                .body("status", equalTo(429))
                .body("detail", containsString("reads client budget of " + CLIENT_READS));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= WINDOW_SECONDS, "Retry-After " + retryAfter);
        assertEquals(Map.of("reads-client", CLIENT_READS), quotas(refused));

        // The same moment, another partner's tool: served, its own budget nearly full.
        Response other = given().auth().oauth2(Tokens.syncClient("help-refugees")).get("/api/v1/me");
        other.then().statusCode(200);
        assertEquals(CLIENT_READS - 1, remaining(other, "reads-client"));
        assertEquals(ORGANIZATION_READS - 1, remaining(other, "reads-organization"));

        // Refused requests do not draw: after Retry-After the budget is back in full.
        Thread.sleep(retryAfter * 1000);
        Response again = given().auth().oauth2(runaway).get("/api/v1/me");
        again.then().statusCode(200);
        assertEquals(CLIENT_READS - 1, remaining(again, "reads-client"));
    }

    @Test
    void theClientsOfOneOrganisationShareItsBudget() {
        String person = Tokens.reporter("auberge-des-migrants");
        String tool = Tokens.syncClient("auberge-des-migrants");
        Response first = useUp(person, "/api/v1/me", "reads-client");
        first.then().statusCode(429);
        // The person's refused requests did not draw on the organisation's budget; the tool's draw on the rest.
        Response refused = useUp(tool, "/api/v1/me", "reads-organization");
        refused.then().statusCode(429)
                .body("type", equalTo("/problems/too-many-requests"))
                .body("detail", containsString("reads organization budget of " + ORGANIZATION_READS));
        assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1);
    }

    @Test
    void readsAndAggregatesDrawOnSeparateBudgets() {
        String tool = Tokens.syncClient("refugee-womens-centre");
        useUp(tool, "/api/v1/me", "reads-client").then().statusCode(429);
        Response summary = given().auth().oauth2(tool).get("/api/v1/aggregates/summary");
        summary.then().statusCode(200);
        assertEquals(CLIENT_AGGREGATES - 1, remaining(summary, "aggregates-client"));
        assertEquals(Map.of("aggregates-client", CLIENT_AGGREGATES, "aggregates-organization", 100), quotas(summary));
        String analyst = Tokens.analyst();
        Response refused = useUp(analyst, "/api/v1/aggregates/summary", "aggregates-client");
        refused.then().statusCode(429).body("type", equalTo("/problems/too-many-requests"));
        // An analyst acts for no organisation: only its client budget applies.
        assertEquals(Map.of("aggregates-client", CLIENT_AGGREGATES), quotas(refused));
    }

    @Inject
    LimitsConfig config;

    /**
     * A second limiter with a connection pool of its own, as another replica
     * has, sharing only the database: what it draws, this service sees.
     */
    @Test
    void anotherReplicaDrawsOnTheSameBudgets() {
        RateLimiter replica = replica(new RegistryClock());
        for (int i = 0; i < 3; i++) {
            List<RateLimiter.Draw> draws = replica.draw(RequestKind.READS, Optional.of("refugee-info-bus"),
                    "a-tool-served-by-the-other-replica");
            assertEquals(2, draws.size());
            assertTrue(draws.stream().allMatch(RateLimiter.Draw::allowed));
        }
        Response here = given().auth().oauth2(Tokens.syncClient("refugee-info-bus")).get("/api/v1/me");
        here.then().statusCode(200);
        assertEquals(ORGANIZATION_READS - 4, remaining(here, "reads-organization"));
        assertEquals(CLIENT_READS - 1, remaining(here, "reads-client"));
    }

    /**
     * Two replicas on a budget of 1,000 each draw 10 tokens at once (a
     * hundredth), so the other sees 9 fewer than were admitted; drawing in
     * turns, the first refusal leaves at most the other's 9 unspent, and
     * together they admit exactly the budget, never one more.
     */
    @Test
    void replicasDrawLargeBudgetsInLeasesAndNeverExceedThem() {
        RegistryClock frozen = new RegistryClock(Clock.fixed(Instant.parse("2031-05-01T10:00:00Z"), ZoneOffset.UTC));
        RateLimiter[] replicas = { replica(frozen), replica(frozen) };
        int quota = 1000;
        int lease = quota / 100;
        String owner = "client|leases-" + UUID.randomUUID();
        Duration window = Duration.ofHours(1);
        assertEquals(quota - 1, replicas[0].draw("leases", owner, quota, window).remaining());
        assertEquals(quota - 1 - (lease - 1) - 1, replicas[1].draw("leases", owner, quota, window).remaining(),
                "the other replica's first draw took a lease of its own beside the first's");
        int admitted = 2;
        int firstRefusal = -1;
        boolean[] refused = new boolean[2];
        for (int turn = 0; !(refused[0] && refused[1]); turn++) {
            RateLimiter.Draw draw = replicas[turn % 2].draw("leases", owner, quota, window);
            if (draw.allowed()) {
                admitted++;
                assertFalse(refused[turn % 2], "a replica admitted again after refusing within one window");
            } else {
                refused[turn % 2] = true;
                assertTrue(draw.secondsToReset() >= 1, "Retry-After of a refusal");
                firstRefusal = firstRefusal < 0 ? admitted : firstRefusal;
            }
        }
        assertEquals(quota, admitted, "both replicas together admit the budget, no more and no less");
        assertTrue(firstRefusal >= quota - (lease - 1), "refused first after " + firstRefusal + " of " + quota);
    }

    /**
     * A token taken and given back is held by this replica for the next
     * taker: that one costs the shared bucket nothing, while a taker beside
     * an unreturned token draws one of its own.
     */
    @Test
    void aTokenGivenBackServesTheNextTakerWithoutADraw() {
        RegistryClock frozen = new RegistryClock(Clock.fixed(Instant.parse("2031-05-02T10:00:00Z"), ZoneOffset.UTC));
        RateLimiter here = replica(frozen);
        RateLimiter other = replica(frozen);
        String owner = "org|give-back-" + UUID.randomUUID();
        Duration window = Duration.ofHours(1);
        int quota = 10;
        assertEquals(quota - 1, here.take("failures", owner, quota, window).remaining());
        assertEquals(quota - 2, here.take("failures", owner, quota, window).remaining(),
                "a second taker beside an unreturned token draws its own");
        here.giveBack("failures", owner, quota, window);
        here.take("failures", owner, quota, window);
        assertEquals(quota - 3, other.take("failures", owner, quota, window).remaining(),
                "the given-back token served the next taker: the shared bucket lost only the two drawn");
    }

    /**
     * A lease three quarters spent is topped up beside the requests: while
     * the top-up waits for the bucket's row (locked here, as a slow commit of
     * another replica would hold it), the lease's last quarter is still
     * admitted; the next taker once the lease is empty is served from the
     * top-up (the other replica finds it drawn), not from a draw of its own.
     */
    @Test
    void aLeaseIsToppedUpWhileItsLastQuarterIsSpent() throws Exception {
        RegistryClock frozen = new RegistryClock(Clock.fixed(Instant.parse("2031-05-03T10:00:00Z"), ZoneOffset.UTC));
        RateLimiter here = replica(frozen);
        RateLimiter other = replica(frozen);
        int quota = 10_000;
        int lease = Math.min(config.replicaReservation(), quota / 100);
        String owner = "client|top-up-" + UUID.randomUUID();
        Duration window = Duration.ofHours(1);
        here.draw("top-up", owner, quota, window);
        int toppedUpAt = lease - 1 - lease / 4;
        try (Connection slow = database().getConnection()) {
            slow.setAutoCommit(false);
            try (PreparedStatement lock = slow.prepareStatement("SELECT 1 FROM rate_limit_bucket WHERE id = ?"
                    + " FOR UPDATE")) {
                lock.setString(1, "top-up|" + quota + "/" + window + "|" + owner);
                assertTrue(lock.executeQuery().next(), "the budget's row");
            }
            // A hang guard, not a measure: a taker that waited for the locked top-up would never return.
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 1; i < lease; i++) {
                    assertTrue(here.draw("top-up", owner, quota, window).allowed());
                }
            }, "the lease's last quarter was admitted while its top-up waited");
            slow.commit();
        }
        assertEquals(quota - lease - 1, here.draw("top-up", owner, quota, window).remaining(),
                "admitted " + (lease + 1) + " of the budget");
        assertEquals(quota - lease - toppedUpAt - 1, other.draw("top-up", owner, quota, window).remaining(),
                "the other replica finds drawn the first lease and the top-up of " + toppedUpAt
                        + ", which served the taker that found the lease empty, and holds the rest of its own");
    }

    /** A limiter with a connection pool of its own, as another replica has, sharing only the database. */
    private RateLimiter replica(RegistryClock clock) {
        RateLimiter replica = new RateLimiter();
        replica.config = config;
        replica.clock = clock;
        replica.dataSource = database();
        replica.init();
        return replica;
    }

    private static PGSimpleDataSource database() {
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setURL(setting("quarkus.datasource.jdbc.url"));
        database.setUser(setting("quarkus.datasource.username"));
        database.setPassword(setting("quarkus.datasource.password"));
        return database;
    }

    private static String setting(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }

    @Test
    void anAnonymousRequestIsAnswered401WithoutDrawing() {
        given().get("/api/v1/me").then().statusCode(401)
                .header("RateLimit", nullValue())
                .header("RateLimit-Policy", nullValue());
    }

    /**
     * Sends GET {@code path} until it is refused, checking that each answer
     * counts {@code policy} down by one and that the refusal comes right after
     * the one that left none (or after a refill the answers announced).
     */
    private static Response useUp(String token, String path, String policy) {
        long previous = -1;
        for (int sent = 0; sent < 4 * ORGANIZATION_READS; sent++) {
            Response response = given().auth().oauth2(token).get(path);
            if (response.statusCode() == 429) {
                assertEquals(0, previous, "refused with budget left");
                assertTrue(response.header("RateLimit").contains("\"" + policy + "\";r=0;"),
                        response.header("RateLimit"));
                return response;
            }
            response.then().statusCode(200);
            long left = remaining(response, policy);
            assertTrue(previous < 0 || left == previous - 1 || left > previous, "r went from " + previous + " to " + left);
            previous = left;
        }
        return fail("never refused");
    }

    private static long remaining(Response response, String policy) {
        Matcher item = ITEM.matcher(response.header("RateLimit"));
        while (item.find()) {
            if (item.group(1).equals(policy)) {
                assertEquals("r", item.group(2));
                assertEquals("t", item.group(4));
                assertTrue(Long.parseLong(item.group(5)) <= WINDOW_SECONDS);
                return Long.parseLong(item.group(3));
            }
        }
        return fail("no " + policy + " in RateLimit: " + response.header("RateLimit"));
    }

    private static Map<String, Integer> quotas(Response response) {
        Map<String, Integer> quotas = new java.util.TreeMap<>();
        Matcher item = ITEM.matcher(response.header("RateLimit-Policy"));
        while (item.find()) {
            assertEquals("q", item.group(2));
            assertEquals("w", item.group(4));
            assertEquals(WINDOW_SECONDS, Integer.parseInt(item.group(5)));
            quotas.put(item.group(1), Integer.parseInt(item.group(3)));
        }
        return quotas;
    }
}
