package org.jointregistry.common;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every invalid field of a request (not just the first) with its JSON
 * path, so that one 422 answer lists them all. {@link #at(String)} gives a view
 * that prefixes paths, which is how a batch reports `[5].categories[0]`.
 */
public final class FieldErrors {

    private final String prefix;
    private final List<Problem.FieldError> errors;

    public FieldErrors() {
        this("", new ArrayList<>());
    }

    private FieldErrors(String prefix, List<Problem.FieldError> errors) {
        this.prefix = prefix;
        this.errors = errors;
    }

    /** A view adding to the same list, with every path below {@code path} (`[5]`, `location`). */
    public FieldErrors at(String path) {
        return new FieldErrors(join(prefix, path), errors);
    }

    public void add(String field, String message) {
        errors.add(new Problem.FieldError(join(prefix, field), message));
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<Problem.FieldError> list() {
        return List.copyOf(errors);
    }

    /** Answers 422 with every error collected so far, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }

    private static String join(String parent, String child) {
        if (parent.isEmpty()) {
            return child;
        }
        return child.isEmpty() || child.startsWith("[") ? parent + child : parent + "." + child;
    }
}
