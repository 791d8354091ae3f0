package org.jointregistry.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The first step of the parameter parser, on the raw query string before the
 * framework decodes it: every name and value must be percent-encoded UTF-8.
 * Left to the framework, a broken escape (a lone `%`) answers a bare 400
 * without a problem, and invalid UTF-8 (`%C0%80`, `%ED%A0%80`) silently
 * becomes U+FFFD; here both answer the parser's 400 invalid-parameter
 * problem naming the parameter.
 */
@ApplicationScoped
public class QueryEncoding {

    /** With the body-size check: before authentication and before Quarkus REST reads any parameter. */
    static final int ROUTE_ORDER = -3;
    static final String MESSAGE = "must be percent-encoded UTF-8 (each % followed by two hex digits)";

    private final ObjectMapper json;

    QueryEncoding(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String query = context.request().query();
        Optional<String> malformed = query == null ? Optional.empty() : malformed(query);
        if (malformed.isEmpty()) {
            context.next();
            return;
        }
        ProblemType type = ProblemType.INVALID_PARAMETER;
        Problem problem = new Problem(type.uri(), type.title(), type.status(),
                "Invalid parameters: " + malformed.get() + ".", context.normalizedPath(),
                List.of(new Problem.FieldError(malformed.get(), MESSAGE)));
        try {
            context.response().setStatusCode(type.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }

    /** The name of the first parameter whose name or value is not percent-encoded UTF-8, if any. */
    static Optional<String> malformed(String query) {
        for (String pair : query.split("&", -1)) {
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            Optional<String> name = decode(rawName);
            if (name.isEmpty()) {
                return Optional.of(rawName);
            }
            if (equals >= 0 && decode(pair.substring(equals + 1)).isEmpty()) {
                return name;
            }
        }
        return Optional.empty();
    }

    /** Form-decoded text (`+` is a space), or empty when an escape is broken or the bytes are not UTF-8. */
    static Optional<String> decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (low < 0) {
                    return Optional.empty();
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                // A raw byte of the request line comes as one char (ISO-8859-1), so it is that byte again.
                bytes.write(c == '+' ? ' ' : c);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
