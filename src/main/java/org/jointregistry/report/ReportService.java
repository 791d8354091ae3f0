package org.jointregistry.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jointregistry.aggregate.AggregateService;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;
import org.jointregistry.common.RegistryClock;
import org.jointregistry.limits.Expensive;

/** The joint report in canonical JSON, and its frozen snapshots. */
@ApplicationScoped
public class ReportService {

    @Inject
    JointReportService reports;

    @Inject
    AggregateService aggregates;

    @Inject
    ObjectMapper json;

    @Inject
    RegistryClock clock;

    /** The current joint report as canonical JSON; all its figures read from one database snapshot. */
    @Transactional
    @Expensive
    public String joint(LocalDate from, LocalDate to) {
        aggregates.readConsistently();
        return CanonicalJson.write(json.valueToTree(reports.compose(from, to)));
    }

    @Transactional
    @Expensive
    public ReportViews.Snapshot freeze(LocalDate from, LocalDate to, String createdBy) {
        ReportSnapshot snapshot = new ReportSnapshot();
        snapshot.document = joint(from, to);
        snapshot.sha256 = CanonicalJson.sha256(snapshot.document);
        snapshot.id = UUID.randomUUID();
        snapshot.createdAt = clock.now().truncatedTo(ChronoUnit.MILLIS);
        snapshot.createdBy = createdBy;
        snapshot.fromDate = from;
        snapshot.toDate = to;
        snapshot.persist();
        return ReportViews.Snapshot.of(snapshot);
    }

    public List<ReportViews.SnapshotItem> list() {
        return ReportSnapshot.<ReportSnapshot>listAll(Sort.descending("createdAt").and("id"))
                .stream().map(ReportViews.SnapshotItem::of).toList();
    }

    public ReportViews.Snapshot get(UUID id) {
        return ReportViews.Snapshot.of(find(id));
    }

    public ReportViews.Verification verify(UUID id) {
        ReportSnapshot snapshot = find(id);
        String recomputed = CanonicalJson.sha256(snapshot.document);
        return new ReportViews.Verification(id, snapshot.sha256, recomputed, recomputed.equals(snapshot.sha256));
    }

    private static ReportSnapshot find(UUID id) {
        ReportSnapshot snapshot = ReportSnapshot.findById(id);
        if (snapshot == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No report snapshot with that id.");
        }
        return snapshot;
    }
}
