package org.jointregistry.atrest;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

/**
 * The key-encryption key as a Tink keyset in a file outside the database
 * (REGISTRY_MASTER_KEY_FILE). Rotation adds a primary key to the file, and
 * removes the old ones once every data keyset is re-wrapped; each write
 * replaces the file atomically, so a crash leaves the old or the new file,
 * both able to unwrap what the database holds at that moment.
 */
final class MasterKeyFile implements KeyEncryptionKey {

    private final Path file;
    /** Serialises rotations; private, so that no caller can hold it. */
    private final Object rotation = new Object();
    private volatile KeysetHandle keyset;
    private volatile Aead aead;

    private MasterKeyFile(Path file, KeysetHandle keyset) throws GeneralSecurityException {
        this.file = file;
        use(keyset);
    }

    /** Reads the file; {@code generate} creates it first when missing (dev and test). */
    static MasterKeyFile open(Path file, boolean generate) throws GeneralSecurityException {
        Sealing.register();
        try {
            if (!Files.exists(file) && generate) {
                write(file, KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
            }
            return new MasterKeyFile(file, TinkJsonProtoKeysetFormat.parseKeyset(
                    Files.readString(file, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the master key file " + file, e);
        }
    }

    /** Writes a new master key file (the `generate-master-key` command), refusing to overwrite one. */
    static void generate(Path file) throws GeneralSecurityException, IOException {
        Sealing.register();
        if (Files.exists(file)) {
            throw new IOException(file + " exists: a new key would make every keyset it wraps unreadable");
        }
        write(file, KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
    }

    @Override
    public Aead aead() {
        return aead;
    }

    @Override
    public void addPrimaryKey() throws GeneralSecurityException {
        synchronized (rotation) {
            KeysetHandle rotated = KeysetHandle.newBuilder(keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build();
            write(file, rotated);
            use(rotated);
        }
    }

    @Override
    public void retireOldKeys() throws GeneralSecurityException {
        synchronized (rotation) {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
            for (int i = builder.size() - 1; i >= 0; i--) {
                if (!builder.getAt(i).isPrimary()) {
                    builder.deleteAt(i);
                }
            }
            KeysetHandle primaryOnly = builder.build();
            write(file, primaryOnly);
            use(primaryOnly);
        }
    }

    @Override
    public String describe() {
        return "master key file " + file.toAbsolutePath();
    }

    private void use(KeysetHandle handle) throws GeneralSecurityException {
        keyset = handle;
        aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    private static void write(Path file, KeysetHandle handle) throws GeneralSecurityException {
        try {
            Path dir = Objects.requireNonNull(file.toAbsolutePath().getParent(), "an absolute path has a parent");
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".master-key", ".tmp");
            try {
                // Owner-only where the file system has POSIX permissions.
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not POSIX (Windows): the directory's ACL applies.
            }
            Files.writeString(temp, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()),
                    StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the master key file " + file, e);
        }
    }
}
