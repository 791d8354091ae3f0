package org.jointregistry.faults;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The drills' bounded waits: a condition that does not come true in time fails the drill. */
public final class Await {

    private Await() {
    }

    /** Polls {@code condition} every 100 ms until true; an AssertionError naming {@code what} after {@code bound}. */
    public static void until(BooleanSupplier condition, Duration bound, String what) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not " + what + " within " + bound);
            }
            Thread.sleep(100);
        }
    }
}
