package org.jointregistry.demo;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jointregistry.taxonomy.Coded;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Loads a generated data set of any size with COPY, for benchmarks: as a
 * superuser (row-level security does not apply), into a migrated database,
 * links one incident in ten into shared events of two or three reports of
 * different organisations ({@link #linkEvents}), then rebuilds the aggregate
 * rollups.
 * <pre>
 * ./mvnw -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.jointregistry.demo.BulkLoad \
 *     -Dexec.args="jdbc:postgresql://127.0.0.1:5432/registry_bench postgres '' 1000000"
 * </pre>
 * Arguments: JDBC URL, user, password, incidents, optional seed (default 2018).
 */
public final class BulkLoad {

    private static final int CHUNK = 20_000;
    /** Incidents per run of which one event is made: 2.1 linked per 21 is one in ten. */
    private static final int EVENT_RUN = 21;

    private BulkLoad() {
    }

    public static void main(String[] args) throws SQLException, IOException {
        DemoData data = new DemoData(args.length > 4 ? Long.parseLong(args[4]) : DemoData.DEFAULT_SEED,
                Integer.parseInt(args[3]));
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            long start = System.nanoTime();
            load(connection, data, true);
            System.out.printf("Loaded %d volunteers and %d incidents in %d s%n", data.volunteers().size(),
                    data.incidentCount(), (System.nanoTime() - start) / 1_000_000_000);
        }
    }

    /**
     * Loads {@code data} in one transaction and commits; the rollups are rebuilt
     * at the end when {@code rebuildRollups} (minutes at a million incidents).
     */
    public static void load(Connection connection, DemoData data, boolean rebuildRollups)
            throws SQLException, IOException {
        connection.setAutoCommit(false);
        // Row triggers (the rollups' upkeep) and foreign-key checks off while loading; the rollups are
        // rebuilt in one pass at the end.
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET session_replication_role = replica");
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn("COPY volunteer (organization, id, pseudonym, gender, nationality, created_by) FROM STDIN",
                lines(data.volunteers().iterator(), v -> row(v.organization(), v.id(), v.pseudonym(),
                        v.gender().code(), v.nationality(), "bulk-load")));
        Iterator<DemoIncident> incidents = data.incidents().iterator();
        while (incidents.hasNext()) {
            List<DemoIncident> chunk = new ArrayList<>(CHUNK);
            while (incidents.hasNext() && chunk.size() < CHUNK) {
                chunk.add(incidents.next());
            }
            copy.copyIn("COPY incident (organization, id, external_id, occurred_at, occurred_offset_secs, "
                    + "commune, site, latitude, longitude, categories, forces, officer_count, description, "
                    + "complaint_status, complaint_body, complaint_filed_on, complaint_reference, status, "
                    + "created_by, updated_by) FROM STDIN", lines(chunk.iterator(), BulkLoad::incident));
            copy.copyIn("COPY incident_volunteer (organization, incident_id, volunteer_id) FROM STDIN",
                    lines(chunk.stream().flatMap(i -> i.volunteerIds().stream()
                            .map(v -> row(i.organization(), i.id(), v))).iterator(), Function.identity()));
        }
        linkEvents(connection);
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET session_replication_role = DEFAULT");
            if (rebuildRollups) {
                sql.execute("SELECT aggregate_rollup_rebuild()");
            }
        }
        connection.commit();
    }

    /**
     * Links one live incident in ten into shared events, as partners who
     * co-witnessed an occurrence would: in the order of commune and time, each
     * run of {@value #EVENT_RUN} incidents gives one event made of its first
     * incident of each organisation, two of them (three in every tenth run), so
     * 2.1 of every 21 incidents are linked, with drafts and retracted reports
     * among them as they come. The founder of each event is its first report's
     * organisation. Runs with the triggers off, before the rollups' rebuild.
     */
    private static void linkEvents(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("CREATE TEMPORARY TABLE bulk_event_member ON COMMIT DROP AS "
                    + "SELECT organization, id, md5('bulk-event-' || run)::uuid AS event_id, rank FROM ("
                    + "SELECT *, row_number() OVER (PARTITION BY run ORDER BY n) AS rank, "
                    + "count(*) OVER (PARTITION BY run) AS partners FROM ("
                    + "SELECT DISTINCT ON (run, organization) organization, id, run, n FROM ("
                    + "SELECT organization, id, row_number() OVER (ORDER BY commune, occurred_at, id) AS n, "
                    + "(row_number() OVER (ORDER BY commune, occurred_at, id) - 1) / " + EVENT_RUN + " AS run "
                    + "FROM incident WHERE deleted_at IS NULL AND event_id IS NULL) AS ordered "
                    + "ORDER BY run, organization, n) AS firsts) AS ranked "
                    + "WHERE rank <= CASE WHEN run % 10 = 9 THEN 3 ELSE 2 END AND partners >= 2");
            sql.execute("INSERT INTO shared_event (organization, id, created_by) "
                    + "SELECT organization, event_id, 'bulk-load' FROM bulk_event_member WHERE rank = 1");
            sql.execute("UPDATE incident i SET event_id = m.event_id FROM bulk_event_member m "
                    + "WHERE i.organization = m.organization AND i.id = m.id");
        }
    }

    private static String incident(DemoIncident i) {
        return row(i.organization(), i.id(), i.externalId(), i.occurredAt(), i.occurredAt().getOffset()
                .getTotalSeconds(), i.commune(), i.site(), i.latitude(), i.longitude(), array(i.categories()),
                array(i.forces()), i.officerCount(), i.description(), i.complaintStatus().code(),
                i.complaintBody() == null ? null : i.complaintBody().code(), i.complaintFiledOn(),
                i.complaintReference(), i.status().code(), "bulk-load", "bulk-load");
    }

    private static String array(List<? extends Coded> terms) {
        return terms.stream().map(Coded::code).collect(Collectors.joining(",", "{", "}"));
    }

    /** A COPY text-format line: tab-separated, \N for null, backslash escapes. */
    private static String row(Object... values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append('\t');
            }
            line.append(values[i] == null ? "\\N" : values[i].toString().replace("\\", "\\\\")
                    .replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"));
        }
        return line.append('\n').toString();
    }

    private static <T> Reader lines(Iterator<T> items, Function<T, String> line) {
        StringBuilder text = new StringBuilder();
        items.forEachRemaining(item -> text.append(line.apply(item)));
        return new StringReader(text.toString());
    }
}
