package org.jointregistry.aggregate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.CategoryGroup;
import org.jointregistry.taxonomy.Coded;
import org.jointregistry.taxonomy.ComplaintBody;
import org.jointregistry.taxonomy.ComplaintStatus;
import org.jointregistry.taxonomy.Gender;
import org.jointregistry.taxonomy.PoliceForce;

/**
 * What aggregates can be broken down by. The API name is also the name the
 * database door knows the dimension by (aggregate_dimension_sql). Rows sort in
 * taxonomy order for coded dimensions, text order otherwise (chronological for
 * days, ISO weeks and months), "not recorded" last.
 */
public enum Dimension {
    CATEGORY("category", Category.class),
    CATEGORY_GROUP("categoryGroup", CategoryGroup.class),
    ORGANIZATION("organization", null),
    FORCE("force", PoliceForce.class),
    COMMUNE("commune", null),
    DAY("day", null),
    WEEK("week", null),
    MONTH("month", null),
    GENDER("gender", Gender.class),
    NATIONALITY("nationality", null),
    COMPLAINT_STATUS("complaintStatus", ComplaintStatus.class),
    COMPLAINT_BODY("complaintBody", ComplaintBody.class);

    private final String apiName;
    private final Comparator<String> order;

    <E extends Enum<E> & Coded> Dimension(String apiName, Class<E> taxonomy) {
        this.apiName = apiName;
        Comparator<String> values = taxonomy == null ? Comparator.naturalOrder()
                : Comparator.comparingInt(code -> Coded.fromCode(taxonomy, code).map(Enum::ordinal).orElse(-1));
        this.order = Comparator.nullsLast(values);
    }

    public String apiName() {
        return apiName;
    }

    /** Order of this dimension's values in rows. */
    public Comparator<String> order() {
        return order;
    }

    public static Optional<Dimension> fromApiName(String name) {
        return Arrays.stream(values()).filter(d -> d.apiName.equals(name)).findFirst();
    }

    public static List<String> apiNames() {
        return Arrays.stream(values()).map(Dimension::apiName).toList();
    }
}
