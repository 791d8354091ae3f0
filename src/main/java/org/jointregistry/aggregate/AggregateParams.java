package org.jointregistry.aggregate;

import jakarta.ws.rs.QueryParam;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jointregistry.common.ParameterForms;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.CategoryGroup;
import org.jointregistry.taxonomy.Coded;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;

/** The filters every aggregate endpoint takes; each list parameter is repeatable. */
public class AggregateParams {

    @QueryParam("from")
    @Parameter(description = "First Europe/Paris day counted (inclusive), YYYY-MM-DD.", example = "2017-11-01",
            schema = @Schema(type = SchemaType.STRING, pattern = ParameterForms.DAY))
    String from;

    @QueryParam("to")
    @Parameter(description = "Last Europe/Paris day counted (inclusive), YYYY-MM-DD.", example = "2018-06-30",
            schema = @Schema(type = SchemaType.STRING, pattern = ParameterForms.DAY))
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

    /** The validated filter; unknown values are collected in {@code check}. */
    AggregateFilter toFilter(ParameterCheck check, Collection<String> organizations) {
        LocalDate fromDay = check.date("from", from);
        LocalDate toDay = check.date("to", to);
        check.period(fromDay, toDay);
        List<String> categories = check.values("category", category, codes(Category.class));
        List<String> groups = check.values("categoryGroup", categoryGroup, codes(CategoryGroup.class));
        List<String> statuses = check.values("status", status, codes(IncidentStatus.class));
        return new AggregateFilter(fromDay, toDay,
                check.values("organization", organization, new TreeSet<>(organizations)),
                combine(categories, groups),
                check.values("force", force, codes(PoliceForce.class)),
                check.values("commune", commune, null),
                statuses == null ? AggregateFilter.COUNTED_STATUSES : statuses);
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

    static <E extends Enum<E> & Coded> List<String> codes(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Coded::code).toList();
    }
}
