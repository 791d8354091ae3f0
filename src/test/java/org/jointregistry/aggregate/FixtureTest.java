package org.jointregistry.aggregate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class that reads the {@link AggregateFixture}: loaded before its tests, removed after. */
public abstract class FixtureTest {

    @BeforeAll
    static void loadFixture() {
        AggregateFixture.load();
    }

    @AfterAll
    static void clearFixture() {
        AggregateFixture.clear();
    }
}
