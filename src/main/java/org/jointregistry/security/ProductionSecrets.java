package org.jointregistry.security;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * The production profile refuses to start with a weak secret (issue 14): the
 * change-feed cursor key, either database password or the key-encryption key
 * missing, shorter than 32 bytes (or of fewer than 16 different characters),
 * or equal to the development value committed in application.properties
 * (`registry.development.*`, where a missing variable falls back to); nor with
 * the benchmark's switch that stores testimony unsealed. Each refusal names
 * the variable and how to make a value (or to unset it). Dev and test never check.
 */
@ApplicationScoped
public class ProductionSecrets {

    static final int MIN_BYTES = 32;
    static final int MIN_DISTINCT_CHARACTERS = 16;
    private static final String GENERATE = "generate one with `openssl rand -base64 32`";
    /** The benchmark's switch that turns sealing off (atrest/AtRestConfig): never in production. */
    static final String BENCHMARK_PLAINTEXT = "registry.atrest.benchmark-plaintext";

    /** A secret the deployer sets: its variable, the property it feeds and the committed development value. */
    record Secret(String variable, String property, String developmentProperty) {
    }

    static final List<Secret> SECRETS = List.of(
            new Secret("REGISTRY_SYNC_CURSOR_SECRET", "registry.sync.cursor-secret",
                    "registry.development.cursor-secret"),
            new Secret("REGISTRY_DB_APP_PASSWORD", "quarkus.datasource.password",
                    "registry.development.db-app-password"),
            new Secret("REGISTRY_DB_OWNER_PASSWORD", "quarkus.flyway.password",
                    "registry.development.db-owner-password"));

    /** Before the service serves (the earliest startup observer). */
    void check(@Observes @Priority(1) StartupEvent start, Config config) {
        if (LaunchMode.current() != LaunchMode.NORMAL || !ConfigUtils.getProfiles().contains("prod")) {
            return;
        }
        List<String> problems = problems(name -> config.getOptionalValue(name, String.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The production profile refuses to start with weak settings:\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** What is wrong with the settings {@code config} gives, one sentence per variable; empty when all is well. */
    static List<String> problems(Function<String, Optional<String>> config) {
        List<String> problems = new ArrayList<>();
        for (Secret secret : SECRETS) {
            Optional<String> value = config.apply(secret.property()).filter(v -> !v.isBlank());
            if (value.isEmpty()) {
                problems.add(secret.variable() + " is not set: " + GENERATE + ".");
            } else if (value.equals(config.apply(secret.developmentProperty()))) {
                problems.add(secret.variable() + " is not set or is the development value committed in the "
                        + "repository: " + GENERATE + ".");
            } else if (!strong(value.get())) {
                problems.add(secret.variable() + " is too weak (at least " + MIN_BYTES + " bytes of "
                        + MIN_DISTINCT_CHARACTERS + " or more different characters): " + GENERATE + ".");
            }
        }
        if (config.apply("registry.atrest.kek-uri").filter(v -> !v.isBlank()).isEmpty()) {
            masterKeyFileProblem(config.apply("registry.atrest.master-key-file").filter(v -> !v.isBlank()))
                    .ifPresent(problems::add);
        }
        if (config.apply(BENCHMARK_PLAINTEXT).map(String::strip).filter("true"::equalsIgnoreCase).isPresent()) {
            problems.add("REGISTRY_ATREST_BENCHMARK_PLAINTEXT is set: it stores testimony unsealed, for the "
                    + "benchmark's comparison run only; unset it.");
        }
        return problems;
    }

    private static Optional<String> masterKeyFileProblem(Optional<String> name) {
        String generate = "generate one with `java -jar quarkus-run.jar generate-master-key FILE`, keep it outside "
                + "the database and its backups, readable by the service only";
        if (name.isEmpty()) {
            return Optional.of("REGISTRY_MASTER_KEY_FILE is not set (nor REGISTRY_KEK_URI): " + generate + ".");
        }
        Path file = Path.of(name.get());
        if (!Files.isReadable(file)) {
            return Optional.of("REGISTRY_MASTER_KEY_FILE names no readable file (" + file + "): " + generate + ".");
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ)
                    || permissions.contains(PosixFilePermission.GROUP_READ)) {
                return Optional.of("REGISTRY_MASTER_KEY_FILE (" + file + ") is readable by other users: "
                        + "chmod 600 it.");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: its ACLs are the deployer's to check.
        }
        return Optional.empty();
    }

    static boolean strong(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8).length >= MIN_BYTES
                && secret.codePoints().distinct().count() >= MIN_DISTINCT_CHARACTERS;
    }
}
