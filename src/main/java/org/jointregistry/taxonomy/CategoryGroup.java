package org.jointregistry.taxonomy;

/** The three groups under which the 2018 joint report presented incidents. */
public enum CategoryGroup implements Coded {
    PRESSURE,
    OBSTRUCTION,
    VIOLENCE
}
