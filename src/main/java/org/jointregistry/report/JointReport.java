package org.jointregistry.report;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.aggregate.Counts;
import org.jointregistry.aggregate.Summary;
import org.jointregistry.aggregate.Timeseries;
import org.jointregistry.common.BoundsFilter;
import org.jointregistry.common.Parameters;

/**
 * The joint report: the summary and the breakdowns the 2018 report published,
 * with the rules that produced them. It holds no timestamp of its own, so the
 * same data and rules always give the same bytes (and hash).
 */
@Schema(name = "JointReport", description = "The joint report document. Each breakdown is protected as the "
        + "aggregate endpoints protect it (rules.suppression, rules.perturbation); the summary's and totals' "
        + "incidents and events are exact.")
public record JointReport(
        Period period,
        Rules rules,
        Summary summary,
        @Schema(description = "By category group.") Counts byCategoryGroup,
        @Schema(description = "By category, with its group; suppression completes within each group.")
        Counts byCategory,
        @Schema(description = "By month, every month of the period.") Timeseries byMonth,
        Counts byOrganization,
        @Schema(description = "By police force; an incident naming several forces counts in each.") Counts byForce,
        Counts byCommune,
        GenderSection byGender,
        Counts byNationality,
        Complaints complaints) {

    @Schema(name = "ReportPeriod", description = "The period asked for (null: unbounded); Europe/Paris days.")
    public record Period(
            @Schema(examples = "2017-11-01", nullable = true) LocalDate from,
            @Schema(examples = "2018-06-30", nullable = true) LocalDate to,
            @Schema(examples = "Europe/Paris", maxLength = BoundsFilter.TEXT_MAX) String timeZone) {
    }

    @Schema(name = "ReportRules", description = "How the figures were counted and protected.")
    public record Rules(
            @Schema(description = "Version of these rules.", examples = "joint-report/1", maxLength = BoundsFilter.TEXT_MAX)
            String version,
            @Schema(examples = "[\"submitted\", \"verified\"]", maxItems = Parameters.VALUES_MAX)
            List<String> countedStatuses,
            @Schema(description = "Deleted incidents are never counted.") boolean deletedExcluded,
            @Schema(description = "k of small-cell suppression.", examples = "3", minimum = "1") int minCellSize,
            @Schema(maxLength = BoundsFilter.RULE_TEXT_MAX) String counting,
            @Schema(maxLength = BoundsFilter.RULE_TEXT_MAX) String suppression,
            @Schema(description = "The bound of the perturbation (rules.perturbation says which figures).",
                    examples = "2", minimum = "0", maximum = "100") int maxPerturbation,
            @Schema(description = "Which figures are perturbed and how; every other figure is exact.",
                    maxLength = BoundsFilter.RULE_TEXT_MAX)
            String perturbation) {
    }

    @Schema(name = "ReportGender", description = "By gender of the volunteers involved, and how often each "
            + "category involves women compared with women's share of all volunteers involved.")
    public record GenderSection(
            Counts rows,
            @Schema(description = "Women among all distinct volunteers involved (0 to 1, 4 decimals), both "
                    + "perturbed; null when the women's row is suppressed.", examples = "0.5758", nullable = true)
            BigDecimal womenShareOfVolunteers,
            @Schema(maxItems = BoundsFilter.UNPAGED) List<WomenInCategory> categories) {
    }

    @Schema(name = "ReportWomenInCategory", description = "Incidents of a category that involved at least one woman.")
    public record WomenInCategory(
            @Schema(examples = "physical_violence", maxLength = Parameters.VALUE_MAX) String category,
            @Schema(description = "Incidents of the category, exact (null only in snapshots frozen under rules "
                    + "before joint-report/3, when a small category was suppressed).", nullable = true)
            Long incidents,
            @Schema(description = "Of them, incidents involving at least one woman (perturbed, as in the "
                    + "category x gender breakdown); null when suppressed.", nullable = true)
            Long incidentsInvolvingWomen,
            @Schema(description = "incidentsInvolvingWomen / incidents (0 to 1, 4 decimals; the perturbed "
                    + "numerator capped at the exact incidents); null when either is suppressed.", examples = "0.7333",
                    nullable = true)
            BigDecimal shareOfIncidentsInvolvingWomen,
            boolean suppressed) {
    }

    @Schema(name = "ReportComplaints", description = "Complaints lodged about the counted incidents.")
    public record Complaints(
            @Schema(examples = "646") long incidents,
            @Schema(description = "Incidents with a complaint filed, dismissed or upheld.", examples = "12")
            long withComplaint,
            @Schema(description = "withComplaint / incidents (0 to 1, 4 decimals); null when no incident.",
                    examples = "0.0186", nullable = true)
            BigDecimal complaintRate,
            Counts byStatus,
            @Schema(description = "By the body complained to (null: none named) and status.") Counts byBody) {
    }
}
