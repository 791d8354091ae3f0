package org.jointregistry.security;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jointregistry.atrest.RegistryMain;
import org.jointregistry.stack.LocalStack;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged service, in its production profile, refuses to start when one
 * deployer secret is missing or weak, and says which variable to set (one run
 * per variable; the others are strong). Runs after `package`, with the fault
 * drill's tag, since it needs the jar.
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
        LocalStack.prepareDatabase(pg, DATABASE, false);
        Path key = build.resolve("refusal-master-key.json");
        if (!Files.exists(key)) {
            RegistryMain.main("generate-master-key", key.toString());
        }
        Map<String, String> environment = new HashMap<>(Map.of("REGISTRY_DB_URL", pg.jdbcUrl(DATABASE),
                "REGISTRY_OIDC_URL", LocalStack.REALM_URL, "REGISTRY_SYNC_CURSOR_SECRET", LocalStack.CURSOR_SECRET,
                "REGISTRY_DB_APP_PASSWORD", LocalStack.APP_PASSWORD, "REGISTRY_DB_OWNER_PASSWORD",
                LocalStack.OWNER_PASSWORD, "REGISTRY_MASTER_KEY_FILE", key.toAbsolutePath().toString(),
                "QUARKUS_HTTP_PORT", "0"));
        environment.remove(variable);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", build.resolve("quarkus-app/quarkus-run.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        // readAllBytes returns at the process's end; the bound only guards a service that would serve.
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the service did not stop");
        assertNotEquals(0, process.exitValue(), "the service started without " + variable + ":\n" + output);
        assertTrue(output.contains("refuses to start") && output.contains(variable) && output.contains("generate"),
                "the refusal names " + variable + ":\n" + output);
    }
}
