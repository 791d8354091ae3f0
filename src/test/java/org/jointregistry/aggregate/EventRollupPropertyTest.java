package org.jointregistry.aggregate;

import static org.jointregistry.aggregate.AggregateFixture.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jointregistry.stack.WholeNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A random sequence (fixed, printed seed) of creates, edits, links, unlinks,
 * tombstones and hard deletes, of volunteers linked to and taken off
 * incidents and of changes of a volunteer's gender or nationality, after
 * each round of which the doors' figures equal a full scan: reports,
 * volunteers and both cell keys of the rollups (gender and nationality
 * breakdowns among them) equal aggregate_scan_counts, and events equal an
 * independent count written here
 * from the contract's rule (each selected report's occurrence is its event or
 * itself; month and commune from the earliest selected report, ties by id;
 * multi-valued dimensions the union).
 */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class EventRollupPropertyTest {

    private static final long SEED = Long.getLong("registry.events.seed", 20_180_315L);
    private static final List<String> ORGANIZATIONS = List.of("utopia-56", "help-refugees", "refugee-info-bus");
    private static final List<String> CATEGORIES = List.of("identity_check", "fine", "insult", "threat",
            "body_search");
    private static final List<String> FORCES = List.of("crs", "gendarmerie", "police_municipale");
    private static final List<String> COMMUNES = List.of("Calais", "Dunkerque", "Grande-Synthe");
    private static final List<String> STATUSES = List.of("submitted", "submitted", "verified", "draft",
            "retracted");
    private static final List<String> GENDERS = List.of("female", "male", "non_binary", "undisclosed");
    private static final List<String> NATIONALITIES = List.of("SD", "ER", "AF");
    private static final List<String> BODIES = List.of("igpn", "prosecutor", "defenseur_des_droits");
    private static final List<String> DIMENSIONS = List.of("{month}", "{category}", "{organization}", "{commune}",
            "{category,month}", "{commune,force}", "{organization,month}", "{force}", "{categoryGroup,category}",
            "{complaintStatus,month}", "{organization,category}", "{gender}", "{nationality,month}",
            "{organization,gender}", "{category,gender}", "{gender,category,organization}",
            "{complaintBody,complaintStatus}", "{complaintBody}", "{gender,commune}");
    /**
     * The doors' default filter (which the rollups and the events' maintained corrections answer), an
     * organisation filter (reports from the rollups, events from a scan of the linked reports), and one only
     * the scan answers.
     */
    private static final List<Filter> FILTERS = List.of(
            new Filter("null, null, null, null, null, null, '{submitted,verified}'",
                    "status IN ('submitted', 'verified')"),
            new Filter("null, null, '{help-refugees,refugee-info-bus}', null, null, null, '{submitted,verified}'",
                    "status IN ('submitted', 'verified') AND organization IN ('help-refugees', 'refugee-info-bus')"),
            new Filter("'2018-02-01', null, '{utopia-56,help-refugees}', null, null, null, "
                    + "'{submitted,verified,draft}'", "status IN ('submitted', 'verified', 'draft') "
                    + "AND occurred_at >= '2018-02-01 00:00 Europe/Paris' "
                    + "AND organization IN ('utopia-56', 'help-refugees')"));

    /** The doors' filter arguments (from, to, organizations, categories, forces, communes, statuses) and the same
     * selection written as a condition on incident. */
    private record Filter(String arguments, String where) {
    }

    private final Random random = new Random(SEED);
    private final List<UUID> incidents = new ArrayList<>();
    private final List<UUID> events = new ArrayList<>();
    private final List<UUID> volunteers = new ArrayList<>();

    @AfterAll
    static void clear() {
        AggregateFixture.clear();
    }

    @Test
    void doorsEqualAFullScanAfterRandomWritesLinksAndUnlinks() throws SQLException {
        System.out.println("EventRollupPropertyTest: seed " + SEED + " (-Dregistry.events.seed)");
        AggregateFixture.clear();
        for (int i = 0; i < 6; i++) {
            UUID event = UUID.randomUUID();
            AggregateFixture.execute("INSERT INTO shared_event (organization, id, created_by) VALUES (?, ?, 't')",
                    pick(ORGANIZATIONS), event);
            events.add(event);
        }
        for (int i = 0; i < 9; i++) {
            UUID volunteer = UUID.randomUUID();
            AggregateFixture.execute("INSERT INTO volunteer (organization, id, pseudonym_sealed, pseudonym_index, "
                    + "gender, nationality, created_by) VALUES (?, ?, '\\x00', sha256(convert_to(?, 'UTF8')), ?, ?, "
                    + "'t')", ORGANIZATIONS.get(i % ORGANIZATIONS.size()), volunteer, volunteer.toString(),
                    pick(GENDERS), random.nextInt(4) == 0 ? null : pick(NATIONALITIES));
            volunteers.add(volunteer);
        }
        for (int i = 0; i < 40; i++) {
            create();
        }
        assertDoorsEqualScan("after the creates");
        for (int round = 1; round <= 4; round++) {
            for (int step = 0; step < 15; step++) {
                randomStep();
            }
            assertDoorsEqualScan("after round " + round);
        }
    }

    /**
     * Writers of several organisations change reports of the same two events at the same
     * moment (a barrier starts each round), each in its own transaction: linking, moving
     * between the events, unlinking, and changing the fields the events' corrections depend
     * on (status, month, commune, categories). An event's correction reads its other reports,
     * so without the per-event upkeep lock two writers would each correct from the other's
     * old state; with it the maintained corrections equal a rebuild and the doors a scan.
     */
    @Test
    void concurrentWritersOfOneEventKeepItsFiguresExact() throws Exception {
        AggregateFixture.clear();
        List<UUID> shared = List.of(UUID.randomUUID(), UUID.randomUUID());
        for (UUID event : shared) {
            AggregateFixture.execute("INSERT INTO shared_event (organization, id, created_by) VALUES (?, ?, 't')",
                    ORGANIZATIONS.get(0), event);
        }
        events.clear();
        events.addAll(shared);
        int writers = 6;
        int rounds = 25;
        List<List<UUID>> own = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            List<UUID> mine = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                create();
                mine.add(incidents.get(incidents.size() - 1));
            }
            own.add(mine);
        }
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Random mine = new Random(SEED + w);
                List<UUID> targets = own.get(w);
                done.add(pool.submit(() -> {
                    int written = 0;
                    try (Connection connection = AggregateFixture.admin()) {
                        for (int round = 0; round < rounds; round++) {
                            start.await(30, TimeUnit.SECONDS);
                            written += concurrentStep(connection, mine, targets.get(mine.nextInt(targets.size())),
                                    shared);
                        }
                    }
                    return written;
                }));
            }
            int written = 0;
            for (var future : done) {
                written += future.get(5, TimeUnit.MINUTES);
            }
            assertEquals(writers * rounds, written, "every concurrent write committed");
        } finally {
            pool.shutdownNow();
        }
        assertDoorsEqualScan("after " + writers + " concurrent writers of one event");
    }

    /** One writer's transaction on one of its reports: returns 1 once committed. */
    private static int concurrentStep(Connection connection, Random random, UUID target, List<UUID> shared)
            throws SQLException {
        String change = switch (random.nextInt(5)) {
            case 0 -> "event_id = '" + shared.get(random.nextInt(shared.size())) + "'";
            case 1 -> "event_id = NULL";
            case 2 -> "status = '" + STATUSES.get(random.nextInt(STATUSES.size())) + "'";
            case 3 -> "occurred_at = occurred_at + interval '" + (random.nextInt(61) - 30) + " days'";
            default -> "commune = '" + COMMUNES.get(random.nextInt(COMMUNES.size())) + "', categories = '{"
                    + CATEGORIES.get(random.nextInt(CATEGORIES.size())) + "}'";
        };
        try (Statement sql = connection.createStatement()) {
            assertEquals(1, sql.executeUpdate("UPDATE incident SET " + change + " WHERE id = '" + target + "'"),
                    "the writer's report exists");
        }
        return 1;
    }

    private void randomStep() {
        UUID target = incidents.get(random.nextInt(incidents.size()));
        switch (random.nextInt(12)) {
            case 0 -> create();
            case 1, 2 -> AggregateFixture.execute("UPDATE incident SET event_id = ? WHERE id = ?", pick(events),
                    target);
            case 3 -> AggregateFixture.execute("UPDATE incident SET event_id = NULL WHERE id = ?", target);
            case 4 -> AggregateFixture.execute("UPDATE incident SET status = ?, categories = ?, commune = ? "
                    + "WHERE id = ?", pick(STATUSES), List.of(pick(CATEGORIES), pick(CATEGORIES)), pick(COMMUNES),
                    target);
            case 5 -> AggregateFixture.execute("UPDATE incident SET occurred_at = ? WHERE id = ?", when(),
                    target);
            case 6 -> AggregateFixture.execute("UPDATE incident SET deleted_at = now(), deleted_by = 't' "
                    + "WHERE id = ?", target);
            case 7 -> {
                AggregateFixture.execute("DELETE FROM incident WHERE id = ?", target);
                incidents.remove(target);
            }
            case 8 -> link(target);
            case 9 -> AggregateFixture.execute("DELETE FROM incident_volunteer WHERE incident_id = ? AND "
                    + "volunteer_id = (SELECT min(volunteer_id::text)::uuid FROM incident_volunteer "
                    + "WHERE incident_id = ?)", target, target);
            case 10 -> AggregateFixture.execute("UPDATE volunteer SET gender = ?, nationality = ? WHERE id = ?",
                    pick(GENDERS), random.nextInt(4) == 0 ? null : pick(NATIONALITIES), pick(volunteers));
            default -> AggregateFixture.execute("UPDATE incident SET complaint_body = ?, complaint_status = ? "
                    + "WHERE id = ?", random.nextInt(3) == 0 ? null : pick(BODIES),
                    random.nextBoolean() ? "none" : "filed", target);
        }
    }

    /** Links a random volunteer of the incident's organisation to it (none when the pick is of another one). */
    private void link(UUID incident) {
        AggregateFixture.execute("INSERT INTO incident_volunteer (organization, incident_id, volunteer_id) "
                + "SELECT i.organization, i.id, v.id FROM incident i JOIN volunteer v "
                + "ON v.organization = i.organization WHERE i.id = ? AND v.id = ? ON CONFLICT DO NOTHING",
                incident, pick(volunteers));
    }

    private void create() {
        UUID id = UUID.randomUUID();
        String organization = pick(ORGANIZATIONS);
        AggregateFixture.execute("INSERT INTO incident (organization, id, occurred_at, occurred_offset_secs, "
                + "commune, categories, forces, complaint_status, status, created_by, updated_by, event_id) "
                + "VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, 't', 't', ?)", organization, id, when(),
                random.nextInt(5) == 0 ? null : pick(COMMUNES), List.of(pick(CATEGORIES), pick(CATEGORIES)),
                random.nextBoolean() ? List.of() : List.of(pick(FORCES)), random.nextBoolean() ? "none" : "filed",
                pick(STATUSES), random.nextInt(3) == 0 ? pick(events) : null);
        incidents.add(id);
        for (int i = volunteers.isEmpty() ? 0 : random.nextInt(4); i > 0; i--) {
            link(id);
        }
    }

    /** Somewhere in four months, at whole hours so that ties of occurred_at (broken by id) happen. */
    private OffsetDateTime when() {
        return OffsetDateTime.ofInstant(Instant.parse("2018-01-01T00:00:00Z").plusSeconds(3600L
                * random.nextInt(24 * 120 / 6) * 6), ZoneOffset.UTC);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static void assertDoorsEqualScan(String when) throws SQLException {
        try (Connection admin = AggregateFixture.admin(); Statement sql = admin.createStatement()) {
            for (Filter filter : FILTERS) {
                for (String dimensions : DIMENSIONS) {
                    String what = when + ", " + dimensions + " with " + filter;
                    String figures = "SELECT is_total, CASE WHEN NOT is_total THEN key END, incident_count, "
                            + "volunteer_count, incident_key, volunteer_key FROM ";
                    String reports = figures + "aggregate_event_counts('" + dimensions + "', " + filter.arguments()
                            + ")";
                    String scan = figures + "aggregate_scan_counts('" + dimensions + "', " + filter.arguments()
                            + ")";
                    assertSameRows(sql, what + ": reports", reports + " WHERE incident_count > 0", scan);
                    String counted = "SELECT key, event_count FROM aggregate_event_counts('" + dimensions + "', "
                            + filter.arguments() + ") WHERE NOT is_total AND event_count > 0";
                    assertSameRows(sql, what + ": events", counted, referenceEvents(dimensions, filter));
                    assertSameRows(sql, what + ": total events", "SELECT event_count FROM aggregate_event_counts('"
                            + dimensions + "', " + filter.arguments() + ") WHERE is_total",
                            "SELECT count(DISTINCT occ) FROM (" + selected(filter) + ") AS s");
                }
                assertSameRows(sql, when + ": summary with " + filter, "SELECT event_count, shared_event_count "
                        + "FROM aggregate_event_summary(" + filter.arguments() + ")", referenceSummary(filter));
            }
            // The events' maintained corrections (aggregate_event_cell) equal those rebuilt, cell by cell.
            AggregateFixture.assertMaintainedEqualsRebuilt(admin, when, List.of("SELECT organization, period, "
                    + "family, value, sum(correction) FROM aggregate_event_cell GROUP BY 1, 2, 3, 4 "
                    + "HAVING sum(correction) <> 0"));
        }
    }

    /** The selected reports, each with its occurrence: its event, or itself. */
    private static String selected(Filter filter) {
        return "SELECT coalesce('e' || event_id, 'i' || organization || '/' || id) AS occ, * FROM incident "
                + "WHERE deleted_at IS NULL AND " + filter.where();
    }

    private static String referenceEvents(String dimensions, Filter filter) {
        List<String> names = List.of(dimensions.replaceAll("[{}]", "").split(","));
        String key = names.stream().map(d -> switch (d) {
            case "month" -> "e.month";
            case "commune" -> "e.commune";
            case "category" -> "c.category";
            case "categoryGroup" -> "g.category_group";
            case "force" -> "fo.force";
            case "organization" -> "s.organization";
            case "complaintStatus" -> "s.complaint_status";
            case "complaintBody" -> "s.complaint_body";
            case "gender" -> "v.gender";
            case "nationality" -> "v.nationality::text";
            default -> throw new IllegalArgumentException(d);
        }).collect(Collectors.joining(", "));
        return "SELECT * FROM (WITH s AS (" + selected(filter) + "), "
                + "e AS (SELECT DISTINCT ON (occ) occ, to_char(occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM') "
                + "AS month, commune FROM s ORDER BY occ, occurred_at, id, organization) "
                + "SELECT ARRAY[" + key + "]::text[], count(DISTINCT s.occ) FROM s JOIN e USING (occ) "
                + "CROSS JOIN LATERAL unnest(s.categories) AS c (category) "
                + "JOIN aggregate_category g ON g.category = c.category "
                + "CROSS JOIN LATERAL unnest(CASE WHEN cardinality(s.forces) > 0 THEN s.forces "
                + "ELSE '{NULL}'::text[] END) AS fo (force) "
                + "LEFT JOIN incident_volunteer iv ON iv.organization = s.organization AND iv.incident_id = s.id "
                + "LEFT JOIN volunteer v ON v.organization = iv.organization AND v.id = iv.volunteer_id "
                + "GROUP BY 1) AS reference";
    }

    private static String referenceSummary(Filter filter) {
        return "SELECT * FROM (WITH s AS (" + selected(filter) + ") SELECT count(DISTINCT occ), (SELECT count(*) "
                + "FROM (SELECT FROM s WHERE event_id IS NOT NULL GROUP BY event_id "
                + "HAVING count(DISTINCT organization) > 1) AS shared) FROM s) AS reference";
    }

}
