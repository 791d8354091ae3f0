package org.jointregistry.sync;

import static org.hamcrest.Matchers.equalTo;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jointregistry.support.Db;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** POST /incidents/batch: up to 1,000 incidents, all or nothing. */
@QuarkusTest
class BatchTest {

    private static final String ORG = "help-refugees";
    private static final String BATCH = INCIDENTS + "/batch";

    private static List<Map<String, Object>> items(String commune, int count) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> item = incident(commune);
            item.put("externalId", commune + "-" + i);
            items.add(item);
        }
        return items;
    }

    private static long stored(String commune) {
        return ((Number) Db.row("SELECT count(*) AS n FROM incident WHERE commune = ?", commune).orElseThrow()
                .get("n")).longValue();
    }

    @Test
    void aThousandIncidentsAreCreatedInOrder() {
        String commune = unique("Batch");
        String token = Tokens.reporter(ORG);
        List<Map<String, Object>> items = items(commune, 1000);
        as(token).body(items(unique("Warm"), 10)).post(BATCH).then().statusCode(201);

        long started = System.nanoTime();
        List<String> ids = as(token).body(items).post(BATCH).then().statusCode(201).extract().path("ids");
        double seconds = (System.nanoTime() - started) / 1e9;

        System.out.printf("[batch] 1000 incidents over HTTP in %.0f ms: %.0f incidents/s%n", seconds * 1000,
                1000 / seconds);
        assertEquals(1000, ids.size());
        assertEquals(1000, stored(commune));
        as(token).get(INCIDENTS + "/" + ids.get(999)).then().statusCode(200)
                .body("externalId", equalTo(commune + "-999"));
    }

    @Test
    void moreThanAThousandIsRefused() {
        String commune = unique("TooMany");
        as(Tokens.reporter(ORG)).body(items(commune, 1001)).post(BATCH).then().statusCode(413)
                .body("type", equalTo("/problems/payload-too-large"));
        assertEquals(0, stored(commune));
    }

    @Test
    void oneBadItemInTheMiddleWritesNothingAndIsNamed() {
        String commune = unique("BadItem");
        List<Map<String, Object>> items = items(commune, 20);
        items.get(10).put("officerCount", 900);
        items.get(12).put("categories", List.of());

        as(Tokens.reporter(ORG)).body(items).post(BATCH).then().statusCode(422)
                .body("errors.size()", equalTo(2))
                .body("errors[0].field", equalTo("[10].officerCount"))
                .body("errors[1].field", equalTo("[12].categories"));
        assertEquals(0, stored(commune));
    }
}
