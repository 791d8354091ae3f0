package org.jointregistry.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The demo data's settings (`registry.demo.*`). */
@ConfigMapping(prefix = "registry.demo")
public interface DemoSettings {

    /** Seed the founding-report data into an empty registry on start (the dev profile does). */
    @WithDefault("false")
    boolean seed();
}
