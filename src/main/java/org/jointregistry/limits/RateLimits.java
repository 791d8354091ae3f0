package org.jointregistry.limits;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;

/**
 * Draws every authenticated API request from its budgets ({@link RateLimiter})
 * before the resource runs, refuses it with a 429 problem and Retry-After when
 * one is used up, and states the budgets on the response in the IETF
 * RateLimit-Policy and RateLimit fields (draft-ietf-httpapi-ratelimit-headers:
 * a list of named policies, quota q per window w seconds; remaining r, reset t
 * seconds). Anonymous requests are not drawn: they are answered 401 first
 * (AuthenticationFirst), or are the public taxonomy.
 */
public class RateLimits {

    public static final String POLICY_HEADER = "RateLimit-Policy";
    public static final String STATE_HEADER = "RateLimit";
    private static final String DRAWS = RateLimits.class.getName() + ".draws";

    @Inject
    LimitsConfig config;

    @Inject
    RateLimiter limiter;

    @Inject
    SecurityIdentity identity;

    @Inject
    Requester requester;

    @ServerRequestFilter
    public void draw(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!config.enabled() || !path.startsWith("/api/") || identity.isAnonymous()) {
            return;
        }
        List<RateLimiter.Draw> draws = limiter.draw(RequestKind.of(request.getMethod(), path), requester.organization(),
                requester.client());
        request.setProperty(DRAWS, draws);
        for (RateLimiter.Draw draw : draws) {
            if (!draw.allowed()) {
                throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "The " + draw.policy().replace('-', ' ')
                        + " budget of " + draw.quota() + " requests per " + draw.window().toSeconds()
                        + " s is used up; retry after the seconds in Retry-After.", null,
                        Map.of(HttpHeaders.RETRY_AFTER, Long.toString(draw.secondsToReset())));
            }
        }
    }

    @ServerResponseFilter
    public void state(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(DRAWS) instanceof List<?> list)) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<RateLimiter.Draw> draws = (List<RateLimiter.Draw>) list;
        response.getHeaders().putSingle(POLICY_HEADER, draws.stream()
                .map(d -> "\"%s\";q=%d;w=%d".formatted(d.policy(), d.quota(), d.window().toSeconds()))
                .collect(Collectors.joining(", ")));
        response.getHeaders().putSingle(STATE_HEADER, draws.stream()
                .map(d -> "\"%s\";r=%d;t=%d".formatted(d.policy(), d.remaining(), d.secondsToReset()))
                .collect(Collectors.joining(", ")));
    }
}
