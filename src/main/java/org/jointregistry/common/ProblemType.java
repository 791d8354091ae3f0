package org.jointregistry.common;

import jakarta.ws.rs.core.Response.Status;

/**
 * The kinds of problem the API answers with. Each has a stable `type` URI
 * (listed in the README) so that partner tools can branch on it.
 */
public enum ProblemType {
    BAD_REQUEST("bad-request", "Bad request", Status.BAD_REQUEST),
    MALFORMED_JSON("malformed-json", "Malformed JSON body", Status.BAD_REQUEST),
    INVALID_PARAMETER("invalid-parameter", "Invalid parameter", Status.BAD_REQUEST),
    ORGANIZATION_REQUIRED("organization-required", "Active organisation required", Status.BAD_REQUEST),
    UNAUTHENTICATED("unauthenticated", "Authentication required", Status.UNAUTHORIZED),
    FORBIDDEN("forbidden", "Forbidden", Status.FORBIDDEN),
    NOT_FOUND("not-found", "Resource not found", Status.NOT_FOUND),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", Status.METHOD_NOT_ALLOWED),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", Status.NOT_ACCEPTABLE),
    CONFLICT("conflict", "Conflict", Status.CONFLICT),
    PRECONDITION_FAILED("precondition-failed", "Precondition failed", Status.PRECONDITION_FAILED),
    PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", Status.REQUEST_ENTITY_TOO_LARGE),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", Status.UNSUPPORTED_MEDIA_TYPE),
    VALIDATION_FAILED("validation-failed", "Request validation failed", 422),
    PRECONDITION_REQUIRED("precondition-required", "Precondition required", 428),
    TOO_MANY_REQUESTS("too-many-requests", "Too many requests", 429),
    SERVICE_UNAVAILABLE("service-unavailable", "Service temporarily unavailable", Status.SERVICE_UNAVAILABLE),
    INTERNAL_ERROR("internal-error", "Internal error", Status.INTERNAL_SERVER_ERROR);

    private final String uri;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, Status status) {
        this(slug, title, status.getStatusCode());
    }

    ProblemType(String slug, String title, int status) {
        this.uri = "/problems/" + slug;
        this.title = title;
        this.status = status;
    }

    public String uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    /** The problem type answering a bare HTTP status, for errors raised by the framework. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type != MALFORMED_JSON && type != INVALID_PARAMETER
                    && type != ORGANIZATION_REQUIRED) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    }
}
