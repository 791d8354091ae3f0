package org.jointregistry.aggregate;

import jakarta.ws.rs.QueryParam;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jointregistry.common.Parameters;
import org.jointregistry.common.TimeSpan;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.CategoryGroup;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;

/** The filters every aggregate endpoint takes; each list parameter is repeatable. */
public class AggregateParams {

    @QueryParam("from")
    @Parameter(ref = Parameters.FROM)
    String from;

    @QueryParam("to")
    @Parameter(ref = Parameters.TO)
    String to;

    @QueryParam("organization")
    @Parameter(description = "Only these partner organisations (aliases).", example = "utopia-56")
    List<String> organization;

    @QueryParam("category")
    @Parameter(description = "Only incidents with one of these categories; grouped by category, only these rows.",
            example = "identity_check")
    List<String> category;

    @QueryParam("categoryGroup")
    @Parameter(description = "Only incidents with a category of these groups (with `category`: the categories "
            + "named by both).", example = "violence")
    List<String> categoryGroup;

    @QueryParam("force")
    @Parameter(description = "Only incidents involving one of these police forces; grouped by force, only these rows.",
            example = "crs")
    List<String> force;

    @QueryParam("commune")
    @Parameter(description = "Only incidents in these communes (exact name).", example = "Calais")
    List<String> commune;

    @QueryParam("status")
    @Parameter(description = "Count incidents with these statuses instead of the default submitted and verified.",
            example = "verified")
    List<String> status;

    /** The validated filter; invalid values are collected in {@code parameters}. */
    AggregateFilter toFilter(Parameters parameters, Collection<String> organizations) {
        TimeSpan.Days days = parameters.days(from, to);
        List<String> categories = parameters.oneOf("category", category, Parameters.codes(Category.class));
        List<String> groups = parameters.oneOf("categoryGroup", categoryGroup, Parameters.codes(CategoryGroup.class));
        List<String> statuses = parameters.oneOf("status", status, Parameters.codes(IncidentStatus.class));
        return new AggregateFilter(days.first(), days.last(),
                orAll(parameters.oneOf("organization", organization, new TreeSet<>(organizations))),
                combine(orAll(categories), orAll(groups)),
                orAll(parameters.oneOf("force", force, Parameters.codes(PoliceForce.class))),
                orAll(parameters.texts("commune", commune)),
                statuses.isEmpty() ? AggregateFilter.COUNTED_STATUSES : statuses);
    }

    /** The filter's "no filter" (null) for a parameter left out. */
    private static List<String> orAll(List<String> values) {
        return values.isEmpty() ? null : values;
    }

    /** The categories named by both filters (either alone when only one is given). */
    private static List<String> combine(List<String> categories, List<String> groups) {
        if (groups == null) {
            return categories;
        }
        return Arrays.stream(Category.values())
                .filter(c -> groups.contains(c.group().code()))
                .map(Category::code)
                .filter(c -> categories == null || categories.contains(c))
                .toList();
    }
}
