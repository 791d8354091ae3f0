package org.jointregistry.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The time series' bucket labels, parsed back: the labels must be the
 * database's (ISO weeks, so a week can belong to the year before or after its
 * days' calendar year) and parsing a label must give the bucket's first day.
 */
class IntervalTest {

    @Test
    void isoWeeksAcrossTheTurnOfTheYear() {
        // Monday 31 December 2018 opens 2019's first ISO week.
        assertEquals("2019-W01", Interval.WEEK.label(LocalDate.of(2018, 12, 31)));
        assertEquals(LocalDate.of(2018, 12, 31), Interval.WEEK.parse("2019-W01"));
        // Sunday 3 January 2021 closes 2020's 53rd week.
        assertEquals("2020-W53", Interval.WEEK.label(LocalDate.of(2021, 1, 3)));
        assertEquals(LocalDate.of(2020, 12, 28), Interval.WEEK.parse("2020-W53"));
    }

    @Test
    void everyLabelParsesBackToItsBucketsFirstDay() {
        for (Interval interval : Interval.values()) {
            for (LocalDate day = LocalDate.of(2017, 12, 20); day.isBefore(LocalDate.of(2021, 1, 15));
                    day = day.plusDays(1)) {
                LocalDate start = interval.start(day);
                assertEquals(start, interval.parse(interval.label(day)), interval + " " + day);
                assertEquals(interval.label(day), interval.label(start), interval + " " + day);
                LocalDate next = interval.next(start);
                assertEquals(next, interval.start(next), interval + " after " + start);
                assertEquals(start, interval.start(next.minusDays(1)), interval + " last day of " + start);
            }
        }
    }

    @Test
    void monthsAndDays() {
        assertEquals("2018-03", Interval.MONTH.label(LocalDate.of(2018, 3, 31)));
        assertEquals(LocalDate.of(2018, 3, 1), Interval.MONTH.parse("2018-03"));
        assertEquals(LocalDate.of(2018, 4, 1), Interval.MONTH.next(LocalDate.of(2018, 3, 1)));
        assertEquals("2018-02-28", Interval.DAY.label(LocalDate.of(2018, 2, 28)));
        assertEquals(LocalDate.of(2018, 3, 1), Interval.DAY.next(LocalDate.of(2018, 2, 28)));
    }
}
