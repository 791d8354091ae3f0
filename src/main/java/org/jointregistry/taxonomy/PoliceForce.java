package org.jointregistry.taxonomy;

/** Police forces named in incidents. */
public enum PoliceForce implements Coded {
    CRS,
    POLICE_NATIONALE,
    GENDARMERIE,
    POLICE_AUX_FRONTIERES,
    POLICE_MUNICIPALE,
    OTHER,
    UNKNOWN
}
