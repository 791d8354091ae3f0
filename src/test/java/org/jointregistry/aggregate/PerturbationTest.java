package org.jointregistry.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The fixed perturbation table, by hand (weights 1, 2, 4, 2, 1 over -2..+2), without a database. */
class PerturbationTest {

    private static final long LAST_KEY = (1L << 32) - 1;
    private static final long HALF = 1L << 31;

    @Test
    void zeroIsZeroAndSmallCountsAreWithheld() {
        assertEquals(0L, Perturbation.publish(0, HALF, 3));
        assertNull(Perturbation.publish(1, HALF, 3));
        assertNull(Perturbation.publish(2, LAST_KEY, 3));
    }

    @Test
    void theKeyPicksThePerturbationByCumulativeWeight() {
        // 10 volunteers: the key's place in tenths; 0 -> -2, [0.1, 0.3) -> -1, [0.3, 0.7) -> 0, ...
        assertEquals(8L, Perturbation.publish(10, 0, 3));
        assertEquals(9L, Perturbation.publish(10, (long) (0.1 * (1L << 32)) + 1, 3));
        assertEquals(10L, Perturbation.publish(10, HALF, 3));
        assertEquals(11L, Perturbation.publish(10, (long) (0.7 * (1L << 32)) + 1, 3));
        assertEquals(12L, Perturbation.publish(10, LAST_KEY, 3));
    }

    @Test
    void nearTheFloorTheLowerPerturbationsAreLeftOut() {
        // 3 volunteers (floor 3): 0, +1, +2 with weights 4, 2, 1 out of 7.
        assertEquals(3L, Perturbation.publish(3, 0, 3));
        assertEquals(3L, Perturbation.publish(3, HALF, 3));
        assertEquals(5L, Perturbation.publish(3, LAST_KEY, 3));
        // 1 incident (floor 1) is never published as 0.
        assertEquals(1L, Perturbation.publish(1, 0, 1));
        // 4 volunteers: -1 at most.
        assertEquals(3L, Perturbation.publish(4, 0, 3));
    }

    @Test
    void everyPublishedValueIsWithinTheBoundAndAboveTheFloor() {
        Map<Long, Integer> seen = new TreeMap<>();
        for (long key = 0; key <= LAST_KEY; key += 65_537) {
            for (long count = 3; count <= 12; count++) {
                long published = Perturbation.publish(count, key, 3);
                assertTrue(published >= 3 && Math.abs(published - count) <= Perturbation.MAX, count + " " + key);
                if (count == 10) {
                    seen.merge(published - count, 1, Integer::sum);
                }
            }
        }
        // The weights show: 0 about four times as often as -2 or +2.
        assertEquals(5, seen.size(), seen.toString());
        assertTrue(seen.get(0L) > 3 * seen.get(-2L) && seen.get(0L) > 3 * seen.get(2L), seen.toString());
    }
}
