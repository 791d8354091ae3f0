package org.jointregistry.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ResourceBundle;
import org.jointregistry.common.BoundsFilter;
import org.junit.jupiter.api.Test;

/**
 * Every language other than English states the current rules in its own words: the page
 * falls back to the document's English statement when a version has no translation (so a
 * changed rule is never shown in its old words), which must not become the French page's
 * normal state after the next change of the rules.
 */
class RuleTranslationsTest {

    @Test
    void theCurrentRulesAreTranslated() {
        for (ReportLanguage language : ReportLanguage.values()) {
            if (language == ReportLanguage.EN) {
                continue;
            }
            ResourceBundle labels = language.labels();
            for (String rule : new String[] { "counting", "suppression", "perturbation" }) {
                String key = "rules." + JointReportService.RULES_VERSION + "." + rule;
                assertTrue(labels.containsKey(key), language + " has no text for " + key);
                String text = labels.getString(key);
                assertFalse(text.isBlank(), key);
                assertNotEquals(englishOf(rule), text, key + " is the English statement");
                assertTrue(englishOf(rule).length() <= BoundsFilter.RULE_TEXT_MAX, rule + " is longer than the "
                        + "contract states");
            }
        }
    }

    private static String englishOf(String rule) {
        return switch (rule) {
            case "counting" -> JointReportService.COUNTING;
            case "suppression" -> JointReportService.SUPPRESSION;
            default -> JointReportService.PERTURBATION;
        };
    }
}
