package org.jointregistry.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A partner organisation (tenant), named by its Keycloak Organization alias. */
@Entity
@Table(name = "organization")
public class Organization extends PanacheEntityBase {

    @Id
    public String alias;

    public String name;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
