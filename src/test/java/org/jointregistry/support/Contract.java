package org.jointregistry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committed contract, openapi/openapi.yaml, as tests read it: its
 * operations under /api, their parameters, bodies and declared roles, and
 * a validator of response bodies against its schemas. Tests that enumerate
 * operations from here cover an operation the day it is added.
 */
public final class Contract {

    private static final Path FILE = Path.of("openapi/openapi.yaml");
    /** Where the validator believes the document lives, so that its `#/components/...` references resolve. */
    private static final String DOCUMENT_URI = "https://contract.registry.test/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private static volatile Contract loaded;

    private final JsonNode document;
    private final SchemaRegistry schemas;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private Contract(JsonNode document) {
        this.document = document;
        try {
            String json = JSON.writeValueAsString(document);
            this.schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemas(Map.of(DOCUMENT_URI, json)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Contract load() {
        if (loaded == null) {
            try {
                loaded = new Contract(new ObjectMapper(new YAMLFactory()).readTree(FILE.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return loaded;
    }

    /** Every operation under /api, in the document's order. */
    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> {
            if (path.getKey().startsWith("/api/")) {
                path.getValue().properties().forEach(method -> {
                    if (METHODS.contains(method.getKey())) {
                        operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                                method.getValue()));
                    }
                });
            }
        });
        return operations;
    }

    /** A parameter of an operation, `$ref`s resolved. */
    public record Parameter(String name, String in, boolean required, JsonNode schema, JsonNode example) {
        public boolean repeatable() {
            return schema.path("type").asText().equals("array");
        }
    }

    /** One (method, path) of the document. */
    public final class Operation {
        private final String method;
        private final String path;
        private final JsonNode node;

        Operation(String method, String path, JsonNode node) {
            this.method = method;
            this.path = path;
            this.node = node;
        }

        public String method() {
            return method;
        }

        public String path() {
            return path;
        }

        /** `GET /api/v1/incidents/{id}`: how rules and reports name the operation. */
        public String key() {
            return method + " " + path;
        }

        public List<Parameter> parameters() {
            List<Parameter> parameters = new ArrayList<>();
            for (JsonNode parameter : node.path("parameters")) {
                JsonNode resolved = resolve(parameter);
                parameters.add(new Parameter(resolved.path("name").asText(), resolved.path("in").asText(),
                        resolved.path("required").asBoolean(false), resolved.path("schema"), resolved.path("example")));
            }
            return parameters;
        }

        public List<Parameter> parameters(String in) {
            return parameters().stream().filter(p -> p.in().equals(in)).toList();
        }

        /** The request body's media type, if the operation takes a body. */
        public Optional<String> requestMediaType() {
            return Optional.ofNullable(node.path("requestBody").path("content").fieldNames())
                    .filter(java.util.Iterator::hasNext).map(java.util.Iterator::next);
        }

        /** The request body's schema: a `#/components/schemas/` name, or "array of" one. */
        public Optional<JsonNode> requestSchema() {
            return requestMediaType().map(type -> node.path("requestBody").path("content").path(type).path("schema"));
        }

        /** Roles the document says the operation takes; empty for an operation open to anyone. */
        public Set<String> declaredRoles() {
            Set<String> roles = new LinkedHashSet<>();
            node.path("security").forEach(requirement -> requirement.path("bearer").forEach(r -> roles.add(r.asText())));
            return roles;
        }

        public boolean secured() {
            return node.has("security") && !node.path("security").isEmpty();
        }

        public boolean documentsStatus(int status) {
            return node.path("responses").has(String.valueOf(status));
        }

        /**
         * Schema violations of a response body, or the reason it cannot be
         * checked; empty when it conforms. Only JSON bodies are checked.
         */
        public List<String> responseViolations(int status, String contentType, String body) {
            if (!documentsStatus(status)) {
                return List.of("status " + status + " is not in the contract");
            }
            JsonNode response = resolve(node.path("responses").path(String.valueOf(status)));
            String mediaType = contentType == null ? "" : contentType.split(";")[0].trim();
            JsonNode content = response.path("content");
            if (!content.isEmpty() && !content.has(mediaType)) {
                return List.of("media type " + mediaType + " is not in the contract for " + status);
            }
            if (!mediaType.endsWith("json") || !content.path(mediaType).has("schema")) {
                return List.of();
            }
            JsonNode schemaNode = content.path(mediaType).path("schema");
            Schema schema = compiled.computeIfAbsent(key() + " " + status + " " + mediaType,
                    k -> schemas.getSchema(absoluteReferences(schemaNode), InputFormat.JSON));
            return schema.validate(body, InputFormat.JSON).stream().map(Object::toString).toList();
        }
    }

    /** The node a `$ref` (or a chain of them) names; the node itself when it is none. */
    public JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            current = document.at(current.path("$ref").asText().substring(1));
        }
        return current;
    }

    /** The schema as text, its `#/...` references made absolute so that they resolve in the whole document. */
    private static String absoluteReferences(JsonNode schema) {
        try {
            return JSON.writeValueAsString(schema).replace("\"$ref\":\"#/", "\"$ref\":\"" + DOCUMENT_URI + "#/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
