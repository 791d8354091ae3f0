package org.jointregistry.demo;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.UUID;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jointregistry.atrest.BulkSealing;
import org.jointregistry.taxonomy.Coded;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Loads a generated data set of any size with COPY, for benchmarks: as a
 * superuser (row-level security does not apply), into a migrated database,
 * links one incident in ten into shared events of two or three reports of
 * different organisations ({@link #linkEvents}), then rebuilds the aggregate
 * rollups. The confidential fields are sealed here, in parallel, with each
 * organisation's keysets under the key-encryption key file the service is then
 * started with ({@link BulkSealing}: the service's own sealing), so that the
 * service opens what was loaded.
 * <pre>
 * ./mvnw -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.jointregistry.demo.BulkLoad \
 *     -Dexec.args="jdbc:postgresql://127.0.0.1:5432/registry_bench postgres '' 1000000 target/child-master-key.json"
 * </pre>
 * Arguments: JDBC URL, user, password, incidents, master key file, optional seed (default 2018).
 */
public final class BulkLoad {

    private static final int CHUNK = 20_000;
    /** Incidents per run of which one event is made: 2.1 linked per 21 is one in ten. */
    private static final int EVENT_RUN = 21;
    /** The sealed records' kinds and field names, as the entities name them in the associated data. */
    private static final String INCIDENT = "incident";
    private static final String VOLUNTEER = "volunteer";
    private static final String PSEUDONYM = "pseudonym";
    /** COPY of the lines of {@link #incidentLines}. */
    public static final String COPY_INCIDENTS = "COPY incident (organization, id, external_id, occurred_at, "
            + "occurred_offset_secs, commune, site_sealed, coordinates_sealed, categories, forces, officer_count, "
            + "description_sealed, complaint_status, complaint_body, complaint_filed_on, complaint_reference_sealed, "
            + "status, created_by, updated_by) FROM STDIN";
    /** COPY of the lines of {@link #volunteerLinkLines}. */
    public static final String COPY_VOLUNTEER_LINKS = "COPY incident_volunteer (organization, incident_id, "
            + "volunteer_id) FROM STDIN";

    private BulkLoad() {
    }

    public static void main(String[] args) throws SQLException, IOException, GeneralSecurityException {
        DemoData data = new DemoData(args.length > 5 ? Long.parseLong(args[5]) : DemoData.DEFAULT_SEED,
                Integer.parseInt(args[3]));
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            long start = System.nanoTime();
            load(connection, data, Path.of(args[4]), true);
            System.out.printf("Loaded %d volunteers and %d incidents in %d s%n", data.volunteers().size(),
                    data.incidentCount(), (System.nanoTime() - start) / 1_000_000_000);
        }
    }

    /**
     * Loads {@code data} in one transaction and commits, sealed with keysets
     * wrapped by {@code masterKeyFile}; the rollups are rebuilt at the end when
     * {@code rebuildRollups} (minutes at a million incidents).
     */
    public static void load(Connection connection, DemoData data, Path masterKeyFile, boolean rebuildRollups)
            throws SQLException, IOException, GeneralSecurityException {
        connection.setAutoCommit(false);
        BulkSealing sealing = BulkSealing.open(connection, masterKeyFile, data.volunteers().stream()
                .map(DemoVolunteer::organization).distinct().toList());
        // Row triggers (the rollups' upkeep) and foreign-key checks off while loading; the rollups are
        // rebuilt in one pass at the end.
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET session_replication_role = replica");
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn("COPY volunteer (organization, id, pseudonym_sealed, pseudonym_index, gender, nationality, "
                + "created_by) FROM STDIN", new StringReader(lines(data.volunteers(), v -> row(v.organization(), v.id(),
                        bytea(sealing.seal(VOLUNTEER, v.organization(), v.id(), PSEUDONYM, v.pseudonym())),
                        bytea(sealing.blindIndex(VOLUNTEER, v.organization(), PSEUDONYM, v.pseudonym())),
                        v.gender().code(), v.nationality(), "bulk-load"))));
        Iterator<DemoIncident> incidents = data.incidents().iterator();
        while (incidents.hasNext()) {
            List<DemoIncident> chunk = new ArrayList<>(CHUNK);
            while (incidents.hasNext() && chunk.size() < CHUNK) {
                chunk.add(incidents.next());
            }
            copy.copyIn(COPY_INCIDENTS, new StringReader(incidentLines(chunk, sealing)));
            copy.copyIn(COPY_VOLUNTEER_LINKS, new StringReader(volunteerLinkLines(chunk)));
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

    /** The COPY lines of {@code incidents}, sealed (in parallel) for {@link #COPY_INCIDENTS}. */
    public static String incidentLines(List<DemoIncident> incidents, BulkSealing sealing) {
        return lines(incidents, i -> incident(i, sealing));
    }

    /** The COPY lines of the incidents' volunteers for {@link #COPY_VOLUNTEER_LINKS}. */
    public static String volunteerLinkLines(List<DemoIncident> incidents) {
        return incidents.stream().flatMap(i -> i.volunteerIds().stream().map(v -> row(i.organization(), i.id(), v)))
                .collect(Collectors.joining());
    }

    /**
     * Seals in place the incidents {@code ids} of {@code organization} that a
     * service of the benchmark's plaintext switch wrote (their sealed columns
     * hold plain UTF-8), with the triggers off: the content and version stay
     * the same, so the change feed and the rollups have nothing to learn.
     */
    public static void sealInPlace(Connection connection, Path masterKeyFile, String organization, List<UUID> ids)
            throws SQLException, GeneralSecurityException {
        connection.setAutoCommit(false);
        BulkSealing sealing = BulkSealing.open(connection, masterKeyFile, List.of(organization));
        try (Statement sql = connection.createStatement();
                PreparedStatement select = connection.prepareStatement("SELECT id, " + String.join(", ",
                        SEALED_INCIDENT_COLUMNS) + " FROM incident WHERE organization = ? AND id = ANY (?)");
                PreparedStatement update = connection.prepareStatement("UPDATE incident SET " + SEALED_INCIDENT_COLUMNS
                        .stream().map(c -> c + " = ?").collect(Collectors.joining(", "))
                        + " WHERE organization = ? AND id = ?")) {
            sql.execute("SET LOCAL session_replication_role = replica");
            select.setString(1, organization);
            select.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    for (int f = 0; f < SEALED_INCIDENT_FIELDS.size(); f++) {
                        byte[] plain = rows.getBytes(2 + f);
                        update.setBytes(1 + f, sealing.seal(INCIDENT, organization, id, SEALED_INCIDENT_FIELDS.get(f),
                                plain == null ? null : new String(plain, StandardCharsets.UTF_8)));
                    }
                    update.setString(1 + SEALED_INCIDENT_FIELDS.size(), organization);
                    update.setObject(2 + SEALED_INCIDENT_FIELDS.size(), id);
                    update.addBatch();
                }
            }
            update.executeBatch();
        }
        connection.commit();
    }

    /** An incident's line, its fields sealed as the entity seals them (incident/Incident#seal). */
    private static String incident(DemoIncident i, BulkSealing sealing) {
        String org = i.organization();
        return row(org, i.id(), i.externalId(), i.occurredAt(), i.occurredAt().getOffset().getTotalSeconds(),
                i.commune(), bytea(sealing.seal(INCIDENT, org, i.id(), "location.site", i.site())),
                bytea(sealing.seal(INCIDENT, org, i.id(), "location.coordinates", i.latitude() + "," + i.longitude())),
                array(i.categories()), array(i.forces()), i.officerCount(),
                bytea(sealing.seal(INCIDENT, org, i.id(), "description", i.description())),
                i.complaintStatus().code(), i.complaintBody() == null ? null : i.complaintBody().code(),
                i.complaintFiledOn(), bytea(sealing.seal(INCIDENT, org, i.id(), "complaint.reference",
                        i.complaintReference())), i.status().code(), "bulk-load", "bulk-load");
    }

    /** bytea's hex input form (null stays null). */
    private static String bytea(byte[] value) {
        return value == null ? null : "\\x" + HexFormat.of().formatHex(value);
    }

    private static String array(List<? extends Coded> terms) {
        return terms.stream().map(Coded::code).collect(Collectors.joining(",", "{", "}"));
    }

    /** The sealed columns of an incident and, in the same order, their fields in the associated data. */
    private static final List<String> SEALED_INCIDENT_COLUMNS = List.of("site_sealed", "coordinates_sealed",
            "description_sealed", "complaint_reference_sealed");
    private static final List<String> SEALED_INCIDENT_FIELDS = List.of("location.site", "location.coordinates",
            "description", "complaint.reference");

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

    /** The lines of {@code items}, made in parallel (sealing is most of a line's cost), in their order. */
    private static <T> String lines(List<T> items, Function<T, String> line) {
        return items.parallelStream().map(line).collect(Collectors.joining());
    }
}
