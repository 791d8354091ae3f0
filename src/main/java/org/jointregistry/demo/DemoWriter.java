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
import org.jointregistry.event.LinkCodeRedemption;
import org.jointregistry.event.SharedEventService;
import org.jointregistry.incident.IncidentService;
import org.jointregistry.incident.IncidentView;
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

    @Inject
    SharedEventService events;

    @Inject
    LinkCodeRedemption redemption;

    /** Writes the organisation's volunteers and incidents; returns the service's id of each demo incident. */
    @ActivateRequestContext
    public Map<UUID, UUID> write(String organization, List<DemoVolunteer> own, List<DemoIncident> demoIncidents) {
        tenant.actAs(organization, AUTHOR);
        // The services assign their own ids: map the generator's to them.
        Map<UUID, UUID> ids = new HashMap<>();
        for (DemoVolunteer volunteer : own) {
            ids.put(volunteer.id(), volunteers.create(new VolunteerInput(volunteer.pseudonym(), volunteer.gender(),
                    volunteer.nationality())).id());
        }
        List<IncidentView> created = incidents.createAll(demoIncidents.stream().map(i -> new IncidentInput(i.externalId(), i.occurredAt(),
                new Location(i.commune(), i.site(), i.latitude(), i.longitude()), i.categories(), i.forces(),
                i.officerCount(), i.volunteerIds().stream().map(ids::get).toList(), i.description(),
                new Complaint(i.complaintStatus(), i.complaintBody(), i.complaintFiledOn(), i.complaintReference()),
                i.status())).toList());
        Map<UUID, UUID> incidentIds = new HashMap<>();
        for (int i = 0; i < demoIncidents.size(); i++) {
            incidentIds.put(demoIncidents.get(i).id(), created.get(i).id());
        }
        return incidentIds;
    }

    /**
     * Links co-witnessed incidents (organisation and service id each) into
     * one shared event as partners do: the first one's organisation issues a
     * code for each other, which redeems it. Each step is its own transaction.
     */
    @ActivateRequestContext
    public void link(List<Map.Entry<String, UUID>> reports) {
        Map.Entry<String, UUID> first = reports.get(0);
        for (Map.Entry<String, UUID> partner : reports.subList(1, reports.size())) {
            tenant.actAs(first.getKey(), AUTHOR);
            String code = events.issue(first.getValue()).code();
            tenant.actAs(partner.getKey(), AUTHOR);
            redemption.join(partner.getValue(), code);
        }
    }
}
