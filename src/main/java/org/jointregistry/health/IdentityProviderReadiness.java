package org.jointregistry.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the identity provider answers: without it no new token can
 * be issued and key rotation cannot be followed. Tokens already issued keep
 * working meanwhile, since quarkus-oidc caches the signing keys.
 * <p>
 * The discovery document is fetched with Vert.x's HTTP client, which
 * quarkus-oidc has already loaded and used by the time the service starts,
 * and not with the JDK's: the first readiness call would otherwise load and
 * link that second client and its TLS stack (about 600 classes, a few hundred
 * milliseconds of every start before /q/health/ready first answers UP) for a
 * plain GET. The check is the same: the same URL, UP only on a 200, and at
 * most {@link #TIMEOUT} to connect and to answer, after which it is DOWN.
 */
@Readiness
@ApplicationScoped
public class IdentityProviderReadiness implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http;
    private final String discovery;

    IdentityProviderReadiness(Vertx vertx, @ConfigProperty(name = "quarkus.oidc.auth-server-url") String issuer) {
        this.discovery = issuer.replaceFirst("/$", "") + "/.well-known/openid-configuration";
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT.toMillis()));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var response = HealthCheckResponse.named("identity-provider").withData("discovery", discovery);
        return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(discovery))
                .flatMap(HttpClientRequest::send)
                // Read to its end, so that the connection goes back to the pool.
                .flatMap(answer -> answer.body().replaceWith(answer.statusCode()))
                .ifNoItem().after(TIMEOUT).fail()
                .map(status -> response.status(status == 200).withData("status", status).build())
                .onFailure().recoverWithItem(e -> response.down().withData("error", e.getClass().getSimpleName())
                        .build());
    }
}
