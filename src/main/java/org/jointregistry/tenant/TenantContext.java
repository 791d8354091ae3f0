package org.jointregistry.tenant;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The organisation a unit of work acts for, and who acts: wall one of tenant
 * isolation. In an HTTP request both come from the bearer token (through
 * {@link Caller#tenant()}), never from a body or path. Every tenant-space query
 * and write reads the organisation from here, and {@link TenantSessionInterceptor}
 * hands the same value to PostgreSQL (wall two).
 */
@RequestScoped
public class TenantContext {

    @Inject
    Caller caller;

    private String organization;
    private String actor;

    /** The active organisation's alias; 400/403 problems when the token has none usable. */
    public String organization() {
        if (organization == null) {
            organization = caller.tenant();
            actor = caller.username();
        }
        return organization;
    }

    /** Who is acting, as recorded in createdBy and in revisions: the token's username. */
    public String actor() {
        organization();
        return actor;
    }

    /**
     * Acts for {@code organization} as {@code actor} in this request context,
     * for work that has no token (the demo-data seeder, background jobs). Never
     * call it with values taken from a request.
     */
    public void actAs(String organization, String actor) {
        this.organization = organization;
        this.actor = actor;
    }
}
