package org.jointregistry.common;

import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jointregistry.support.Api;
import org.jointregistry.support.Contract;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * The contract against the service, for every bound it states (issue 18):
 * for each request-body property and query parameter of the committed
 * contract with a maxLength, maxItems, minimum or maximum, a value one over
 * the bound is refused with a 4xx problem naming the field, and a value at
 * the bound is not refused for its size (it may still be refused for another
 * reason, as a random link code is, but not with the answer the value over
 * got). Driven by the contract: a bounded property the service does not
 * enforce fails here, and a new operation with a body needs a fixture below.
 */
@QuarkusTest
class ContractBoundsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The organisation acting here: the link-code attempts at the bound count as its failed redemptions. */
    private static final String ORGANIZATION = "auberge-des-migrants";

    private final Contract contract = Contract.load();
    private final List<String> failures = new ArrayList<>();
    private int checked;

    /** How to send one operation: its token, its path with ids filled in, a valid body, and the headers. */
    private record Fixture(String token, Function<Object, String> path, Supplier<Object> body,
            Map<String, String> headers) {
    }

    @Test
    void everyBoundOfARequestBodyIsEnforcedAsTheContractStatesIt() throws Exception {
        Map<String, Fixture> fixtures = fixtures();
        for (Contract.Operation operation : contract.operations()) {
            Optional<String> media = operation.requestMediaType();
            if (media.isEmpty() || !media.get().endsWith("json")) {
                // The CSV import is a document, bounded by the body-size limit (BodySizeLimitTest).
                continue;
            }
            Fixture fixture = fixtures.get(operation.key());
            assertTrue(fixture != null, operation.key() + " takes a body: give it a fixture here");
            walk(operation, fixture, media.get(), contract.resolve(operation.requestSchema().orElseThrow()),
                    List.of());
        }
        assertTrue(checked > 30, "only " + checked + " bounds found in the contract");
        assertEquals(List.of(), failures);
    }

    @Test
    void everyBoundOfAQueryParameterIsEnforcedAsTheContractStatesIt() {
        for (Contract.Operation operation : contract.operations()) {
            if (!operation.method().equals("GET") || operation.path().contains("{")) {
                continue;
            }
            String token = operation.declaredRoles().contains("analyst") ? Tokens.analyst()
                    : Tokens.reporter(ORGANIZATION);
            for (Contract.Parameter parameter : operation.parameters("query")) {
                JsonNode schema = contract.resolve(parameter.schema());
                JsonNode value = parameter.repeatable() ? contract.resolve(schema.path("items")) : schema;
                if (value.has("maxLength") && !value.has("pattern")) {
                    int max = value.path("maxLength").asInt();
                    query(operation, token, parameter.name(), List.of(text(max + 1)), List.of(text(max)));
                }
                if (schema.has("maximum")) {
                    long max = schema.path("maximum").asLong();
                    long min = schema.path("minimum").asLong();
                    query(operation, token, parameter.name(), List.of(Long.toString(max + 1)),
                            List.of(Long.toString(max)));
                    query(operation, token, parameter.name(), List.of(Long.toString(min - 1)),
                            List.of(Long.toString(min)));
                }
                if (parameter.repeatable() && schema.has("maxItems")) {
                    int max = schema.path("maxItems").asInt();
                    query(operation, token, parameter.name(), distinct(max + 1), distinct(max));
                }
            }
        }
        assertTrue(checked > 30, "only " + checked + " query bounds found in the contract");
        assertEquals(List.of(), failures);
    }

    private void query(Contract.Operation operation, String token, String name, List<String> over,
            List<String> at) {
        checked++;
        // Any type: a CSV or a document endpoint answers its problems as JSON all the same.
        Response refused = as(token).accept("*/*").queryParam(name, over).get(operation.path());
        Optional<String> message = refusal(refused, name);
        if (message.isEmpty()) {
            failures.add(operation.key() + " ?" + name + " over its bound: " + refused.statusCode() + " "
                    + refused.asString());
            return;
        }
        Response bounded = as(token).accept("*/*").queryParam(name, at).get(operation.path());
        if (refusal(bounded, name).equals(message)) {
            failures.add(operation.key() + " ?" + name + " at its bound is refused as over it: " + message.get());
        }
    }

    /** Every bounded property under {@code schema}, at {@code path} in the body. */
    private void walk(Contract.Operation operation, Fixture fixture, String media, JsonNode schema, List<Object> path)
            throws Exception {
        JsonNode resolved = concrete(schema);
        if (resolved.has("maxLength") && freeText(schema)) {
            int max = resolved.path("maxLength").asInt();
            bound(operation, fixture, media, path, text(max + 1), text(max));
        } else if (resolved.has("maxLength")) {
            // A uuid, date or code: the parser is the judge, and no value at the bound need be valid.
            bound(operation, fixture, media, path, text(resolved.path("maxLength").asInt() + 1), null);
        }
        if (resolved.has("maximum")) {
            long max = resolved.path("maximum").asLong();
            bound(operation, fixture, media, path, max + 1, max);
        }
        if (resolved.has("minimum")) {
            long min = resolved.path("minimum").asLong();
            bound(operation, fixture, media, path, min - 1, min);
        }
        if (resolved.has("maxItems")) {
            int max = resolved.path("maxItems").asInt();
            Object item = item(fixture, path, resolved.path("items"));
            bound(operation, fixture, media, path, repeat(item, max + 1), repeat(item, max));
        }
        if (concrete(resolved.path("items")).has("properties")) {
            List<Object> first = new ArrayList<>(path);
            first.add(0);
            walk(operation, fixture, media, resolved.path("items"), first);
        }
        for (Map.Entry<String, JsonNode> property : resolved.path("properties").properties()) {
            List<Object> below = new ArrayList<>(path);
            below.add(property.getKey());
            walk(operation, fixture, media, property.getValue(), below);
        }
    }

    /** A string any text fits (up to its length): no format, pattern or enum of its own or of what it refers to. */
    private boolean freeText(JsonNode schema) {
        List<JsonNode> forms = new ArrayList<>(List.of(schema, contract.resolve(schema)));
        schema.path("anyOf").forEach(member -> forms.add(contract.resolve(member)));
        return forms.stream().noneMatch(s -> s.has("format") || s.has("pattern") || s.has("enum"));
    }

    /** A property's schema: its $ref resolved, or the non-null member of anyOf. */
    private JsonNode concrete(JsonNode schema) {
        JsonNode resolved = contract.resolve(schema);
        for (JsonNode member : resolved.path("anyOf")) {
            if (!member.path("type").asText().equals("null")) {
                JsonNode target = contract.resolve(member);
                if (target.has("properties")) {
                    return target;
                }
            }
        }
        if (resolved.has("$ref")) {
            return contract.resolve(resolved);
        }
        return resolved;
    }

    /** Sends the fixture with {@code over} at {@code path} (expecting a problem naming it), then with {@code at}. */
    private void bound(Contract.Operation operation, Fixture fixture, String media, List<Object> path, Object over,
            Object at) throws Exception {
        checked++;
        String field = field(path);
        Response refused = send(operation, fixture, media, path, over);
        Optional<String> message = refusal(refused, field);
        if (message.isEmpty()) {
            failures.add(operation.key() + " " + field + " over its bound: " + refused.statusCode() + " "
                    + refused.asString());
            return;
        }
        if (at != null) {
            Response bounded = send(operation, fixture, media, path, at);
            if (refusal(bounded, field).equals(message)) {
                failures.add(operation.key() + " " + field + " at its bound is refused as over it: "
                        + message.get());
            }
        }
    }

    private Response send(Contract.Operation operation, Fixture fixture, String media, List<Object> path,
            Object value) throws Exception {
        Object body = JSON.readValue(JSON.writeValueAsString(fixture.body().get()), Object.class);
        body = set(body, path, value);
        return as(fixture.token()).contentType(media).headers(fixture.headers()).body(JSON.writeValueAsString(body))
                .request(operation.method(), fixture.path().apply(body));
    }

    /**
     * The message the answer refuses {@code field} with: a 4xx problem whose
     * errors name it (the message of that entry), or, for the body as a whole,
     * the problem's detail; empty when it does not refuse it.
     */
    private static Optional<String> refusal(Response response, String field) {
        if (response.statusCode() < 400 || response.statusCode() >= 500
                || !response.contentType().startsWith("application/problem+json")) {
            return Optional.empty();
        }
        if (field.isEmpty()) {
            return Optional.ofNullable(response.path("detail"));
        }
        List<Map<String, String>> errors = response.path("errors");
        if (errors == null) {
            String detail = response.path("detail");
            return detail != null && detail.contains(field) ? Optional.of(detail) : Optional.empty();
        }
        return errors.stream().filter(e -> e.get("field").equals(field)).map(e -> e.get("message")).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static Object set(Object body, List<Object> path, Object value) {
        if (path.isEmpty()) {
            return value;
        }
        Object parent = body;
        for (int i = 0; i < path.size() - 1; i++) {
            Object key = path.get(i);
            parent = key instanceof Integer index ? ((List<Object>) parent).get(index)
                    : ((Map<String, Object>) parent).computeIfAbsent((String) key, k -> new LinkedHashMap<>());
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer index) {
            ((List<Object>) parent).set(index, value);
        } else {
            ((Map<String, Object>) parent).put((String) last, value);
        }
        return body;
    }

    /** An item for a list at {@code path}: the fixture's first, or one the items' schema allows. */
    @SuppressWarnings("unchecked")
    private Object item(Fixture fixture, List<Object> path, JsonNode items) {
        Object current = fixture.body().get();
        for (Object key : path) {
            current = current == null ? null : key instanceof Integer index ? ((List<Object>) current).get(index)
                    : ((Map<String, Object>) current).get(key);
        }
        if (current instanceof List<?> list && !list.isEmpty()) {
            return list.get(0);
        }
        JsonNode schema = concrete(items);
        if (schema.has("enum")) {
            return schema.path("enum").get(0).asText();
        }
        return "uuid".equals(schema.path("format").asText()) ? UUID.randomUUID().toString() : "x";
    }

    private static List<Object> repeat(Object item, int times) {
        List<Object> list = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            list.add(item instanceof String s && s.length() == 36 && s.charAt(8) == '-' ? UUID.randomUUID().toString()
                    : item);
        }
        return list;
    }

    private static List<String> distinct(int count) {
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add("v" + i);
        }
        return values;
    }

    /** Letters only, random: unique where the field must be (an externalId, a pseudonym). */
    private static String text(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return text.toString();
    }

    /** The JSON path as the problems name it: `[0].location.commune`. */
    private static String field(List<Object> path) {
        StringBuilder field = new StringBuilder();
        for (Object key : path) {
            if (key instanceof Integer index) {
                field.append('[').append(index).append(']');
            } else {
                field.append(field.isEmpty() ? "" : ".").append(key);
            }
        }
        return field.toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Fixture> fixtures() {
        String reporter = Tokens.reporter(ORGANIZATION);
        String coordinator = Tokens.coordinator(ORGANIZATION);
        String incident = Api.createIncident(reporter, Api.incident("Calais"));
        String volunteer = Api.createVolunteer(coordinator, Api.unique("V"));
        Supplier<Object> full = () -> {
            Map<String, Object> body = Api.incident("Calais");
            body.put("externalId", Api.unique("HRO"));
            ((Map<String, Object>) body.get("location")).put("site", "rue des Verrotieres");
            body.put("forces", List.of("crs"));
            body.put("officerCount", 4);
            body.put("volunteerIds", List.of());
            body.put("description", "A narrative.");
            body.put("complaint", new HashMap<>(Map.of("status", "filed", "reference", "IGPN-1")));
            return body;
        };
        Map<String, String> any = Map.of("If-Match", "*");
        Map<String, Fixture> fixtures = new HashMap<>();
        fixtures.put("POST " + INCIDENTS, new Fixture(reporter, body -> INCIDENTS, full, Map.of()));
        fixtures.put("POST " + INCIDENTS + "/batch", new Fixture(reporter, body -> INCIDENTS + "/batch",
                () -> new ArrayList<>(List.of(full.get())), Map.of()));
        fixtures.put("PUT " + INCIDENTS + "/external/{externalId}", new Fixture(reporter,
                // The path's externalId is the body's, which the bound at hand changes.
                body -> INCIDENTS + "/external/" + ((Map<String, Object>) body).get("externalId"), full, Map.of()));
        fixtures.put("PUT " + INCIDENTS + "/{id}", new Fixture(reporter, body -> INCIDENTS + "/" + incident, full, any));
        fixtures.put("PATCH " + INCIDENTS + "/{id}", new Fixture(reporter, body -> INCIDENTS + "/" + incident, full,
                any));
        fixtures.put("PUT " + INCIDENTS + "/{id}/event", new Fixture(coordinator,
                body -> INCIDENTS + "/" + incident + "/event", () -> new HashMap<>(Map.of("code", "x")), Map.of()));
        fixtures.put("POST /api/v1/reports", new Fixture(coordinator, body -> "/api/v1/reports",
                () -> new HashMap<>(Map.of("from", "2018-01-01", "to", "2018-06-30")), Map.of()));
        Supplier<Object> person = () -> new HashMap<>(Map.of("pseudonym", Api.unique("V"), "gender", "female",
                "nationality", "GB"));
        fixtures.put("POST /api/v1/volunteers", new Fixture(coordinator, body -> "/api/v1/volunteers", person,
                Map.of()));
        fixtures.put("PUT /api/v1/volunteers/{id}", new Fixture(coordinator, body -> "/api/v1/volunteers/" + volunteer,
                person, any));
        return fixtures;
    }
}
