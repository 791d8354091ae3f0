package org.jointregistry.aggregate;

import java.util.List;

/**
 * A row (or total) as the door counted it: true counts, never published as
 * such, and the cell keys the perturbation reads (V100): the volunteers' key,
 * and the incidents' key in a breakdown by a volunteer attribute (else null).
 */
record Counted(List<String> key, long incidents, long events, long volunteers, Long incidentKey,
        long volunteerKey) {

    /** An empty bucket of a time series. */
    static Counted empty(List<String> key) {
        return new Counted(key, 0, 0, 0, null, 0);
    }
}
