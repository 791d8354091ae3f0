package org.jointregistry.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Link codes: 128 random bits, written as 22 base64url characters (easy to
 * read out or paste, no padding). Only their SHA-256 is stored, so a copy of
 * the database redeems nothing; 128 bits make guessing hopeless even before
 * the per-organisation limit on failed attempts.
 */
final class LinkCodes {

    private static final int BYTES = 16;
    /** The length of a code: 16 bytes in unpadded base64url. */
    static final int LENGTH = 22;
    private static final SecureRandom RANDOM = new SecureRandom();

    private LinkCodes() {
    }

    static String generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The stored form of a code (any text: a malformed code simply matches nothing). */
    static byte[] hash(String code) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
