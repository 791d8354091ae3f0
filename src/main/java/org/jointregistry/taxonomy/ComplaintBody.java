package org.jointregistry.taxonomy;

/** Bodies a complaint can be lodged with. */
public enum ComplaintBody implements Coded {
    IGPN,
    PROSECUTOR,
    DEFENSEUR_DES_DROITS,
    OTHER
}
