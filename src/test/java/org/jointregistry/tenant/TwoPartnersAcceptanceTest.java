package org.jointregistry.tenant;

import static org.hamcrest.Matchers.equalTo;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.VOLUNTEERS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createVolunteer;
import static org.jointregistry.support.Api.inParallel;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * The acceptance check, from outside: two partners fill their spaces
 * through the public API; every cross-tenant call answers 404, every own call
 * works, an analyst gets 403, and nothing one partner wrote changed because of
 * the other.
 */
@QuarkusTest
class TwoPartnersAcceptanceTest {

    private static final int INCIDENTS_EACH = 100;
    private static final int VOLUNTEERS_EACH = 4;
    private static final String[] CATEGORIES = { "identity_check", "body_search", "fine", "threat", "insult" };
    private static final String[] FORCES = { "crs", "police_nationale", "gendarmerie", "police_municipale" };

    /** One partner's space as it fills it. */
    private static final class Partner {
        final String alias;
        final String commune = unique("Acceptance");
        final List<String> volunteers = new ArrayList<>();
        final List<String> incidents = new ArrayList<>();

        Partner(String alias) {
            this.alias = alias;
        }

        String reporter() {
            return Tokens.reporter(alias);
        }

        String coordinator() {
            return Tokens.coordinator(alias);
        }

        /** Every incident of the partner's commune as the API returns it, by id, read page by page. */
        Map<String, String> snapshot() {
            Map<String, String> byId = new HashMap<>();
            String cursor = "";
            do {
                Response page = as(reporter()).queryParam("commune", commune).queryParam("limit", 100)
                        .queryParam("cursor", cursor).get(INCIDENTS);
                page.then().statusCode(200);
                List<Map<String, Object>> items = page.path("items");
                items.forEach(item -> byId.put((String) item.get("id"), item.toString()));
                cursor = page.path("nextCursor");
            } while (cursor != null);
            return byId;
        }
    }

    private static void fill(Partner partner) {
        for (int v = 0; v < VOLUNTEERS_EACH; v++) {
            partner.volunteers.add(createVolunteer(partner.coordinator(), unique("V")));
        }
        List<Integer> numbers = IntStream.range(0, INCIDENTS_EACH).boxed().toList();
        partner.incidents.addAll(inParallel(numbers, n -> {
            Map<String, Object> body = new HashMap<>();
            body.put("externalId", partner.alias + "-" + n + "-" + partner.commune);
            body.put("occurredAt", "2018-%02d-%02dT%02d:15:00+01:00".formatted(1 + n % 8, 1 + n % 28, n % 24));
            body.put("location", Map.of("commune", partner.commune, "site", "site " + n));
            body.put("categories", List.of(CATEGORIES[n % CATEGORIES.length]));
            body.put("forces", List.of(FORCES[n % FORCES.length]));
            body.put("officerCount", n % 12);
            body.put("volunteerIds", List.of(partner.volunteers.get(n % partner.volunteers.size())));
            body.put("description", "narrative " + n + " of " + partner.alias);
            return as(partner.reporter()).body(body).post(INCIDENTS).then().statusCode(201)
                    .body("organization", equalTo(partner.alias)).extract().<String>path("id");
        }));
    }

    @Test
    void twoPartnersShareNothingButTheRegistry() {
        Partner p = new Partner("refugee-info-bus");
        Partner q = new Partner("refugee-womens-centre");
        long started = System.nanoTime();
        fill(p);
        fill(q);
        long filled = System.nanoTime();
        Map<String, String> pBefore = p.snapshot();
        Map<String, String> qBefore = q.snapshot();
        assertEquals(new HashSet<>(p.incidents), pBefore.keySet());
        assertEquals(new HashSet<>(q.incidents), qBefore.keySet());

        long crossing = System.nanoTime();
        crossTenantCallsAllAnswer404(p, q);
        crossTenantCallsAllAnswer404(q, p);
        System.out.printf("[acceptance] %d incidents created in %d ms; %d cross-tenant calls in %d ms%n",
                2 * INCIDENTS_EACH, (filled - started) / 1_000_000, 2 * (2 * INCIDENTS_EACH + 3 * VOLUNTEERS_EACH),
                (System.nanoTime() - crossing) / 1_000_000);
        listsHoldOnlyOwnIncidents(p, q);
        listsHoldOnlyOwnIncidents(q, p);
        analystsGet403(p);

        assertEquals(pBefore, p.snapshot());
        assertEquals(qBefore, q.snapshot());
        p.volunteers.forEach(id -> as(p.reporter()).get(VOLUNTEERS + "/" + id).then().statusCode(200)
                .body("version", equalTo(1)));

        ownCallsWork(p);
        ownCallsWork(q);
    }

    /**
     * {@code intruder} reads every incident of {@code owner}, and tries on
     * each one of the other record calls in turn (each kind on a quarter of them).
     */
    private static void crossTenantCallsAllAnswer404(Partner owner, Partner intruder) {
        List<Function<String, Response>> calls = List.of(
                id -> as(intruder.reporter()).get(INCIDENTS + "/" + id),
                id -> as(intruder.reporter()).header("If-Match", "\"1\"")
                        .body(Map.of("occurredAt", "2018-03-01T10:00:00Z", "categories", List.of("fine")))
                        .put(INCIDENTS + "/" + id),
                id -> as(intruder.reporter()).header("If-Match", "\"1\"").contentType("application/merge-patch+json")
                        .body("{\"status\": \"retracted\"}").patch(INCIDENTS + "/" + id),
                id -> as(intruder.coordinator()).delete(INCIDENTS + "/" + id),
                id -> as(intruder.reporter()).get(INCIDENTS + "/" + id + "/history"));
        List<Integer> indexes = IntStream.range(0, owner.incidents.size()).boxed().toList();
        inParallel(indexes, n -> {
            String id = owner.incidents.get(n);
            for (Function<String, Response> call : List.of(calls.get(0), calls.get(1 + n % (calls.size() - 1)))) {
                Response answer = call.apply(id);
                assertEquals(404, answer.statusCode(), answer.asString());
                assertEquals("/problems/not-found", answer.path("type"));
            }
            return id;
        });
        for (String id : owner.volunteers) {
            assertEquals(404, as(intruder.reporter()).get(VOLUNTEERS + "/" + id).statusCode());
            assertEquals(404, as(intruder.coordinator()).body(Map.of("pseudonym", "taken", "gender", "male"))
                    .put(VOLUNTEERS + "/" + id).statusCode());
            assertEquals(404, as(intruder.coordinator()).delete(VOLUNTEERS + "/" + id + "?detach=true").statusCode());
        }
    }

    private static void listsHoldOnlyOwnIncidents(Partner reader, Partner other) {
        Set<String> seen = new HashSet<>();
        String cursor = "";
        do {
            Response page = as(reader.reporter()).queryParam("limit", 500).queryParam("cursor", cursor)
                    .get(INCIDENTS);
            List<String> organizations = page.path("items.organization");
            assertTrue(organizations.stream().allMatch(reader.alias::equals));
            seen.addAll(page.path("items.id"));
            cursor = page.path("nextCursor");
        } while (cursor != null);
        assertTrue(seen.containsAll(reader.incidents));
        assertTrue(other.incidents.stream().noneMatch(seen::contains));
        List<String> filtered = as(reader.reporter()).queryParam("commune", other.commune).get(INCIDENTS)
                .path("items.id");
        assertEquals(List.of(), filtered, "filtering on the other partner's commune");
        List<String> volunteers = as(reader.reporter()).get(VOLUNTEERS).path("items.id");
        assertTrue(other.volunteers.stream().noneMatch(volunteers::contains));
    }

    private static void analystsGet403(Partner partner) {
        String analyst = Tokens.analyst();
        assertEquals(403, as(analyst).get(INCIDENTS).statusCode());
        assertEquals(403, as(analyst).get(INCIDENTS + "/" + partner.incidents.get(0)).statusCode());
        assertEquals(403, as(analyst).get(INCIDENTS + "/" + partner.incidents.get(0) + "/history").statusCode());
        assertEquals(403, as(analyst).get(VOLUNTEERS).statusCode());
    }

    private static void ownCallsWork(Partner partner) {
        String id = partner.incidents.get(0);
        String path = INCIDENTS + "/" + id;
        as(partner.reporter()).get(path).then().statusCode(200).header("ETag", "\"1\"");
        as(partner.reporter()).header("If-Match", "\"1\"").contentType("application/merge-patch+json")
                .body("{\"status\": \"verified\"}").patch(path).then().statusCode(200)
                .body("status", equalTo("verified"));
        as(partner.reporter()).header("If-Match", "\"2\"")
                .body(Map.of("occurredAt", "2018-03-01T10:00:00+01:00", "categories", List.of("fine"),
                        "location", Map.of("commune", partner.commune)))
                .put(path).then().statusCode(200).header("ETag", "\"3\"");
        as(partner.coordinator()).delete(path).then().statusCode(204);
        as(partner.reporter()).get(path + "/history").then().statusCode(200)
                .body("items.action", equalTo(List.of("create", "update", "update", "delete")));
        as(partner.reporter()).get(path).then().statusCode(404);
    }
}
