package org.jointregistry.atrest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jointregistry.bench.RegistryProcess;
import org.jointregistry.stack.LocalStack;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator's key commands as a deployer runs them: the packaged service
 * in its production profile with a command, which it runs and exits. Each
 * writes its audit line, and no key material reaches the output.
 */
// The fault drill's tag (FaultDrillIT.TAG): the group failsafe runs after `package`.
@Tag("fault-drill")
class KeyCommandsIT {

    private static final String DATABASE = "registry_key_commands";
    private final Path build = Path.of(System.getProperty("registry.build.dir", "target"));

    @Test
    void rotationsRunAndAreAuditedWithoutKeyMaterial() throws Exception {
        LocalStack.Postgres pg = LocalStack.postgres(build, "embedded-postgres");
        LocalStack.prepareDatabase(pg, DATABASE, true);
        Path key = build.resolve("key-commands-master-key.json");
        Files.deleteIfExists(key);
        RegistryMain.main("generate-master-key", key.toString());
        String keyFileBefore = Files.readString(key);

        String dataKey = run(pg, key, 0, "rotate-data-key", "help-refugees", "--reseal");
        assertTrue(dataKey.contains("Key operation rotate-data-key: organisation help-refugees"), dataKey);
        String kek = run(pg, key, 0, "rotate-kek");
        assertTrue(kek.contains("Key operation rotate-kek: 1 organisation keysets re-wrapped"), kek);
        assertFalse(Files.readString(key).equals(keyFileBefore), "the key file holds the new key-encryption key");
        String usage = run(pg, key, 2, "shred", "help-refugees");
        assertTrue(usage.contains("usage:"), usage);
        for (String output : List.of(dataKey, kek, usage)) {
            // A Tink JSON keyset names its key material "value"; none is ever printed.
            assertFalse(output.contains("\"keyData\"") || output.contains("\"value\""), output);
        }
    }

    private String run(LocalStack.Postgres pg, Path key, int exitCode, String... command) throws Exception {
        RegistryProcess.Ended ended = RegistryProcess.runToEnd(build,
                RegistryProcess.productionEnvironment(pg, DATABASE, key), command);
        assertEquals(exitCode, ended.exitCode(), String.join(" ", command) + ":\n" + ended.output());
        return ended.output();
    }
}
