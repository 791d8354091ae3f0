package org.jointregistry.demo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jointregistry.aggregate.AggregateFilter;
import org.jointregistry.aggregate.AggregateService;
import org.jointregistry.taxonomy.Coded;
import org.jointregistry.taxonomy.IncidentStatus;

/**
 * Fills an empty registry with the founding-report demo data on start when
 * `registry.demo.seed` is true (the dev profile, i.e. the run command). Each
 * organisation's data is written in its own transaction, acting as that
 * organisation.
 */
@ApplicationScoped
public class DemoSeeder {

    private static final Logger LOG = Logger.getLogger(DemoSeeder.class);

    @Inject
    DemoSettings settings;

    @Inject
    AggregateService aggregates;

    @Inject
    DemoWriter writer;

    void onStart(@Observes StartupEvent event) {
        if (settings.seed()) {
            seed(DemoData.founding());
        }
    }

    /** Writes {@code data} unless the registry already holds an incident; true when it wrote. */
    public boolean seed(DemoData data) {
        List<String> everyStatus = Arrays.stream(IncidentStatus.values()).map(Coded::code).toList();
        AggregateFilter everything = new AggregateFilter(null, null, null, null, null, null, everyStatus);
        if (aggregates.summary(everything).incidents() > 0) {
            LOG.info("Demo data: the registry already holds incidents, nothing seeded");
            return false;
        }
        Map<String, List<DemoIncident>> incidents = data.incidents()
                .collect(Collectors.groupingBy(DemoIncident::organization, LinkedHashMap::new, Collectors.toList()));
        Map<String, List<DemoVolunteer>> volunteers = data.volunteers().stream()
                .collect(Collectors.groupingBy(DemoVolunteer::organization, LinkedHashMap::new, Collectors.toList()));
        Map<UUID, UUID> ids = new HashMap<>();
        volunteers.forEach((organization, own) -> ids.putAll(QuarkusTransaction.requiringNew().call(() ->
                writer.write(organization, own, incidents.getOrDefault(organization, List.of())))));
        List<List<DemoIncident>> shared = data.coWitnessed(incidents.values().stream().flatMap(List::stream).toList());
        shared.forEach(group -> writer.link(group.stream()
                .map(i -> Map.entry(i.organization(), ids.get(i.id()))).toList()));
        LOG.infof("Demo data: seeded %d volunteers and %d incidents of %d organisations (seed %d), %d of them "
                + "linked into %d shared events", data.volunteers().size(), data.incidentCount(), volunteers.size(),
                data.seed(), shared.stream().mapToInt(List::size).sum(), shared.size());
        return true;
    }
}
