package org.jointregistry.aggregate;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jointregistry.taxonomy.ComplaintStatus;

/**
 * The aggregate rules the database applies too, handed to the migrations as
 * Flyway placeholders so that the SQL never spells them and cannot drift from
 * the Java: {@code ${reporting_zone}}, the time zone of the figures' days,
 * weeks and months, {@code ${counted_statuses}}, the statuses counted by
 * default, and {@code ${complaint_lodged_statuses}}, the complaint statuses
 * of a lodged complaint ({@link ComplaintStatus#lodged()}), both as lists of
 * SQL string literals. SchemaRulesTest checks that no migration spells them. The R__ files that use them are
 * re-applied by Flyway when a value changes: for a repeatable migration with
 * placeholder replacement on, Flyway (12.0, SqlMigrationResolver
 * getChecksumForLoadableResource) computes the checksum over the replaced
 * text, not the file. afterMigrate.sql then rebuilds the rollups, since its
 * fingerprint covers the functions' definitions and these values.
 */
@Singleton
public class SchemaPlaceholders implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        Map<String, String> placeholders = new HashMap<>(configuration.getPlaceholders());
        placeholders.putAll(values());
        configuration.placeholders(placeholders);
    }

    static Map<String, String> values() {
        return Map.of("reporting_zone", AggregateRepository.PARIS.getId(),
                "counted_statuses", literals(AggregateFilter.COUNTED_STATUSES.stream()),
                "complaint_lodged_statuses", literals(Arrays.stream(ComplaintStatus.values())
                        .filter(ComplaintStatus::lodged).map(ComplaintStatus::code)));
    }

    /** Codes as a comma-separated list of SQL string literals (codes never hold a quote). */
    private static String literals(Stream<String> codes) {
        return codes.map(code -> "'" + code + "'").collect(Collectors.joining(", "));
    }
}
