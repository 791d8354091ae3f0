package org.jointregistry.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.stack.RegistryStack;
import org.junit.jupiter.api.Test;

/**
 * The schema the migrations build, as one golden text: an EMPTY database is
 * migrated with the service's own Flyway configuration (locations,
 * placeholders, callbacks) and its catalogue (schema and table grants, tables
 * and columns with their grants and row-level security flags, constraints,
 * indexes, policies, views, functions with their grants, triggers, sequences,
 * types and the seeded lookup data) must equal
 * {@value #CATALOGUE}.
 *
 * <p>A deliberate schema change updates that file in the same commit:
 * {@code ./mvnw test -Dtest=SchemaCatalogueTest -Dcatalogue.write=true}
 * rewrites it from the migrations, and the diff shows what the change did to
 * the database.
 */
@QuarkusTest
class SchemaCatalogueTest {

    static final String CATALOGUE = "src/test/resources/db/schema-catalogue.txt";

    /** Each query gives one line per object: a key, then the object's description (later columns). */
    private static final List<Section> SECTIONS = List.of(
            new Section("schema", """
                    SELECT n.nspname, pg_get_userbyid(n.nspowner), ARRAY(SELECT unnest(n.nspacl)::text ORDER BY 1)
                    FROM pg_namespace n WHERE n.nspname = current_schema()"""),
            new Section("relation", """
                    SELECT c.relname, c.relkind, pg_get_userbyid(c.relowner),
                           CASE WHEN c.relrowsecurity THEN 'rls' ELSE 'no rls' END,
                           CASE WHEN c.relforcerowsecurity THEN 'forced' ELSE 'not forced' END,
                           ARRAY(SELECT unnest(c.relacl)::text ORDER BY 1)
                    FROM pg_class c
                    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'c')
                      AND c.relname NOT LIKE 'flyway_schema_history%'
                    ORDER BY 1"""),
            new Section("column", """
                    SELECT c.relname || '.' || lpad(row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum)::text, 2, '0')
                               || ' ' || a.attname,
                           format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END,
                           coalesce(pg_get_expr(d.adbin, d.adrelid), 'no default'),
                           ARRAY(SELECT unnest(a.attacl)::text ORDER BY 1)
                    FROM pg_attribute a
                    JOIN pg_class c ON c.oid = a.attrelid
                    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'c')
                      AND c.relname NOT LIKE 'flyway_schema_history%' AND a.attnum > 0 AND NOT a.attisdropped
                    ORDER BY 1"""),
            new Section("constraint", """
                    SELECT r.conrelid::regclass::text || ' ' || r.conname, pg_get_constraintdef(r.oid)
                    FROM pg_constraint r
                    WHERE r.connamespace = current_schema()::regnamespace
                      AND r.conrelid::regclass::text NOT LIKE 'flyway_schema_history%'
                    ORDER BY 1"""),
            new Section("index", """
                    SELECT tablename || ' ' || indexname, indexdef FROM pg_indexes
                    WHERE schemaname = current_schema() AND tablename NOT LIKE 'flyway_schema_history%'
                    ORDER BY 1"""),
            new Section("policy", """
                    SELECT tablename || ' ' || policyname, permissive, roles::text[]::text, cmd,
                           coalesce(qual, 'no using'), coalesce(with_check, 'no with check')
                    FROM pg_policies WHERE schemaname = current_schema() ORDER BY 1"""),
            new Section("view", """
                    SELECT c.relname, pg_get_viewdef(c.oid, true) FROM pg_class c
                    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('v', 'm') ORDER BY 1"""),
            new Section("function", """
                    SELECT p.oid::regprocedure::text, pg_get_userbyid(p.proowner),
                           ARRAY(SELECT unnest(coalesce(p.proacl, acldefault('f', p.proowner)))::text ORDER BY 1),
                           pg_get_functiondef(p.oid)
                    FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace ORDER BY 1"""),
            new Section("trigger", """
                    SELECT t.tgrelid::regclass::text || ' ' || t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t
                    JOIN pg_class c ON c.oid = t.tgrelid
                    WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal ORDER BY 1"""),
            new Section("sequence", """
                    SELECT s.sequencename, s.data_type::text, s.start_value, s.increment_by, s.cycle
                    FROM pg_sequences s WHERE s.schemaname = current_schema() ORDER BY 1"""),
            new Section("data organization", "SELECT alias, name FROM organization ORDER BY 1"),
            new Section("data aggregate_category", "SELECT category, category_group FROM aggregate_category ORDER BY 1"));

    @Inject
    Flyway flyway;

    @Test
    void theMigrationsBuildTheCataloguedSchema() throws Exception {
        String actual = catalogue(migratedEmptyDatabase());
        Path file = Path.of(CATALOGUE);
        if (Boolean.getBoolean("catalogue.write")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
                "The migrations no longer build " + CATALOGUE + ". If the change is deliberate, regenerate it with "
                        + "-Dcatalogue.write=true and commit the diff with the migration.");
    }

    /** A database of its own, created empty and migrated as the service migrates at start. */
    private String migratedEmptyDatabase() {
        LocalStack.Postgres postgres = RegistryStack.server();
        String database = RegistryStack.database() + "_catalogue";
        RegistryStack.migrateEmpty(flyway, postgres, database);
        return postgres.jdbcUrl(database);
    }

    private static String catalogue(String url) throws SQLException, IOException {
        StringBuilder text = new StringBuilder();
        try (Connection db = java.sql.DriverManager.getConnection(url, config("registry.test.pg-admin-user"),
                ConfigProvider.getConfig().getOptionalValue("registry.test.pg-admin-password", String.class)
                        .orElse(""));
                Statement sql = db.createStatement()) {
            for (Section section : SECTIONS) {
                try (ResultSet rows = sql.executeQuery(section.query())) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        List<String> parts = new ArrayList<>();
                        for (int c = 1; c <= columns; c++) {
                            parts.add(normalised(rows.getString(c)));
                        }
                        text.append(section.name()).append(' ').append(parts.get(0));
                        for (String part : parts.subList(1, parts.size())) {
                            text.append(part.contains("\n") ? "\n    " + part.replace("\n", "\n    ") : " | " + part);
                        }
                        text.append('\n');
                    }
                }
            }
        }
        return text.toString();
    }

    /**
     * Layout is not meaning: every line trimmed, blank lines dropped, so a
     * re-indented function body compares equal while any change of its words
     * does not.
     */
    private static String normalised(String value) {
        if (value == null) {
            return "null";
        }
        return Arrays.stream(value.split("\n")).map(String::strip).filter(line -> !line.isEmpty())
                .collect(Collectors.joining("\n"));
    }

    private static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }

    private record Section(String name, String query) {
    }
}
