package org.jointregistry.atrest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** Chooses the key-encryption key: a KMS when a key URI is set, else the master key file. */
class KeyEncryptionKeyProducer {

    @Produces
    @ApplicationScoped
    KeyEncryptionKey keyEncryptionKey(AtRestConfig config) throws GeneralSecurityException {
        if (config.kekUri().isPresent()) {
            return new KmsKey(config.kekUri().get());
        }
        String file = config.masterKeyFile().filter(name -> !name.isBlank()).orElseThrow(() ->
                new IllegalStateException("REGISTRY_MASTER_KEY_FILE is not set: the registry needs a key-encryption "
                        + "key to read and write testimony. Generate one with `java -jar quarkus-run.jar "
                        + "generate-master-key /secure/path/master-key.json` and point REGISTRY_MASTER_KEY_FILE at "
                        + "it (or set REGISTRY_KEK_URI to a KMS key)."));
        return MasterKeyFile.open(Path.of(file), config.generateMasterKey());
    }
}
