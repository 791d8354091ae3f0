package org.jointregistry.aggregate;

import java.time.LocalDate;
import java.util.List;

/**
 * Which incidents an aggregate counts, validated. A null list means "no filter";
 * {@code categories} already combines the category and categoryGroup filters
 * (the categories named by both). Dates are Europe/Paris days, both inclusive.
 */
public record AggregateFilter(LocalDate from, LocalDate to, List<String> organizations, List<String> categories,
        List<String> forces, List<String> communes, List<String> statuses) {

    /** Incidents that reached the joint figures: submitted or verified. */
    public static final List<String> COUNTED_STATUSES = List.of("submitted", "verified");

    /** Everything counted in the period, as the joint report counts it. */
    public static AggregateFilter period(LocalDate from, LocalDate to) {
        return new AggregateFilter(from, to, null, null, null, null, COUNTED_STATUSES);
    }
}
