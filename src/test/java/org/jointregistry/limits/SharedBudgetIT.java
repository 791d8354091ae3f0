package org.jointregistry.limits;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.Map;
import org.jointregistry.bench.RegistryProcess;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two registry processes against one database share every budget (issue
 * 18): one client's reads, spent half on each instance, are used up on both,
 * and the next read is refused with 429 on either, while another
 * organisation's client is served on both. Run like the fault drill (the
 * packaged service as child processes), in every {@code ./mvnw verify}, or alone:
 * {@code ./mvnw verify -Dtest=SharedBudgetIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("fault-drill")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedBudgetIT {

    /** Small enough to spend in a test, over a window no test outlasts (so nothing refills meanwhile). */
    private static final int CLIENT_READS = 6;
    private static final String READS = "/api/v1/me";

    private final Path build = Path.of(System.getProperty("registry.build.dir", "target"));
    private LocalStack.Handle keycloak;
    private RegistryProcess first;
    private RegistryProcess second;

    @BeforeAll
    void bringUp() throws Exception {
        // Ready means the identity provider answers, and the tokens come from it: reuse or start it, as the
        // fault drill does (this class once relied on a Keycloak left running by others, and CI had none).
        keycloak = LocalStack.keycloak(Path.of(System.getProperty("registry.keycloak.dist")),
                Path.of("docker/registry-realm.json"), build.resolve("keycloak.log"));
        String database = System.getenv().getOrDefault("REGISTRY_TEST_DB", "registry_test") + "_budget";
        LocalStack.Postgres postgres = LocalStack.postgres(build, "shared-budget");
        LocalStack.prepareDatabase(postgres, database, true);
        Map<String, String> environment = Map.of("REGISTRY_DB_URL", postgres.jdbcUrl(database),
                "REGISTRY_OIDC_URL", LocalStack.REALM_URL,
                "REGISTRY_LIMITS_READS_CLIENT", Integer.toString(CLIENT_READS),
                "REGISTRY_LIMITS_READS_WINDOW", "PT1H");
        // One after the other: the first migrates the database, the second finds it migrated.
        first = RegistryProcess.start(build, 18181, environment, build.resolve("shared-budget/first.log"), "-Xmx384m");
        second = RegistryProcess.start(build, 18182, environment, build.resolve("shared-budget/second.log"),
                "-Xmx384m");
    }

    @AfterAll
    void tearDown() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void oneClientsBudgetSpentAcrossBothInstancesIsRefusedOnEither() {
        String spender = Tokens.syncClient("utopia-56");
        String other = Tokens.syncClient("help-refugees");
        for (int i = 0; i < CLIENT_READS; i++) {
            RegistryProcess instance = i % 2 == 0 ? first : second;
            Response served = read(instance, spender);
            assertEquals(200, served.statusCode(), "read " + (i + 1) + " on " + instance.url());
            // Each instance states what is left of the one budget, whichever drew last.
            assertTrue(served.header(RateLimits.STATE_HEADER).startsWith("\"reads-client\";r="
                    + (CLIENT_READS - 1 - i) + ";"), served.header(RateLimits.STATE_HEADER));
        }
        for (RegistryProcess instance : new RegistryProcess[] { first, second }) {
            Response refused = read(instance, spender);
            assertEquals(429, refused.statusCode(), instance.url());
            assertEquals("/problems/too-many-requests", refused.path("type"));
            assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1, refused.header("Retry-After"));
            assertEquals(200, read(instance, other).statusCode(), "another organisation's client on " + instance.url());
        }
    }

    private static Response read(RegistryProcess instance, String token) {
        return given().baseUri(instance.url()).auth().oauth2(token).accept("application/json").get(READS);
    }
}
