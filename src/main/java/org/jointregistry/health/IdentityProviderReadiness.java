package org.jointregistry.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the identity provider answers: without it no new token can
 * be issued and key rotation cannot be followed. Tokens already issued keep
 * working meanwhile, since quarkus-oidc caches the signing keys.
 */
@Readiness
@ApplicationScoped
public class IdentityProviderReadiness implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI discovery;

    IdentityProviderReadiness(@ConfigProperty(name = "quarkus.oidc.auth-server-url") String issuer) {
        this.discovery = URI.create(issuer.replaceFirst("/$", "") + "/.well-known/openid-configuration");
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("identity-provider").withData("discovery", discovery.toString());
        try {
            int status = http.send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return response.status(status == 200).withData("status", status).build();
        } catch (java.io.IOException e) {
            return response.down().withData("error", e.getClass().getSimpleName()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        }
    }
}
