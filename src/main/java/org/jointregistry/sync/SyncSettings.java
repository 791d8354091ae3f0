package org.jointregistry.sync;

import io.smallrye.config.ConfigMapping;

/** The partner sync's settings (`registry.sync.*`). */
@ConfigMapping(prefix = "registry.sync")
public interface SyncSettings {

    /** The HMAC key of change-feed cursors; every replica must share it. */
    String cursorSecret();
}
