package org.jointregistry.sync;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jointregistry.common.Csv;
import org.jointregistry.incident.IncidentFilter;
import org.jointregistry.incident.IncidentPage;
import org.jointregistry.incident.IncidentService;
import org.jointregistry.incident.IncidentView;
import org.jointregistry.volunteer.VolunteerService;

/**
 * CSV export of the incidents a list filter selects, in the list's order,
 * written page by page as the list's keyset pages are read: memory holds one
 * page whatever the number of incidents. Each page is its own short
 * transaction, so an export never holds a connection for the whole download;
 * an incident whose occurredAt changes while the export runs may be missed or
 * written twice (the change feed is the way to mirror exactly).
 */
@ApplicationScoped
public class IncidentExport {

    static final int PAGE = IncidentFilter.MAX_LIMIT;

    @Inject
    IncidentService incidents;

    @Inject
    VolunteerService volunteers;

    /** Writes the header row, then one row per incident (UTF-8, comma-separated, CRLF). */
    public void write(IncidentFilter filter, OutputStream out) throws IOException {
        Csv.RowWriter csv = Csv.writer(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)));
        Map<UUID, String> pseudonyms = new HashMap<>(volunteers.pseudonyms());
        // A volunteer created while the export runs is looked up when first met.
        Function<UUID, String> pseudonym = id -> pseudonyms.computeIfAbsent(id, missing -> volunteers.pseudonyms()
                .get(missing));
        csv.row(IncidentSheet.Column.headers());
        String cursor = null;
        do {
            IncidentPage page = incidents.list(filter.page(PAGE, cursor));
            for (IncidentView incident : page.items()) {
                csv.row(IncidentSheet.row(incident, pseudonym));
            }
            csv.flush();
            cursor = page.nextCursor();
        } while (cursor != null);
    }
}
