package org.jointregistry.common;

import jakarta.ws.rs.core.HttpHeaders;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entity tags derived from a record's version, and the HTTP preconditions on
 * them: If-Match (RFC 9110 §13.1.1, strong comparison) guards writes so that no
 * update is lost silently; If-None-Match (§13.1.2, weak comparison) lets a
 * reader revalidate a cached copy.
 */
public final class ETags {

    /** The problems' details, shared with the contract's examples. */
    static final String IF_MATCH_MISSING = "Send If-Match with the ETag of the version you are changing.";
    static final String IF_MATCH_STALE =
            "The record has changed since the version your If-Match names: read it again and retry.";

    /** The longest tag {@link #of} writes: a version's int in quotes, weak ({@code W/}) as a client may echo it. */
    public static final int MAX_LENGTH = 14;

    private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([^\"]*)\"\\s*(,|$)");

    private ETags() {
    }

    /** The entity tag of a version: `"3"`. */
    public static String of(int version) {
        return "\"" + version + "\"";
    }

    /** Whether an If-None-Match header names the current version (`*` names any). */
    public static boolean noneMatchHits(String ifNoneMatch, int version) {
        bounded(HttpHeaders.IF_NONE_MATCH, ifNoneMatch);
        return ifNoneMatch != null && (ifNoneMatch.trim().equals("*") || lists(ifNoneMatch, version, true));
    }

    /** A header of a list of tags, bounded like every query value (the contract states it: BoundsFilter). */
    private static String bounded(String name, String header) {
        if (header != null && header.length() > Parameters.VALUE_MAX) {
            Parameters parameters = Parameters.query();
            parameters.fail(name, "must be at most " + Parameters.VALUE_MAX + " characters");
            parameters.throwIfInvalid();
        }
        return header;
    }

    private static boolean lists(String header, int version, boolean weakAllowed) {
        Matcher tag = TAG.matcher(header);
        String wanted = Integer.toString(version);
        int at = 0;
        while (at < header.length() && tag.find(at) && tag.start() == at) {
            if ((weakAllowed || tag.group(1) == null) && tag.group(2).equals(wanted)) {
                return true;
            }
            at = tag.end();
        }
        return false;
    }

    /**
     * An If-Match precondition. {@link #required} answers 428 when the header is
     * absent; {@link #ANY} is for callers that have nothing to compare (a
     * service acting on its own, an optional header left out).
     */
    public static final class IfMatch {

        public static final IfMatch ANY = new IfMatch("*");

        private final String header;

        private IfMatch(String header) {
            this.header = bounded(HttpHeaders.IF_MATCH, header).trim();
        }

        /** The header of a write that must not be lost: 428 without it. */
        public static IfMatch required(String header) {
            if (header == null || header.isBlank()) {
                throw new ProblemException(ProblemType.PRECONDITION_REQUIRED, IF_MATCH_MISSING);
            }
            return new IfMatch(header);
        }

        /** The header where it is optional: absent matches any version. */
        public static IfMatch optional(String header) {
            return header == null || header.isBlank() ? ANY : new IfMatch(header);
        }

        /** 412 when the header was sent but there is no current version (RFC 9110 §13.1.1: even `*` fails). */
        public void checkMissing() {
            if (this != ANY) {
                throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                        "If-Match names a version, but there is no such record: leave If-Match out to create it.");
            }
        }

        /** 412 unless the header names the current version. */
        public void check(int currentVersion) {
            if (!header.equals("*") && !lists(header, currentVersion, false)) {
                throw new ProblemException(ProblemType.PRECONDITION_FAILED, IF_MATCH_STALE);
            }
        }
    }
}
