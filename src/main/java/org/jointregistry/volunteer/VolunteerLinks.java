package org.jointregistry.volunteer;

import java.util.UUID;

/**
 * What the incident side knows about a volunteer's links, for deleting a
 * volunteer (implemented in the incident package, which owns the links).
 */
public interface VolunteerLinks {

    /** Whether a live incident of the active organisation names the volunteer. */
    boolean linked(UUID volunteerId);

    /**
     * Removes the volunteer from every incident of the active organisation,
     * recording an update revision on each live one.
     */
    void detach(UUID volunteerId);
}
