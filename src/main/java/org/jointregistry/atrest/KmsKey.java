package org.jointregistry.atrest;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClients;
import java.security.GeneralSecurityException;

/**
 * A key-encryption key held by a KMS, through the Tink KmsClient registered
 * for its URI (the deployer adds tink-gcpkms, tink-awskms or a Vault transit
 * client and registers it). The key never leaves the KMS, which rotates it.
 */
final class KmsKey implements KeyEncryptionKey {

    private final String uri;
    private final Aead aead;

    KmsKey(String uri) throws GeneralSecurityException {
        Sealing.register();
        this.uri = uri;
        this.aead = KmsClients.get(uri).getAead(uri);
    }

    @Override
    public Aead aead() {
        return aead;
    }

    /** Nothing to add here: the KMS makes its new key version primary, and re-wrapping then uses it. */
    @Override
    public void addPrimaryKey() {
    }

    /** The KMS keeps old versions for as long as its own policy says. */
    @Override
    public void retireOldKeys() {
    }

    @Override
    public String describe() {
        return "KMS key " + uri;
    }
}
