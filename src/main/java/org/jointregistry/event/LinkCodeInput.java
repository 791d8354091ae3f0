package org.jointregistry.event;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "LinkCodeRedemption", description = "A link code received from a partner (or from your own "
        + "organisation, for another of its incidents).")
public record LinkCodeInput(
        @Schema(maxLength = LinkCodes.LENGTH, description = "The code as issued.", examples = "q3K9xXo1Zb2yLw7dV0cN4g", required = true)
        String code) {

    @Override
    public String toString() {
        return "LinkCodeInput[code=…]";
    }
}
