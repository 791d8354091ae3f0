package org.jointregistry.taxonomy;

/** Where a complaint about an incident stands. */
public enum ComplaintStatus implements Coded {
    NONE,
    PLANNED,
    FILED,
    DISMISSED,
    UPHELD
}
