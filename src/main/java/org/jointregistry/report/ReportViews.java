package org.jointregistry.report;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.Parameters;
import org.jointregistry.common.BoundsFilter;

/** The report resource's request and response bodies. */
public final class ReportViews {

    /** A SHA-256 in lower-case hex. */
    static final int SHA256_HEX = 64;

    private ReportViews() {
    }

    @Schema(name = "SnapshotRequest", description = "The period to freeze; both optional, in the forms of the "
            + "joint report's from and to. The snapshot states it as Europe/Paris days.")
    public record SnapshotRequest(
            @Schema(examples = "2017-11-01", nullable = true, description = Parameters.PERIOD_FORMS,
                    maxLength = Parameters.VALUE_MAX) String from,
            @Schema(examples = "2018-06-30", nullable = true, description = Parameters.PERIOD_FORMS,
                    maxLength = Parameters.VALUE_MAX) String to) {
    }

    @Schema(name = "Snapshot", description = "A frozen joint report. `document` is the canonical JSON that "
            + "`sha256` was computed over, served byte for byte as stored.")
    public record Snapshot(
            UUID id,
            @Schema(examples = "2018-07-02T10:15:30.123Z") Instant createdAt,
            @Schema(nullable = true, examples = "2017-11-01") LocalDate from,
            @Schema(nullable = true, examples = "2018-06-30") LocalDate to,
            @Schema(description = "Lower-case hex SHA-256 of the document's canonical JSON (UTF-8): keys sorted, "
                    + "no whitespace, RFC 8785.", examples = "9f2c0c3e4b5a…", maxLength = SHA256_HEX)
            String sha256,
            @JsonRawValue @Schema(implementation = JointReport.class) String document) {

        static Snapshot of(ReportSnapshot s) {
            return new Snapshot(s.id, s.createdAt, s.fromDate, s.toDate, s.sha256, s.document);
        }
    }

    @Schema(name = "SnapshotListItem", description = "A snapshot without its document.")
    public record SnapshotItem(UUID id, Instant createdAt, @Schema(nullable = true) LocalDate from,
            @Schema(nullable = true) LocalDate to, @Schema(maxLength = SHA256_HEX) String sha256) {

        static SnapshotItem of(ReportSnapshot s) {
            return new SnapshotItem(s.id, s.createdAt, s.fromDate, s.toDate, s.sha256);
        }
    }

    @Schema(name = "SnapshotList", description = "Every snapshot, newest first.")
    public record SnapshotList(@Schema(maxItems = BoundsFilter.UNPAGED) List<SnapshotItem> items) {
    }

    @Schema(name = "SnapshotVerification", description = "The stored hash against one recomputed now from the "
            + "stored document.")
    public record Verification(
            UUID id,
            @Schema(description = "The hash stored when the snapshot was made.", maxLength = SHA256_HEX) String sha256,
            @Schema(description = "SHA-256 of the stored document, computed for this request.", maxLength = SHA256_HEX)
            String recomputedSha256,
            @Schema(description = "True when they are equal: the document is the one that was frozen.")
            boolean valid) {
    }
}
