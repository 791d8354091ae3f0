package org.jointregistry.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/** Direct JDBC access to the test database, bypassing the service. */
public final class Db {

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

    private static String url() {
        return config("quarkus.datasource.jdbc.url");
    }

    private static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }
}
