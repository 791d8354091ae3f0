package org.jointregistry.aggregate;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** Buckets of a time series, labelled exactly as the database labels them (Europe/Paris days). */
public enum Interval {
    DAY(Dimension.DAY),
    WEEK(Dimension.WEEK),
    MONTH(Dimension.MONTH);

    private final Dimension dimension;

    Interval(Dimension dimension) {
        this.dimension = dimension;
    }

    public Dimension dimension() {
        return dimension;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** First day of the bucket holding {@code day}. */
    public LocalDate start(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    /** First day of the bucket after the one starting on {@code start}. */
    public LocalDate next(LocalDate start) {
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
    }

    /** `2018-03-14`, ISO week `2018-W11`, `2018-03`. */
    public String label(LocalDate day) {
        return switch (this) {
            case DAY -> day.toString();
            case WEEK -> String.format(Locale.ROOT, "%04d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR),
                    day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTH -> String.format(Locale.ROOT, "%04d-%02d", day.getYear(), day.getMonthValue());
        };
    }

    /** First day of the bucket a {@link #label} names. */
    public LocalDate parse(String label) {
        return switch (this) {
            case DAY -> LocalDate.parse(label);
            case WEEK -> LocalDate.of(Integer.parseInt(label.substring(0, 4)), 1, 4)
                    .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, Long.parseLong(label.substring(6)))
                    .with(DayOfWeek.MONDAY);
            case MONTH -> LocalDate.parse(label + "-01");
        };
    }
}
