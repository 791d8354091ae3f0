package org.jointregistry.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.PoliceForce;
import org.junit.jupiter.api.Test;

/** The one parameter parser, without a server: its forms, and the errors it answers with. */
class ParametersTest {

    @Test
    void aDateIsAParisDayWithToInclusive() {
        Parameters parameters = Parameters.query();
        TimeSpan span = parameters.span("2018-03-14", "2018-03-14");
        parameters.throwIfInvalid();
        assertEquals(Instant.parse("2018-03-13T23:00:00Z"), span.from());
        assertEquals(Instant.parse("2018-03-14T23:00:00Z"), span.to());
    }

    @Test
    void aDateEndsAtTheNextParisMidnightAcrossSummerTime() {
        // 25 March 2018 lasts 23 hours in Paris: the day after starts at 00:00+02:00.
        TimeSpan span = Parameters.query().span(null, "2018-03-25");
        assertEquals(Instant.parse("2018-03-25T22:00:00Z"), span.to());
        assertNull(span.from());
    }

    @Test
    void aDateTimeWithOffsetIsAnInstantWithToExclusive() {
        Parameters parameters = Parameters.query();
        TimeSpan span = parameters.span("2018-03-01T00:00:00+01:00", "2018-03-14T18:30:00.5Z");
        parameters.throwIfInvalid();
        assertEquals(Instant.parse("2018-02-28T23:00:00Z"), span.from());
        assertEquals(Instant.parse("2018-03-14T18:30:00.5Z"), span.to());
    }

    @Test
    void blankBoundsAreOpen() {
        Parameters parameters = Parameters.query();
        TimeSpan span = parameters.span(" ", null);
        parameters.throwIfInvalid();
        assertEquals(new TimeSpan(null, null), span);
    }

    @Test
    void badDatesAreNamedWithTheFormsAccepted() {
        ProblemException problem = invalid(p -> p.span("2018-02-30", "2018-03-14T18:30:00"));
        assertEquals(ProblemType.INVALID_PARAMETER, problem.type());
        assertEquals(List.of(new Problem.FieldError("from", Parameters.DATE_MESSAGE),
                new Problem.FieldError("to", Parameters.DATE_MESSAGE)), problem.errors());
        assertEquals("Invalid parameters: from, to.", problem.getMessage());
    }

    @Test
    void datesOutsideTheSupportedYearsAreRefused() {
        assertEquals(List.of(new Problem.FieldError("from", DateBounds.MESSAGE),
                new Problem.FieldError("to", DateBounds.MESSAGE)),
                invalid(p -> p.span("+10000-01-01", "+300000-01-01T00:00:00Z")).errors());
    }

    @Test
    void aPeriodMustEndAfterItStarts() {
        assertEquals(List.of("to"), fields(invalid(p -> p.span("2018-03-14", "2018-03-13"))));
        assertEquals(List.of("to"), fields(invalid(p -> p.span("2018-03-14T10:00:00Z", "2018-03-14T10:00:00Z"))));
        Parameters oneDay = Parameters.query();
        oneDay.span("2018-03-14T00:00:00+01:00", "2018-03-14");
        oneDay.throwIfInvalid();
    }

    @Test
    void daysTakeDatesAndDateTimesAtTheStartOfAParisDay() {
        Parameters parameters = Parameters.query();
        assertEquals(new TimeSpan.Days(LocalDate.of(2017, 11, 1), LocalDate.of(2018, 6, 30)),
                parameters.days("2017-11-01", "2018-06-30"));
        // to is exclusive as a date-time: midnight starting 1 July ends on 30 June.
        assertEquals(new TimeSpan.Days(LocalDate.of(2018, 3, 1), LocalDate.of(2018, 6, 30)),
                parameters.days("2018-03-01T00:00:00+01:00", "2018-06-30T22:00:00Z"));
        assertEquals(new TimeSpan.Days(null, null), parameters.days(null, ""));
        parameters.throwIfInvalid();
    }

    @Test
    void daysRefuseADateTimeInsideADay() {
        ProblemException problem = invalid(p -> p.days("2018-03-01T00:00:00Z", "2018-03-02T12:00:00+01:00"));
        assertEquals(List.of("from", "to"), fields(problem));
        assertTrue(problem.errors().get(0).message().contains("start of a Paris day"), problem.errors().toString());
    }

    @Test
    void repeatedAndCommaSeparatedValuesAreOneDistinctList() {
        Parameters parameters = Parameters.query();
        assertEquals(List.of("Calais", "Dunkerque", "Grande-Synthe"),
                parameters.texts("commune", List.of("Calais, Dunkerque", " Calais ", ",,", "", "Grande-Synthe")));
        assertEquals(List.of(), parameters.texts("commune", null));
        assertEquals(List.of(Category.IDENTITY_CHECK, Category.FINE, Category.THREAT),
                parameters.codes("category", List.of("identity_check,fine", "threat", "fine"), Category.class));
        parameters.throwIfInvalid();
    }

    @Test
    void unknownCodesAreListedWithTheCodesAccepted() {
        ProblemException problem = invalid(p -> p.codes("force", List.of("crs,CRS", "nope"), PoliceForce.class));
        assertEquals(List.of("force"), fields(problem));
        assertTrue(problem.errors().get(0).message().startsWith("unknown value(s) CRS, nope; must be one of: crs, "),
                problem.errors().get(0).message());
    }

    @Test
    void controlCharactersAndInvalidUtf8AreRefusedInEveryKindOfValue() {
        for (String hostile : List.of("\u0000", "Calais\u0000", "a\tb", "\u001b[31m", "\u007f", "\u0085",
                "Calais\ufffd", "\n", "\u001f", " \t ")) {
            ProblemException problem = invalid(p -> {
                p.texts("commune", List.of(hostile));
                p.codes("category", List.of(hostile), Category.class);
                p.integer("limit", hostile, 1, 500, 50);
                p.span(hostile, null);
            });
            assertEquals(Arrays.stream(new String[] { "commune", "category", "limit", "from" })
                    .map(f -> new Problem.FieldError(f, Parameters.TEXT_MESSAGE)).toList(), problem.errors(),
                    "for " + hostile.codePoints().boxed().toList());
        }
    }

    @Test
    void otherUnicodeIsPlainTextAsSent() {
        Parameters parameters = Parameters.query();
        // No normalisation: the composed and decomposed é are two names, as the database compares them.
        assertEquals(List.of("Caf\u00e9", "Cafe\u0301", "\u202ecrs"),
                parameters.texts("commune", List.of("Caf\u00e9", "Cafe\u0301", "\u202ecrs")));
        parameters.throwIfInvalid();
        assertEquals(List.of("category"),
                fields(invalid(p -> p.codes("category", List.of("\u0131dentity_check"), Category.class))));
    }

    @Test
    void numbersAreWholeAndBounded() {
        Parameters parameters = Parameters.query();
        assertEquals(50, parameters.integer("limit", null, 1, 500, 50));
        assertEquals(50, parameters.integer("limit", " ", 1, 500, 50));
        assertEquals(7, parameters.integer("limit", " 7 ", 1, 500, 50));
        assertEquals(500, parameters.integer("limit", "500", 1, 500, 50));
        parameters.throwIfInvalid();
        for (String bad : List.of("0", "501", "-1", "4.5", "1e2", "0x10", "2147483648", "abc")) {
            ProblemException problem = invalid(p -> p.integer("limit", bad, 1, 500, 50));
            assertEquals(List.of(new Problem.FieldError("limit", "must be a whole number from 1 to 500")),
                    problem.errors(), bad);
        }
    }

    @Test
    void flagsAreTrueOrFalse() {
        Parameters parameters = Parameters.query();
        assertTrue(parameters.flag("detach", "true", false));
        assertFalse(parameters.flag("detach", "false", true));
        assertFalse(parameters.flag("detach", null, false));
        parameters.throwIfInvalid();
        assertEquals(List.of(new Problem.FieldError("detach", "must be true or false")),
                invalid(p -> p.flag("detach", "yes", false)).errors());
    }

    @Test
    void choicesAndRequiredValues() {
        Parameters parameters = Parameters.query();
        assertEquals("week", parameters.choice("interval", "week", List.of("day", "week", "month")));
        assertNull(parameters.choice("interval", "", List.of("day", "week", "month")));
        parameters.throwIfInvalid();
        assertEquals(List.of(new Problem.FieldError("interval", "must be one of: day, week, month")),
                invalid(p -> p.choice("interval", "day,week", List.of("day", "week", "month"))).errors());
        assertEquals(List.of(new Problem.FieldError("groupBy", "is required: a dimension")),
                invalid(p -> p.require("groupBy", p.oneOf("groupBy", List.of(","), List.of("month")),
                        "a dimension")).errors());
        // An unknown value is its own error; "required" is not said on top of it.
        assertEquals(1, invalid(p -> p.require("groupBy", p.oneOf("groupBy", List.of("nope"), List.of("month")),
                "a dimension")).errors().size());
    }

    @Test
    void opaqueValuesAreReadByTheirDecoder() {
        Parameters parameters = Parameters.query();
        assertEquals(Optional.of(42), parameters.opaque("cursor", "42", v -> Optional.of(Integer.valueOf(v)), "bad"));
        assertEquals(Optional.empty(), parameters.opaque("cursor", null, v -> Optional.of(1), "bad"));
        parameters.throwIfInvalid();
        assertEquals(List.of(new Problem.FieldError("cursor", "bad")),
                invalid(p -> p.opaque("cursor", "x", v -> Optional.empty(), "bad")).errors());
    }

    @Test
    void everyErrorIsListedOnceAndABodyAnswers422() {
        ProblemException problem = invalid(p -> {
            p.texts("commune", List.of("\u0000", "\u0000,\u0000"));
            p.integer("limit", "0", 1, 500, 50);
        });
        assertEquals(List.of("commune", "limit"), fields(problem));
        Parameters body = Parameters.body();
        body.days("2018-03-14", "nope");
        ProblemException bodyProblem = assertThrows(ProblemException.class, body::throwIfInvalid);
        assertEquals(ProblemType.VALIDATION_FAILED, bodyProblem.type());
        assertEquals(List.of(new Problem.FieldError("to", Parameters.DATE_MESSAGE)), bodyProblem.errors());
    }

    private static ProblemException invalid(java.util.function.Consumer<Parameters> parse) {
        Parameters parameters = Parameters.query();
        parse.accept(parameters);
        return assertThrows(ProblemException.class, parameters::throwIfInvalid);
    }

    private static List<String> fields(ProblemException problem) {
        return problem.errors().stream().map(Problem.FieldError::field).toList();
    }
}
