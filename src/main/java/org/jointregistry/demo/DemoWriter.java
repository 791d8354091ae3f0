package org.jointregistry.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jointregistry.taxonomy.Coded;

/**
 * Writes one organisation's demo data by SQL in the caller's transaction,
 * acting as that organisation (the tenant setting row-level security checks),
 * with a `create` revision per incident as the incident API leaves one.
 */
@ApplicationScoped
public class DemoWriter {

    static final String AUTHOR = "demo-seed";

    @Inject
    DataSource dataSource;

    public void write(String organization, List<DemoVolunteer> volunteers, List<DemoIncident> incidents) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement tenant = connection.prepareStatement(
                    "SELECT set_config('app.organization', ?, true)")) {
                tenant.setString(1, organization);
                tenant.execute();
            }
            insertVolunteers(connection, volunteers);
            insertIncidents(connection, incidents);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the demo data of " + organization, e);
        }
    }

    private static void insertVolunteers(Connection connection, List<DemoVolunteer> volunteers) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO volunteer "
                + "(organization, id, pseudonym, gender, nationality, created_by) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (DemoVolunteer v : volunteers) {
                insert.setString(1, v.organization());
                insert.setObject(2, v.id());
                insert.setString(3, v.pseudonym());
                insert.setString(4, v.gender().code());
                insert.setString(5, v.nationality());
                insert.setString(6, AUTHOR);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void insertIncidents(Connection connection, List<DemoIncident> incidents) throws SQLException {
        try (PreparedStatement incident = connection.prepareStatement("INSERT INTO incident (organization, id, "
                + "external_id, occurred_at, occurred_offset_secs, commune, site, latitude, longitude, categories, "
                + "forces, officer_count, description, complaint_status, complaint_body, complaint_filed_on, "
                + "complaint_reference, status, created_at, updated_at, created_by, updated_by) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement link = connection.prepareStatement(
                        "INSERT INTO incident_volunteer (organization, incident_id, volunteer_id) VALUES (?, ?, ?)");
                PreparedStatement revision = connection.prepareStatement("INSERT INTO incident_revision "
                        + "(organization, incident_id, revision, at, by, action) VALUES (?, ?, 1, ?, ?, 'create')")) {
            for (DemoIncident i : incidents) {
                // Recorded the day after it happened.
                Timestamp recorded = Timestamp.from(i.occurredAt().toInstant().plusSeconds(86_400));
                int p = 0;
                incident.setString(++p, i.organization());
                incident.setObject(++p, i.id());
                incident.setString(++p, i.externalId());
                incident.setObject(++p, i.occurredAt());
                incident.setInt(++p, i.occurredAt().getOffset().getTotalSeconds());
                incident.setString(++p, i.commune());
                incident.setString(++p, i.site());
                incident.setDouble(++p, i.latitude());
                incident.setDouble(++p, i.longitude());
                incident.setArray(++p, codes(connection, i.categories()));
                incident.setArray(++p, codes(connection, i.forces()));
                incident.setInt(++p, i.officerCount());
                incident.setString(++p, i.description());
                incident.setString(++p, i.complaintStatus().code());
                incident.setString(++p, i.complaintBody() == null ? null : i.complaintBody().code());
                incident.setObject(++p, i.complaintFiledOn());
                incident.setString(++p, i.complaintReference());
                incident.setString(++p, i.status().code());
                incident.setTimestamp(++p, recorded);
                incident.setTimestamp(++p, recorded);
                incident.setString(++p, AUTHOR);
                incident.setString(++p, AUTHOR);
                incident.addBatch();
                for (UUID volunteer : i.volunteerIds()) {
                    link.setString(1, i.organization());
                    link.setObject(2, i.id());
                    link.setObject(3, volunteer);
                    link.addBatch();
                }
                revision.setString(1, i.organization());
                revision.setObject(2, i.id());
                revision.setTimestamp(3, recorded);
                revision.setString(4, AUTHOR);
                revision.addBatch();
            }
            incident.executeBatch();
            link.executeBatch();
            revision.executeBatch();
        }
    }

    private static Array codes(Connection connection, List<? extends Coded> terms) throws SQLException {
        return connection.createArrayOf("text", terms.stream().map(Coded::code).toArray());
    }
}
