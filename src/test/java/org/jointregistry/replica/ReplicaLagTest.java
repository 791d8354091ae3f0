package org.jointregistry.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a replica's data may be served, and as of when. */
class ReplicaLagTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration BOUND = Duration.ofSeconds(5);

    @Test
    void aStandbyIsCurrentAsOfTheHeartbeatItReplayed() {
        Instant beat = NOW.minusMillis(1_200);
        assertEquals(beat, new ReplicaLag.Reading(true, beat, NOW).asOf(BOUND));
        assertEquals(Duration.ofMillis(1_200), new ReplicaLag.Reading(true, beat, NOW).lag());
    }

    @Test
    void aStandbyBeyondTheBoundIsNotServed() {
        assertEquals(NOW.minus(BOUND), new ReplicaLag.Reading(true, NOW.minus(BOUND), NOW).asOf(BOUND),
                "exactly at the bound still serves");
        assertNull(new ReplicaLag.Reading(true, NOW.minus(BOUND).minusMillis(1), NOW).asOf(BOUND));
        assertNull(new ReplicaLag.Reading(true, null, NOW).asOf(BOUND), "no heartbeat replayed: unknown lag");
    }

    @Test
    void aPrimaryReachedThroughTheReplicaUrlIsCurrentNow() {
        assertEquals(NOW, new ReplicaLag.Reading(false, NOW.minus(Duration.ofHours(1)), NOW).asOf(BOUND),
                "a primary's own heartbeat age says nothing of its currency");
    }

    @Test
    void theHeaderIsAnRfc3339InstantRoundedDown() {
        assertEquals("2026-12-02T10:00:00.123Z", DataAsOf.format(Instant.parse("2026-12-02T10:00:00.123999Z")));
    }

    @Test
    void onlyReadsOfFiguresAreCovered() {
        assertEquals(true, DataAsOf.covers("GET", "/api/v1/aggregates/counts"));
        assertEquals(true, DataAsOf.covers("HEAD", "/api/v1/reports/joint"));
        assertEquals(false, DataAsOf.covers("POST", "/api/v1/reports"), "a snapshot reads the primary");
        assertEquals(false, DataAsOf.covers("GET", "/api/v1/reports/0b0e4d3c-7a4f-4c55-9d4e-8e0c6f0a2b11"));
        assertEquals(false, DataAsOf.covers("GET", "/api/v1/incidents"));
    }
}
