package org.jointregistry.aggregate;

import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that reads the {@link AggregateFixture}, loaded before its tests. It runs
 * under {@link org.jointregistry.stack.WholeNetwork} (the fixture refuses the shared
 * database), so nothing needs removing after it.
 */
public abstract class FixtureTest {

    @BeforeAll
    static void loadFixture() {
        AggregateFixture.load();
    }
}
