package org.jointregistry.common;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jointregistry.taxonomy.Coded;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Turns every failure into an RFC 9457 problem: the application's own
 * {@link ProblemException}s, the framework's HTTP errors, authentication and
 * authorisation failures, unreadable JSON, an unreachable database (a 503 with
 * Retry-After) and anything unexpected (a 500 whose body says nothing about
 * the internals).
 */
public class ProblemResponses {

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);
    /** About as long as PostgreSQL takes to restart; readiness tells load balancers the rest. */
    static final String RETRY_AFTER_SECONDS = "5";
    static final String DATABASE_UNAVAILABLE = "The registry cannot reach its database just now. Retry after the "
            + "seconds in Retry-After; send a write again with the same Idempotency-Key, so that it is done once.";

    /** A write that gave way to a concurrent one can be sent again at once. */
    static final String GAVE_WAY_RETRY_AFTER_SECONDS = "1";
    static final String GAVE_WAY = "This write met a concurrent one in the database and was rolled back so that the "
            + "other could finish; nothing was changed. Send it again (with the same Idempotency-Key) after the "
            + "seconds in Retry-After.";

    static final String STATEMENT_CANCELLED = "These figures took longer to compute than the registry allows one "
            + "query (registry.limits.expensive.statement-timeout); nothing was changed. Narrow the filters, or retry "
            + "after the seconds in Retry-After when the registry is less busy.";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder response = build(e.type(), e.getMessage(), e.errors(), uri);
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        // Deliberately the same detail for every reason a token was refused.
        return build(ProblemType.UNAUTHENTICATED, "A valid bearer token is required.", null, uri)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"registry\"")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return build(ProblemType.FORBIDDEN, "Your roles do not allow this operation.", null, uri).build();
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // Quarkus REST wraps JSON syntax errors of a request body in a bare 400.
            return unreadableJson(json, uri);
        }
        int status = e.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        String detail = status == 404 ? "No resource at this path." : type.title() + ".";
        Response.ResponseBuilder response = build(type, detail, null, uri).status(status);
        Object allow = e.getResponse().getHeaders().getFirst(HttpHeaders.ALLOW);
        if (allow != null) {
            response.header(HttpHeaders.ALLOW, allow);
        }
        return response.build();
    }

    @ServerExceptionMapper({ JsonProcessingException.class, JsonParseException.class, JsonMappingException.class,
            MismatchedInputException.class, InvalidFormatException.class, UnrecognizedPropertyException.class,
            ValueInstantiationException.class })
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            Problem.FieldError error = new Problem.FieldError(jsonPath(mapping.getPath()), jsonMessage(mapping));
            return build(ProblemType.VALIDATION_FAILED, "1 field is invalid.", List.of(error), uri).build();
        }
        String detail = e instanceof JsonParseException || e.getLocation() != null && !(e instanceof JsonMappingException)
                ? "The body is not well-formed JSON (line %d, column %d).".formatted(
                        e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                        e.getLocation() == null ? 0 : e.getLocation().getColumnNr())
                : "The body does not have the expected JSON shape.";
        return build(ProblemType.MALFORMED_JSON, detail, null, uri).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri, SimpleResourceInfo resource) {
        // Log the shape of the failure only: exception messages can quote
        // request values (narratives, pseudonyms) and SQL parameters, and a
        // path can hold a partner's own ids, so name the resource method instead.
        String where = resource == null || resource.getResourceClass() == null ? "no resource"
                : resource.getResourceClass().getSimpleName() + "#" + resource.getMethodName();
        if (DatabaseUnavailable.gaveWay(e)) {
            LOG.warnf("Write rolled back for a concurrent one in %s, answered 503: %s", where, describe(e));
            return build(ProblemType.SERVICE_UNAVAILABLE, GAVE_WAY, null, uri)
                    .header(HttpHeaders.RETRY_AFTER, GAVE_WAY_RETRY_AFTER_SECONDS).build();
        }
        if (DatabaseUnavailable.explains(e)) {
            // The transaction did not commit, or its outcome is unknown (the
            // connection broke during the commit): never an acknowledgement,
            // and a retry with the same Idempotency-Key is done at most once.
            LOG.warnf("Database unavailable in %s, answered 503: %s", where, describe(e));
            return build(ProblemType.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE, null, uri)
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
        }
        if (DatabaseUnavailable.cancelled(e)) {
            LOG.warnf("Statement cancelled in %s (statement timeout), answered 503: %s", where, describe(e));
            return build(ProblemType.SERVICE_UNAVAILABLE, STATEMENT_CANCELLED, null, uri)
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
        }
        LOG.errorf("Unexpected failure in %s: %s", where, describe(e));
        return build(ProblemType.INTERNAL_ERROR, "The request could not be completed; it has been logged.", null, uri)
                .build();
    }

    private static Response.ResponseBuilder build(ProblemType type, String detail, List<Problem.FieldError> errors,
            UriInfo uri) {
        Problem body = new Problem(type.uri(), type.title(), type.status(), detail,
                uri == null ? null : "/" + uri.getPath().replaceFirst("^/", ""), errors);
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body);
    }

    static String describe(Throwable e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!chain.isEmpty()) {
                chain.append(" <- ");
            }
            chain.append(t.getClass().getName());
            if (t instanceof SQLException sql) {
                chain.append("[SQLState ").append(sql.getSQLState()).append(']');
            }
            StackTraceElement[] trace = t.getStackTrace();
            if (trace.length > 0) {
                chain.append(" at ").append(trace[0]);
            }
        }
        return chain.toString();
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String jsonMessage(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "is not a known property";
        }
        Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target == null && e instanceof ValueInstantiationException instantiation && instantiation.getType() != null) {
            target = instantiation.getType().getRawClass();
        }
        if (target != null && target.isEnum()) {
            return "must be one of: " + Arrays.stream(target.getEnumConstants())
                    .map(c -> c instanceof Coded coded ? coded.code() : c.toString()).collect(Collectors.joining(", "));
        }
        if (target != null && Temporal.class.isAssignableFrom(target)) {
            return "must be an ISO 8601 date or date-time (with offset for date-times)";
        }
        if (target == UUID.class) {
            return "must be a UUID";
        }
        if (target != null && (Number.class.isAssignableFrom(target) || target.isPrimitive())) {
            return "must be a number in range";
        }
        if (target != null && (List.class.isAssignableFrom(target) || target.isArray())) {
            return "must be an array";
        }
        if (target == String.class) {
            return "must be a string";
        }
        return "has the wrong type";
    }
}
