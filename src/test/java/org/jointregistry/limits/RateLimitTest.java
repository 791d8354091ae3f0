package org.jointregistry.limits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        RateLimiter replica = new RateLimiter();
        replica.config = config;
        replica.clock = new RegistryClock();
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setURL(setting("quarkus.datasource.jdbc.url"));
        database.setUser(setting("quarkus.datasource.username"));
        database.setPassword(setting("quarkus.datasource.password"));
        replica.dataSource = database;
        replica.init();
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
