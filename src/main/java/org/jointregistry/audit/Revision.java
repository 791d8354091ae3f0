package org.jointregistry.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** One append-only revision of an incident (the service role may insert and read, never change). */
@Entity
@Table(name = "incident_revision")
@IdClass(Revision.Key.class)
public class Revision extends PanacheEntityBase {

    @Id
    public String organization;

    @Id
    @Column(name = "incident_id")
    public UUID incidentId;

    @Id
    public int revision;

    public Instant at;

    @Column(name = "\"by\"")
    public String actor;

    public String action;

    /** JSON array of {@link FieldChange}s. */
    @ColumnTransformer(write = "?::jsonb")
    public String changes;

    public static class Key implements Serializable {
        public String organization;
        public UUID incidentId;
        public int revision;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(organization, key.organization)
                    && Objects.equals(incidentId, key.incidentId) && revision == key.revision;
        }

        @Override
        public int hashCode() {
            return Objects.hash(organization, incidentId, revision);
        }
    }
}
