package org.jointregistry.report;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/** A frozen joint report: written once, never changed (the database refuses UPDATE and DELETE). */
@Entity
@Immutable
@Table(name = "report_snapshot")
public class ReportSnapshot extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "from_date")
    public LocalDate fromDate;

    @Column(name = "to_date")
    public LocalDate toDate;

    /** Lower-case hex SHA-256 of {@link #document}'s UTF-8 bytes. */
    public String sha256;

    /** The report in canonical JSON (see {@link CanonicalJson}), exactly as hashed. */
    public String document;
}
