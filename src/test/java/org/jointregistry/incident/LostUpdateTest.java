package org.jointregistry.incident;

import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.incident;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** Two clients change the same version at the same moment: exactly one wins, nothing is lost silently. */
@QuarkusTest
class LostUpdateTest {

    private static final int ROUNDS = 5;

    private final String first = Tokens.reporter("utopia-56");
    private final String second = Tokens.syncClient("utopia-56");

    @Test
    void concurrentReplacementsWithTheSameETag() {
        race(id -> as(first).header("If-Match", "\"1\"").body(incident("Calais")).put(INCIDENTS + "/" + id),
                id -> as(second).header("If-Match", "\"1\"").body(incident("Dunkerque")).put(INCIDENTS + "/" + id));
    }

    @Test
    void concurrentPatchAndReplacementWithTheSameETag() {
        race(id -> as(first).header("If-Match", "\"1\"").contentType("application/merge-patch+json")
                        .body("{\"officerCount\": 3}").patch(INCIDENTS + "/" + id),
                id -> as(second).header("If-Match", "\"1\"").body(incident("Dunkerque")).put(INCIDENTS + "/" + id));
    }

    private void race(Function<String, Response> one, Function<String, Response> other) {
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Object> original = incident("Grande-Synthe");
            String id = createIncident(first, original);
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Response>> updates = new ArrayList<>();
            for (Function<String, Response> update : List.of(one, other)) {
                updates.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return update.apply(id);
                }));
            }
            start.countDown();
            List<Integer> statuses = updates.stream().map(CompletableFuture::join).map(Response::statusCode)
                    .sorted().toList();

            assertEquals(List.of(200, 412), statuses);
            Response history = as(first).get(INCIDENTS + "/" + id + "/history");
            assertEquals(List.of("create", "update"), history.path("items.action"));
            as(first).get(INCIDENTS + "/" + id).then().statusCode(200).header("ETag", "\"2\"");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
