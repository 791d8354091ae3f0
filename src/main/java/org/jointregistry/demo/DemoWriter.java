package org.jointregistry.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jointregistry.incident.Complaint;
import org.jointregistry.incident.IncidentInput;
import org.jointregistry.incident.IncidentService;
import org.jointregistry.incident.Location;
import org.jointregistry.tenant.TenantContext;
import org.jointregistry.volunteer.VolunteerInput;
import org.jointregistry.volunteer.VolunteerService;

/**
 * Writes one organisation's demo data through the same services the API uses
 * (validation, revisions, change feed, rollups and row-level security
 * included), acting as that organisation in the caller's transaction.
 */
@ApplicationScoped
public class DemoWriter {

    private static final String AUTHOR = "demo-seed";

    @Inject
    TenantContext tenant;

    @Inject
    VolunteerService volunteers;

    @Inject
    IncidentService incidents;

    @ActivateRequestContext
    public void write(String organization, List<DemoVolunteer> own, List<DemoIncident> demoIncidents) {
        tenant.actAs(organization, AUTHOR);
        // The services assign their own ids: map the generator's to them.
        Map<UUID, UUID> ids = new HashMap<>();
        for (DemoVolunteer volunteer : own) {
            ids.put(volunteer.id(), volunteers.create(new VolunteerInput(volunteer.pseudonym(), volunteer.gender(),
                    volunteer.nationality())).id());
        }
        incidents.createAll(demoIncidents.stream().map(i -> new IncidentInput(i.externalId(), i.occurredAt(),
                new Location(i.commune(), i.site(), i.latitude(), i.longitude()), i.categories(), i.forces(),
                i.officerCount(), i.volunteerIds().stream().map(ids::get).toList(), i.description(),
                new Complaint(i.complaintStatus(), i.complaintBody(), i.complaintFiledOn(), i.complaintReference()),
                i.status())).toList());
    }
}
