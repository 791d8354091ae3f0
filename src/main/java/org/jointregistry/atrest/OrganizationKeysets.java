package org.jointregistry.atrest;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfSet;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.jointregistry.common.RegistryClock;

/**
 * The organisations' data keysets (table organization_keyset), unwrapped with
 * the key-encryption key and cached in memory for {@link AtRestConfig#keysetCacheTtl()}.
 * Keysets are read and created in a transaction of their own, so a keyset an
 * organisation's first write creates stays even if that write rolls back
 * (otherwise this replica could seal with a key no other one ever sees).
 * Nothing here is ever logged.
 */
@ApplicationScoped
public class OrganizationKeysets {

    private static final Logger LOG = Logger.getLogger(OrganizationKeysets.class);

    /** An organisation's unwrapped primitives; both null once it is shredded. */
    record Keys(Aead aead, PrfSet blindIndex, Instant loadedAt) {
        boolean shredded() {
            return aead == null;
        }
    }

    /** A wrapped keyset row, as the key operations read and rewrite it. */
    record Wrapped(String organization, byte[] aead, byte[] blindIndex) {
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    KeyEncryptionKey kek;

    @Inject
    AtRestConfig config;

    @Inject
    RegistryClock clock;

    private final Map<String, Keys> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Keys>> loading = new ConcurrentHashMap<>();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "keyset-refresh");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * The organisation's keys, created on first use. Past the cache's lifetime they
     * are read again in the background while callers go on with the keys being
     * replaced (the lifetime only bounds how late a rotation or shred by another
     * replica is seen here). A read needs a connection of its own (its transaction is
     * separate): requests that each hold one and each reloaded would wait for a
     * second one apiece and could empty the pool; the benchmark saw 503s at 16
     * writers on a pool of 20 once a minute.
     */
    Keys keys(String organization) {
        Keys cached = cache.get(organization);
        if (cached == null) {
            return reload(organization);
        }
        if (!cached.loadedAt().plus(config.keysetCacheTtl()).isAfter(clock.now())
                && !loading.containsKey(organization)) {
            refresher.execute(() -> {
                try {
                    reload(organization);
                } catch (RuntimeException e) {
                    // The cached keys keep serving; the next call past their lifetime tries again.
                    LOG.warnf("Could not refresh an organisation's keysets: %s", e.getClass().getName());
                }
            });
        }
        return cached;
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }

    /**
     * Reads the organisation's keys again (also after a ciphertext failed to open:
     * another replica may have rotated). Concurrent callers share one read.
     */
    Keys reload(String organization) {
        CompletableFuture<Keys> mine = new CompletableFuture<>();
        CompletableFuture<Keys> running = loading.putIfAbsent(organization, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            Keys keys = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    Optional<Wrapped> stored = read(connection, organization);
                    if (stored.isEmpty()) {
                        insertNew(connection, organization);
                        stored = read(connection, organization);
                    }
                    return unwrap(stored.orElseThrow());
                }
            });
            cache.put(organization, keys);
            mine.complete(keys);
            return keys;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(organization, mine);
        }
    }

    /** Forgets every cached keyset (after a key operation in this process). */
    void forget() {
        cache.clear();
    }

    Keys unwrap(Wrapped wrapped) throws GeneralSecurityException {
        if (wrapped.aead() == null) {
            return new Keys(null, null, clock.now());
        }
        Aead aead = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped.aead(), kek.aead(),
                associatedData(wrapped.organization(), "aead"))
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
        PrfSet prf = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped.blindIndex(), kek.aead(),
                associatedData(wrapped.organization(), "blind-index"))
                .getPrimitive(RegistryConfiguration.get(), PrfSet.class);
        return new Keys(aead, prf, clock.now());
    }

    void insertNew(Connection connection, String organization) throws SQLException, GeneralSecurityException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO organization_keyset "
                + "(organization, aead_keyset, blind_index_keyset) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, organization);
            insert.setBytes(2, wrap(organization, "aead", KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)));
            insert.setBytes(3, wrap(organization, "blind-index",
                    KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF)));
            insert.executeUpdate();
        }
    }

    // --- for KeyOperations ------------------------------------------------

    /** Every stored keyset row, shredded ones included (their keysets null). */
    static List<Wrapped> readAll(Connection connection) throws SQLException {
        List<Wrapped> all = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT organization, aead_keyset, "
                + "blind_index_keyset FROM organization_keyset ORDER BY organization FOR UPDATE");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                all.add(new Wrapped(rows.getString(1), rows.getBytes(2), rows.getBytes(3)));
            }
        }
        return all;
    }

    static Optional<Wrapped> read(Connection connection, String organization) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT organization, aead_keyset, "
                + "blind_index_keyset FROM organization_keyset WHERE organization = ?")) {
            select.setString(1, organization);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new Wrapped(rows.getString(1), rows.getBytes(2), rows.getBytes(3)))
                        : Optional.empty();
            }
        }
    }

    /** The unwrapped keyset handles of a row (not shredded). */
    KeysetHandle unwrapHandle(Wrapped wrapped, String kind) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.parseEncryptedKeyset("aead".equals(kind) ? wrapped.aead() : wrapped.blindIndex(),
                kek.aead(), associatedData(wrapped.organization(), kind));
    }

    /** A keyset wrapped by the current key-encryption key, bound to its organisation and kind. */
    byte[] wrap(String organization, String kind, KeysetHandle handle) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, kek.aead(), associatedData(organization, kind));
    }

    private static byte[] associatedData(String organization, String kind) {
        return ("registry-keyset\0" + organization + "\0" + kind).getBytes(StandardCharsets.UTF_8);
    }
}
