package org.jointregistry.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * The README's run command (`./mvnw -Prun`): PostgreSQL, Keycloak and the
 * packaged registry on http://localhost:8080 in its dev profile (demo data
 * seeded). Ctrl-C stops everything this started; what it found running it
 * leaves alone. The embedded database keeps its data in
 * ~/.joint-registry/postgres, so a restart finds the same data;
 * {@code -Dregistry.reset=true} drops the local database first.
 */
public final class RunLocally {

    private static final String REGISTRY_URL = "http://localhost:8080";

    /** {@code -Dregistry.reset=true}: drop and recreate the local database before starting. */
    private static final String RESET = "registry.reset";

    private RunLocally() {
    }

    public static void main(String[] args) throws Exception {
        Path build = Path.of(System.getProperty("registry.build.dir", "target"));
        Path home = Path.of(System.getProperty("user.home"), ".joint-registry");
        List<LocalStack.Handle> started = new ArrayList<>();
        // Under `mvn exec:java` a thread made here joins the plugin's thread
        // group, whose uncaught-exception handler reports through Maven's
        // logger. At JVM shutdown that report can fail in turn, and then all
        // the JVM prints is "Exception: java.lang.NumberFormatException thrown
        // from the UncaughtExceptionHandler in thread "Thread-…"" (issue 11).
        // So the hook, named, lets no exception escape: each piece is stopped
        // on its own, and a failure is said plainly without keeping the others
        // running.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LocalStack.log("stopping what this command started");
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (RuntimeException e) {
                    LocalStack.log("could not stop a part of the stack: " + e);
                }
            }
        }, "registry-stop"));

        LocalStack.Postgres postgres = LocalStack.postgres(home, "postgres");
        started.add(postgres.handle());
        LocalStack.prepareDatabase(postgres, "registry", Boolean.getBoolean(RESET));
        refuseOldHistory(postgres, "registry");
        started.add(LocalStack.keycloak(Path.of(System.getProperty("registry.keycloak.dist")),
                Path.of("docker/registry-realm.json"), build.resolve("keycloak.log")));

        if (LocalStack.answers(REGISTRY_URL + "/q/health/live")) {
            throw new IllegalStateException("Something already answers on " + REGISTRY_URL + ": stop it first.");
        }
        Path jar = build.resolve("quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("No " + jar + ": run `./mvnw -Prun` (it packages the service first).");
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.profile=dev", "-jar", jar.toString()).inheritIO();
        builder.environment().put("REGISTRY_DB_URL", postgres.jdbcUrl("registry"));
        builder.environment().put("REGISTRY_OIDC_URL", LocalStack.REALM_URL);
        Process registry = builder.start();
        started.add(() -> LocalStack.stop(registry));

        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!LocalStack.answers(REGISTRY_URL + "/q/health/ready")) {
            if (!registry.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The registry did not become ready; see its log above.");
            }
            Thread.sleep(250);
        }
        System.out.println(banner(postgres));
        System.exit(registry.waitFor());
    }

    /**
     * Refuses a database whose Flyway history holds versioned migrations this
     * build no longer has: one migrated before the baseline was squashed (its
     * V5..V21 are gone). The registry's own migrate would fail on it with
     * Flyway's validate error in the middle of its start-up log; this reads
     * the same validation first and says what to do. Placeholders are not
     * replaced: only versioned files are judged, whose checksums are of the
     * files as written.
     */
    static void refuseOldHistory(LocalStack.Postgres postgres, String database) {
        ValidateResult validation = Flyway.configure(RunLocally.class.getClassLoader())
                .dataSource(postgres.jdbcUrl(database), postgres.adminUser(), postgres.adminPassword())
                .locations("classpath:db/migration")
                .placeholderReplacement(false)
                .load().validateWithResult();
        List<String> gone = validation.invalidMigrations.stream()
                .filter(m -> m.errorDetails != null
                        && m.errorDetails.errorCode == CoreErrorCode.APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED)
                .map(m -> "V" + m.version).toList();
        if (!gone.isEmpty()) {
            throw new IllegalStateException("The database '" + database + "' on " + postgres.host() + ":"
                    + postgres.port() + " was migrated by an older registry: its Flyway history lists "
                    + String.join(", ", gone) + ", which this version no longer has (the versioned history "
                    + "was squashed into a new baseline). Start again with  ./mvnw -Prun -D" + RESET
                    + "=true  to drop and recreate it: its incidents and volunteers are lost, the demo data "
                    + "is seeded again.");
        }
    }

    private static String banner(LocalStack.Postgres postgres) {
        return """

                ==================================================================
                 Joint Incident Registry is ready
                   API          %1$s/api/v1   (try %1$s/api/v1/taxonomy)
                   Swagger UI   %1$s/q/swagger-ui
                   Health       %1$s/q/health/ready
                   Keycloak     %2$s   (admin console: admin / admin)
                   PostgreSQL   %3$s:%4$d, database registry%5$s

                 Demo logins (password "demo", client registry-cli):
                   utopia-56-reporter, utopia-56-coordinator, help-refugees-reporter, ...
                   analyst (aggregates only), dual-reporter (two organisations)
                 Token:
                   curl -s %2$s/realms/registry/protocol/openid-connect/token \\
                     -d grant_type=password -d client_id=registry-cli \\
                     -d username=utopia-56-reporter -d password=demo
                 Ctrl-C stops what this command started.
                ==================================================================
                """.formatted(REGISTRY_URL, LocalStack.KEYCLOAK_URL, postgres.host(), postgres.port(),
                postgres.embedded() ? " (embedded; its data survives restarts)" : "");
    }
}
