package org.jointregistry.atrest;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;

/**
 * Wraps and unwraps the organisations' data keysets. The database never holds
 * it: a key file outside the database ({@link MasterKeyFile}) or a KMS (a Tink
 * {@code KmsClient}), selected by {@link AtRestConfig}.
 */
public interface KeyEncryptionKey {

    /** The AEAD that wraps data keysets (its associated data names the organisation). */
    Aead aead() throws GeneralSecurityException;

    /**
     * Makes a new key primary for wrapping while the old ones still unwrap;
     * {@link #retireOldKeys()} then drops them. A KMS rotates its keys itself:
     * there both are refused.
     */
    void addPrimaryKey() throws GeneralSecurityException;

    /** Keeps only the primary key: call once every keyset is wrapped by it. */
    void retireOldKeys() throws GeneralSecurityException;

    /** A description for the audit log: the kind and where it lives, never key material. */
    String describe();
}
