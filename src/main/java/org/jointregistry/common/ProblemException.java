package org.jointregistry.common;

import java.util.List;
import java.util.Map;

/** Thrown by services to answer with a problem; the mapper turns it into the response. */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null, Map.of());
    }

    public ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors;
        this.headers = headers;
    }

    public static ProblemException validation(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1 ? "1 field is invalid." : errors.size() + " fields are invalid.";
        return new ProblemException(ProblemType.VALIDATION_FAILED, detail, List.copyOf(errors), Map.of());
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, "No " + what + " with that id in your organisation.");
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
