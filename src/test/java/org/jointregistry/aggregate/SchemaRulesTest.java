package org.jointregistry.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jointregistry.audit.RevisionAction;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.CategoryGroup;
import org.jointregistry.taxonomy.Coded;
import org.jointregistry.taxonomy.ComplaintBody;
import org.jointregistry.taxonomy.ComplaintStatus;
import org.jointregistry.taxonomy.Gender;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;
import org.junit.jupiter.api.Test;

/**
 * The rules written both in Java and in the schema agree. The allowed codes
 * are the Java enums' (org.jointregistry.taxonomy) and the migrated schema's
 * CHECK constraints and aggregate_category lookup: read back from
 * pg_constraint and the table of the migrated test database, they must be the
 * same sets. The rules fed to the SQL as placeholders (reporting zone, counted
 * statuses, lodged complaint statuses; {@link SchemaPlaceholders}) must never
 * be spelled in the migrations themselves, or a change of the Java would leave
 * a stale copy behind.
 */
@QuarkusTest
class SchemaRulesTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /** Each column whose CHECK lists allowed codes, with the Java enum that is its twin. */
    private static final Map<String, Set<String>> TWINS = Map.of(
            "volunteer.gender", codes(Gender.values()),
            "incident.categories", codes(Category.values()),
            "incident.forces", codes(PoliceForce.values()),
            "incident.status", codes(IncidentStatus.values()),
            "incident.complaint_status", codes(ComplaintStatus.values()),
            "incident.complaint_body", codes(ComplaintBody.values()),
            "incident_revision.action",
            Arrays.stream(RevisionAction.values()).map(RevisionAction::code).collect(Collectors.toSet()),
            "aggregate_category.category_group", codes(CategoryGroup.values()));

    /** A CHECK that lists codes: {@code x = ANY (ARRAY['a'::text, …])} or {@code x <@ ARRAY['a'::text, …]}. */
    private static final Pattern CODE_LIST = Pattern.compile("(= ANY \\(|<@ )\\(?ARRAY\\[");
    private static final Pattern LITERAL = Pattern.compile("'([^']*)'::");

    @Test
    void everyCheckListingCodesIsItsJavaEnum() throws SQLException {
        Map<String, Set<String>> checked = new TreeMap<>();
        try (Connection db = AggregateFixture.admin(); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("""
                        SELECT c.conrelid::regclass::text || '.' || a.attname, pg_get_constraintdef(c.oid)
                        FROM pg_constraint c
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                        WHERE c.contype = 'c' AND c.connamespace = current_schema()::regnamespace
                          AND cardinality(c.conkey) = 1""")) {
            while (rows.next()) {
                String definition = rows.getString(2);
                if (CODE_LIST.matcher(definition).find()) {
                    Set<String> codes = new TreeSet<>();
                    Matcher literal = LITERAL.matcher(definition);
                    while (literal.find()) {
                        codes.add(literal.group(1));
                    }
                    assertTrue(checked.put(rows.getString(1), codes) == null,
                            rows.getString(1) + " has two CHECKs listing codes");
                }
            }
        }
        // Both ways: a new code list in the schema needs its twin named here.
        assertEquals(new TreeSet<>(TWINS.keySet()), checked.keySet(), "columns whose CHECK lists codes");
        TWINS.forEach((column, codes) -> assertEquals(new TreeSet<>(codes), checked.get(column),
                column + ": the CHECK's codes and the Java enum's"));
    }

    @Test
    void theCategoryLookupIsTheCategoryEnumWithItsGroups() throws SQLException {
        Map<String, String> lookup = new TreeMap<>();
        try (Connection db = AggregateFixture.admin(); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT category, category_group FROM aggregate_category")) {
            while (rows.next()) {
                lookup.put(rows.getString(1), rows.getString(2));
            }
        }
        Map<String, String> java = new TreeMap<>();
        for (Category category : Category.values()) {
            java.put(category.code(), category.group().code());
        }
        assertEquals(java, lookup);
    }

    @Test
    void thePlaceholderFedRulesAreCodesOfTheirEnums() {
        assertTrue(codes(IncidentStatus.values()).containsAll(AggregateFilter.COUNTED_STATUSES),
                "counted statuses " + AggregateFilter.COUNTED_STATUSES);
        assertEquals(Map.of("reporting_zone", "Europe/Paris",
                "counted_statuses", "'submitted', 'verified'",
                "complaint_lodged_statuses", "'filed', 'dismissed', 'upheld'"), SchemaPlaceholders.values());
    }

    /**
     * The migrations' logic (R__ files and the afterMigrate callback) names
     * no code of a twin enum and no time zone: codes come from the tables or
     * the placeholders, and every AT TIME ZONE takes ${reporting_zone}.
     */
    @Test
    void theMigrationsSpellNoPlaceholderFedRule() throws IOException {
        List<String> found = new ArrayList<>();
        Set<String> codes = TWINS.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        Pattern zone = Pattern.compile("'[A-Z][A-Za-z_]+/[A-Za-z_]+'");
        Pattern atTimeZone = Pattern.compile("AT TIME ZONE (?!'{1,2}\\$\\{reporting_zone}'{1,2})",
                Pattern.CASE_INSENSITIVE);
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                List<String> lines = Files.readAllLines(file);
                for (int n = 0; n < lines.size(); n++) {
                    String line = lines.get(n).replaceFirst("--.*", "");
                    String where = name + ":" + (n + 1) + ": ";
                    if (zone.matcher(line).find() || atTimeZone.matcher(line).find()) {
                        found.add(where + "time zone not from ${reporting_zone}: " + line.strip());
                    }
                    if (!name.startsWith("V")) {
                        for (String code : codes) {
                            if (line.contains("'" + code + "'")) {
                                found.add(where + "code '" + code + "' spelled in logic: " + line.strip());
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    private static Set<String> codes(Coded[] values) {
        return Arrays.stream(values).map(Coded::code).collect(Collectors.toSet());
    }
}
