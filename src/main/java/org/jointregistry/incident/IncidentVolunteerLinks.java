package org.jointregistry.incident;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
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

    @Override
    public boolean linked(UUID volunteerId) {
        return incidents.liveLinkedTo(volunteerId);
    }

    @Override
    public void detach(UUID volunteerId) {
        incidents.unlinkTombstones(volunteerId);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (Incident incident : incidents.lockLiveLinkedTo(volunteerId)) {
            var before = audit.snapshot(incident);
            incident.volunteerIds.remove(volunteerId);
            audit.updated(incident, before, now);
        }
    }
}
