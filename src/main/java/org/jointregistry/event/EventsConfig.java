package org.jointregistry.event;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of shared events ({@code registry.events.*}). */
@ConfigMapping(prefix = "registry.events")
public interface EventsConfig {

    /**
     * Failed redemptions (unknown, used or expired codes) an organisation may
     * make per {@link #failureWindow()}; beyond, redemptions answer 429.
     */
    @WithDefault("10")
    int maxFailedRedemptions();

    /** The fixed window failed redemptions are counted in. */
    @WithDefault("PT15M")
    Duration failureWindow();
}
