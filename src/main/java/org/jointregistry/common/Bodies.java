package org.jointregistry.common;

/** Request bodies a resource cannot do without. */
public final class Bodies {

    private Bodies() {
    }

    /** The body, or a 400 problem when the request carried none (or JSON `null`). */
    public static <T> T required(T body) {
        if (body == null) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "A JSON body is required.");
        }
        return body;
    }
}
