package org.jointregistry.aggregate;

import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hamcrest.Matcher;

/**
 * Assertions on perturbed figures (README "What the figures protect"): the
 * published value of a hand-counted figure, whatever the random keys drew.
 */
public final class PerturbedFigures {

    private PerturbedFigures() {
    }

    /**
     * A perturbed figure: 0 for 0, else within {@link Perturbation#MAX} of the true count and
     * never below the floor (k for volunteers, 1 for incidents).
     */
    public static void assertPerturbed(int count, int floor, Object published, String what) {
        if (count == 0) {
            assertEquals(0, published, what);
            return;
        }
        int value = ((Number) published).intValue();
        assertTrue(value >= Math.max(floor, count - Perturbation.MAX) && value <= count + Perturbation.MAX,
                what + ": " + value + " for " + count);
    }

    /** The Hamcrest form of {@link #assertPerturbed} for a count of volunteers (floor k). */
    public static Matcher<Integer> perturbed(int count, int floor) {
        return both(greaterThanOrEqualTo(Math.max(floor, count - Perturbation.MAX)))
                .and(lessThanOrEqualTo(count + Perturbation.MAX));
    }
}
