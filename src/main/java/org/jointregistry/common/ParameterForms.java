package org.jointregistry.common;

/**
 * The written forms of the date parameters, as the contract states them
 * (`pattern` of a plain string). A union (`oneOf: [date, date-time]`) would be
 * the exact type, but generated clients turn a union query parameter into a
 * wrapper class (Java) or drop its validation (Python), so a partner could no
 * longer simply pass "2018-03-14"; a string with a pattern generates as a
 * plain string in every generator. The parsers stay the judges: these patterns
 * only say which forms to send.
 */
public final class ParameterForms {

    /** A Europe/Paris day: 2018-03-14. */
    public static final String DAY = "^\\d{4}-\\d{2}-\\d{2}$";
    /** A day, or a date-time with its offset: 2018-03-14 or 2018-03-14T18:30:00+01:00. */
    public static final String DAY_OR_DATE_TIME =
            "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$";

    private ParameterForms() {
    }
}
