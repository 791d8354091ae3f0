package org.jointregistry.event;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "LinkCode", description = "A single-use code that lets a partner link one of its own incidents into "
        + "this incident's shared event. Hand it over out of band; the registry keeps only a hash of it and cannot "
        + "show it again.")
public record LinkCodeView(
        @Schema(maxLength = LinkCodes.LENGTH, description = "128 random bits, base64url.", examples = "q3K9xXo1Zb2yLw7dV0cN4g", required = true)
        String code,
        @Schema(description = "When the code stops working, 7 days after it was issued.", required = true)
        Instant expiresAt) {

    /** Never print the code (records print their fields by default). */
    @Override
    public String toString() {
        return "LinkCodeView[code=…, expiresAt=" + expiresAt + "]";
    }
}
