package org.jointregistry.taxonomy;

/** Life cycle of an incident record. */
public enum IncidentStatus implements Coded {
    DRAFT,
    SUBMITTED,
    VERIFIED,
    RETRACTED
}
