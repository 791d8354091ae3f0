package org.jointregistry.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jointregistry.aggregate.AggregateFilter;
import org.jointregistry.aggregate.AggregateService;
import org.jointregistry.aggregate.CountRow;
import org.jointregistry.aggregate.Counts;
import org.jointregistry.aggregate.Dimension;
import org.jointregistry.aggregate.Interval;
import org.jointregistry.aggregate.Perturbation;
import org.jointregistry.aggregate.Summary;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.Gender;

/** Composes the joint report from the aggregate service's breakdowns, so the figures are the API's figures. */
@ApplicationScoped
public class JointReportService {

    // 2: every breakdown, total and the summary count events (occurrences) beside incidents (reports).
    // 3: cell-key perturbation of volunteers and of gender and nationality rows; other rows unsuppressed.
    static final String RULES_VERSION = "joint-report/3";
    static final String COUNTING = "Counted: incidents with status submitted or verified that are not deleted, "
            + "on Europe/Paris days from 'from' to 'to' inclusive. Each incident counts once in the summary and in "
            + "totals, and once in each of its category and police-force rows. A gender or nationality row counts "
            + "the incidents that involve at least one volunteer with that value, and those volunteers. Volunteers "
            + "are distinct pseudonymous volunteers; a null value is 'not recorded' (no volunteer, no commune, "
            + "no force named). Two units are counted: incidents are reports, one per organisation that recorded "
            + "an occurrence; events are occurrences. Partners link their reports of one occurrence into a shared "
            + "event by consent. The filters select reports; the selected reports of one shared event form one "
            + "occurrence, and a report in no shared event is an occurrence of its own. In a breakdown an event "
            + "takes the union of its selected reports' categories, category groups, forces, organisations, "
            + "volunteers' genders and nationalities, complaint statuses and bodies, and the day, week, month and "
            + "commune of its earliest selected report (ties by id), so it counts once in each such row. "
            + "sharedEvents counts the events whose selected reports come from two or more organisations.";
    static final String SUPPRESSION = "A count of 1 to minCellSize-1 distinct volunteers is never published. "
            + "A gender or nationality row about so few volunteers is published without counts (suppressed); when "
            + "exactly one row of such a breakdown is suppressed, the next smallest row (fewest volunteers, then "
            + "fewest incidents, among rows involving volunteers) is suppressed too, and with two dimensions this "
            + "holds within every slice of the table as well. In the other breakdowns a row's incidents and events "
            + "are always published and only its volunteers are withheld when so few.";
    static final String PERTURBATION = "Every volunteers figure (rows, totals, summary), and the incidents and "
            + "events of every gender and nationality row, are perturbed by the cell-key method: each volunteer "
            + "and incident holds a random key drawn once; a figure's perturbation, of at most maxPerturbation "
            + "either way, is read from a fixed table with its true count and the sum of its contributors' keys, "
            + "so the same contributors always give the same published value, and differences between answers "
            + "do not give away a withheld one. A perturbed figure is never below minCellSize for volunteers, "
            + "below 1 for incidents and events. All other figures are exact: the summary's incidents, events, "
            + "shared events, organisations, dates and complaints, every total's incidents and events, and the "
            + "incidents and events of every other breakdown.";

    @Inject
    AggregateService aggregates;

    public JointReport compose(LocalDate from, LocalDate to) {
        AggregateFilter filter = AggregateFilter.period(from, to);
        Summary summary = aggregates.summary(filter);
        Counts byCategory = counts(filter, Dimension.CATEGORY_GROUP, Dimension.CATEGORY);
        Counts byGender = counts(filter, Dimension.GENDER);
        return new JointReport(
                new JointReport.Period(from, to, "Europe/Paris"),
                new JointReport.Rules(RULES_VERSION, AggregateFilter.COUNTED_STATUSES, true,
                        aggregates.minCellSize(), COUNTING, SUPPRESSION, Perturbation.MAX, PERTURBATION),
                summary,
                counts(filter, Dimension.CATEGORY_GROUP),
                byCategory,
                aggregates.timeseries(Interval.MONTH, filter),
                counts(filter, Dimension.ORGANIZATION),
                counts(filter, Dimension.FORCE),
                counts(filter, Dimension.COMMUNE),
                new JointReport.GenderSection(byGender,
                        share(femaleVolunteers(byGender), byGender.total().volunteers()),
                        womenInCategories(filter, byCategory)),
                counts(filter, Dimension.NATIONALITY),
                new JointReport.Complaints(summary.incidents(), summary.withComplaint(),
                        share(summary.withComplaint(), summary.incidents()),
                        counts(filter, Dimension.COMPLAINT_STATUS),
                        counts(filter, Dimension.COMPLAINT_BODY, Dimension.COMPLAINT_STATUS)));
    }

    /**
     * Per category: incidents, those involving at least one woman (the female
     * cells of the category x gender breakdown, suppressed and perturbed as
     * that breakdown is), and the share.
     */
    private List<JointReport.WomenInCategory> womenInCategories(AggregateFilter filter, Counts byCategory) {
        Map<String, CountRow> categories = byCategory.rows().stream()
                .collect(Collectors.toMap(r -> r.key().get(1), Function.identity()));
        Map<String, CountRow> women = counts(filter, Dimension.CATEGORY, Dimension.GENDER).rows().stream()
                .filter(r -> Gender.FEMALE.code().equals(r.key().get(1)))
                .collect(Collectors.toMap(r -> r.key().get(0), Function.identity()));
        return Arrays.stream(Category.values())
                .map(Category::code)
                .filter(categories::containsKey)
                .map(code -> {
                    CountRow all = categories.get(code);
                    CountRow withWomen = women.get(code);
                    Long womenIncidents = withWomen == null ? Long.valueOf(0) : withWomen.incidents();
                    // The women's incidents are perturbed, the category's exact: a share is at most 1.
                    return new JointReport.WomenInCategory(code, all.incidents(), womenIncidents,
                            womenIncidents == null || all.incidents() == null ? null
                                    : share(Math.min(womenIncidents, all.incidents()), all.incidents()),
                            // The category's incidents are exact: only the women's cell can be withheld.
                            withWomen != null && withWomen.suppressed());
                })
                .toList();
    }

    private Counts counts(AggregateFilter filter, Dimension... dimensions) {
        return aggregates.counts(List.of(dimensions), filter);
    }

    /** Women among the volunteers of the gender breakdown: none without a row, null when suppressed. */
    private static Long femaleVolunteers(Counts byGender) {
        return byGender.rows().stream().filter(r -> Gender.FEMALE.code().equals(r.key().get(0))).findFirst()
                .map(r -> r.suppressed() ? null : r.volunteers()).orElse(0L);
    }

    /** part / whole rounded half-even to 4 decimals; null when either is unknown or the whole is 0. */
    static BigDecimal share(Long part, Long whole) {
        return part == null || whole == null || whole == 0 ? null
                : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_EVEN);
    }
}
