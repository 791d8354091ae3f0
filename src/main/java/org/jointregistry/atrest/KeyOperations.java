package org.jointregistry.atrest;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The operator's key operations (command mode, see RegistryMain): rotate the
 * key-encryption key, rotate an organisation's data key (optionally
 * re-sealing its records), shred an organisation. Each ends with one audit
 * line naming the operation and the organisation, never key material.
 */
@ApplicationScoped
public class KeyOperations {

    private static final Logger AUDIT = Logger.getLogger("org.jointregistry.atrest.audit");

    /** Where each sealed column lives: table → key column, kind of record, column → field of its associated data. */
    private static final List<SealedTable> SEALED = List.of(
            new SealedTable("incident", "id", "incident", fields("site_sealed", "location.site",
                    "coordinates_sealed", "location.coordinates", "description_sealed", "description",
                    "complaint_reference_sealed", "complaint.reference")),
            new SealedTable("volunteer", "id", "volunteer", fields("pseudonym_sealed", "pseudonym")),
            new SealedTable("idempotency_key", "key", "idempotency-key", fields("response_sealed", "response")));

    private record SealedTable(String table, String keyColumn, String kind, Map<String, String> fields) {
    }

    @Inject
    OrganizationKeysets keysets;

    @Inject
    KeyEncryptionKey kek;

    @Inject
    Sealing sealing;

    @Inject
    AgroalDataSource dataSource;

    /** Loads the key-encryption key at start, so that a missing or unreadable one stops the service at once. */
    void checkAtStart(@Observes StartupEvent start) throws GeneralSecurityException {
        kek.aead();
    }

    /**
     * Wraps every data keyset with a new key-encryption key; no record is
     * rewritten. The master key file holds old and new keys until every keyset
     * is re-wrapped, then only the new one.
     */
    public int rotateKeyEncryptionKey() throws GeneralSecurityException {
        kek.addPrimaryKey();
        int rewrapped = QuarkusTransaction.requiringNew().call(() -> {
            int count = 0;
            try (Connection connection = dataSource.getConnection()) {
                for (OrganizationKeysets.Wrapped row : OrganizationKeysets.readAll(connection)) {
                    if (row.aead() == null) {
                        continue; // shredded: nothing left to wrap
                    }
                    store(connection, row.organization(), keysets.unwrapHandle(row, "aead"),
                            keysets.unwrapHandle(row, "blind-index"), false);
                    count++;
                }
            }
            return count;
        });
        kek.retireOldKeys();
        keysets.forget();
        AUDIT.infof("Key operation rotate-kek: %d organisation keysets re-wrapped under a new key-encryption key (%s)",
                rewrapped, kek.describe());
        return rewrapped;
    }

    /**
     * Adds a new primary data key for the organisation: new writes seal with
     * it, old ciphertexts still open with the old key. With {@code reseal},
     * every sealed field of the organisation is then sealed again with the new
     * key. The blind-index key is not rotated (every index would change with it).
     */
    public int rotateDataKey(String organization, boolean reseal) throws GeneralSecurityException {
        keysets.keys(organization); // created if it has none yet
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                OrganizationKeysets.Wrapped row = OrganizationKeysets.read(connection, organization).orElseThrow();
                if (row.aead() == null) {
                    throw new IllegalStateException("Organisation " + organization + " is shredded: it has no key");
                }
                KeysetHandle rotated = KeysetHandle.newBuilder(keysets.unwrapHandle(row, "aead"))
                        .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                                .withRandomId().makePrimary())
                        .build();
                store(connection, organization, rotated, keysets.unwrapHandle(row, "blind-index"), true);
            } catch (SQLException | GeneralSecurityException e) {
                throw new IllegalStateException("Data key rotation failed for " + organization, e);
            }
        });
        keysets.forget();
        int resealed = reseal ? reseal(organization) : 0;
        AUDIT.infof("Key operation rotate-data-key: organisation %s has a new primary data key; %d fields re-sealed",
                organization, resealed);
        return resealed;
    }

    /**
     * Destroys the organisation's keysets: its sealed fields (in this database
     * and in every backup) can no longer be opened; counts and report
     * snapshots, which never read them, stay. It accepts no more writes.
     */
    public void shred(String organization) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement shred = connection.prepareStatement("INSERT INTO organization_keyset "
                            + "(organization, aead_keyset, blind_index_keyset, shredded_at) VALUES (?, NULL, NULL, now()) "
                            + "ON CONFLICT (organization) DO UPDATE SET aead_keyset = NULL, blind_index_keyset = NULL, "
                            + "shredded_at = now()")) {
                shred.setString(1, organization);
                shred.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("Shredding failed for " + organization, e);
            }
        });
        keysets.forget();
        AUDIT.infof("Key operation shred: the keysets of organisation %s are destroyed; its sealed fields are "
                + "unreadable from now on", organization);
    }

    /** Seals every sealed field of the organisation again, with its current primary key, in one transaction. */
    private int reseal(String organization) {
        return QuarkusTransaction.requiringNew().call(() -> {
            int count = 0;
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement bind = connection.prepareStatement(
                        "SELECT set_config('app.organization', ?, true)")) {
                    bind.setString(1, organization);
                    bind.execute();
                }
                for (SealedTable table : SEALED) {
                    count += reseal(connection, organization, table);
                }
            }
            return count;
        });
    }

    private int reseal(Connection connection, String organization, SealedTable table) throws SQLException {
        String columns = String.join(", ", table.fields().keySet());
        String assignments = String.join(", ", table.fields().keySet().stream().map(c -> c + " = ?").toList());
        int count = 0;
        try (PreparedStatement select = connection.prepareStatement("SELECT " + table.keyColumn() + ", " + columns
                + " FROM " + table.table() + " WHERE organization = ? FOR UPDATE");
                PreparedStatement update = connection.prepareStatement("UPDATE " + table.table() + " SET "
                        + assignments + " WHERE organization = ? AND " + table.keyColumn() + " = ?")) {
            select.setString(1, organization);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Object key = rows.getObject(1);
                    int i = 1;
                    for (Map.Entry<String, String> field : table.fields().entrySet()) {
                        byte[] sealed = rows.getBytes(i + 1);
                        String plaintext = sealing.open(table.kind(), organization, key, field.getValue(), sealed);
                        update.setBytes(i, sealing.seal(table.kind(), organization, key, field.getValue(), plaintext));
                        count += sealed == null ? 0 : 1;
                        i++;
                    }
                    update.setString(i, organization);
                    update.setObject(i + 1, key);
                    update.addBatch();
                }
            }
            update.executeBatch();
        }
        return count;
    }

    private void store(Connection connection, String organization, KeysetHandle aead, KeysetHandle blindIndex,
            boolean rotated) throws SQLException, GeneralSecurityException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE organization_keyset SET aead_keyset = ?, "
                + "blind_index_keyset = ?, rotated_at = CASE WHEN ? THEN now() ELSE rotated_at END "
                + "WHERE organization = ?")) {
            update.setBytes(1, keysets.wrap(organization, "aead", aead));
            update.setBytes(2, keysets.wrap(organization, "blind-index", blindIndex));
            update.setBoolean(3, rotated);
            update.setString(4, organization);
            update.executeUpdate();
        }
    }

    private static Map<String, String> fields(String... columnsAndFields) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndFields.length; i += 2) {
            fields.put(columnsAndFields[i], columnsAndFields[i + 1]);
        }
        return fields;
    }
}
