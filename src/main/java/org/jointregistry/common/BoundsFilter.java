package org.jointregistry.common;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * States the bounds that follow from a value's form rather than from a field's
 * own rule (issue 18, OWASP API4:2023), so that every string, array and
 * integer of the contract is bounded: a uuid, date or date-time longer than
 * any the parser reads; a property that refers to a bounded schema (an enum,
 * a uuid) takes that schema's bound; every query parameter and request
 * header has the bounds {@link Parameters} and {@link ETags} enforce on every
 * value; a response's ETag is a version's; an int32 or int64 without a
 * declared range has its type's. A field's own rule is declared on its
 * record with {@code @Schema} and wins: this runs last and fills gaps only.
 */
@OpenApiFilter(value = OpenApiFilter.RunStage.BUILD, priority = Integer.MIN_VALUE)
public class BoundsFilter implements OASFilter {

    /** 8-4-4-4-12 hexadecimal digits. */
    static final int UUID_LENGTH = 36;
    /** Longer than any ISO 8601 date Jackson reads (a year of up to ten digits and its sign). */
    static final int DATE_MAX = 20;
    /** Longer than any ISO 8601 date-time with offset Jackson reads (nine fraction digits, offset seconds). */
    static final int DATE_TIME_MAX = 64;

    /** The URL length every browser and proxy supports; a request's path is shorter (Vert.x reads 4,096 bytes of line). */
    public static final int LOCATION_MAX = 2048;
    /**
     * A list the API does not page (a record's history, the volunteers of an
     * organisation, the rows of a breakdown): no bound but what an array can hold.
     */
    public static final int UNPAGED = Integer.MAX_VALUE;
    /** Keycloak's bound on usernames, subjects and role names. */
    public static final int USERNAME_MAX = 255;
    /** An organisation alias, as the organization table's CHECK allows it. */
    public static final int ALIAS_MAX = 63;
    /** A text of the registry's own (a problem's title, an organisation's name, a rule's version). */
    public static final int TEXT_MAX = 1000;
    /**
     * A statement of the joint report's rules (how it counts, suppresses, perturbs): the
     * counting rule of joint-report/3 has about 1,300 characters; a frozen snapshot keeps
     * its own, so the bound must hold every version's.
     */
    public static final int RULE_TEXT_MAX = 4000;
    /**
     * A field's JSON path or a problem's detail: they may echo a property name
     * the client sent, which Jackson reads up to 50,000 characters long.
     */
    public static final int FIELD_PATH_MAX = 60_000;

    /**
     * The bounds of lists' strings: the scanner reads no {@code @Schema} on a
     * type argument ({@code List<String>}), so they are stated here, by
     * schema and property.
     */
    private static final Map<String, Map<String, Integer>> ITEM_MAX = Map.of(
            "Me", Map.of("organizations", ALIAS_MAX, "roles", USERNAME_MAX),
            "SharedEvent", Map.of("organizations", ALIAS_MAX),
            "Counts", Map.of("groupBy", Parameters.VALUE_MAX),
            "ReportRules", Map.of("countedStatuses", Parameters.VALUE_MAX));

    private static final String REF_PREFIX = "#/components/schemas/";

    /**
     * An operation's parameters, and the schemas of its request and response
     * bodies; its response headers are bounded here (by name).
     */
    private static void gather(Operation operation, List<Parameter> parameters, List<Schema> roots) {
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            operation.getRequestBody().getContent().getMediaTypes().values()
                    .forEach(media -> roots.add(media.getSchema()));
        }
        if (operation.getResponses() == null) {
            return;
        }
        for (APIResponse response : operation.getResponses().getAPIResponses().values()) {
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((name, header) -> {
                    if (header.getSchema() != null && unbounded(header.getSchema())) {
                        header.getSchema().setMaxLength(responseHeaderMax(name));
                    }
                });
            }
            if (response.getContent() != null) {
                response.getContent().getMediaTypes().values().forEach(media -> roots.add(media.getSchema()));
            }
        }
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<String, Schema> named = openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null
                ? Map.of() : openAPI.getComponents().getSchemas();
        Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> parameters = new ArrayList<>();
        List<Schema> roots = new ArrayList<>(named.values());
        if (openAPI.getComponents() != null) {
            if (openAPI.getComponents().getParameters() != null) {
                parameters.addAll(openAPI.getComponents().getParameters().values());
            }
            if (openAPI.getComponents().getHeaders() != null) {
                openAPI.getComponents().getHeaders().values().forEach(header -> roots.add(header.getSchema()));
            }
        }
        if (openAPI.getPaths() != null) {
            openAPI.getPaths().getPathItems().values().stream()
                    .flatMap(item -> item.getOperations().values().stream())
                    .forEach(operation -> gather(operation, parameters, roots));
        }
        for (Parameter parameter : parameters) {
            Schema schema = parameter.getSchema();
            boolean bounded = parameter.getIn() == Parameter.In.QUERY || parameter.getIn() == Parameter.In.HEADER;
            if (schema != null && bounded) {
                if (is(schema, Schema.SchemaType.ARRAY) && schema.getMaxItems() == null) {
                    schema.setMaxItems(Parameters.VALUES_MAX);
                }
                Schema value = is(schema, Schema.SchemaType.ARRAY) ? schema.getItems() : schema;
                if (value != null && is(value, Schema.SchemaType.STRING) && unbounded(value)) {
                    value.setMaxLength(Parameters.VALUE_MAX);
                }
            }
            roots.add(schema);
        }
        ITEM_MAX.forEach((schema, properties) -> properties.forEach((property, max) -> {
            Schema list = named.get(schema).getProperties().get(property);
            list.getItems().setMaxLength(max);
        }));
        roots.stream().filter(Objects::nonNull).forEach(schema -> bound(schema, named, seen));
    }

    private static void bound(Schema schema, Map<String, Schema> named, Set<Schema> seen) {
        if (!seen.add(schema)) {
            return;
        }
        if (is(schema, Schema.SchemaType.STRING) && unbounded(schema)) {
            Integer max = formatMax(schema.getFormat());
            if (max == null) {
                max = referredMax(schema, named);
            }
            if (max != null) {
                schema.setMaxLength(max);
            }
        }
        if (is(schema, Schema.SchemaType.INTEGER) && "int64".equals(schema.getFormat())) {
            fill(schema, Long.MIN_VALUE, Long.MAX_VALUE);
        } else if (is(schema, Schema.SchemaType.INTEGER)) {
            fill(schema, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        children(schema).filter(Objects::nonNull).forEach(child -> bound(child, named, seen));
    }

    private static void fill(Schema schema, long min, long max) {
        if (schema.getMinimum() == null && schema.getExclusiveMinimum() == null) {
            schema.setMinimum(BigDecimal.valueOf(min));
        }
        if (schema.getMaximum() == null && schema.getExclusiveMaximum() == null) {
            schema.setMaximum(BigDecimal.valueOf(max));
        }
    }

    private static Stream<Schema> children(Schema schema) {
        Stream<Schema> properties = schema.getProperties() == null ? Stream.empty()
                : schema.getProperties().values().stream();
        return Stream.of(properties, Stream.ofNullable(schema.getItems()), all(schema.getAnyOf()),
                all(schema.getOneOf()), all(schema.getAllOf())).flatMap(s -> s);
    }

    private static Stream<Schema> all(Collection<Schema> schemas) {
        return schemas == null ? Stream.empty() : schemas.stream();
    }

    /** An ETag is a version's (`"2147483647"`); a Location is a URL of the registry's, kept to the common limit. */
    private static int responseHeaderMax(String name) {
        return name.equalsIgnoreCase("ETag") ? ETags.MAX_LENGTH : LOCATION_MAX;
    }

    private static Integer formatMax(String format) {
        if (format == null) {
            return null;
        }
        return switch (format) {
            case "uuid" -> UUID_LENGTH;
            case "date" -> DATE_MAX;
            case "date-time" -> DATE_TIME_MAX;
            default -> null;
        };
    }

    /** The bound of the schema a property refers to ($ref, or anyOf a $ref and null): its maxLength, or its longest value. */
    private static Integer referredMax(Schema schema, Map<String, Schema> named) {
        Stream<String> refs = Stream.concat(Stream.ofNullable(schema.getRef()),
                all(schema.getAnyOf()).map(Schema::getRef).filter(Objects::nonNull));
        return refs.map(ref -> named.get(ref.substring(REF_PREFIX.length()))).filter(Objects::nonNull)
                .map(target -> {
                    if (target.getMaxLength() != null) {
                        return target.getMaxLength();
                    }
                    if (target.getEnumeration() != null) {
                        return target.getEnumeration().stream().mapToInt(v -> String.valueOf(v).length()).max()
                                .orElse(0);
                    }
                    return formatMax(target.getFormat());
                })
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static boolean unbounded(Schema schema) {
        return schema.getMaxLength() == null && schema.getEnumeration() == null;
    }

    private static boolean is(Schema schema, Schema.SchemaType type) {
        return schema.getType() != null && schema.getType().contains(type);
    }
}
