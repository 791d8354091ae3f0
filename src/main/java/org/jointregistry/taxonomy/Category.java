package org.jointregistry.taxonomy;

/** Incident categories, grouped as the 2018 joint report grouped them. */
public enum Category implements Coded {
    SURVEILLANCE_OBSERVATION(CategoryGroup.PRESSURE),
    SURVEILLANCE_FILMING(CategoryGroup.PRESSURE),
    SURVEILLANCE_TAILING(CategoryGroup.PRESSURE),
    IDENTITY_CHECK(CategoryGroup.PRESSURE),
    BODY_SEARCH(CategoryGroup.PRESSURE),
    VEHICLE_SEARCH(CategoryGroup.PRESSURE),
    FINE(CategoryGroup.OBSTRUCTION),
    DISTRIBUTION_BAN(CategoryGroup.OBSTRUCTION),
    CONFISCATION(CategoryGroup.OBSTRUCTION),
    PROSECUTION(CategoryGroup.OBSTRUCTION),
    ARREST_DETENTION(CategoryGroup.OBSTRUCTION),
    DENIAL_OF_RIGHTS(CategoryGroup.OBSTRUCTION),
    ASSOCIATION_INTIMIDATION(CategoryGroup.OBSTRUCTION),
    PHYSICAL_VIOLENCE(CategoryGroup.VIOLENCE),
    ABUSE_OF_POWER(CategoryGroup.VIOLENCE),
    THREAT(CategoryGroup.VIOLENCE),
    INSULT(CategoryGroup.VIOLENCE);

    private final CategoryGroup group;

    Category(CategoryGroup group) {
        this.group = group;
    }

    public CategoryGroup group() {
        return group;
    }
}
