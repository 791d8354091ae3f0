package org.jointregistry.common;

import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * The years any date of the API may fall in. Java parses years up to
 * ±999,999,999, PostgreSQL stores dates only from 4713 BC and timestamps only
 * up to 294276 AD, and beyond that a query or write fails (a 500, not a 4xx);
 * no incident or report falls outside the four-digit years of ISO 8601.
 */
public final class DateBounds {

    public static final int FIRST_YEAR = 1;
    public static final int LAST_YEAR = 9999;
    public static final String MESSAGE = "must be in the years " + FIRST_YEAR + " to " + LAST_YEAR;

    private DateBounds() {
    }

    /** Whether a date or date-time (null: nothing to check) falls in the supported years. */
    public static boolean supported(TemporalAccessor date) {
        if (date == null) {
            return true;
        }
        int year = date.get(ChronoField.YEAR);
        return year >= FIRST_YEAR && year <= LAST_YEAR;
    }
}
