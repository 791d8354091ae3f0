package org.jointregistry.taxonomy;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path(TaxonomyResource.PATH)
@Tag(name = "Taxonomy")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class TaxonomyResource {

    /** Bounds of the taxonomy's terms, which are the registry's own: generous, so that a new term never breaks them. */
    static final int CODE_MAX = 64;
    static final int LABEL_MAX = 200;
    static final int TERMS_MAX = 100;

    /** The one public path of the API (see {@code security.AuthenticationFirst}). */
    public static final String PATH = "/api/v1/taxonomy";

    private static final Taxonomy TAXONOMY = new Taxonomy(
            Arrays.stream(CategoryGroup.values())
                    .map(g -> new Group(g.code(), Label.of(g), Arrays.stream(Category.values())
                            .filter(c -> c.group() == g).map(Term::of).toList()))
                    .toList(),
            terms(PoliceForce.class), terms(ComplaintBody.class), terms(ComplaintStatus.class),
            terms(IncidentStatus.class), terms(Gender.class));

    @Schema(name = "Label", description = "A term's label in English and French.")
    public record Label(@Schema(examples = "Identity check", maxLength = LABEL_MAX) String en,
            @Schema(examples = "Contrôle d'identité", maxLength = LABEL_MAX) String fr) {
        static Label of(Coded term) {
            return new Label(term.label(Locale.ENGLISH), term.label(Locale.FRENCH));
        }
    }

    @Schema(name = "Term", description = "A code accepted and returned by the API, with its labels.")
    public record Term(@Schema(examples = "identity_check", maxLength = CODE_MAX) String code, Label label) {
        static Term of(Coded term) {
            return new Term(term.code(), Label.of(term));
        }
    }

    @Schema(name = "CategoryGroupTerms", description = "A group of categories as the 2018 joint report grouped them.")
    public record Group(@Schema(examples = "pressure", maxLength = CODE_MAX) String code, Label label,
            @Schema(maxItems = TERMS_MAX) List<Term> categories) {
    }

    @Schema(name = "Taxonomy", description = "Every code of the API with its English and French labels.")
    public record Taxonomy(@Schema(maxItems = TERMS_MAX) List<Group> categoryGroups,
            @Schema(maxItems = TERMS_MAX) List<Term> policeForces, @Schema(maxItems = TERMS_MAX) List<Term> complaintBodies,
            @Schema(maxItems = TERMS_MAX) List<Term> complaintStatuses,
            @Schema(maxItems = TERMS_MAX) List<Term> incidentStatuses,
            @Schema(maxItems = TERMS_MAX) List<Term> volunteerGenders) {
    }

    @GET
    @Operation(operationId = "getTaxonomy", summary = "The taxonomy", description = "Category groups and categories, police forces, complaint "
            + "bodies and statuses, incident statuses and volunteer genders, with English and French labels. "
            + "Public: partner tools may cache it.")
    public Taxonomy taxonomy() {
        return TAXONOMY;
    }

    private static <E extends Enum<E> & Coded> List<Term> terms(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Term::of).toList();
    }
}
