package org.jointregistry.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jointregistry.common.Problem;
import org.jointregistry.support.Api;
import org.jointregistry.support.Contract;
import org.jointregistry.support.Db;
import org.jointregistry.support.Samples;
import org.jointregistry.support.Tokens;
import org.jointregistry.tenant.Roles;
import org.junit.jupiter.api.Test;

/**
 * Who may call what, as one table written from the design (api-v1.md §1, §3
 * to §5), checked against every operation of openapi/openapi.yaml: each kind
 * of caller gets in or gets a 401/403 problem, multi-organisation tokens must
 * name their tenant, and another organisation's id answers exactly like an
 * unknown one and changes nothing. An operation without a rule, or a rule
 * without an operation, fails the build.
 */
@QuarkusTest
class AccessRulesTest {

    /** Whose data an operation touches. */
    enum Space {
        /** Anyone, without a token. */
        PUBLIC,
        /** Not one organisation's: all partners' figures, snapshots, the caller itself. */
        SHARED,
        /** The active organisation's own records only. */
        TENANT
    }

    /** What a path parameter names, for the cross-tenant check. */
    enum Record {
        NONE, INCIDENT, VOLUNTEER, EXTERNAL_ID, SNAPSHOT
    }

    /**
     * An operation's rule. Empty {@code roles} in a non-public space: any
     * signed-in caller.
     */
    record Rule(Space space, Set<String> roles, Record record) {
        boolean admits(Caller caller) {
            if (space == Space.PUBLIC) {
                return true;
            }
            if (caller == Caller.ANONYMOUS) {
                return false;
            }
            return roles.isEmpty() || caller.roles.stream().anyMatch(roles::contains);
        }
    }

    private static final Set<String> MEMBERS = Set.of(Roles.REPORTER, Roles.COORDINATOR);
    private static final Set<String> COORDINATORS = Set.of(Roles.COORDINATOR);
    private static final Set<String> FIGURE_READERS = Set.of(Roles.REPORTER, Roles.COORDINATOR, Roles.ANALYST);
    private static final Set<String> SNAPSHOT_MAKERS = Set.of(Roles.COORDINATOR, Roles.ANALYST);
    private static final Set<String> ANY_SIGNED_IN = Set.of();

    /** The design's access rules, one per operation of the contract. */
    private static final Map<String, Rule> RULES = Map.ofEntries(
            rule("GET /api/v1/taxonomy", Space.PUBLIC, ANY_SIGNED_IN, Record.NONE),
            rule("GET /api/v1/me", Space.SHARED, ANY_SIGNED_IN, Record.NONE),
            rule("GET /api/v1/organizations", Space.SHARED, ANY_SIGNED_IN, Record.NONE),
            // §4: aggregates are open to reporters, coordinators and analysts.
            rule("GET /api/v1/aggregates/summary", Space.SHARED, FIGURE_READERS, Record.NONE),
            rule("GET /api/v1/aggregates/counts", Space.SHARED, FIGURE_READERS, Record.NONE),
            rule("GET /api/v1/aggregates/timeseries", Space.SHARED, FIGURE_READERS, Record.NONE),
            // §5: the joint report is composed of aggregates; snapshots are frozen by coordinators and analysts.
            rule("GET /api/v1/reports/joint", Space.SHARED, FIGURE_READERS, Record.NONE),
            rule("GET /api/v1/reports", Space.SHARED, FIGURE_READERS, Record.NONE),
            rule("POST /api/v1/reports", Space.SHARED, SNAPSHOT_MAKERS, Record.NONE),
            rule("GET /api/v1/reports/{id}", Space.SHARED, FIGURE_READERS, Record.SNAPSHOT),
            rule("GET /api/v1/reports/{id}/verify", Space.SHARED, FIGURE_READERS, Record.SNAPSHOT),
            // §1, §3: reporters write and read their organisation's incidents; coordinators also delete.
            rule("GET /api/v1/incidents", Space.TENANT, MEMBERS, Record.NONE),
            rule("POST /api/v1/incidents", Space.TENANT, MEMBERS, Record.NONE),
            rule("GET /api/v1/incidents/{id}", Space.TENANT, MEMBERS, Record.INCIDENT),
            rule("PUT /api/v1/incidents/{id}", Space.TENANT, MEMBERS, Record.INCIDENT),
            rule("PATCH /api/v1/incidents/{id}", Space.TENANT, MEMBERS, Record.INCIDENT),
            rule("DELETE /api/v1/incidents/{id}", Space.TENANT, COORDINATORS, Record.INCIDENT),
            rule("GET /api/v1/incidents/{id}/history", Space.TENANT, MEMBERS, Record.INCIDENT),
            rule("PUT /api/v1/incidents/external/{externalId}", Space.TENANT, MEMBERS, Record.EXTERNAL_ID),
            rule("GET /api/v1/incidents/changes", Space.TENANT, MEMBERS, Record.NONE),
            rule("POST /api/v1/incidents/batch", Space.TENANT, MEMBERS, Record.NONE),
            rule("POST /api/v1/incidents/import", Space.TENANT, MEMBERS, Record.NONE),
            rule("GET /api/v1/incidents/export", Space.TENANT, MEMBERS, Record.NONE),
            // §8: coordinators link their incidents into shared events; members read the event.
            rule("POST /api/v1/incidents/{id}/link-codes", Space.TENANT, COORDINATORS, Record.INCIDENT),
            rule("PUT /api/v1/incidents/{id}/event", Space.TENANT, COORDINATORS, Record.INCIDENT),
            rule("GET /api/v1/incidents/{id}/event", Space.TENANT, MEMBERS, Record.INCIDENT),
            rule("DELETE /api/v1/incidents/{id}/event", Space.TENANT, COORDINATORS, Record.INCIDENT),
            // §1: volunteer records are the coordinators'; reporters read them to name them in incidents.
            rule("GET /api/v1/volunteers", Space.TENANT, MEMBERS, Record.NONE),
            rule("POST /api/v1/volunteers", Space.TENANT, COORDINATORS, Record.NONE),
            rule("GET /api/v1/volunteers/{id}", Space.TENANT, MEMBERS, Record.VOLUNTEER),
            rule("PUT /api/v1/volunteers/{id}", Space.TENANT, COORDINATORS, Record.VOLUNTEER),
            rule("DELETE /api/v1/volunteers/{id}", Space.TENANT, COORDINATORS, Record.VOLUNTEER));

    private static Map.Entry<String, Rule> rule(String operation, Space space, Set<String> roles, Record record) {
        return Map.entry(operation, new Rule(space, roles, record));
    }

    /** The kinds of caller the design names, each with a real token of organisation {@link #A}. */
    enum Caller {
        ANONYMOUS(Set.of(), () -> null),
        REPORTER(Set.of(Roles.REPORTER), () -> Tokens.reporter(A)),
        COORDINATOR(Set.of(Roles.COORDINATOR, Roles.REPORTER), () -> Tokens.coordinator(A)),
        ANALYST(Set.of(Roles.ANALYST), Tokens::analyst),
        SYNC_CLIENT(Set.of(Roles.REPORTER), () -> Tokens.syncClient(A));

        final Set<String> roles;
        final Supplier<String> token;

        Caller(Set<String> roles, Supplier<String> token) {
            this.roles = roles;
            this.token = token;
        }
    }

    private static final String A = "refugee-info-bus";
    private static final String B = "refugee-womens-centre";
    /** dual-reporter belongs to help-refugees and utopia-56, not to {@link #A}. */
    private static final String DUAL_MEMBER_OF = "utopia-56";

    private final Contract contract = Contract.load();

    @Test
    void everyOperationOfTheContractHasExactlyOneRule() {
        Set<String> documented = contract.operations().stream().map(Contract.Operation::key)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> withoutRule = new TreeSet<>(documented);
        withoutRule.removeAll(RULES.keySet());
        Set<String> stale = new TreeSet<>(RULES.keySet());
        stale.removeAll(documented);
        assertTrue(withoutRule.isEmpty(), "Operations in openapi/openapi.yaml without an access rule: " + withoutRule
                + ". Add each to AccessRulesTest.RULES with the roles the design gives it.");
        assertTrue(stale.isEmpty(), "Access rules for operations no longer in openapi/openapi.yaml: " + stale
                + ". Remove them from AccessRulesTest.RULES, or restore the operations.");
    }

    @Test
    void theContractDeclaresTheRolesOfTheRules() {
        for (Contract.Operation operation : operations()) {
            Rule rule = RULES.get(operation.key());
            assertEquals(rule.space() != Space.PUBLIC, operation.secured(), operation.key() + ": security");
            assertEquals(rule.space() == Space.PUBLIC ? Set.of() : rule.roles(), operation.declaredRoles(),
                    operation.key() + ": roles in the contract");
        }
    }

    @Test
    void eachCallerGetsInOrIsRefusedAsTheRulesSay() {
        List<String> wrong = new ArrayList<>();
        for (Contract.Operation operation : operations()) {
            Rule rule = RULES.get(operation.key());
            for (Caller caller : Caller.values()) {
                String before = Db.tenantDigest(A);
                Response response = send(operation, caller.token.get(), unknownIds(operation), Map.of());
                String outcome = operation.key() + " as " + caller + ": " + response.statusCode() + " "
                        + response.asString();
                if (rule.admits(caller)) {
                    if (!gotIn(operation, response.statusCode())) {
                        wrong.add("should get in, got " + outcome);
                    }
                } else {
                    int refusal = caller == Caller.ANONYMOUS ? 401 : 403;
                    if (!isProblem(response, refusal, refusal == 401 ? "/problems/unauthenticated"
                            : "/problems/forbidden")) {
                        wrong.add("should get a " + refusal + " problem, got " + outcome);
                    }
                    if (!before.equals(Db.tenantDigest(A))) {
                        wrong.add("refused but changed " + A + "'s data: " + outcome);
                    }
                }
            }
        }
        assertNoneWrong(wrong);
    }

    @Test
    void multiOrganisationTokensMustNameTheirTenantOnTenantOperationsOnly() {
        String dual = Tokens.userAllOrganizations("dual-reporter");
        Caller asDual = Caller.REPORTER;
        List<String> wrong = new ArrayList<>();
        for (Contract.Operation operation : operations()) {
            Rule rule = RULES.get(operation.key());
            if (!rule.admits(asDual)) {
                continue;
            }
            Map<String, String> ids = unknownIds(operation);
            Response unnamed = send(operation, dual, ids, Map.of());
            if (rule.space() == Space.TENANT) {
                if (!isProblem(unnamed, 400, "/problems/organization-required")) {
                    wrong.add(operation.key() + " without X-Organization: " + describe(unnamed));
                }
                Response foreign = send(operation, dual, ids, Map.of("X-Organization", A));
                if (!isProblem(foreign, 403, "/problems/forbidden")) {
                    wrong.add(operation.key() + " with another organisation's X-Organization: " + describe(foreign));
                }
                Response named = send(operation, dual, ids, Map.of("X-Organization", DUAL_MEMBER_OF));
                if (!gotIn(operation, named.statusCode())) {
                    wrong.add(operation.key() + " with its own X-Organization: " + describe(named));
                }
            } else if (!gotIn(operation, unnamed.statusCode())) {
                wrong.add(operation.key() + " (not a tenant operation) without X-Organization: " + describe(unnamed));
            }
        }
        assertNoneWrong(wrong);
    }

    @Test
    void anotherOrganisationsIdAnswersLikeAnUnknownIdAndChangesNothing() {
        List<String> wrong = new ArrayList<>();
        for (Caller caller : EnumSet.of(Caller.COORDINATOR, Caller.REPORTER, Caller.SYNC_CLIENT)) {
            // Fresh records of A for each caller: an upsert by A's externalId creates B's own namesake.
            Map<Record, String> idsOfA = recordsOf(A);
            String before = Db.tenantDigest(A);
            for (Contract.Operation operation : operations()) {
                Rule rule = RULES.get(operation.key());
                List<Contract.Parameter> pathParameters = operation.parameters("path");
                if (pathParameters.isEmpty() || rule.space() != Space.TENANT || !rule.admits(caller)) {
                    continue;
                }
                assertNotEquals(Record.NONE, rule.record(), operation.key() + " takes a path id: name its record");
                String parameter = pathParameters.get(0).name();
                String token = tokenOfB(caller);
                String foreignId = idsOfA.get(rule.record());
                String unknownId = unknownIds(operation).get(parameter);
                Response foreign = send(operation, token, Map.of(parameter, foreignId), Map.of());
                Response unknown = send(operation, token, Map.of(parameter, unknownId), Map.of());
                String name = operation.key() + " as " + caller + " of " + B;
                // An upsert by an unknown externalId creates B's own incident: compare the outcome, not the body.
                boolean alike = rule.record() == Record.EXTERNAL_ID ? foreign.statusCode() == unknown.statusCode()
                        : masked(foreign, foreignId).equals(masked(unknown, unknownId));
                if (!alike) {
                    wrong.add(name + ": A's id got " + describe(foreign) + " but an unknown id got "
                            + describe(unknown));
                }
                if (rule.record() != Record.EXTERNAL_ID && foreign.statusCode() != 404) {
                    wrong.add(name + ": A's id got " + describe(foreign) + ", not 404");
                }
            }
            if (!before.equals(Db.tenantDigest(A))) {
                wrong.add(caller + " of " + B + " changed A's data with A's ids");
            }
        }
        assertNoneWrong(wrong);
    }

    /** An incident (with an externalId and a volunteer) and a volunteer of {@code organization}. */
    private static Map<Record, String> recordsOf(String organization) {
        String volunteer = Api.createVolunteer(Tokens.coordinator(organization), Api.unique("V"));
        Map<String, Object> incident = Samples.incident(volunteer, true);
        String incidentId = Api.createIncident(Tokens.reporter(organization), incident);
        return Map.of(Record.INCIDENT, incidentId, Record.VOLUNTEER, volunteer,
                Record.EXTERNAL_ID, (String) incident.get("externalId"));
    }

    private static String tokenOfB(Caller caller) {
        return switch (caller) {
            case COORDINATOR -> Tokens.coordinator(B);
            case REPORTER -> Tokens.reporter(B);
            case SYNC_CLIENT -> Tokens.syncClient(B);
            default -> throw new IllegalArgumentException(caller.name());
        };
    }

    /**
     * The operation's sample request: its valid body and required query
     * parameters, path ids as given,
     * If-Match where the contract answers 428 without one (so that a refusal
     * is about the caller, not the request).
     */
    private Response send(Contract.Operation operation, String token, Map<String, String> pathValues,
            Map<String, String> headers) {
        RequestSpecification request = token == null ? given() : given().auth().oauth2(token);
        Samples.body(operation, null).ifPresent(body -> request.contentType(operation.requestMediaType().orElseThrow())
                .body(body));
        if (operation.documentsStatus(428)) {
            request.header("If-Match", "\"1\"");
        }
        Samples.requiredQuery(operation).forEach(request::queryParam);
        headers.forEach(request::header);
        return request.pathParams(new HashMap<>(pathValues)).request(operation.method(), operation.path());
    }

    /** Ids that name nothing, for every path parameter. */
    private static Map<String, String> unknownIds(Contract.Operation operation) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (Contract.Parameter parameter : operation.parameters("path")) {
            ids.put(parameter.name(), parameter.name().equals("externalId") ? Api.unique("EXT")
                    : UUID.randomUUID().toString());
        }
        return ids;
    }

    /** Past authentication and authorisation: a success, or 404 for an id that names nothing. */
    private static boolean gotIn(Contract.Operation operation, int status) {
        return status >= 200 && status < 300 || status == 404 && !operation.parameters("path").isEmpty();
    }

    private static boolean isProblem(Response response, int status, String type) {
        return response.statusCode() == status && response.contentType().startsWith(Problem.MEDIA_TYPE)
                && type.equals(response.path("type")) && Integer.valueOf(status).equals(response.path("status"));
    }

    /** Status, type and body with the id in it (and in its instance) replaced, to compare two answers. */
    private static String masked(Response response, String id) {
        return response.statusCode() + " " + response.contentType() + " " + response.asString().replace(id, "{id}");
    }

    private static String describe(Response response) {
        return response.statusCode() + " " + response.asString();
    }

    private List<Contract.Operation> operations() {
        List<Contract.Operation> operations = contract.operations();
        if (operations.stream().anyMatch(o -> !RULES.containsKey(o.key()))) {
            fail("Some operations have no rule: see everyOperationOfTheContractHasExactlyOneRule");
        }
        return operations;
    }

    private static void assertNoneWrong(List<String> wrong) {
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " access rule(s) broken:\n" + String.join("\n", wrong));
        }
    }
}
