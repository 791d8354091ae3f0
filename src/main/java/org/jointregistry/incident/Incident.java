package org.jointregistry.incident;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jointregistry.atrest.Sealing;
import org.jointregistry.tenant.TenantRecord;

/** An incident of one organisation; a deleted one stays as a tombstone (deletedAt set). */
@Entity
@Table(name = "incident")
public class Incident extends TenantRecord {

    private static final String KIND = "incident";

    @Column(name = "external_id")
    public String externalId;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    /** The offset the reporter wrote occurredAt with, so that it reads back as sent. */
    @Column(name = "occurred_offset_secs")
    public int occurredOffsetSecs;

    public String commune;

    /** Sealed (atrest/Sealing) into site_sealed; plaintext only in memory. */
    @Transient
    public String site;

    @Transient
    public Double latitude;

    @Transient
    public Double longitude;

    /** {@link org.jointregistry.taxonomy.Category} codes. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] categories;

    /** {@link org.jointregistry.taxonomy.PoliceForce} codes. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] forces;

    @Column(name = "officer_count")
    public Integer officerCount;

    /** The narrative: confidential to the organisation, never logged, never in history, sealed at rest. */
    @Transient
    public String description;

    @Column(name = "complaint_status")
    public String complaintStatus;

    @Column(name = "complaint_body")
    public String complaintBody;

    @Column(name = "complaint_filed_on")
    public LocalDate complaintFiledOn;

    @Transient
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

    // The ciphertexts of the transient fields above: written from them just
    // before every insert and update, read into them after every load.
    @Column(name = "site_sealed")
    byte[] siteSealed;

    @Column(name = "coordinates_sealed")
    byte[] coordinatesSealed;

    @Column(name = "description_sealed")
    byte[] descriptionSealed;

    @Column(name = "complaint_reference_sealed")
    byte[] complaintReferenceSealed;

    // Loaded for a whole page at once (one query per page, not per incident).
    @ElementCollection
    @CollectionTable(name = "incident_volunteer", joinColumns = {
            @JoinColumn(name = "organization", referencedColumnName = "organization"),
            @JoinColumn(name = "incident_id", referencedColumnName = "id") })
    @Column(name = "volunteer_id")
    @BatchSize(size = IncidentFilter.MAX_LIMIT)
    public Set<UUID> volunteerIds = new HashSet<>();

    /**
     * Seals the confidential fields. Hibernate calls it before the insert and,
     * for a changed incident (every change bumps the version), before the
     * update, and writes what it set.
     */
    @PrePersist
    @PreUpdate
    void seal() {
        Sealing sealing = Sealing.current();
        siteSealed = sealing.seal(KIND, organization, id, "location.site", site);
        coordinatesSealed = sealing.seal(KIND, organization, id, "location.coordinates",
                latitude == null ? null : latitude + "," + longitude);
        descriptionSealed = sealing.seal(KIND, organization, id, "description", description);
        complaintReferenceSealed = sealing.seal(KIND, organization, id, "complaint.reference", complaintReference);
    }

    @PostLoad
    void open() {
        Sealing sealing = Sealing.current();
        site = sealing.open(KIND, organization, id, "location.site", siteSealed);
        String coordinates = sealing.open(KIND, organization, id, "location.coordinates", coordinatesSealed);
        int comma = coordinates == null ? -1 : coordinates.indexOf(',');
        latitude = comma < 0 ? null : Double.valueOf(coordinates.substring(0, comma));
        longitude = comma < 0 ? null : Double.valueOf(coordinates.substring(comma + 1));
        description = sealing.open(KIND, organization, id, "description", descriptionSealed);
        complaintReference = sealing.open(KIND, organization, id, "complaint.reference", complaintReferenceSealed);
    }

    /** Clears what a tombstone must not keep: the sealed fields (the feed and the counts need none of them). */
    void purge() {
        site = null;
        latitude = null;
        longitude = null;
        description = null;
        complaintReference = null;
    }
}
