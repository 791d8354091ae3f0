package org.jointregistry.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a revision did to its record. */
public enum RevisionAction {
    CREATE,
    UPDATE,
    DELETE;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
