package org.jointregistry.replica;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The optional read replica (`registry.replica.*`, environment REGISTRY_REPLICA_URL, ...).
 * Without a URL every read goes to the primary, as on a single machine.
 */
@ConfigMapping(prefix = "registry.replica")
public interface ReplicaSettings {

    /**
     * The replica's JDBC URL, typically the same hosts as the primary's with
     * {@code targetServerType=preferSecondary}; it also feeds the datasource
     * "replica" (application.properties), so both agree on whether it is on.
     */
    Optional<String> url();

    /** Data older than this on the replica is not served from it: the request reads the primary instead. */
    @WithDefault("5s")
    Duration maxLag();

    /** How often each instance sets the heartbeat on the primary. */
    @WithDefault("1s")
    Duration heartbeat();
}
