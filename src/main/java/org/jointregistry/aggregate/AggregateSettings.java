package org.jointregistry.aggregate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The aggregate path's settings (`registry.aggregates.*`). */
@ConfigMapping(prefix = "registry.aggregates")
public interface AggregateSettings {

    /** k: breakdown rows with 1 to k-1 distinct volunteers are suppressed. */
    @WithDefault("3")
    int minCellSize();
}
