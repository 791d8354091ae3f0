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
import org.jointregistry.aggregate.Summary;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.Gender;

/** Composes the joint report from the aggregate service's breakdowns, so the figures are the API's figures. */
@ApplicationScoped
public class JointReportService {

    // 2: every breakdown, total and the summary count events (occurrences) beside incidents (reports).
    static final String RULES_VERSION = "joint-report/2";
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
    static final String SUPPRESSION = "A row whose distinct-volunteer count is between 1 and minCellSize-1 is "
            + "published without counts (suppressed). When exactly one row of a breakdown is suppressed, the next "
            + "smallest row (fewest volunteers, then fewest incidents, among rows involving volunteers) is "
            + "suppressed too, so the total minus the other rows cannot reveal it; with two dimensions this holds "
            + "within every slice of the table as well. Rows without any volunteer single out nobody and are not "
            + "suppressed. The summary and totals are exact.";

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
                        aggregates.minCellSize(), COUNTING, SUPPRESSION),
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
     * cells of the category x gender breakdown, suppressed as that breakdown
     * is), and the share.
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
                    return new JointReport.WomenInCategory(code, all.incidents(), womenIncidents,
                            womenIncidents == null || all.incidents() == null ? null
                                    : share(womenIncidents, all.incidents()),
                            all.suppressed() || withWomen != null && withWomen.suppressed());
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

    /** part / whole rounded half-even to 4 decimals; null when unknown or the whole is 0. */
    static BigDecimal share(Long part, long whole) {
        return part == null || whole == 0 ? null
                : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_EVEN);
    }
}
