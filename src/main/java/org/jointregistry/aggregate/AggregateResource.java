package org.jointregistry.aggregate;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jointregistry.common.Csv;
import org.jointregistry.common.Parameters;
import org.jointregistry.tenant.Organization;
import org.jointregistry.tenant.Roles;

@Path("/api/v1/aggregates")
@Tag(name = "Aggregates", description = "Figures over all partners together: counts only; figures about volunteers "
        + "perturbed by the cell-key method (at most maxPerturbation) and withheld below k.")
@RolesAllowed({ Roles.REPORTER, Roles.COORDINATOR, Roles.ANALYST })
@Produces({ MediaType.APPLICATION_JSON, Csv.TEXT_CSV })
public class AggregateResource {

    static final String COUNTING_RULES = " Counted: incidents with status submitted or verified (or those of the "
            + "status filter), not deleted. Days, weeks and months are Europe/Paris. Also served as text/csv "
            + "(Accept: text/csv) with the same numbers, k and the bound in X-Min-Cell-Size and X-Max-Perturbation.";
    static final String PROTECTION = " A count of 1 to k-1 distinct volunteers is never published (null). Every "
            + "volunteers figure, and the incidents and events of a gender or nationality row, are perturbed by at "
            + "most maxPerturbation, read from a fixed table with the true count and the sum of the contributors' "
            + "random keys, so the same contributors give the same value in every answer; every other incidents "
            + "and events figure is exact.";

    @Inject
    AggregateService service;

    @GET
    @Path("summary")
    @Operation(summary = "Summary of the counted incidents", description = "Figures over all partners: "
            + "incidents and distinct volunteers (each once), organisations, first and last occurrence, incidents "
            + "with a lodged complaint; all exact but volunteers." + PROTECTION + COUNTING_RULES)
    public Summary summary(@BeanParam AggregateParams params) {
        return service.summary(filter(params, Parameters.query()));
    }

    @GET
    @Path("counts")
    @Operation(summary = "Counts by one or more dimensions", description = "One row per combination of the "
            + "groupBy dimensions' values, with distinct incidents and volunteers, and the total. An incident "
            + "with several categories (forces) counts once in each of its category (force) rows and once in the "
            + "total; a gender or nationality row counts the incidents involving at least one volunteer with that "
            + "value, and those volunteers. A gender or nationality row with 1 to k-1 volunteers is suppressed "
            + "(null counts), and when such a breakdown has exactly one such row the next smallest is suppressed "
            + "too; in other breakdowns only such a row's volunteers are null." + PROTECTION + COUNTING_RULES)
    public Counts counts(
            @QueryParam("groupBy") @Parameter(description = "Dimensions, comma-separated or repeated: category, "
                    + "categoryGroup, organization, force, commune, day, week (ISO, 2018-W11), month (2018-03), "
                    + "gender, nationality, complaintStatus, complaintBody.", required = true,
                    example = "category,month") List<String> groupBy,
            @BeanParam AggregateParams params) {
        Parameters parameters = Parameters.query();
        List<String> names = parameters.oneOf("groupBy", groupBy, Dimension.apiNames());
        parameters.require("groupBy", names, "one or more of " + String.join(", ", Dimension.apiNames()));
        AggregateFilter filter = filter(params, parameters);
        return service.counts(names.stream().map(n -> Dimension.fromApiName(n).orElseThrow()).toList(), filter);
    }

    @GET
    @Path("timeseries")
    @Operation(summary = "Counts per day, week or month", description = "A continuous series over the filter's "
            + "period (or, where from or to is absent, the counted incidents' first or last bucket), with zero rows "
            + "for empty buckets; protected as counts by report dimensions are." + PROTECTION + COUNTING_RULES)
    public Timeseries timeseries(
            @QueryParam("interval") @Parameter(description = "day, week (ISO) or month; default month.",
                    example = "month") String interval,
            @BeanParam AggregateParams params) {
        Parameters parameters = Parameters.query();
        String chosen = parameters.choice("interval", interval,
                Arrays.stream(Interval.values()).map(Interval::code).toList());
        AggregateFilter filter = filter(params, parameters);
        Interval selected = chosen == null ? Interval.MONTH : Interval.valueOf(chosen.toUpperCase(Locale.ROOT));
        return service.timeseries(selected, filter);
    }

    /** The validated filter; throws the collected 400 problem if any parameter is invalid. */
    static AggregateFilter filter(AggregateParams params, Parameters parameters) {
        List<String> organizations = Organization.<Organization>listAll().stream().map(o -> o.alias).toList();
        AggregateFilter filter = params.toFilter(parameters, organizations);
        parameters.throwIfInvalid();
        return filter;
    }
}
