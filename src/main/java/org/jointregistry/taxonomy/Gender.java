package org.jointregistry.taxonomy;

/** A volunteer's gender, as the volunteer chose to disclose it. */
public enum Gender implements Coded {
    FEMALE,
    MALE,
    NON_BINARY,
    UNDISCLOSED
}
