package org.jointregistry.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's run command (`./mvnw -Prun`): PostgreSQL, Keycloak and the
 * packaged registry on http://localhost:8080 in its dev profile (demo data
 * seeded). Ctrl-C stops everything this started; what it found running it
 * leaves alone. The embedded database keeps its data in
 * ~/.joint-registry/postgres, so a restart finds the same data.
 */
public final class RunLocally {

    private static final String REGISTRY_URL = "http://localhost:8080";

    private RunLocally() {
    }

    public static void main(String[] args) throws Exception {
        Path build = Path.of(System.getProperty("registry.build.dir", "target"));
        Path home = Path.of(System.getProperty("user.home"), ".joint-registry");
        List<LocalStack.Handle> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LocalStack.log("stopping what this command started");
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
        }));

        LocalStack.Postgres postgres = LocalStack.postgres(home, "postgres");
        started.add(postgres.handle());
        LocalStack.prepareDatabase(postgres, "registry", false);
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
