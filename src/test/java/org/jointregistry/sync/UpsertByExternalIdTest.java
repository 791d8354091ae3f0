package org.jointregistry.sync;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.jointregistry.support.Db;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** PUT /incidents/external/{externalId}: create or replace by the partner's own id. */
@QuarkusTest
class UpsertByExternalIdTest {

    private static final String ORG = "auberge-des-migrants";

    private static long revisions(String id) {
        return ((Number) Db.row("SELECT count(*) AS n FROM incident_revision WHERE incident_id = ?::uuid", id)
                .orElseThrow().get("n")).longValue();
    }

    @Test
    void createsThenReplacesAndARepeatChangesNothing() {
        String token = Tokens.reporter(ORG);
        String externalId = unique("ext");
        String path = INCIDENTS + "/external/" + externalId;
        Map<String, Object> body = incident(unique("Upsert"));

        Response created = as(token).body(body).put(path);
        created.then().statusCode(201).body("externalId", equalTo(externalId)).body("version", equalTo(1));
        String id = created.path("id");
        created.then().header("Location", endsWith(INCIDENTS + "/" + id));

        body.put("officerCount", 5);
        as(token).body(body).put(path).then().statusCode(200).body("id", equalTo(id)).body("version", equalTo(2))
                .header("ETag", "\"2\"");
        as(token).body(body).put(path).then().statusCode(200).body("version", equalTo(2));
        assertEquals(2, revisions(id));
    }

    @Test
    void ifMatchIsCheckedWhenGiven() {
        String token = Tokens.reporter(ORG);
        String path = INCIDENTS + "/external/" + unique("ext");
        Map<String, Object> body = incident(unique("Upsert"));
        as(token).header("If-Match", "\"1\"").body(body).put(path).then().statusCode(412);
        as(token).body(body).put(path).then().statusCode(201);

        body.put("officerCount", 2);
        as(token).header("If-Match", "\"7\"").body(body).put(path).then().statusCode(412);
        as(token).header("If-Match", "\"1\"").body(body).put(path).then().statusCode(200).body("version", equalTo(2));
    }

    @Test
    void aBodyNamingAnotherExternalIdIs422() {
        Map<String, Object> body = incident(unique("Upsert"));
        body.put("externalId", "something-else");
        as(Tokens.reporter(ORG)).body(body).put(INCIDENTS + "/external/" + unique("ext")).then().statusCode(422)
                .body("errors[0].field", equalTo("externalId"));
    }

    @Test
    void concurrentUpsertsOfANewExternalIdCreateOne() {
        String token = Tokens.reporter(ORG);
        String externalId = unique("race");
        String commune = unique("Race");
        List<Integer> statuses = org.jointregistry.support.Api.inParallel(List.of(1, 2, 3, 4),
                n -> as(token).body(incident(commune)).put(INCIDENTS + "/external/" + externalId).statusCode());

        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(3, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(1L, ((Number) Db.row("SELECT count(*) AS n FROM incident WHERE external_id = ?", externalId)
                .orElseThrow().get("n")).longValue());
    }
}
