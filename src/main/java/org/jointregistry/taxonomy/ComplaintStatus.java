package org.jointregistry.taxonomy;

import java.util.Set;

/** Where a complaint about an incident stands. */
public enum ComplaintStatus implements Coded {
    NONE,
    PLANNED,
    FILED,
    DISMISSED,
    UPHELD;

    /**
     * A complaint actually lodged, whatever came of it: the figures' "with
     * complaint" (the mayor's "complaints would have been lodged"). The
     * aggregate SQL gets it as a placeholder (aggregate.SchemaPlaceholders).
     */
    public boolean lodged() {
        return this == FILED || this == DISMISSED || this == UPHELD;
    }
}
