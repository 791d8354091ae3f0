package org.jointregistry.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemType;

/**
 * Refuses request bodies over their endpoint's limit with a 413 problem before
 * anything reads them: `registry.http.max-body-size` everywhere, the larger
 * `quarkus.http.limits.max-body-size` on the bulk paths. A declared
 * Content-Length is judged at once; a chunked body is read up to the limit
 * and refused as soon as it passes it.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** After the security-header filters, just before Quarkus' own limit (order -2), which answers without a body. */
    static final int ROUTE_ORDER = -3;

    private final long apiLimit;
    private final long bulkLimit;
    private final List<String> bulkPaths;
    private final BodyHandler apiChunkedBody;
    private final BodyHandler bulkChunkedBody;
    private final ObjectMapper json;

    BodySizeLimit(HttpSettings settings,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize bulkLimit, ObjectMapper json) {
        this.apiLimit = settings.maxBodySize().asLongValue();
        this.bulkLimit = bulkLimit.asLongValue();
        this.bulkPaths = List.copyOf(settings.bulkPaths());
        this.apiChunkedBody = chunkedBody(this.apiLimit);
        this.bulkChunkedBody = chunkedBody(this.bulkLimit);
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::check);
        router.route().order(ROUTE_ORDER).failureHandler(this::refuseOversizedChunks);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        boolean bulk = bulkPaths.contains(context.normalizedPath());
        long limit = bulk ? bulkLimit : apiLimit;
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long length = declared == null ? -1 : parseLength(declared);
        if (length > limit) {
            refuse(context, limit, length <= bulkLimit);
        } else if (declared == null && hasUnannouncedBody(request)) {
            (bulk ? bulkChunkedBody : apiChunkedBody).handle(context);
        } else {
            context.next();
        }
    }

    /** BodyHandler fails the request with 413 once a chunked body passes its limit, and drains the rest. */
    private void refuseOversizedChunks(RoutingContext context) {
        if (context.statusCode() == 413 && !context.response().headWritten()) {
            boolean bulk = bulkPaths.contains(context.normalizedPath());
            send(context, bulk ? bulkLimit : apiLimit);
        } else {
            context.next();
        }
    }

    /**
     * Answers before reading the body. A body the service could have taken on
     * a bulk path is drained, so the client (which often sends it all before
     * reading) gets the problem; anything bigger closes the connection.
     */
    private void refuse(RoutingContext context, long limit, boolean drain) {
        HttpServerRequest request = context.request();
        if (drain) {
            request.handler(ignored -> {
            });
            request.resume();
        } else {
            request.pause();
            context.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                    .endHandler(ended -> request.connection().close());
        }
        send(context, limit);
    }

    private void send(RoutingContext context, long limit) {
        ProblemType type = ProblemType.PAYLOAD_TOO_LARGE;
        Problem problem = new Problem(type.uri(), type.title(), type.status(),
                "This endpoint accepts request bodies of at most " + limit + " bytes.", context.normalizedPath(),
                null);
        try {
            context.response().setStatusCode(type.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }

    private static boolean hasUnannouncedBody(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            // An HTTP/2 stream without Content-Length is not read here: the framework pauses
            // the request when it takes over, which throws once the stream has ended, and a
            // stream whose headers end it (a POST without a body, as java.net.http sends over
            // h2c) is not ended yet when this runs: reading it here made every such request a
            // 500. Such a body is bounded by quarkus.http.limits.max-body-size instead (a 413
            // without a problem body); a declared Content-Length is still judged above.
            return false;
        }
        String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    private static long parseLength(String declared) {
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // not a length the service could honour
        }
    }

    private static BodyHandler chunkedBody(long limit) {
        return BodyHandler.create(false).setBodyLimit(limit).setMergeFormAttributes(false);
    }
}
