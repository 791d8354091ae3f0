package org.jointregistry.atrest;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jointregistry.common.RegistryClock;

/**
 * The service's sealing outside the service, for the bulk loader of the
 * benchmark and the soak: each organisation's keysets are read (or created)
 * in organization_keyset wrapped by the key-encryption key file the measured
 * service is then started with, and fields are sealed and blind-indexed by
 * the very code the service runs ({@link Sealing}, {@link OrganizationKeysets},
 * {@link MasterKeyFile}), so what is loaded opens in the service. Thread-safe
 * once opened: Tink's primitives are.
 */
public final class BulkSealing {

    private final Map<String, OrganizationKeysets.Keys> keys;

    private BulkSealing(Map<String, OrganizationKeysets.Keys> keys) {
        this.keys = keys;
    }

    /**
     * The keys of {@code organizations}, created where missing on
     * {@code connection} (a superuser's; commits are the caller's).
     */
    public static BulkSealing open(Connection connection, Path masterKeyFile, Collection<String> organizations)
            throws SQLException, GeneralSecurityException {
        OrganizationKeysets keysets = new OrganizationKeysets();
        keysets.kek = MasterKeyFile.open(masterKeyFile, false);
        keysets.clock = new RegistryClock();
        Map<String, OrganizationKeysets.Keys> keys = new HashMap<>();
        for (String organization : organizations) {
            if (OrganizationKeysets.read(connection, organization).isEmpty()) {
                keysets.insertNew(connection, organization);
            }
            keys.put(organization, keysets.unwrap(OrganizationKeysets.read(connection, organization).orElseThrow()));
        }
        return new BulkSealing(keys);
    }

    /** As {@link Sealing#seal}: null stays null. */
    public byte[] seal(String kind, String organization, Object id, String field, String plaintext) {
        return plaintext == null ? null : Sealing.seal(of(organization), kind, organization, id, field, plaintext);
    }

    /** As {@link Sealing#blindIndex}. */
    public byte[] blindIndex(String kind, String organization, String field, String value) {
        return Sealing.blindIndex(of(organization), kind, field, value);
    }

    private OrganizationKeysets.Keys of(String organization) {
        OrganizationKeysets.Keys organizationKeys = keys.get(organization);
        if (organizationKeys == null) {
            throw new IllegalArgumentException("No keys opened for " + organization);
        }
        return organizationKeys;
    }
}
