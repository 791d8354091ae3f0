package org.jointregistry.incident;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jointregistry.common.RegistryClock;
import org.jointregistry.tenant.TenantSession;
import org.jointregistry.volunteer.VolunteerLinks;

/** The incident side of deleting a volunteer. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
@TenantSession
class IncidentVolunteerLinks implements VolunteerLinks {

    @Inject
    IncidentRepository incidents;

    @Inject
    IncidentAudit audit;

    @Inject
    RegistryClock clock;

    @Override
    public boolean linked(UUID volunteerId) {
        return incidents.liveLinkedTo(volunteerId);
    }

    /** Unlinks the volunteer from every incident; the live ones record a revision. */
    @Override
    public void detach(UUID volunteerId) {
        List<Incident> linked = incidents.lockLiveLinkedTo(volunteerId);
        incidents.unlinkTombstones(volunteerId);
        Instant now = clock.now();
        for (Incident incident : linked) {
            var before = audit.snapshot(incident);
            incident.volunteerIds.remove(volunteerId);
            audit.updated(incident, before, now);
        }
    }
}
