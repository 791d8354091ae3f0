package org.jointregistry.atrest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Encryption at rest (issue 14): where the key-encryption key lives and how long unwrapped keysets stay cached. */
@ConfigMapping(prefix = "registry.atrest")
public interface AtRestConfig {

    /**
     * The key-encryption key as a Tink keyset file (JSON, AES-256-GCM). In
     * production REGISTRY_MASTER_KEY_FILE; dev and test point it at a file
     * generated on first use (see {@link #generateMasterKey()}).
     */
    Optional<String> masterKeyFile();

    /** Creates the master key file when it does not exist: dev and test only (production refuses to start). */
    @WithDefault("false")
    boolean generateMasterKey();

    /**
     * A Tink KMS key URI (gcp-kms://..., aws-kms://..., or a Vault transit URI
     * of a registered KmsClient). When set it is the key-encryption key and the
     * file is not used; the deployer puts the matching Tink KMS extension on the
     * class path and registers its client (Tink's KmsClients).
     */
    Optional<String> kekUri();

    /**
     * How long an unwrapped keyset is used before it is read again: how soon a
     * data-key rotation or a shred done by another replica reaches this one.
     */
    @WithDefault("PT1M")
    Duration keysetCacheTtl();

    /**
     * Stores the sealed fields as plain UTF-8 and reads them so: the benchmark's
     * measure of what sealing costs (README "Performance"), never a deployment's
     * setting. The production profile refuses to start with it
     * (security/ProductionSecrets); the benchmark's plaintext run uses a profile
     * of its own and reads back only the records it wrote, which the harness
     * seals afterwards.
     */
    @WithDefault("false")
    boolean benchmarkPlaintext();
}
