package org.jointregistry.incident;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** Keyset pagination and filters of GET /incidents. */
@QuarkusTest
class IncidentListTest {

    private final String reporter = Tokens.reporter("utopia-56");

    private record Created(String id, OffsetDateTime occurredAt) {
    }

    private Created create(String commune, String occurredAt, Map<String, Object> fields) {
        Map<String, Object> body = incident(commune);
        body.put("occurredAt", occurredAt);
        body.putAll(fields);
        return new Created(createIncident(reporter, body), OffsetDateTime.parse(occurredAt));
    }

    private List<String> ids(String query) {
        return as(reporter).get(INCIDENTS + "?limit=500&" + query).then().statusCode(200)
                .extract().path("items.id");
    }

    @Test
    void pagesFollowOccurredAtDescendingThenIdWithoutGapsOrRepeats() {
        String commune = unique("Pages");
        List<Created> created = new ArrayList<>();
        for (String at : List.of("2018-03-01T10:00:00+01:00", "2018-03-05T10:00:00+01:00", "2018-03-03T10:00:00Z",
                "2018-03-05T09:00:00Z", "2018-03-05T09:00:00Z", "2018-02-28T23:59:59-05:00",
                "2018-03-05T10:00:00+01:00")) {
            created.add(create(commune, at, Map.of()));
        }
        // Ties in time go by id as PostgreSQL orders uuids: by their bytes, unsigned, that is by their hex text.
        List<String> expected = created.stream()
                .sorted(Comparator.comparing((Created c) -> c.occurredAt().toInstant()).reversed()
                        .thenComparing(Created::id))
                .map(Created::id).toList();

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            Response page = as(reporter).queryParam("commune", commune).queryParam("limit", 3)
                    .queryParam("cursor", cursor == null ? "" : cursor).get(INCIDENTS);
            page.then().statusCode(200);
            List<String> ids = page.path("items.id");
            seen.addAll(ids);
            sizes.add(ids.size());
            cursor = page.path("nextCursor");
        } while (cursor != null);

        assertEquals(expected, seen);
        assertEquals(List.of(3, 3, 1), sizes);
    }

    @Test
    void defaultPageHoldsFiftyAndSaysThereIsMore() {
        String commune = unique("Many");
        for (int i = 0; i < 51; i++) {
            create(commune, "2018-03-01T10:00:00+01:00", Map.of());
        }
        as(reporter).queryParam("commune", commune).get(INCIDENTS).then().statusCode(200)
                .body("items.size()", equalTo(50))
                .body("nextCursor", notNullValue());
        as(reporter).queryParam("commune", commune).queryParam("limit", 51).get(INCIDENTS).then().statusCode(200)
                .body("items.size()", equalTo(51))
                .body("nextCursor", nullValue());
    }

    @Test
    void filtersNarrowTheListAndRepeatedValuesMatchAnyOfThem() {
        String commune = unique("Filters");
        String a = create(commune, "2018-03-01T10:00:00+01:00", Map.of("categories", List.of("identity_check"),
                "forces", List.of("crs"))).id();
        String b = create(commune, "2018-04-10T12:00:00+02:00", Map.of("categories", List.of("fine"),
                "forces", List.of("gendarmerie"), "status", "draft")).id();
        String c = create(commune, "2018-05-21T00:30:00+02:00", Map.of("categories", List.of("threat", "fine"),
                "forces", List.of("crs", "police_nationale"), "status", "verified")).id();
        String in = "commune=" + commune + "&";

        assertEquals(List.of(c, b), ids(in + "category=fine"));
        assertEquals(List.of(c, b), ids(in + "category=fine&category=threat"));
        assertEquals(List.of(c, a), ids(in + "force=crs"));
        assertEquals(List.of(c), ids(in + "category=fine&force=crs"));
        assertEquals(List.of(b), ids(in + "status=draft"));
        assertEquals(List.of(c, a), ids(in + "status=submitted&status=verified"));
        assertEquals(List.of(c, b), ids(in + "from=2018-04-01"));
        // A date `to` includes that whole day (Europe/Paris); a date-time `to` excludes that instant.
        assertEquals(List.of(b, a), ids(in + "to=2018-04-10"));
        assertEquals(List.of(a), ids(in + "to=2018-04-10T10:00:00Z"));
        assertEquals(List.of(b), ids(in + "from=2018-04-10T10:00:00Z&to=2018-05-20"));
        // c happened on the 21st in Paris, though on the 20th in UTC.
        assertEquals(List.of(c), ids(in + "from=2018-05-21&to=2018-05-21"));
        as(reporter).queryParam("commune", commune.toUpperCase()).get(INCIDENTS).then()
                .body("items.id", containsInAnyOrder(a, b, c));
    }

    @Test
    void everyBadParameterIsNamedInOne400() {
        as(reporter).get(INCIDENTS + "?limit=0&from=yesterday&to=2018-13-01&category=nope&status=closed"
                + "&force=swat&cursor=not-a-cursor")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-parameter"))
                .body("errors.field", hasItems("limit", "from", "to", "category", "status", "force", "cursor"));
        for (String limit : List.of("501", "abc", "-1")) {
            as(reporter).queryParam("limit", limit).get(INCIDENTS).then().statusCode(400)
                    .body("errors.field", containsInAnyOrder("limit"));
        }
    }
}
