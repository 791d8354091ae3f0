package org.jointregistry.volunteer;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.jointregistry.tenant.TenantRecord;

/** A volunteer as a pseudonym: the registry never stores a name. */
@Entity
@Table(name = "volunteer")
public class Volunteer extends TenantRecord {

    public String pseudonym;

    /** A {@link org.jointregistry.taxonomy.Gender} code. */
    public String gender;

    /** ISO 3166-1 alpha-2, or null. */
    public String nationality;
}
