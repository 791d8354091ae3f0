package org.jointregistry.aggregate;

/**
 * The fixed perturbation table of the cell-key method (README "What the
 * figures protect"; the method of the ABS TableBuilder and of the `cellKey` R
 * package): a published figure is its true count plus a perturbation of at
 * most {@link #MAX} either way, read from the table with the count and the
 * cell's key (the sum of its contributors' random keys modulo 2^32, summed by
 * the door). The same count with the same contributors always gives the same
 * value, whichever query asks, so repeating or rephrasing a query averages
 * nothing away and snapshots stay reproducible.
 * <p>
 * The perturbations -2..+2 have the weights 1, 2, 4, 2, 1 (out of 10): the
 * cell key, read as a fraction of 2^32, picks one by their cumulative weights.
 * A published figure never falls below its floor (k for a count of volunteers,
 * 1 for a count of incidents or events): near the floor the perturbations that
 * would go below it are left out and the others keep their weights relative
 * to each other. A count of 0 is published as 0 (it is about nobody), a count
 * of 1 to floor-1 not at all (null).
 */
public final class Perturbation {

    /** The bound: a published figure is within this of the true count. */
    public static final int MAX = 2;

    private static final int[] WEIGHTS = { 1, 2, 4, 2, 1 };
    private static final int KEY_BITS = 32;

    private Perturbation() {
    }

    /** The published value of {@code count} with cell key {@code cellKey}; null when withheld. */
    public static Long publish(long count, long cellKey, int floor) {
        if (count == 0) {
            return 0L;
        }
        if (count < floor) {
            return null;
        }
        int lowest = (int) Math.max(-MAX, floor - count);
        long weights = 0;
        for (int p = lowest; p <= MAX; p++) {
            weights += WEIGHTS[p + MAX];
        }
        // The key's place in [0, 2^32) scaled to [0, weights): exact in a long (weights <= 10).
        long target = (cellKey * weights) >>> KEY_BITS;
        int p = lowest;
        for (target -= WEIGHTS[p + MAX]; target >= 0; target -= WEIGHTS[p + MAX]) {
            p++;
        }
        return count + p;
    }
}
