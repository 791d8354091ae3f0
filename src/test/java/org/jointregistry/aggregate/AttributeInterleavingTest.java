package org.jointregistry.aggregate;

import static org.jointregistry.aggregate.AggregateFixture.UTOPIA;
import static org.jointregistry.aggregate.AggregateFixture.execute;
import static org.jointregistry.aggregate.AggregateFixture.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jointregistry.stack.WholeNetwork;
import org.jointregistry.support.Db;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The gender and nationality rollups stay exact when a link, an unlink or an erasure of a
 * volunteer meets an edit of a volunteer's attributes in two open transactions, as the
 * service's role with the organisation set (row-level security confines the triggers' row
 * locks to it). Each interleaving is forced: the second transaction's statement is observed
 * waiting for the first one's backend (pg_blocking_pids) before the first commits, never
 * guessed with a sleep. Afterwards the rollups' figures of the gender and nationality
 * families and of category x gender equal the full scan, and every maintained row (cells,
 * memberships, the incidents' kept attribute sets) equals a rebuild from the tables. A
 * deadlock is accepted only as the service meets it: one transaction gives way (40P01), the
 * other commits, and the victim's retry leaves the figures exact.
 *
 * <p>"As the service" writes what the service's transactions write, in their order: an
 * incident edit locks the incident, share-locks the volunteers of its new list, bumps its
 * version and writes the links (IncidentService); a volunteer edit locks the volunteer and
 * updates it; an erasure (DELETE with detach) locks the volunteer and its live incidents,
 * unlinks its tombstones, takes it off each live incident and deletes it
 * (VolunteerService, IncidentVolunteerLinks). "Bare" writes only the link or the attribute,
 * as an operator's SQL would: what the triggers must keep exact on their own.
 *
 * <pre>
 * volunteers  V female GB, W male FR, X male FR                     (utopia-56)
 * incidents   I {W}, J {V}, K {V, W}, T {V, X} tombstone; all counted but T
 * </pre>
 */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class AttributeInterleavingTest {

    private static final UUID V = id("volunteer V");
    private static final UUID W = id("volunteer W");
    private static final UUID X = id("volunteer X");
    private static final UUID I = id("incident I");
    private static final UUID J = id("incident J");
    private static final UUID K = id("incident K");
    private static final UUID T = id("incident T");
    private static final List<String> DIMENSIONS = List.of("{gender}", "{nationality}", "{category,gender}",
            "{organization,gender}", "{month,nationality}", "{gender,category,month}", "{nationality,organization}");
    /** The maintained state, summed over stripes: every cell, every membership, every kept attribute set. */
    private static final List<String> MAINTAINED = List.of(
            "SELECT organization, period, family, value, sum(incidents) AS incidents, sum(volunteers) AS volunteers, "
                    + "sum(incident_keys) AS incident_keys, sum(volunteer_keys) AS volunteer_keys "
                    + "FROM aggregate_rollup_cell GROUP BY 1, 2, 3, 4 HAVING sum(incidents) <> 0 "
                    + "OR sum(volunteers) <> 0 OR sum(incident_keys) <> 0 OR sum(volunteer_keys) <> 0",
            "SELECT organization, period, family, value, volunteer_id, incidents FROM aggregate_rollup_member",
            "SELECT organization, incident_id, genders, nationalities FROM aggregate_incident_attributes");
    private static final long WAIT_SECONDS = 30;

    @BeforeEach
    void network() {
        AggregateFixture.clear();
        volunteer(V, "female", "GB");
        volunteer(W, "male", "FR");
        volunteer(X, "male", "FR");
        incident(I, W);
        incident(J, V);
        incident(K, V, W);
        incident(T, V, X);
        execute("UPDATE incident SET deleted_at = now(), deleted_by = 'test' WHERE id = ?", T);
    }

    @AfterAll
    static void clear() {
        AggregateFixture.clear();
    }

    @Test
    void anEditOfAVolunteerWaitsForItsLinkAndSeesIt() throws Exception {
        takeTurns(w -> assertTrue(link(w, I, V)), w -> edit(w, V, "male", "SD"));
        assertExact("a gender edit after a link of its volunteer");
    }

    @Test
    void aLinkOfAVolunteerWaitsForItsEditAndSeesIt() throws Exception {
        takeTurns(w -> edit(w, V, "non_binary", null), w -> assertTrue(link(w, I, V)));
        assertExact("a link after a gender edit of its volunteer");
    }

    @Test
    void anEditOfAVolunteerWaitsForItsUnlinkAndSeesIt() throws Exception {
        takeTurns(w -> unlink(w, K, V), w -> edit(w, V, "male", "SD"));
        assertExact("a gender edit after an unlink of its volunteer");
    }

    @Test
    void anUnlinkOfAVolunteerWaitsForItsEditAndSeesIt() throws Exception {
        takeTurns(w -> edit(w, V, "male", "SD"), w -> unlink(w, K, V));
        assertExact("an unlink after a gender edit of its volunteer");
    }

    /**
     * The one cycle: an incident edit holds the incident and then share-locks its volunteers,
     * a volunteer edit holds the volunteer and then locks its incidents. PostgreSQL breaks it;
     * the survivor commits and the victim's retry (the service's 503 with Retry-After, then the
     * client's repeat) leaves the figures exact.
     */
    @Test
    void aLinkAndAnEditMeetingInACycleLeaveExactFiguresAfterTheRetry() throws Exception {
        try (Writer linker = new Writer(); Writer editor = new Writer()) {
            linker.run(w -> lockIncident(w, K));
            Future<?> edit = editor.start(w -> edit(w, V, "undisclosed", "ER"));
            awaitWaiting(editor, linker, edit);
            Future<?> rest = linker.start(w -> assertTrue(addToLocked(w, K, X)));
            boolean editGaveWay = gaveWay(edit);
            boolean linkGaveWay = gaveWay(rest);
            assertTrue(editGaveWay != linkGaveWay, "exactly one of the two gives way to the other");
            Writer survivor = editGaveWay ? linker : editor;
            survivor.commit();
            if (editGaveWay) {
                editor.rollback();
                editor.run(w -> edit(w, V, "undisclosed", "ER"));
                editor.commit();
            } else {
                linker.rollback();
                linker.run(w -> assertTrue(link(w, K, X)));
                linker.commit();
            }
        }
        assertExact("a link and a gender edit in a cycle, the victim retried");
        assertEquals(List.of("male", "undisclosed"), keptGenders(K), "K counts in the edited gender");
        assertEquals(3L, count("SELECT count(*) FROM incident_volunteer WHERE incident_id = ?", K), "X linked to K");
    }

    @Test
    void aLinkOfAnErasedVolunteerWaitsAndIsRefused() throws Exception {
        takeTurns(w -> erase(w, V), w -> assertFalse(link(w, I, V), "the erased volunteer is no longer own"));
        assertExact("a link refused after the erasure of its volunteer");
    }

    @Test
    void anErasureWaitsForALinkAndTakesItOff() throws Exception {
        takeTurns(w -> assertTrue(link(w, I, V)), w -> erase(w, V));
        assertExact("an erasure after a link of its volunteer");
        assertEquals(0L, count("SELECT count(*) FROM incident_volunteer WHERE volunteer_id = ?", V),
                "the erasure took the new link off too");
    }

    /** Another volunteer of the same incident: the incident's row orders the two. */
    @Test
    void aLinkToAnIncidentAndAnEditOfItsOtherVolunteerTakeTurnsEitherWay() throws Exception {
        takeTurns(w -> edit(w, W, "female", "FR"), w -> assertTrue(link(w, I, X)));
        assertExact("a link to an incident after an edit of its other volunteer");
        takeTurns(w -> unlink(w, I, X), w -> edit(w, W, "male", "FR"));
        assertExact("an edit of an incident's volunteer after an unlink of its other one");
    }

    /** A bare link and a bare edit of its volunteer: the link's share lock on the volunteer orders them. */
    @Test
    void aBareLinkAndABareEditOfTheSameVolunteerTakeTurnsEitherWay() throws Throwable {
        inBothOrders("a bare link and a bare gender edit of its volunteer", w -> bareLink(w, I, V),
                w -> w.update("UPDATE volunteer SET gender = 'male' WHERE id = ?", V), () -> { });
    }

    /**
     * A link of X (male, FR) to I finds I's set unchanged ({male}, {FR}: W is male) while an
     * edit of W to female moves I to {female}; I involves X, male, and W, female, after both.
     * The link's trigger must hold I against the edit's refresh of I (and the edit's trigger
     * holds it), whichever starts first, or each computes I's set without the other's change.
     */
    @Test
    void aBareLinkAndABareEditOfAnotherVolunteerOfTheIncidentTakeTurnsEitherWay() throws Throwable {
        inBothOrders("a bare link to I and a bare edit of its other volunteer", w -> bareLink(w, I, X),
                w -> w.update("UPDATE volunteer SET gender = 'female' WHERE id = ?", W),
                () -> assertEquals(List.of("female", "male"), keptGenders(I), "I counts in both genders"));
    }

    /**
     * An erasure unlinks its volunteer's tombstones without holding them (the service locks
     * only its live incidents); an edit of the tombstone's other volunteer refreshes the same
     * kept set. The link trigger holds the tombstone, so the two take turns.
     */
    @Test
    void anErasureUnlinkingATombstoneAndAnEditOfItsOtherVolunteerTakeTurns() throws Exception {
        takeTurns(w -> erase(w, V), w -> edit(w, X, "female", "SD"));
        assertExact("an edit of a tombstone's volunteer after an erasure unlinking it");
    }

    /** The first work runs and stays open; the second waits for it; the first commits, then the second. */
    private static void takeTurns(Work first, Work second) throws Exception {
        try (Writer one = new Writer(); Writer other = new Writer()) {
            one.run(first);
            Future<?> then = other.start(second);
            awaitWaiting(other, one, then);
            one.commit();
            other.finish(then);
        }
    }

    /**
     * The link first, then, from the fixture afresh, the edit first: each time the other waits
     * for it, and after both the figures are exact and {@code check} holds.
     */
    private void inBothOrders(String what, Work link, Work edit, Executable check) throws Throwable {
        takeTurns(link, edit);
        assertExact(what + ", the link first");
        check.execute();
        network();
        takeTurns(edit, link);
        assertExact(what + ", the edit first");
        check.execute();
    }

    private static void bareLink(Writer w, UUID incident, UUID volunteer) throws SQLException {
        w.update("INSERT INTO incident_volunteer (organization, incident_id, volunteer_id) VALUES (?, ?, ?)",
                UTOPIA, incident, volunteer);
    }

    // --- the service's transactions, statement by statement ---

    /** IncidentService.update adding {@code volunteer}: false when it is not (or no longer) own. */
    private static boolean link(Writer w, UUID incident, UUID volunteer) throws SQLException {
        lockIncident(w, incident);
        return addToLocked(w, incident, volunteer);
    }

    /** The rest of it, the incident locked: its new list share-locked (ownAmong), then written. */
    private static boolean addToLocked(Writer w, UUID incident, UUID volunteer) throws SQLException {
        List<UUID> list = new ArrayList<>(w.ids("SELECT volunteer_id FROM incident_volunteer WHERE incident_id = ? "
                + "ORDER BY volunteer_id", incident));
        list.add(volunteer);
        if (w.ids("SELECT id FROM volunteer WHERE id = ANY (?) FOR SHARE", list).size() < list.size()) {
            return false;
        }
        writeLinks(w, incident, List.of(volunteer), List.of());
        return true;
    }

    /** IncidentService.update removing {@code volunteer}: the new list (without it) is share-locked. */
    private static void unlink(Writer w, UUID incident, UUID volunteer) throws SQLException {
        lockIncident(w, incident);
        w.ids("SELECT id FROM volunteer WHERE id IN (SELECT volunteer_id FROM incident_volunteer "
                + "WHERE incident_id = ? AND volunteer_id <> ?) FOR SHARE", incident, volunteer);
        writeLinks(w, incident, List.of(), List.of(volunteer));
    }

    /** The service's first statement of an incident edit (PESSIMISTIC_WRITE). */
    private static void lockIncident(Writer w, UUID incident) throws SQLException {
        assertEquals(1, w.ids("SELECT id FROM incident WHERE id = ? AND deleted_at IS NULL FOR NO KEY UPDATE",
                incident).size(), "the incident is live");
    }

    /** The flush of an incident edit: the version, then the collection's rows (added: those not linked yet). */
    private static void writeLinks(Writer w, UUID incident, List<UUID> added, List<UUID> removed)
            throws SQLException {
        w.update("UPDATE incident SET version = version + 1, updated_at = now() WHERE id = ?", incident);
        for (UUID volunteer : removed) {
            w.update("DELETE FROM incident_volunteer WHERE organization = ? AND incident_id = ? AND volunteer_id = ?",
                    UTOPIA, incident, volunteer);
        }
        for (UUID volunteer : added) {
            w.update("INSERT INTO incident_volunteer (organization, incident_id, volunteer_id) VALUES (?, ?, ?)",
                    UTOPIA, incident, volunteer);
        }
    }

    /** VolunteerService.replace changing the attributes. */
    private static void edit(Writer w, UUID volunteer, String gender, String nationality) throws SQLException {
        assertEquals(1, w.ids("SELECT id FROM volunteer WHERE id = ? FOR NO KEY UPDATE", volunteer).size());
        w.update("UPDATE volunteer SET gender = ?, nationality = ?, version = version + 1, updated_at = now() "
                + "WHERE id = ?", gender, nationality, volunteer);
    }

    /** VolunteerService.delete with detach (IncidentVolunteerLinks.detach). */
    private static void erase(Writer w, UUID volunteer) throws SQLException {
        assertEquals(1, w.ids("SELECT id FROM volunteer WHERE id = ? FOR NO KEY UPDATE", volunteer).size());
        List<UUID> live = w.ids("SELECT i.id FROM incident i WHERE i.deleted_at IS NULL AND EXISTS (SELECT FROM "
                + "incident_volunteer iv WHERE iv.incident_id = i.id AND iv.volunteer_id = ?) ORDER BY i.id "
                + "FOR NO KEY UPDATE", volunteer);
        w.update("DELETE FROM incident_volunteer iv USING incident i WHERE iv.volunteer_id = ? "
                + "AND i.organization = iv.organization AND i.id = iv.incident_id AND i.deleted_at IS NOT NULL",
                volunteer);
        for (UUID incident : live) {
            writeLinks(w, incident, List.of(), List.of(volunteer));
        }
        w.update("DELETE FROM volunteer WHERE id = ?", volunteer);
    }

    // --- observation and the oracle ---

    /**
     * Waits until {@code waiter}'s statement waits for a lock {@code holder}'s backend holds;
     * fails if the statement ends first (it did not wait) or never waits.
     */
    private static void awaitWaiting(Writer waiter, Writer holder, Future<?> statement) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try (Connection admin = AggregateFixture.admin(); PreparedStatement blocked = admin.prepareStatement(
                "SELECT ?::integer = ANY (pg_blocking_pids(?)) FROM pg_stat_activity "
                        + "WHERE pid = ? AND wait_event_type = 'Lock'")) {
            blocked.setInt(1, holder.pid);
            blocked.setInt(2, waiter.pid);
            blocked.setInt(3, waiter.pid);
            while (true) {
                if (statement.isDone()) {
                    statement.get();
                    fail("the statement ended without waiting for the other transaction");
                }
                try (ResultSet row = blocked.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    fail("the statement did not wait for the other transaction within " + WAIT_SECONDS + " s");
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
        }
    }

    /** Whether the work ended by giving way to a deadlock (40P01); any other failure fails the test. */
    private static boolean gaveWay(Future<?> work) throws InterruptedException, TimeoutException {
        try {
            work.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql && "40P01".equals(sql.getSQLState())) {
                return true;
            }
            throw new AssertionError("failed otherwise than by a deadlock", e.getCause());
        }
    }

    private static void assertExact(String when) throws SQLException {
        try (Connection admin = AggregateFixture.admin(); Statement sql = admin.createStatement()) {
            AggregateFixture.assertRollupsEqualScan(sql, when, DIMENSIONS);
            AggregateFixture.assertMaintainedEqualsRebuilt(admin, when, MAINTAINED);
        }
    }

    private static List<String> keptGenders(UUID incident) throws SQLException {
        try (Connection admin = AggregateFixture.admin(); PreparedStatement kept = admin.prepareStatement(
                "SELECT unnest(genders) FROM aggregate_incident_attributes WHERE incident_id = ? ORDER BY 1")) {
            kept.setObject(1, incident);
            List<String> genders = new ArrayList<>();
            try (ResultSet rows = kept.executeQuery()) {
                while (rows.next()) {
                    genders.add(rows.getString(1));
                }
            }
            return genders;
        }
    }

    private static long count(String sql, Object parameter) throws SQLException {
        try (Connection admin = AggregateFixture.admin(); PreparedStatement query = admin.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static void volunteer(UUID id, String gender, String nationality) {
        execute("INSERT INTO volunteer (organization, id, pseudonym_sealed, pseudonym_index, gender, nationality, "
                + "created_by) VALUES (?, ?, '\\x00', sha256(convert_to(?, 'UTF8')), ?, ?, 'test')", UTOPIA, id,
                id.toString(), gender, nationality);
    }

    private static void incident(UUID id, UUID... volunteers) {
        execute("INSERT INTO incident (organization, id, occurred_at, occurred_offset_secs, commune, categories, "
                + "status, created_by, updated_by) VALUES (?, ?, '2018-01-10T10:00:00Z', 0, 'Calais', "
                + "'{identity_check,insult}', 'submitted', 'test', 'test')", UTOPIA, id);
        for (UUID volunteer : volunteers) {
            execute("INSERT INTO incident_volunteer (organization, incident_id, volunteer_id) VALUES (?, ?, ?)",
                    UTOPIA, id, volunteer);
        }
    }

    /** What one transaction does, on its writer's connection. */
    @FunctionalInterface
    private interface Work {
        void run(Writer writer) throws SQLException;
    }

    /**
     * A transaction of the service's role acting for the organisation, on a thread of its own,
     * so that a statement can wait for the other writer while the test observes it.
     */
    private static final class Writer implements AutoCloseable {

        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final Connection db;
        private final int pid;
        private boolean open;

        Writer() throws SQLException {
            db = Db.app();
            db.setAutoCommit(false);
            try (Statement sql = db.createStatement(); ResultSet row = sql.executeQuery("SELECT pg_backend_pid()")) {
                row.next();
                pid = row.getInt(1);
            }
            db.commit();
        }

        /** Runs the work in this writer's open transaction (opening one), in the background. */
        Future<?> start(Work work) {
            return thread.submit(() -> {
                if (!open) {
                    update("SELECT set_config('app.organization', ?, true)", UTOPIA);
                    open = true;
                }
                work.run(this);
                return null;
            });
        }

        /** Runs the work to its end, leaving the transaction open. */
        void run(Work work) throws Exception {
            unwrap(start(work));
        }

        /** Waits for the work's end and commits. */
        void finish(Future<?> work) throws Exception {
            unwrap(work);
            commit();
        }

        void commit() throws Exception {
            unwrap(thread.submit(() -> {
                db.commit();
                open = false;
                return null;
            }));
        }

        void rollback() throws Exception {
            unwrap(thread.submit(() -> {
                db.rollback();
                open = false;
                return null;
            }));
        }

        void update(String sql, Object... parameters) throws SQLException {
            try (PreparedStatement statement = prepare(sql, parameters)) {
                statement.execute();
            }
        }

        List<UUID> ids(String sql, Object... parameters) throws SQLException {
            List<UUID> ids = new ArrayList<>();
            try (PreparedStatement statement = prepare(sql, parameters); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }

        private PreparedStatement prepare(String sql, Object... parameters) throws SQLException {
            PreparedStatement statement = db.prepareStatement(sql);
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof List<?> list) {
                    statement.setArray(i + 1, db.createArrayOf("uuid", list.toArray()));
                } else {
                    statement.setObject(i + 1, parameters[i]);
                }
            }
            return statement;
        }

        private static void unwrap(Future<?> work) throws Exception {
            try {
                work.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }

        @Override
        public void close() throws SQLException {
            thread.shutdownNow();
            db.close();
        }
    }
}
