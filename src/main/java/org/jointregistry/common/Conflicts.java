package org.jointregistry.common;

import jakarta.persistence.EntityManager;
import java.util.List;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Turns a unique or foreign-key violation into a 409 problem. Services flush
 * inside their transaction through here, so that a race the pre-checks cannot
 * see (two clients creating the same key at once) still answers 409, not 500.
 */
public final class Conflicts {

    private Conflicts() {
    }

    /** Flushes; a violation of one of {@code constraints} answers 409 with {@code detail}. */
    public static void flush(EntityManager em, List<String> constraints, String detail) {
        try {
            em.flush();
        } catch (ConstraintViolationException e) {
            if (e.getConstraintName() != null && constraints.contains(e.getConstraintName())) {
                throw new ProblemException(ProblemType.CONFLICT, detail);
            }
            throw e;
        }
    }
}
