package org.jointregistry.common;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.jointregistry.limits.RateLimits;

/**
 * Documents the problem responses every operation can give, so that partner
 * tools generated from the contract know each error's shape: the shared
 * responses live in components/responses and each operation refers to those
 * that apply to it.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {

    private static final String ORGANIZATION_PARAMETER = "XOrganization";

    private record Shared(String name, ProblemType type, String description, String detail) {
    }

    private static final Shared BAD_REQUEST = new Shared("BadRequest", ProblemType.INVALID_PARAMETER,
            "A parameter or header is invalid.", "1 field is invalid.");
    private static final Shared UNAUTHENTICATED = new Shared("Unauthenticated", ProblemType.UNAUTHENTICATED,
            "No bearer token, or one that is expired, forged or not issued for this registry.",
            "A valid bearer token is required.");
    private static final Shared FORBIDDEN = new Shared("Forbidden", ProblemType.FORBIDDEN,
            "The token's roles or organisations do not allow this operation.",
            "Your roles do not allow this operation.");
    private static final Shared NOT_FOUND = new Shared("NotFound", ProblemType.NOT_FOUND,
            "No such resource in your organisation (also the answer for another organisation's ids).",
            "No incident with that id in your organisation.");
    private static final Shared VALIDATION_FAILED = new Shared("ValidationFailed", ProblemType.VALIDATION_FAILED,
            "The body is well-formed but invalid; `errors` lists every invalid field with its JSON path.",
            "1 field is invalid.");
    private static final Shared MALFORMED = new Shared("MalformedBody", ProblemType.MALFORMED_JSON,
            "The body is not well-formed JSON or not of the expected shape.",
            "The body is not well-formed JSON (line 1, column 12).");
    private static final Shared SERVICE_UNAVAILABLE = new Shared("ServiceUnavailable", ProblemType.SERVICE_UNAVAILABLE,
            "The database cannot be reached just now (restarting, say); a write may or may not have been done. "
                    + "Retry after `Retry-After` seconds, sending a write with the same Idempotency-Key.",
            ProblemResponses.DATABASE_UNAVAILABLE);
    private static final Shared PRECONDITION_FAILED = new Shared("PreconditionFailed", ProblemType.PRECONDITION_FAILED,
            "If-Match names a version that is no longer current; read the record again.",
            ETags.IF_MATCH_STALE);
    private static final Shared PRECONDITION_REQUIRED = new Shared("PreconditionRequired",
            ProblemType.PRECONDITION_REQUIRED, "If-Match is required and was not sent.",
            ETags.IF_MATCH_MISSING);
    private static final Shared TOO_MANY_REQUESTS = new Shared("TooManyRequests", ProblemType.TOO_MANY_REQUESTS,
            "A budget of the caller's is used up (the RateLimit header shows which), its organisation already "
                    + "runs as many aggregates, reports and exports as it may at once, or (redeeming a link code) it "
                    + "has made too many failed attempts. Nothing was done; retry after `Retry-After` seconds.",
            "The reads client budget of 3000 requests per 60 s is used up; retry after the seconds in Retry-After.");
    private static final Shared INTERNAL_ERROR = new Shared("InternalError", ProblemType.INTERNAL_ERROR,
            "An unexpected failure; the body says nothing about internals.",
            "The request could not be completed; it has been logged.");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addParameter(ORGANIZATION_PARAMETER, OASFactory.createParameter()
                .name("X-Organization").in(Parameter.In.HEADER).required(false)
                .description("The organisation to act for, when the token carries several (then it is required "
                        + "on tenant endpoints: 400 without it, 403 if it is not one of the token's).")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .example("utopia-56"));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (!path.startsWith("/api/")) {
                return;
            }
            Map<String, Shared> applicable = new LinkedHashMap<>();
            applicable.put("400", operation.getRequestBody() != null ? MALFORMED : BAD_REQUEST);
            if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
                operation.addParameter(OASFactory.createParameter()
                        .ref("#/components/parameters/" + ORGANIZATION_PARAMETER));
                applicable.put("401", UNAUTHENTICATED);
                applicable.put("403", FORBIDDEN);
            }
            if (path.contains("{")) {
                applicable.put("404", NOT_FOUND);
            }
            // Every operation taking If-Match checks it: 412 when stale, 428 when required and missing.
            ifMatch(operation).ifPresent(ifMatch -> {
                applicable.put("412", PRECONDITION_FAILED);
                if (Boolean.TRUE.equals(ifMatch.getRequired())) {
                    applicable.put("428", PRECONDITION_REQUIRED);
                }
            });
            if (operation.getRequestBody() != null) {
                applicable.put("422", VALIDATION_FAILED);
            }
            // A request with a token draws on a budget, the public taxonomy's too.
            applicable.put("429", TOO_MANY_REQUESTS);
            applicable.put("500", INTERNAL_ERROR);
            applicable.put("503", SERVICE_UNAVAILABLE);
            applicable.forEach((status, shared) -> refer(openAPI, operation, status, shared));
            operation.getResponses().getAPIResponses().forEach((status, response) -> {
                if (response.getRef() == null && (status.startsWith("2") || status.startsWith("4"))) {
                    stateBudgets(response);
                }
            });
        }));
        openAPI.getComponents().getResponses().forEach((name, response) -> {
            if (!name.equals(INTERNAL_ERROR.name()) && !name.equals(SERVICE_UNAVAILABLE.name())) {
                stateBudgets(response);
            }
        });
        openAPI.getComponents().addHeader(RateLimits.POLICY_HEADER, OASFactory.createHeader().required(false)
                .description("The budgets this request drew on (draft-ietf-httpapi-ratelimit-headers): each a "
                        + "named policy with its quota q of requests per window w seconds. Sent on every answer to "
                        + "an authenticated request.")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).maxLength(200)
                        .pattern("^\"[a-z-]+\";q=\\d+;w=\\d+(, \"[a-z-]+\";q=\\d+;w=\\d+)*$"))
                .example("\"reads-client\";q=3000;w=60, \"reads-organization\";q=6000;w=60"));
        openAPI.getComponents().addHeader(RateLimits.STATE_HEADER, OASFactory.createHeader().required(false)
                .description("How those budgets stand: r requests remaining, full again in t seconds. Pace "
                        + "yourself by it; at r=0 the next request of that kind is refused with 429 until then. "
                        + "r is counted by the replica that answers: behind a load balancer a request may be "
                        + "refused early by up to a hundredth of the budget per other replica, never admitted "
                        + "beyond the budget.")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).maxLength(200)
                        .pattern("^\"[a-z-]+\";r=\\d+;t=\\d+(, \"[a-z-]+\";r=\\d+;t=\\d+)*$"))
                .example("\"reads-client\";r=2999;t=42, \"reads-organization\";r=5998;t=42"));
        // One server, relative: a partner's tool is given the registry's own URL (README, "Generating a
        // client"). Its audience is the partners: public, not internal.
        openAPI.setServers(List.of(OASFactory.createServer().url("/")
                .description("The registry this contract is served by, in production or any other deployment; "
                        + "for partners' tools and analysts.")
                .addExtension("x-internal", false)));
    }

    /** Declares the RateLimit fields on a 2xx or 4xx answer (those of authenticated requests carry them). */
    private static void stateBudgets(APIResponse response) {
        for (String header : new String[] { RateLimits.POLICY_HEADER, RateLimits.STATE_HEADER }) {
            response.addHeader(header, OASFactory.createHeader().ref("#/components/headers/" + header));
        }
    }

    private static Optional<Parameter> ifMatch(Operation operation) {
        return operation.getParameters() == null ? Optional.empty() : operation.getParameters().stream()
                .filter(p -> p.getIn() == Parameter.In.HEADER && HttpHeaders.IF_MATCH.equalsIgnoreCase(p.getName()))
                .findFirst();
    }

    private static void refer(OpenAPI openAPI, Operation operation, String status, Shared shared) {
        APIResponse existing = operation.getResponses().getAPIResponse(status);
        // An operation's own description of a status (a specific 409, say) wins.
        if (existing == null || existing.getContent() == null) {
            if (openAPI.getComponents().getResponses() == null
                    || !openAPI.getComponents().getResponses().containsKey(shared.name())) {
                openAPI.getComponents().addResponse(shared.name(), problemResponse(shared));
            }
            operation.getResponses().addAPIResponse(status,
                    OASFactory.createAPIResponse().ref("#/components/responses/" + shared.name()));
        }
    }

    private static APIResponse problemResponse(Shared shared) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", shared.type().uri());
        example.put("title", shared.type().title());
        example.put("status", shared.type().status());
        example.put("detail", shared.detail());
        example.put("instance", "/api/v1/incidents/7d0c2f5e-3b8a-4c1e-9f6d-2a5b8c0e1f3a");
        APIResponse response = OASFactory.createAPIResponse()
                .description(shared.description())
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))
                        .example(example)));
        if (shared.type() == ProblemType.SERVICE_UNAVAILABLE || shared.type() == ProblemType.TOO_MANY_REQUESTS) {
            response.addHeader(HttpHeaders.RETRY_AFTER, OASFactory.createHeader().required(true)
                    .description("Seconds to wait before retrying.")
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                            .minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(3600)))
                    .example(Integer.parseInt(ProblemResponses.RETRY_AFTER_SECONDS)));
        }
        return response;
    }
}
