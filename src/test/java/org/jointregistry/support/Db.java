package org.jointregistry.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;

/** Direct JDBC access to the test database, bypassing the service. */
public final class Db {

    /** Every table of the tenant space; each leads with the organisation key. */
    private static final List<String> TENANT_TABLES = List.of("incident", "volunteer", "incident_volunteer",
            "incident_revision", "shared_event", "event_link_code");

    private Db() {
    }

    /** A connection as the superuser, which sees every row (row-level security does not apply). */
    public static Connection admin() throws SQLException {
        String password = ConfigProvider.getConfig().getOptionalValue("registry.test.pg-admin-password", String.class)
                .orElse("");
        return DriverManager.getConnection(url(), config("registry.test.pg-admin-user"), password);
    }

    /** A connection as the service's own role (registry_app), which row-level security confines. */
    public static Connection app() throws SQLException {
        return DriverManager.getConnection(url(), config("quarkus.datasource.username"),
                config("quarkus.datasource.password"));
    }

    /** The first row of a query run as the superuser, column name → value. */
    public static Optional<Map<String, Object>> row(String sql, Object... parameters) {
        try (Connection db = admin(); PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                    row.put(rows.getMetaData().getColumnLabel(c), rows.getObject(c));
                }
                return Optional.of(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A digest of everything an organisation holds in its tenant space:
     * incidents (tombstones included), volunteers, their links and revisions.
     * Equal digests before and after a request mean the request changed nothing.
     * A revision's position in the change feed (change_seq) is left out: the feed's
     * readers give it once the revision is committed (R__change_feed.sql), so a GET of
     * the feed sets it without changing what the organisation holds.
     */
    public static String tenantDigest(String organization) {
        String sql = TENANT_TABLES.stream()
                .map(table -> "(SELECT md5(coalesce(string_agg((to_jsonb(t) - 'change_seq')::text, '|' "
                        + "ORDER BY (to_jsonb(t) - 'change_seq')::text), '')) FROM " + table
                        + " t WHERE t.organization = ?)")
                .collect(Collectors.joining(" || ", "SELECT ", " AS digest"));
        Object[] parameters = Collections.nCopies(TENANT_TABLES.size(), organization).toArray();
        return String.valueOf(row(sql, parameters).orElseThrow().get("digest"));
    }

    private static String url() {
        return config("quarkus.datasource.jdbc.url");
    }

    private static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }
}
