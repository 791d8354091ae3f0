package org.jointregistry.security;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jointregistry.atrest.RegistryMain;
import org.jointregistry.bench.RegistryProcess;
import org.jointregistry.stack.LocalStack;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged service, in its production profile, refuses to start when one
 * deployer secret is missing, and says which variable to set (one run per
 * variable; the others are strong). Runs after `package`, since it needs the jar.
 */
// The fault drill's tag (FaultDrillIT.TAG): the group failsafe runs after `package`.
@Tag("fault-drill")
class ProductionRefusalIT {

    private static final String DATABASE = "registry_refusal";

    @ParameterizedTest
    @ValueSource(strings = { "REGISTRY_SYNC_CURSOR_SECRET", "REGISTRY_DB_APP_PASSWORD", "REGISTRY_DB_OWNER_PASSWORD",
            "REGISTRY_MASTER_KEY_FILE" })
    void refusesToStartWithoutTheVariable(String variable) throws Exception {
        Path build = Path.of(System.getProperty("registry.build.dir", "target"));
        LocalStack.Postgres pg = LocalStack.postgres(build, "embedded-postgres");
        LocalStack.prepareDatabase(pg, DATABASE, true);
        Path key = build.resolve("refusal-master-key.json");
        if (!Files.exists(key)) {
            RegistryMain.main("generate-master-key", key.toString());
        }
        Map<String, String> environment = RegistryProcess.productionEnvironment(pg, DATABASE, key);
        environment.remove(variable);
        RegistryProcess.Ended ended = RegistryProcess.runToEnd(build, environment);
        assertNotEquals(0, ended.exitCode(), "the service started without " + variable + ":\n" + ended.output());
        assertTrue(ended.output().contains("refuses to start") && ended.output().contains(variable)
                && ended.output().contains("generate"), "the refusal names " + variable + ":\n" + ended.output());
    }
}
