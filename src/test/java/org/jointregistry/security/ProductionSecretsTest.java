package org.jointregistry.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production profile's checks, one weak setting at a time: each refusal
 * names its variable (and only it) and says how to make a value. The real
 * start of the packaged service with such a setting: ProductionRefusalIT.
 */
class ProductionSecretsTest {

    private static final String STRONG = "q3N8vZx1Lk7TbW0mRc5YhJ2sPf9GdA4uEo6Ie";

    @TempDir
    Path dir;

    @Test
    void strongSettingsPass() throws IOException {
        assertEquals(List.of(), ProductionSecrets.problems(lookup(strong())));
    }

    @Test
    void eachMissingSecretIsNamed() throws IOException {
        for (ProductionSecrets.Secret secret : ProductionSecrets.SECRETS) {
            Map<String, String> settings = strong();
            settings.remove(secret.property());
            assertOnly(secret.variable(), "is not set", settings);
        }
    }

    @Test
    void eachCommittedDevelopmentValueIsRefused() throws IOException {
        for (ProductionSecrets.Secret secret : ProductionSecrets.SECRETS) {
            Map<String, String> settings = strong();
            settings.put(secret.property(), settings.get(secret.developmentProperty()));
            assertOnly(secret.variable(), "development value", settings);
        }
    }

    @Test
    void eachShortOrMonotonousSecretIsRefused() throws IOException {
        for (String weak : List.of("short-but-random-9f2K", "abababababababababababababababababab")) {
            for (ProductionSecrets.Secret secret : ProductionSecrets.SECRETS) {
                Map<String, String> settings = strong();
                settings.put(secret.property(), weak);
                assertOnly(secret.variable(), "too weak", settings);
            }
        }
    }

    @Test
    void theKeyEncryptionKeyMustBeAPrivateFile() throws IOException {
        Map<String, String> missing = strong();
        missing.remove("registry.atrest.master-key-file");
        assertOnly("REGISTRY_MASTER_KEY_FILE", "is not set", missing);

        Map<String, String> absent = strong();
        absent.put("registry.atrest.master-key-file", dir.resolve("absent.json").toString());
        assertOnly("REGISTRY_MASTER_KEY_FILE", "no readable file", absent);

        Map<String, String> shared = strong();
        Files.setPosixFilePermissions(Path.of(shared.get("registry.atrest.master-key-file")),
                PosixFilePermissions.fromString("rw-r--r--"));
        assertOnly("REGISTRY_MASTER_KEY_FILE", "readable by other users", shared);

        // A KMS key replaces the file.
        missing.put("registry.atrest.kek-uri", "gcp-kms://projects/p/locations/l/keyRings/r/cryptoKeys/k");
        assertEquals(List.of(), ProductionSecrets.problems(lookup(missing)));
    }

    @Test
    void theBenchmarksPlaintextSwitchIsRefused() throws IOException {
        Map<String, String> settings = strong();
        settings.put(ProductionSecrets.BENCHMARK_PLAINTEXT, "true");
        List<String> problems = ProductionSecrets.problems(lookup(settings));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("REGISTRY_ATREST_BENCHMARK_PLAINTEXT ")
                && problems.get(0).contains("unset it"), problems.get(0));

        settings.put(ProductionSecrets.BENCHMARK_PLAINTEXT, "false");
        assertEquals(List.of(), ProductionSecrets.problems(lookup(settings)));
    }

    private static void assertOnly(String variable, String reason, Map<String, String> settings) {
        List<String> problems = ProductionSecrets.problems(lookup(settings));
        assertEquals(1, problems.size(), variable + ": " + problems);
        assertTrue(problems.get(0).startsWith(variable + " ") && problems.get(0).contains(reason)
                && (problems.get(0).contains("generate") || problems.get(0).contains("chmod")), problems.get(0));
    }

    private Map<String, String> strong() throws IOException {
        Path key = dir.resolve("master-key.json");
        if (!Files.exists(key)) {
            Files.writeString(key, "{}");
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        }
        // The development values as committed, from the service's own application.properties.
        Properties committed = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            committed.load(in);
        }
        Map<String, String> settings = new HashMap<>(Map.of("registry.atrest.master-key-file", key.toString()));
        for (ProductionSecrets.Secret secret : ProductionSecrets.SECRETS) {
            settings.put(secret.developmentProperty(), committed.getProperty(secret.developmentProperty()));
        }
        for (ProductionSecrets.Secret secret : ProductionSecrets.SECRETS) {
            settings.put(secret.property(), STRONG + secret.variable());
        }
        return settings;
    }

    private static Function<String, Optional<String>> lookup(Map<String, String> settings) {
        return name -> Optional.ofNullable(settings.get(name));
    }
}
