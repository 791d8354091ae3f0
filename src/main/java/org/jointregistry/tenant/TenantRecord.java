package org.jointregistry.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import java.util.UUID;

/**
 * What every versioned record of a tenant table has: its key (organisation
 * first), a version that ETags derive from, and who created it when.
 */
@MappedSuperclass
@IdClass(TenantKey.class)
public abstract class TenantRecord extends PanacheEntityBase {

    @Id
    public String organization;

    @Id
    public UUID id;

    public int version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "created_by")
    public String createdBy;
}
