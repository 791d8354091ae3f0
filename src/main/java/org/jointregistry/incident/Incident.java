package org.jointregistry.incident;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jointregistry.tenant.TenantRecord;

/** An incident of one organisation; a deleted one stays as a tombstone (deletedAt set). */
@Entity
@Table(name = "incident")
public class Incident extends TenantRecord {

    @Column(name = "external_id")
    public String externalId;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    /** The offset the reporter wrote occurredAt with, so that it reads back as sent. */
    @Column(name = "occurred_offset_secs")
    public int occurredOffsetSecs;

    public String commune;

    public String site;

    public Double latitude;

    public Double longitude;

    /** {@link org.jointregistry.taxonomy.Category} codes. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] categories;

    /** {@link org.jointregistry.taxonomy.PoliceForce} codes. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] forces;

    @Column(name = "officer_count")
    public Integer officerCount;

    /** The narrative: confidential to the organisation, never logged, never in history. */
    public String description;

    @Column(name = "complaint_status")
    public String complaintStatus;

    @Column(name = "complaint_body")
    public String complaintBody;

    @Column(name = "complaint_filed_on")
    public LocalDate complaintFiledOn;

    @Column(name = "complaint_reference")
    public String complaintReference;

    public String status;

    @Column(name = "updated_by")
    public String updatedBy;

    /** The shared event the incident is in (contract §8), null when unlinked; changed only by the event service. */
    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Column(name = "deleted_by")
    public String deletedBy;

    // Loaded for a whole page at once (one query per page, not per incident).
    @ElementCollection
    @CollectionTable(name = "incident_volunteer", joinColumns = {
            @JoinColumn(name = "organization", referencedColumnName = "organization"),
            @JoinColumn(name = "incident_id", referencedColumnName = "id") })
    @Column(name = "volunteer_id")
    @BatchSize(size = IncidentFilter.MAX_LIMIT)
    public Set<UUID> volunteerIds = new HashSet<>();
}
