package org.jointregistry.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.mutiny.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.support.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The identity provider's readiness check against the real Keycloak, reached
 * through a relay that can be cut: UP while the realm's discovery document
 * answers 200, DOWN when it answers anything else or cannot be reached, and UP
 * again when it is back (the fault drill does the same on the packaged service).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityProviderReadinessTest {

    /** Far beyond the check's own two-second bound: a check that takes longer has hung. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final Vertx vertx = Vertx.vertx();
    private LocalStack.Handle keycloak;
    private TcpProxy relay;

    @BeforeAll
    void start() throws Exception {
        keycloak = LocalStack.keycloak(
                Path.of(System.getProperty("registry.keycloak.dist", "target/keycloak/keycloak-26.7.3")),
                Path.of("docker/registry-realm.json"), Path.of("target/keycloak.log"));
        relay = TcpProxy.start(LocalStack.freePort(), 8180);
    }

    @AfterAll
    void stop() throws Exception {
        relay.close();
        vertx.closeAndAwait();
        keycloak.close();
    }

    private HealthCheckResponse check(String issuer) {
        return new IdentityProviderReadiness(vertx, issuer).call().await().atMost(BOUND);
    }

    private String realm(String name) {
        return "http://localhost:" + relay.port() + "/realms/" + name;
    }

    @Test
    void upWhileTheDiscoveryDocumentAnswersAndDownWhileItCannotBeReached() throws Exception {
        HealthCheckResponse up = check(realm("registry") + "/");
        assertEquals(HealthCheckResponse.Status.UP, up.getStatus());
        assertEquals(200L, up.getData().orElseThrow().get("status"));
        assertEquals(realm("registry") + "/.well-known/openid-configuration",
                up.getData().orElseThrow().get("discovery"), "the trailing slash is not doubled");

        IdentityProviderReadiness kept = new IdentityProviderReadiness(vertx, realm("registry"));
        assertEquals(HealthCheckResponse.Status.UP, kept.call().await().atMost(BOUND).getStatus());
        relay.cut();
        try {
            HealthCheckResponse refused = check(realm("registry"));
            assertEquals(HealthCheckResponse.Status.DOWN, refused.getStatus(), "a new connection is refused");
            assertEquals(true, refused.getData().orElseThrow().containsKey("error"));
            // The kept client's pooled connection was reset by the cut, which its event loop may learn only
            // after the next request went out on it (CI once saw that one answered): DOWN within a few calls.
            List<HealthCheckResponse.Status> calls = new ArrayList<>();
            while (calls.size() < 5 && !calls.contains(HealthCheckResponse.Status.DOWN)) {
                calls.add(kept.call().await().atMost(BOUND).getStatus());
            }
            assertEquals(HealthCheckResponse.Status.DOWN, calls.get(calls.size() - 1),
                    "the client whose pooled connection was reset: " + calls);
        } finally {
            relay.restore();
        }
        assertEquals(HealthCheckResponse.Status.UP, kept.call().await().atMost(BOUND).getStatus(),
                "UP again once the identity provider is back");
    }

    @Test
    void downWhenTheDiscoveryDocumentIsNotThere() {
        HealthCheckResponse missing = check(realm("no-such-realm"));
        assertEquals(HealthCheckResponse.Status.DOWN, missing.getStatus());
        assertEquals(404L, missing.getData().orElseThrow().get("status"));
    }
}
