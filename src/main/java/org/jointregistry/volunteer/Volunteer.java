package org.jointregistry.volunteer;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.jointregistry.atrest.Sealing;
import org.jointregistry.tenant.TenantRecord;

/** A volunteer as a pseudonym: the registry never stores a name, and stores the pseudonym sealed. */
@Entity
@Table(name = "volunteer")
public class Volunteer extends TenantRecord {

    private static final String KIND = "volunteer";
    private static final String PSEUDONYM = "pseudonym";

    /** Plaintext in memory only; sealed into pseudonym_sealed, unique through pseudonym_index. */
    @Transient
    public String pseudonym;

    /** A {@link org.jointregistry.taxonomy.Gender} code. */
    public String gender;

    /** ISO 3166-1 alpha-2, or null. */
    public String nationality;

    @Column(name = "pseudonym_sealed")
    byte[] pseudonymSealed;

    /** The keyed blind index of the pseudonym: UNIQUE per organisation without the plaintext. */
    @Column(name = "pseudonym_index")
    byte[] pseudonymIndex;

    /** Before the insert and before the update of a changed volunteer (every change bumps the version). */
    @PrePersist
    @PreUpdate
    void seal() {
        Sealing sealing = Sealing.current();
        pseudonymSealed = sealing.seal(KIND, organization, id, PSEUDONYM, pseudonym);
        pseudonymIndex = sealing.blindIndex(KIND, organization, PSEUDONYM, pseudonym);
    }

    @PostLoad
    void open() {
        pseudonym = Sealing.current().open(KIND, organization, id, PSEUDONYM, pseudonymSealed);
    }
}
