package org.jointregistry.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;

/**
 * Idempotency-Key on creating POSTs: the first successful response to a key
 * is stored (see {@link IdempotencyKeys}) and replayed to every retry with the
 * same request; the same key with another request body answers 422.
 */
@ApplicationScoped
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    /** Tells a client its answer is the stored first response, not a new write. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    /** The longest key taken (the contract states it on the header). */
    public static final int KEY_MAX = 255;
    public static final String DESCRIPTION = "Makes retries safe: a client-chosen unique string (1 to 255 visible "
            + "ASCII characters, a UUID is ideal). The first successful response is kept for at least 24 hours per "
            + "organisation; a retry with the same key and the same body gets that response again (status, body, "
            + "Location, ETag, plus `Idempotent-Replayed: true`) without writing anything; the same key with a "
            + "different body gets 422. Concurrent requests with one key write once: the later ones wait for the "
            + "first and replay its response. Failed requests are not kept, so they can be retried with the key.";

    @Inject
    IdempotencyKeys keys;

    @Inject
    ObjectMapper json;

    /** What a write answered: status, Location (or null), ETag (or null) and the body. */
    public record Created(int status, URI location, String etag, Object body) {
    }

    /** A response as stored for replay, its body already JSON. */
    record Stored(int status, String location, String etag, String body, boolean replayed) {

        Response response() {
            return build(status, location, etag, body, replayed);
        }
    }

    /**
     * Runs {@code write} and answers its response; with a key, at most once per
     * key and organisation. {@code operation} and {@code request} identify the
     * request: their hash must match for a replay.
     */
    public Response respond(String key, String operation, Object request, Supplier<Created> write) {
        if (key == null) {
            Created created = write.get();
            return build(created.status(), location(created), created.etag(), created.body(), false);
        }
        checkKey(key);
        return keys.once(key, hash(operation, request), () -> {
            Created created = write.get();
            return new Stored(created.status(), location(created), created.etag(), toJson(created.body()), false);
        }).response();
    }

    private static Response build(int status, String location, String etag, Object body, boolean replayed) {
        Response.ResponseBuilder response = Response.status(status).entity(body)
                .type(MediaType.APPLICATION_JSON_TYPE);
        if (location != null) {
            response.header(HttpHeaders.LOCATION, location);
        }
        if (etag != null) {
            response.header(HttpHeaders.ETAG, etag);
        }
        if (replayed) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response.build();
    }

    private static String location(Created created) {
        return created.location() == null ? null : created.location().toString();
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.length() > KEY_MAX || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ProblemException(ProblemType.BAD_REQUEST,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters.");
        }
    }

    /** SHA-256 of the operation and the request as parsed, so that JSON whitespace or key order do not matter. */
    private String hash(String operation, Object request) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update((operation + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest(json.writeValueAsBytes(request)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String toJson(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
