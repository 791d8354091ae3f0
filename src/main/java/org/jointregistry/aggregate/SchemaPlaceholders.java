package org.jointregistry.aggregate;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The aggregate rules the database applies too, handed to the migrations as
 * Flyway placeholders so that the SQL never spells them and cannot drift from
 * the Java: {@code ${reporting_zone}}, the time zone of the figures' days,
 * weeks and months, and {@code ${counted_statuses}}, the statuses counted by
 * default as a list of SQL string literals. The R__ files that use them are
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
                "counted_statuses", AggregateFilter.COUNTED_STATUSES.stream()
                        .map(status -> "'" + status + "'").collect(Collectors.joining(", ")));
    }
}
