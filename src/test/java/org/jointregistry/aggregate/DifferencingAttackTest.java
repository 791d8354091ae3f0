package org.jointregistry.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.jointregistry.stack.WholeNetwork;
import org.junit.jupiter.api.Test;

/**
 * The differencing attack of issue 15, tried exhaustively on the
 * {@link AggregateFixture} (small cells: the one non-binary, German and Irish
 * volunteer, two men, communes and months of one or two volunteers).
 * <p>
 * Every allowed query over the dimensions and filter values below (single
 * values, unions of two, months, days, no filter; breakdowns and the summary)
 * is asked through the API, and each published figure becomes a term: its
 * measure, its value, whether the model publishes it exactly, and the set of
 * its contributors (incidents, or volunteers), read as the superuser through
 * the door's own SQL builders. A protected figure is one the API withholds.
 * For each, every combination of one, two or three terms from any queries
 * whose contributors add up to exactly the protected one's (a, a - b, a + b,
 * a - b - c, a + b - c, a + b + c, as indicator functions: filter unions,
 * totals minus filtered totals, a breakdown against a filter, days against
 * their month, slices against their total) is an attack, and yields the true
 * value when all its terms are exact. Terms of a gender or nationality row
 * only meet terms with the same attribute value: a figure without one carries
 * no volunteer attribute, so any identity between them holds by accident of
 * this fixture, and an analyst could not know it without knowing what is
 * protected.
 * <p>
 * The test fails if any attack yields a protected value. It also checks that
 * it would find the attacks without perturbation (the same answers with every
 * published figure exact), and prints, for the keys drawn from its seed, how
 * many attacks hit the true value by chance and how many the published bound
 * pins to one value (an extreme draw of every perturbation of an attack; the
 * README says why that is the method's known residue and how rare).
 */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class DifferencingAttackTest extends FixtureTest {

    private static final long SEED = Long.getLong("registry.cellkey.seed", 20_180_315L);
    private static final int K = 3;
    private static final List<String> STATUSES = List.of("submitted", "verified");
    private static final List<String> VOLUNTEER_DIMENSIONS = List.of("gender", "nationality");
    private static final List<List<String>> GROUP_BYS = List.of(List.of(), List.of("gender"),
            List.of("nationality"), List.of("gender", "commune"), List.of("gender", "month"),
            List.of("gender", "day"), List.of("nationality", "organization"), List.of("gender", "category"),
            List.of("commune"), List.of("month"), List.of("day"), List.of("week"), List.of("organization"),
            List.of("category"), List.of("force"), List.of("complaintStatus"), List.of("organization", "month"));
    private static final List<String> COMMUNES = List.of("Calais", "Grande-Synthe", "Dunkerque", "Loon-Plage");
    private static final List<String> ORGANIZATIONS = List.of(AggregateFixture.UTOPIA, AggregateFixture.HELP,
            AggregateFixture.BUS);
    private static final List<String> CATEGORIES = List.of("identity_check", "fine", "insult");
    private static final List<String> FORCES = List.of("crs", "police_municipale");

    /** A filter as the API takes it and as the door's builders bind it. */
    private record Filter(String query, LocalDate from, LocalDate to, List<String> organizations,
            List<String> categories, List<String> forces, List<String> communes) {
    }

    /** One published figure with its contributors (a bit per incident or volunteer). */
    private record Term(String what, String measure, Map<String, String> attributes, Long published, long truth,
            boolean exact, long contributors) {
    }

    private final Map<String, Integer> bits = new HashMap<>();

    @Test
    void noCombinationOfAnswersYieldsAWithheldFigure() throws SQLException {
        System.out.println("DifferencingAttackTest: keys from seed " + SEED + " (-Dregistry.cellkey.seed)");
        drawKeys();
        List<Term> terms = new ArrayList<>();
        try (Connection admin = AggregateFixture.admin()) {
            createCellsFunction(admin);
            for (Filter filter : filters()) {
                for (List<String> groupBy : GROUP_BYS) {
                    terms.addAll(terms(admin, groupBy, filter));
                }
            }
        }
        // Withheld figures, once per measure, attribute values and contributors (the same figure of many queries).
        Map<List<Object>, Term> withheld = new LinkedHashMap<>();
        terms.stream().filter(t -> t.published() == null && t.contributors() != 0)
                .forEach(t -> withheld.putIfAbsent(List.of(t.measure(), t.attributes(), t.contributors()), t));
        List<Term> protectedTerms = List.copyOf(withheld.values());
        List<Term> published = terms.stream().filter(t -> t.published() != null).toList();
        assertTrue(protectedTerms.stream().anyMatch(t -> t.measure().equals("incidents")),
                "the fixture has withheld incident figures");
        assertTrue(protectedTerms.stream().anyMatch(t -> t.measure().equals("volunteers")),
                "the fixture has withheld volunteer figures");

        Tally perturbed = attack(protectedTerms, published, false);
        Tally unperturbed = attack(protectedTerms, published, true);
        System.out.printf("DifferencingAttackTest: %d queries' %d published figures, %d withheld; tried %d "
                + "combinations of one to three figures, %d of which add up to a withheld figure's contributors; "
                + "%d yield its true value (all terms exact), %d hit it by chance, %d are pinned by the bound "
                + "(an extreme draw); without perturbation %d would yield it%n",
                filters().size() * GROUP_BYS.size(), published.size(), protectedTerms.size(), perturbed.tried,
                perturbed.attacks, perturbed.yielded.size(), perturbed.chance, perturbed.pinned,
                unperturbed.yielded.size());
        assertTrue(unperturbed.yielded.size() > 0, "without perturbation the attack of issue 15 works");
        // E.g. the women's incidents of January (2 women, withheld): January and February together minus
        // February, both about 3 women.
        assertTrue(unperturbed.yielded.stream()
                .anyMatch(y -> y.startsWith("/api/v1/aggregates/counts?groupBy=gender")),
                "without perturbation a withheld gender row is given away: " + unperturbed.yielded);
        System.out.println("DifferencingAttackTest: without perturbation, e.g. " + unperturbed.yielded.get(0));
        assertEquals(List.of(), perturbed.yielded, "combinations of answers that give a withheld figure away");
    }

    /** What the attacks found. */
    private static final class Tally {
        long tried;
        long attacks;
        long chance;
        long pinned;
        final List<String> yielded = new ArrayList<>();
    }

    /**
     * Every combination of up to three published terms whose contributors add up to a withheld one's.
     * With {@code unperturbed}, every published term counts as exact with its true value.
     */
    private static Tally attack(List<Term> targets, List<Term> published, boolean unperturbed) {
        Tally tally = new Tally();
        for (Term target : targets) {
            // Per set of contributors one term suffices: every term of a set has its value (determinism),
            // and an exact one where there is one.
            Map<Long, Term> bySet = new LinkedHashMap<>();
            for (Term term : published) {
                if (term.measure().equals(target.measure()) && aligned(target, term)) {
                    bySet.merge(term.contributors(), term, (a, b) -> a.exact() ? a : b);
                }
            }
            List<Term> candidates = List.copyOf(bySet.values());
            long t = target.contributors();
            for (Term a : candidates) {
                tally.tried++;
                if (a.contributors() == t) {
                    record(tally, target, unperturbed, new int[] { 1 }, a);
                }
                // a - b: b is a without the target.
                if ((a.contributors() & t) == t) {
                    tally.tried++;
                    combine(tally, target, unperturbed, bySet, new int[] { 1, -1 }, a, a.contributors() & ~t);
                }
                // a + b: a and b split the target.
                if ((a.contributors() & ~t) == 0) {
                    tally.tried++;
                    combine(tally, target, unperturbed, bySet, new int[] { 1, 1 }, a, t & ~a.contributors());
                }
                for (Term b : candidates) {
                    tally.tried += 3;
                    long ab = a.contributors() & b.contributors();
                    long rest = a.contributors() & ~t;
                    // a - b - c: b and c split a without the target.
                    if ((a.contributors() & t) == t && (b.contributors() & ~rest) == 0) {
                        combine(tally, target, unperturbed, bySet, new int[] { 1, -1, -1 }, a, b,
                                rest & ~b.contributors());
                    }
                    // a + b - c: c is what a and b count beyond the target, and the target's part counted twice.
                    if ((t & ~(a.contributors() | b.contributors())) == 0 && (ab & ~t) == 0) {
                        combine(tally, target, unperturbed, bySet, new int[] { 1, 1, -1 }, a, b,
                                (ab & t) | ((a.contributors() ^ b.contributors()) & ~t));
                    }
                    // a + b + c: the three split the target.
                    if ((a.contributors() & ~t) == 0 && (b.contributors() & ~t) == 0 && ab == 0) {
                        combine(tally, target, unperturbed, bySet, new int[] { 1, 1, 1 }, a, b,
                                t & ~a.contributors() & ~b.contributors());
                    }
                }
            }
        }
        return tally;
    }

    /** The combination of {@code given} and the term counting exactly {@code last}, if a query publishes it. */
    private static void combine(Tally tally, Term target, boolean unperturbed, Map<Long, Term> bySet, int[] signs,
            Object... parts) {
        Term last = bySet.get((Long) parts[parts.length - 1]);
        if (last == null) {
            return;
        }
        Term[] terms = new Term[parts.length];
        for (int i = 0; i < parts.length - 1; i++) {
            terms[i] = (Term) parts[i];
        }
        terms[parts.length - 1] = last;
        record(tally, target, unperturbed, signs, terms);
    }

    private static void record(Tally tally, Term target, boolean unperturbed, int[] signs, Term... terms) {
        tally.attacks++;
        long estimate = 0;
        long low = 0;
        long high = 0;
        boolean exact = true;
        for (int i = 0; i < terms.length; i++) {
            Term term = terms[i];
            long value = unperturbed ? term.truth() : term.published();
            boolean known = unperturbed || term.exact();
            exact &= known;
            estimate += signs[i] * value;
            // What the term's true count can be, given its published value and the published rule.
            long floor = term.measure().equals("volunteers") ? K : 1;
            long min = known || value == 0 ? value : Math.max(floor, value - Perturbation.MAX);
            long max = known || value == 0 ? value : value + Perturbation.MAX;
            low += signs[i] > 0 ? min : -max;
            high += signs[i] > 0 ? max : -min;
        }
        // A withheld figure is known to be 1 to k-1 volunteers, or at least one incident.
        low = Math.max(low, 1);
        high = target.measure().equals("volunteers") ? Math.min(high, K - 1) : high;
        if (exact) {
            assertEquals(target.truth(), estimate, "an exact identity gives the true value");
            tally.yielded.add(target.what() + " = " + Stream.of(terms).map(Term::what).toList());
        } else {
            tally.chance += estimate == target.truth() ? 1 : 0;
            tally.pinned += low == high ? 1 : 0;
        }
    }

    /** A term meets a target only with the same volunteer attribute values, if the target has any. */
    private static boolean aligned(Term target, Term term) {
        return target.attributes().isEmpty() || target.attributes().equals(term.attributes());
    }

    /** The published figures of one query, with their contributors. */
    private List<Term> terms(Connection admin, List<String> groupBy, Filter filter) throws SQLException {
        String query = Stream.of(groupBy.isEmpty() ? "" : "groupBy=" + String.join(",", groupBy), filter.query())
                .filter(q -> !q.isEmpty()).reduce((a, b) -> a + "&" + b).orElse("");
        String path = "/api/v1/aggregates/" + (groupBy.isEmpty() ? "summary" : "counts")
                + (query.isEmpty() ? "" : "?" + query);
        JsonPath body = AggregateCountsTest.analyst().when().get(path).then().statusCode(200).extract().jsonPath();
        Map<List<String>, long[]> truth = cells(admin, groupBy, filter);
        boolean aboutVolunteers = groupBy.stream().anyMatch(VOLUNTEER_DIMENSIONS::contains);
        List<Term> terms = new ArrayList<>();
        List<Map<String, Object>> rows = groupBy.isEmpty() ? List.of(body.getMap("$")) : body.getList("rows");
        long allIncidents = 0;
        long allVolunteers = 0;
        for (Map<String, Object> row : rows) {
            List<String> key = groupBy.stream().map(d -> (String) row.get(d)).toList();
            long[] sets = truth.getOrDefault(key, new long[2]);
            allIncidents |= sets[0];
            allVolunteers |= sets[1];
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 0; i < groupBy.size(); i++) {
                if (VOLUNTEER_DIMENSIONS.contains(groupBy.get(i))) {
                    attributes.put(groupBy.get(i), key.get(i));
                }
            }
            String what = path + " " + (groupBy.isEmpty() ? "summary" : key);
            terms.add(term(what + " " + attributes + " incidents", "incidents", attributes,
                    row.get("incidents"), sets[0], !aboutVolunteers));
            terms.add(term(what + " " + attributes + " volunteers", "volunteers", attributes,
                    row.get("volunteers"), sets[1], false));
        }
        if (!groupBy.isEmpty()) {
            // The total counts each of the rows' incidents and volunteers once.
            terms.add(term(path + " total incidents", "incidents", Map.of(), body.get("total.incidents"),
                    allIncidents, true));
            terms.add(term(path + " total volunteers", "volunteers", Map.of(), body.get("total.volunteers"),
                    allVolunteers, false));
        }
        return terms;
    }

    private static Term term(String what, String measure, Map<String, String> attributes, Object published,
            long contributors, boolean exact) {
        Long value = published == null ? null : ((Number) published).longValue();
        // A published 0 is exact: 0 is never perturbed.
        return new Term(what, measure, Collections.unmodifiableMap(new LinkedHashMap<>(attributes)), value, Long.bitCount(contributors),
                exact || value != null && value == 0, contributors);
    }

    /** The door's rows of a query with their contributors: incidents and volunteers as bit sets. */
    private Map<List<String>, long[]> cells(Connection admin, List<String> groupBy, Filter filter)
            throws SQLException {
        Map<List<String>, long[]> cells = new HashMap<>();
        try (PreparedStatement statement = admin.prepareStatement(
                "SELECT key, incidents, volunteers FROM pg_temp.attack_cells(?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setArray(1, admin.createArrayOf("text", groupBy.toArray()));
            statement.setObject(2, filter.from() == null ? null : Date.valueOf(filter.from()));
            statement.setObject(3, filter.to() == null ? null : Date.valueOf(filter.to()));
            List<List<String>> lists = Arrays.asList(filter.organizations(), filter.categories(), filter.forces(),
                    filter.communes(), STATUSES);
            for (int i = 0; i < lists.size(); i++) {
                statement.setArray(4 + i, lists.get(i) == null ? null
                        : admin.createArrayOf("text", lists.get(i).toArray()));
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    cells.put(Arrays.asList((String[]) result.getArray(1).getArray()),
                            new long[] { bits(result.getArray(2)), bits(result.getArray(3)) });
                }
            }
        }
        return cells;
    }

    private long bits(Array ids) throws SQLException {
        long set = 0;
        for (String id : ids == null ? new String[0] : (String[]) ids.getArray()) {
            set |= 1L << bits.computeIfAbsent(id, i -> bits.size());
        }
        assertTrue(bits.size() < Long.SIZE, "the fixture fits in a bit set");
        return set;
    }

    /**
     * The contributors of each row of a query, by the door's own builders (R__aggregate_door.sql): the same
     * source, filters and dimension expressions as the counts, as sets instead of counts.
     */
    private static void createCellsFunction(Connection admin) throws SQLException {
        try (Statement sql = admin.createStatement()) {
            sql.execute("""
                    CREATE FUNCTION pg_temp.attack_cells(dimensions text[], day_from date, day_to date,
                            organizations text[], categories text[], forces text[], communes text[], statuses text[])
                    RETURNS TABLE (key text[], incidents text[], volunteers text[]) LANGUAGE plpgsql AS $$
                    DECLARE
                        exprs text := (SELECT string_agg(aggregate_dimension_sql(d), ', ' ORDER BY n)
                                       FROM unnest(dimensions) WITH ORDINALITY AS x (d, n));
                    BEGIN
                        RETURN QUERY EXECUTE 'SELECT ARRAY[' || coalesce(exprs, '') || ']::text[], '
                            || 'array_agg(DISTINCT ''i/'' || f.organization || ''/'' || f.incident_id), '
                            || 'array_remove(array_agg(DISTINCT ''v/'' || v.organization || ''/'' || v.volunteer_id), '
                            || 'NULL) FROM ' || aggregate_source(dimensions)
                            || coalesce(' GROUP BY ' || exprs, '')
                            USING day_from, day_to, organizations, categories, forces, communes, statuses;
                    END $$""");
        }
    }

    /** Random keys from the seed, in place of the ones drawn at insert, so that the printed tally repeats. */
    private static void drawKeys() {
        Random random = new Random(SEED);
        for (String volunteer : List.of("u1", "u2", "u3", "h1", "h2", "h3", "r1")) {
            AggregateFixture.execute("UPDATE volunteer SET cell_key = ? WHERE id = ?",
                    random.nextLong(1L << Integer.SIZE), AggregateFixture.id(volunteer));
        }
        for (int i = 1; i <= 11; i++) {
            AggregateFixture.execute("UPDATE incident SET cell_key = ? WHERE id = ?",
                    random.nextLong(1L << Integer.SIZE), AggregateFixture.id("I" + i));
        }
    }

    /** No filter; each value and each union of two of communes, organisations, categories, forces; months; days. */
    private static List<Filter> filters() {
        List<Filter> filters = new ArrayList<>();
        filters.add(new Filter("", null, null, null, null, null, null));
        for (List<String> values : valuesAndPairs(COMMUNES)) {
            filters.add(new Filter(query("commune", values), null, null, null, null, null, values));
        }
        for (List<String> values : valuesAndPairs(ORGANIZATIONS)) {
            filters.add(new Filter(query("organization", values), null, null, values, null, null, null));
        }
        for (List<String> values : valuesAndPairs(CATEGORIES)) {
            filters.add(new Filter(query("category", values), null, null, null, values, null, null));
        }
        for (List<String> values : valuesAndPairs(FORCES)) {
            filters.add(new Filter(query("force", values), null, null, null, null, values, null));
        }
        for (int month = 1; month <= 4; month++) {
            LocalDate first = LocalDate.of(2018, month, 1);
            LocalDate last = first.plusMonths(1).minusDays(1);
            filters.add(new Filter("from=" + first + "&to=" + last, first, last, null, null, null, null));
            // Two months together, and everything from a month on.
            filters.add(new Filter("from=" + first + "&to=" + last.plusMonths(1), first, last.plusMonths(1), null,
                    null, null, null));
            filters.add(new Filter("from=" + first, first, null, null, null, null, null));
        }
        for (String day : List.of("2018-01-05", "2018-01-10", "2018-02-10", "2018-02-15", "2018-04-01")) {
            LocalDate date = LocalDate.parse(day);
            filters.add(new Filter("from=" + day + "&to=" + day, date, date, null, null, null, null));
        }
        return filters;
    }

    private static List<List<String>> valuesAndPairs(List<String> values) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(List.of(values.get(i)));
            for (int j = i + 1; j < values.size(); j++) {
                out.add(List.of(values.get(i), values.get(j)));
            }
        }
        return out;
    }

    /** Repeated parameters for a single value, comma-separated for a union (the API takes both forms). */
    private static String query(String name, List<String> values) {
        return values.size() == 1 ? name + "=" + values.get(0) : name + "=" + String.join(",", values);
    }
}
