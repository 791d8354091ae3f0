package org.jointregistry.incident;

import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;
import org.jointregistry.support.Db;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.tenant.TenantContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Java API bulk callers build on: all or nothing, every error with its item's index. */
@QuarkusTest
class IncidentServiceBulkTest {

    private static final String ORG = "utopia-56";

    @Inject
    IncidentService incidents;

    @Inject
    TenantContext tenant;

    @Inject
    SessionFactory hibernate;

    private String commune;

    @BeforeEach
    void newCommune() {
        commune = unique("Bulk");
    }

    private IncidentInput input(String externalId, List<Category> categories, Double latitude, Double longitude) {
        return new IncidentInput(externalId, OffsetDateTime.parse("2018-03-14T18:30:00+01:00"),
                new Location(commune, null, latitude, longitude), categories, null, null, null, null, null, null);
    }

    private List<IncidentInput> valid(int count) {
        List<IncidentInput> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inputs.add(input(commune + "-" + i, List.of(Category.FINE), 50.9, 1.8));
        }
        return inputs;
    }

    private long stored() {
        return ((Number) Db.row("SELECT count(*) AS n FROM incident WHERE commune = ?", commune).orElseThrow()
                .get("n")).longValue();
    }

    @Test
    @ActivateRequestContext
    void aThousandIncidentsGoInOneBatchPerKindOfStatement() {
        tenant.actAs(ORG, "bulk-test");
        // Registers the organisation if this JVM has not yet, outside the measured statements.
        assertThrows(ProblemException.class, () -> incidents.get(new UUID(0, 0)));
        Statistics statistics = hibernate.getStatistics();
        statistics.setStatisticsEnabled(true);
        statistics.clear();
        long started = System.nanoTime();
        List<IncidentView> created = incidents.createAll(valid(1000));
        long millis = (System.nanoTime() - started) / 1_000_000;
        long statements = statistics.getPrepareStatementCount();
        statistics.setStatisticsEnabled(false);

        assertEquals(1000, created.size());
        assertEquals(1000, stored());
        assertEquals(commune + "-999", created.get(999).externalId());
        // set_config, the organisation's change-order lock, the externalId check, the incident
        // insert, the revision insert: a constant number, whatever the batch size.
        assertTrue(statements <= 5, statements + " statements prepared");
        System.out.printf("[bulk] 1000 incidents in one transaction: %d ms, %d statements%n", millis, statements);
        assertEquals(commune + "-3", incidents.get(created.get(3).id()).externalId());
    }

    @Test
    @ActivateRequestContext
    void oneInvalidItemRejectsAllWithIndexedPaths() {
        tenant.actAs(ORG, "bulk-test");
        List<IncidentInput> inputs = valid(10);
        inputs.set(5, input(null, List.of(), 50.9, 1.8));
        inputs.set(7, input(null, List.of(Category.FINE), 95.0, null));
        inputs.set(8, null);

        ProblemException rejected = assertThrows(ProblemException.class, () -> incidents.createAll(inputs));
        assertEquals(ProblemType.VALIDATION_FAILED, rejected.type());
        assertEquals(List.of("[5].categories", "[7].location.latitude", "[7].location.longitude", "[8]"),
                rejected.errors().stream().map(Problem.FieldError::field).toList());
        assertEquals(0, stored());
    }

    @Test
    @ActivateRequestContext
    void repeatedOrTakenExternalIdsAreConflictsWithIndexedPaths() {
        tenant.actAs(ORG, "bulk-test");
        incidents.create(input(commune + "-taken", List.of(Category.FINE), null, null));
        List<IncidentInput> inputs = valid(5);
        inputs.set(2, input(commune + "-taken", List.of(Category.FINE), null, null));
        inputs.set(4, input(commune + "-0", List.of(Category.FINE), null, null));

        ProblemException rejected = assertThrows(ProblemException.class, () -> incidents.createAll(inputs));
        assertEquals(ProblemType.CONFLICT, rejected.type());
        assertEquals(List.of("[4].externalId", "[2].externalId"),
                rejected.errors().stream().map(Problem.FieldError::field).toList());
        assertEquals(1, stored());
    }
}
