package org.jointregistry.report;

import jakarta.ws.rs.core.HttpHeaders;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import org.jointregistry.common.Parameters;

/** The languages the report document is written in; codes and figures are the same in each. */
public enum ReportLanguage {
    EN(Locale.ENGLISH), FR(Locale.FRENCH);

    private final Locale locale;

    ReportLanguage(Locale locale) {
        this.locale = locale;
    }

    public Locale locale() {
        return locale;
    }

    public String code() {
        return locale.getLanguage();
    }

    /** The document's own labels (headings, captions); the taxonomy's come from its bundles. */
    ResourceBundle labels() {
        return ResourceBundle.getBundle("report", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    static List<String> codes() {
        return Arrays.stream(values()).map(ReportLanguage::code).toList();
    }

    static Optional<ReportLanguage> fromCode(String code) {
        return Arrays.stream(values()).filter(l -> l.code().equalsIgnoreCase(code)).findFirst();
    }

    /**
     * {@code ?lang=} when given (an unknown code is an invalid parameter), else
     * the first of Accept-Language's languages (by quality) that the document is
     * written in, else English.
     */
    static ReportLanguage choose(String lang, HttpHeaders headers, Parameters parameters) {
        String chosen = parameters.choice("lang", lang, codes());
        if (chosen != null) {
            return fromCode(chosen).orElseThrow();
        }
        return headers.getAcceptableLanguages().stream()
                .map(l -> fromCode(l.getLanguage()))
                .flatMap(Optional::stream)
                .findFirst().orElse(EN);
    }
}
