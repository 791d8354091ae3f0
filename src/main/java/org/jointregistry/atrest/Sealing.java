package org.jointregistry.atrest;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.prf.PrfConfig;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.jboss.logging.Logger;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;

/**
 * Seals and opens the confidential fields of tenant records with their
 * organisation's AEAD keyset. The associated data is kind, organisation,
 * record id and field, so a ciphertext copied to another field, record or
 * organisation fails to open: that is refused (a problem response) and logged
 * as an integrity failure naming the record, never its content.
 * {@link AtRestConfig#benchmarkPlaintext()} turns sealing off for the
 * benchmark's comparison run only (the production profile refuses it).
 */
@ApplicationScoped
public class Sealing {

    private static final Logger INTEGRITY = Logger.getLogger("org.jointregistry.atrest.integrity");
    private static final int BLIND_INDEX_BYTES = 32;

    static {
        register();
    }

    @Inject
    OrganizationKeysets keysets;

    @Inject
    AtRestConfig config;

    /** For entity callbacks, which JPA creates outside CDI. */
    public static Sealing current() {
        return Arc.container().instance(Sealing.class).get();
    }

    /** Registers Tink's AEAD and PRF key types (idempotent). */
    static void register() {
        try {
            AeadConfig.register();
            PrfConfig.register();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot register its AEAD and PRF key types", e);
        }
    }

    /** The ciphertext of {@code plaintext} (null stays null) for that field of that record (its id or key). */
    public byte[] seal(String kind, String organization, Object id, String field, String plaintext) {
        if (plaintext == null) {
            return null;
        }
        if (config.benchmarkPlaintext()) {
            return plaintext.getBytes(StandardCharsets.UTF_8);
        }
        return seal(writable(organization), kind, organization, id, field, plaintext);
    }

    /** The ciphertext of a non-null {@code plaintext} under {@code keys}: the service's and the bulk loader's. */
    static byte[] seal(OrganizationKeysets.Keys keys, String kind, String organization, Object id, String field,
            String plaintext) {
        try {
            return keys.aead().encrypt(plaintext.getBytes(StandardCharsets.UTF_8),
                    associatedData(kind, organization, id, field));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AEAD encryption failed", e);
        }
    }

    /**
     * The plaintext of a sealed field; null when it is null or the organisation
     * is shredded (its testimony is gone). A ciphertext that does not open is
     * refused with a 500 problem and an integrity log line.
     */
    public String open(String kind, String organization, Object id, String field, byte[] sealed) {
        if (sealed == null) {
            return null;
        }
        if (config.benchmarkPlaintext()) {
            return new String(sealed, StandardCharsets.UTF_8);
        }
        OrganizationKeysets.Keys keys = keysets.keys(organization);
        if (keys.shredded()) {
            return null;
        }
        byte[] associatedData = associatedData(kind, organization, id, field);
        try {
            return new String(keys.aead().decrypt(sealed, associatedData), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException stale) {
            // Another replica may have rotated the data key since this one cached it: read it again once.
            OrganizationKeysets.Keys fresh = keysets.reload(organization);
            try {
                if (!fresh.shredded()) {
                    return new String(fresh.aead().decrypt(sealed, associatedData), StandardCharsets.UTF_8);
                }
                return null;
            } catch (GeneralSecurityException e) {
                INTEGRITY.errorf("Integrity failure: the sealed field %s of %s %s (organisation %s) does not open "
                        + "under its associated data: it was altered or moved from another row; not served",
                        field, kind, id, organization);
                throw new ProblemException(ProblemType.INTERNAL_ERROR, "This " + kind + " failed its integrity "
                        + "check and is not served; the operators' log names it.");
            }
        }
    }

    /** The keyed blind index of a value: equal values of one organisation give equal indexes, nothing else. */
    public byte[] blindIndex(String kind, String organization, String field, String value) {
        return blindIndex(writable(organization), kind, field, value);
    }

    /** The blind index of a value under {@code keys}: the service's and the bulk loader's. */
    static byte[] blindIndex(OrganizationKeysets.Keys keys, String kind, String field, String value) {
        try {
            return keys.blindIndex().computePrimary(
                    (kind + "\0" + field + "\0" + value).getBytes(StandardCharsets.UTF_8), BLIND_INDEX_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PRF computation failed", e);
        }
    }

    private OrganizationKeysets.Keys writable(String organization) {
        OrganizationKeysets.Keys keys = keysets.keys(organization);
        if (keys.shredded()) {
            throw new ProblemException(ProblemType.CONFLICT, "Your organisation's keys were destroyed (shredded): "
                    + "the registry accepts no more of its records.");
        }
        return keys;
    }

    private static byte[] associatedData(String kind, String organization, Object id, String field) {
        return (kind + "\0" + organization + "\0" + id + "\0" + field).getBytes(StandardCharsets.UTF_8);
    }
}
