package org.jointregistry.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A period of the API's from/to parameters: instants, {@code from} included,
 * {@code to} excluded, either end open (null). A date parameter stands for a
 * whole Europe/Paris day, so {@code to=2018-06-30} ends at the start of
 * 1 July in Paris.
 */
public record TimeSpan(Instant from, Instant to) {

    /** The registry's reporting zone: the days of date parameters and of every day, week and month bucket. */
    public static final ZoneId ZONE = ZoneId.of("Europe/Paris");

    /** The same period as Europe/Paris days, both inclusive (null: open), for endpoints that count whole days. */
    public record Days(LocalDate first, LocalDate last) {
    }
}
