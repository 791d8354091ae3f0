package org.jointregistry.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Calls of the tenant-space API as partner tools make them, for tests. */
public final class Api {

    public static final String INCIDENTS = "/api/v1/incidents";
    public static final String VOLUNTEERS = "/api/v1/volunteers";

    private Api() {
    }

    /** A JSON request with a bearer token. */
    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** A name no other test run uses, so that tests sharing the database never see each other's rows. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A minimal valid incident in {@code commune} (mutable, to add or change fields). */
    public static Map<String, Object> incident(String commune) {
        Map<String, Object> body = new HashMap<>();
        body.put("occurredAt", "2018-03-14T18:30:00+01:00");
        body.put("categories", List.of("identity_check"));
        body.put("location", new HashMap<>(Map.of("commune", commune)));
        return body;
    }

    public static String createIncident(String token, Map<String, Object> body) {
        return as(token).body(body).post(INCIDENTS).then().statusCode(201).extract().path("id");
    }

    /**
     * Runs {@code call} on every item, four at a time (partner tools call
     * concurrently too); rethrows the first failure.
     */
    public static <T, R> List<R> inParallel(List<T> items, Function<T, R> call) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<R>> results = new ArrayList<>();
            for (T item : items) {
                results.add(pool.submit(() -> call.apply(item)));
            }
            List<R> out = new ArrayList<>();
            for (Future<R> result : results) {
                out.add(result.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    public static String createVolunteer(String coordinatorToken, String pseudonym) {
        return as(coordinatorToken).body(Map.of("pseudonym", pseudonym, "gender", "female"))
                .post(VOLUNTEERS).then().statusCode(201).extract().path("id");
    }
}
