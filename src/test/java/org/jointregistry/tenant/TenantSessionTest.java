package org.jointregistry.tenant;

import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.incident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import org.jointregistry.support.Db;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service's side of wall two: transactions of tenant-bound services carry
 * the active organisation to PostgreSQL, so that even a query that forgets to
 * name it sees only that organisation's rows. (An organisation a token names
 * is registered at authentication, not here: TokenAttackTest's
 * aPartnerTheRegistryHasNotSeenIsRegisteredAtAuthentication.)
 */
@QuarkusTest
class TenantSessionTest {

    private static final String ORG = "utopia-56";

    @Inject
    TenantContext tenant;

    @Inject
    UnscopedQueries unscoped;

    @BeforeEach
    void incidentsOfTwoOrganisations() {
        createIncident(Tokens.reporter(ORG), incident("Calais"));
        createIncident(Tokens.reporter("help-refugees"), incident("Calais"));
    }

    private static long adminCount(String where, Object... parameters) {
        return ((Number) Db.row("SELECT count(*) AS n FROM incident " + where, parameters).orElseThrow().get("n"))
                .longValue();
    }

    @Test
    @ActivateRequestContext
    void aQueryThatForgetsTheOrganisationStillSeesOnlyItsOwn() {
        tenant.actAs(ORG, "test");
        long seen = unscoped.countBound("incident");
        assertEquals(adminCount("WHERE organization = ?", ORG), seen);
        assertTrue(adminCount("") > seen);
    }

    @Test
    @ActivateRequestContext
    void aTransactionNoServiceBoundSeesNothing() {
        tenant.actAs(ORG, "test");
        assertEquals(0, unscoped.countUnbound("incident"));
        assertEquals(0, unscoped.countUnbound("incident_revision"));
    }

    @Test
    @ActivateRequestContext
    void tenantBoundCodeNeedsATransactionAndOneOrganisationPerTransaction() {
        tenant.actAs(ORG, "test");
        assertThrows(IllegalStateException.class, () -> unscoped.countWithoutTransaction("incident"));
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            unscoped.countBound("incident");
            tenant.actAs("help-refugees", "test");
            unscoped.countBound("incident");
        }));
    }
}
