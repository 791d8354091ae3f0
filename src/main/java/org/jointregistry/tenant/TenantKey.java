package org.jointregistry.tenant;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/**
 * Primary key of a tenant record: the organisation, then the record's id (the
 * tables lead with the organisation, which is also how Citus would shard them).
 * Looking a record up by key therefore always names its organisation.
 */
public class TenantKey implements Serializable {

    public String organization;
    public UUID id;

    public TenantKey() {
    }

    public TenantKey(String organization, UUID id) {
        this.organization = organization;
        this.id = id;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TenantKey key && Objects.equals(organization, key.organization)
                && Objects.equals(id, key.id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(organization, id);
    }
}
