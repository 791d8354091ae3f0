package org.jointregistry.security;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import java.util.List;

/** The registry's own HTTP limits (`registry.http.*`); Quarkus' limit stays `quarkus.http.limits.*`. */
@ConfigMapping(prefix = "registry.http")
public interface HttpSettings {

    /** The largest body of an ordinary API request. */
    MemorySize maxBodySize();

    /** Paths that may take up to `quarkus.http.limits.max-body-size` (batch and import). */
    List<String> bulkPaths();
}
