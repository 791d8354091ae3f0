package org.jointregistry.tenant;

/** Realm roles of the registry (see the realm file in docker/). */
public final class Roles {
    /** Writes and reads its own organisation's incidents. */
    public static final String REPORTER = "reporter";
    /** A reporter who may also delete incidents, manage volunteers and freeze report snapshots. */
    public static final String COORDINATOR = "coordinator";
    /** Reads aggregates and reports only; may belong to no organisation. */
    public static final String ANALYST = "analyst";

    private Roles() {
    }
}
