package org.jointregistry.report;

import java.util.List;
import java.util.Map;

/**
 * What the report template shows, every text already in the document's
 * language and every figure already written out. Built by {@link ReportView}.
 *
 * @param text the document's own labels, by key (report bundle)
 */
public record ReportPage(String lang, String title, String period, String css, Map<String, String> text,
        List<Fact> summary, List<Section> sections, List<Fact> rules, Snapshot snapshot) {

    /** A labelled figure or statement; {@code key} names its JSON member. */
    public record Fact(String key, String label, String value) {
    }

    /** One part of the document: a breakdown of the JSON document (its member name is the id). */
    public record Section(String id, String title, List<Fact> facts, List<Part> parts) {
    }

    /** A chart and the table it draws. */
    public record Part(String id, String caption, String chart, Table table) {
    }

    /** Header cells name their column's measure, as the figures below them do. */
    public record Table(List<Cell> headers, List<Row> rows, Row total) {
    }

    /** {@code key}: the row's codes as in the JSON, joined by '/' (empty for "not recorded"). */
    public record Row(String key, List<Cell> cells) {
    }

    /**
     * {@code measure}: the JSON member the figure comes from (null for a label);
     * {@code suppressed}: the figure is withheld and the text says "fewer than k".
     */
    public record Cell(String text, String measure, boolean suppressed) {
    }

    /** A frozen snapshot's proof: its hash, its creation time and the commands that check it. */
    public record Snapshot(String id, String sha256, String createdAt, List<String> commands) {
    }
}
