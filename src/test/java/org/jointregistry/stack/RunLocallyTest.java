package org.jointregistry.stack;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * `./mvnw -Prun` on a local database migrated before the versioned history
 * was squashed: RunLocally must refuse it with the way out, and must not
 * refuse a database this build migrated.
 */
@QuarkusTest
class RunLocallyTest {

    @Inject
    Flyway flyway;

    @Test
    void aPreSquashHistoryIsRefusedWithTheWayToResetIt() throws Exception {
        LocalStack.Postgres postgres = RegistryStack.server();
        String database = RegistryStack.database() + "_old_history";
        RegistryStack.migrateEmpty(flyway, postgres, database);
        assertDoesNotThrow(() -> RunLocally.refuseOldHistory(postgres, database), "a current history");

        try (Connection db = postgres.admin(database); Statement sql = db.createStatement()) {
            // What a database migrated by the pre-squash V1..V21 still lists.
            sql.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                    + "checksum, installed_by, execution_time, success) SELECT max(installed_rank) + 1, '5', "
                    + "'tenant sync', 'SQL', 'V5__tenant_sync.sql', 1, 'registry_owner', 1, true "
                    + "FROM flyway_schema_history");
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RunLocally.refuseOldHistory(postgres, database));
        assertTrue(refused.getMessage().contains("lists V5,") && refused.getMessage().contains(
                "./mvnw -Prun -Dregistry.reset=true"), refused.getMessage());
    }
}
