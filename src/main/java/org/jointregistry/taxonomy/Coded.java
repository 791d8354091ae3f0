package org.jointregistry.taxonomy;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * A taxonomy value. Its API code is the constant's name in lower case
 * (`POLICE_AUX_FRONTIERES` is `police_aux_frontieres`); its English and French
 * labels live in the `taxonomy` resource bundles, keyed `type.code`.
 */
public interface Coded {

    @JsonValue
    default String code() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }

    default String label(Locale language) {
        String type = getClass().getSimpleName();
        String key = Character.toLowerCase(type.charAt(0)) + type.substring(1) + "." + code();
        return ResourceBundle.getBundle("taxonomy", language,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)).getString(key);
    }

    /** The constant with this code, if any. */
    static <E extends Enum<E> & Coded> Optional<E> fromCode(Class<E> type, String code) {
        return Arrays.stream(type.getEnumConstants()).filter(c -> c.code().equals(code)).findFirst();
    }
}
