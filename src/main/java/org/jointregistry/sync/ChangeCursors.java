package org.jointregistry.sync;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jointregistry.incident.IncidentChanges.Position;
import org.jointregistry.tenant.TenantContext;

/**
 * Change-feed cursors: opaque, tamper-evident and bound to the organisation.
 * A cursor is its position followed by an HMAC-SHA256 over the organisation
 * and the position, keyed by `registry.sync.cursor-secret`: every replica must
 * share that secret, so a cursor from one replica is good on all.
 */
@ApplicationScoped
public class ChangeCursors {

    private static final String VERSION = "c1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    @Inject
    SyncSettings settings;

    @Inject
    TenantContext tenant;

    public String encode(Position position) {
        String payload = VERSION + ":" + position.seq();
        return ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(
                mac(payload));
    }

    /** The position of a cursor this feed handed to this organisation; empty for anything else. */
    public Optional<Position> read(String cursor) {
        try {
            String[] parts = cursor.split("\\.", -1);
            String payload = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
            String[] fields = payload.split(":", -1);
            if (parts.length == 2 && MessageDigest.isEqual(mac(payload), Base64.getUrlDecoder().decode(parts[1]))
                    && fields.length == 2 && fields[0].equals(VERSION)) {
                return Optional.of(new Position(Long.parseLong(fields[1])));
            }
        } catch (IllegalArgumentException e) {
            // Not base64 or not numbers: the same answer as a wrong signature.
        }
        return Optional.empty();
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.cursorSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal((tenant.organization() + "\n" + payload).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
