package org.jointregistry.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A valid request body for every request schema of the contract, with every
 * optional field filled in, so that tests which enumerate operations can
 * send each one a body it accepts (and mutate it into hostile ones).
 */
public final class Samples {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMAS = "#/components/schemas/";

    private Samples() {
    }

    /**
     * The valid body of {@code operation}, empty if it takes none; names
     * {@code volunteerId} (one of the caller's organisation's volunteers,
     * or null for none). Fails naming a schema it has no sample for.
     */
    public static Optional<byte[]> body(Contract.Operation operation, String volunteerId) {
        return operation.requestSchema().map(schema -> {
            Object body = sample(operation, schema, volunteerId);
            if (body instanceof String text) {
                return text.getBytes(StandardCharsets.UTF_8);
            }
            try {
                return JSON.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The query parameters the operation requires, each with the contract's example value(s). */
    public static Map<String, List<String>> requiredQuery(Contract.Operation operation) {
        Map<String, List<String>> query = new HashMap<>();
        for (Contract.Parameter parameter : operation.parameters("query")) {
            if (parameter.required()) {
                if (parameter.example().isMissingNode()) {
                    throw new IllegalStateException(operation.key() + " requires " + parameter.name()
                            + " but the contract gives no example of it");
                }
                List<String> values = new ArrayList<>();
                (parameter.example().isArray() ? parameter.example() : JSON.createArrayNode().add(parameter.example()))
                        .forEach(value -> values.add(value.asText()));
                query.put(parameter.name(), values);
            }
        }
        return query;
    }

    private static Object sample(Contract.Operation operation, JsonNode schema, String volunteerId) {
        if (schema.path("type").asText().equals("array")) {
            return List.of(sample(operation, schema.path("items"), volunteerId));
        }
        String name = schema.path("$ref").asText().replace(SCHEMAS, "");
        if (operation.requestMediaType().orElseThrow().equals("text/csv")) {
            return csv();
        }
        return switch (name) {
            // The upsert's path names the externalId; a body may leave it out.
            // A merge patch may set every writable field, as a full body does.
            case "IncidentInput", "IncidentPatch" -> incident(volunteerId, !operation.path().contains("{externalId}"));
            case "VolunteerInput" -> Map.of("pseudonym", Api.unique("V"), "gender", "non_binary",
                    "nationality", "SD");
            case "SnapshotRequest" -> Map.of("from", "2018-01-01", "to", "2018-06-30");
            // Well-formed, and (128 random bits) no code that was ever issued.
            case "LinkCodeRedemption" -> Map.of("code", Api.unique("code"));
            default -> throw new IllegalStateException("No valid sample body for " + operation.key() + " (schema "
                    + schema + "): add one to " + Samples.class.getName());
        };
    }

    /** An incident with every field set. */
    public static Map<String, Object> incident(String volunteerId, boolean withExternalId) {
        Map<String, Object> body = new HashMap<>(Api.incident("Calais"));
        if (withExternalId) {
            body.put("externalId", Api.unique("EXT"));
        }
        body.put("location", Map.of("commune", "Calais", "site", "rue des Verrotières", "latitude", 50.951,
                "longitude", 1.858));
        body.put("categories", List.of("identity_check", "body_search"));
        body.put("forces", List.of("crs"));
        body.put("officerCount", 4);
        body.put("volunteerIds", volunteerId == null ? List.of() : List.of(volunteerId));
        body.put("description", "Checked twice in one hour.");
        body.put("complaint", Map.of("status", "filed", "body", "igpn", "filedOn", "2018-03-20",
                "reference", "IGPN-1"));
        body.put("status", "submitted");
        return body;
    }

    /** A one-row sheet in the import's documented columns. */
    public static String csv() {
        return "externalId,occurredAt,commune,site,latitude,longitude,categories,forces,officerCount,description,"
                + "complaintStatus,complaintBody,complaintFiledOn,complaintReference,status\r\n"
                + Api.unique("CSV") + ",2018-03-14T18:30:00+01:00,Calais,quai,50.95,1.85,identity_check|fine,crs,3,"
                + "\"Stopped, searched\",filed,igpn,2018-03-20,R-1,submitted\r\n";
    }
}
