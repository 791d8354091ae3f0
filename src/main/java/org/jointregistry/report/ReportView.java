package org.jointregistry.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.MessageFormat;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.CategoryGroup;
import org.jointregistry.taxonomy.Coded;
import org.jointregistry.taxonomy.ComplaintBody;
import org.jointregistry.taxonomy.ComplaintStatus;
import org.jointregistry.taxonomy.Gender;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;

/**
 * The joint report's JSON document seen as a page: a thin view that walks the
 * document (live or frozen alike) and writes out what it finds, so every figure
 * shown is a figure of the JSON. A figure the document gains later (a measure
 * beside {@code incidents} in every row and total, a member of the summary) is
 * one entry in {@link #MEASURES} or {@link #SUMMARY}, shown wherever the
 * document has it.
 */
final class ReportView {

    /** The figures of a row or total, in column order; a column appears when the document has that member. */
    static final List<String> MEASURES = List.of("incidents", "events", "volunteers");

    /** The summary's figures in order; those the document lacks are left out. */
    static final List<String> SUMMARY = List.of("incidents", "events", "sharedEvents", "volunteers",
            "organizations", "firstOccurredAt", "lastOccurredAt", "withComplaint");

    /** The breakdowns of the document, in the order the 2018 report gave them. */
    static final List<String> BREAKDOWNS = List.of("byCategoryGroup", "byCategory", "byMonth", "byOrganization",
            "byForce", "byCommune", "byGender", "byNationality", "complaints");

    /** Dimensions whose values are taxonomy codes, labelled from the taxonomy's bundles. */
    private static final Map<String, Class<? extends Coded>> TAXONOMY = Map.of(
            "category", Category.class, "categoryGroup", CategoryGroup.class, "force", PoliceForce.class,
            "gender", Gender.class, "complaintStatus", ComplaintStatus.class,
            "complaintBody", ComplaintBody.class);

    /** Dimensions that only group the next one: left out of chart labels (the table keeps them). */
    private static final Set<String> GROUPING = Set.of("categoryGroup");

    private final ReportLanguage language;
    private final ResourceBundle labels;
    private final Figures figures;
    private final int k;

    private ReportView(ReportLanguage language, int k) {
        this.language = language;
        this.labels = language.labels();
        this.figures = new Figures(language);
        this.k = k;
    }

    static ReportPage page(JsonNode document, ReportLanguage language, String css, ReportPage.Snapshot snapshot) {
        ReportView view = new ReportView(language, document.path("rules").path("minCellSize").asInt());
        List<ReportPage.Section> sections = new ArrayList<>();
        for (String breakdown : BREAKDOWNS) {
            JsonNode node = document.path(breakdown);
            if (!node.isMissingNode() && !node.isNull()) {
                sections.add(view.section(breakdown, node));
            }
        }
        return new ReportPage(language.code(), view.label("title"), view.period(document.path("period")), css,
                view.texts(), view.summary(document.path("summary")), sections, view.rules(document.path("rules")),
                snapshot);
    }

    private ReportPage.Section section(String id, JsonNode node) {
        String title = label("section." + id);
        return switch (id) {
            case "byGender" -> new ReportPage.Section(id, title,
                    List.of(shareFact("womenShareOfVolunteers", node.path("womenShareOfVolunteers"))),
                    List.of(counts(id + ".rows", title, node.path("rows")),
                            womenInCategories(id + ".categories", node)));
            case "complaints" -> new ReportPage.Section(id, title,
                    List.of(new ReportPage.Fact("incidents", label("fact.incidents"),
                                    figures.count(node.path("incidents").asLong())),
                            new ReportPage.Fact("withComplaint", label("fact.withComplaint"),
                                    figures.count(node.path("withComplaint").asLong())),
                            shareFact("complaintRate", node.path("complaintRate"))),
                    List.of(counts(id + ".byStatus", label("part.complaints.byStatus"), node.path("byStatus")),
                            counts(id + ".byBody", label("part.complaints.byBody"), node.path("byBody"))));
            default -> new ReportPage.Section(id, title, List.of(), List.of(counts(id, title, node)));
        };
    }

    /** A breakdown (counts or time series): one table row per JSON row, and its chart of incidents. */
    private ReportPage.Part counts(String id, String caption, JsonNode counts) {
        List<String> dimensions = counts.has("groupBy") ? strings(counts.path("groupBy"))
                : List.of(counts.path("interval").asText());
        List<JsonNode> rows = list(counts.path("rows"));
        List<String> measures = MEASURES.stream()
                .filter(m -> counts.path("total").has(m) || rows.stream().anyMatch(r -> r.has(m))).toList();
        List<ReportPage.Cell> headers = new ArrayList<>();
        dimensions.forEach(d -> headers.add(new ReportPage.Cell(label("dimension." + d), null, false)));
        measures.forEach(m -> headers.add(new ReportPage.Cell(label("measure." + m), m, false)));

        List<ReportPage.Row> tableRows = new ArrayList<>();
        List<SvgChart.Bar> bars = new ArrayList<>();
        double max = 0;
        for (JsonNode row : rows) {
            List<ReportPage.Cell> cells = new ArrayList<>();
            List<String> codes = new ArrayList<>();
            List<String> chartLabel = new ArrayList<>();
            for (int i = 0; i < dimensions.size(); i++) {
                String dimension = dimensions.get(i);
                JsonNode value = row.path(dimension);
                String code = value.isNull() || value.isMissingNode() ? null : value.asText();
                codes.add(code == null ? "" : code);
                cells.add(new ReportPage.Cell(value(dimension, code, false), null, false));
                if (!(GROUPING.contains(dimension) && i < dimensions.size() - 1)) {
                    chartLabel.add(value(dimension, code, true));
                }
            }
            boolean suppressed = row.path("suppressed").asBoolean();
            for (String measure : measures) {
                cells.add(count(measure, row.path(measure), suppressed));
            }
            tableRows.add(new ReportPage.Row(String.join("/", codes), cells));
            JsonNode incidents = row.path("incidents");
            Double value = incidents.isNumber() ? incidents.asDouble() : null;
            max = Math.max(max, value == null ? 0 : value);
            bars.add(new SvgChart.Bar(String.join(" \u00b7 ", chartLabel), value,
                    count("incidents", incidents, suppressed).text()));
        }
        List<ReportPage.Cell> total = new ArrayList<>();
        for (int i = 0; i < dimensions.size(); i++) {
            total.add(new ReportPage.Cell(i == 0 ? label("total") : "", null, false));
        }
        // Only a total's volunteers can be withheld (1 to k-1 of them): "fewer than k" then.
        measures.forEach(m -> total.add(count(m, counts.path("total").path(m), true)));
        String chart = dimensions.equals(List.of("month")) ? SvgChart.columns(caption, bars, max)
                : SvgChart.bars(caption, bars, max, null, null);
        return new ReportPage.Part(id, caption, chart,
                new ReportPage.Table(headers, tableRows, new ReportPage.Row("", total)));
    }

    /** Each category's incidents involving a woman, beside women's share of all volunteers involved. */
    private ReportPage.Part womenInCategories(String id, JsonNode gender) {
        String caption = label("part.byGender.categories");
        List<ReportPage.Row> rows = new ArrayList<>();
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (JsonNode category : list(gender.path("categories"))) {
            boolean suppressed = category.path("suppressed").asBoolean();
            String code = category.path("category").asText();
            ReportPage.Cell share = share(category.path("shareOfIncidentsInvolvingWomen"), suppressed);
            rows.add(new ReportPage.Row(code, List.of(
                    new ReportPage.Cell(value("category", code, false), null, false),
                    count("incidents", category.path("incidents"), suppressed),
                    count("incidentsInvolvingWomen", category.path("incidentsInvolvingWomen"), suppressed),
                    share)));
            JsonNode value = category.path("shareOfIncidentsInvolvingWomen");
            bars.add(new SvgChart.Bar(value("category", code, true), value.isNumber() ? value.asDouble() : null,
                    share.text()));
        }
        JsonNode women = gender.path("womenShareOfVolunteers");
        String chart = SvgChart.bars(caption, bars, 1, women.isNumber() ? women.asDouble() : null,
                women.isNumber() ? format("chart.womenShare", figures.share(women.decimalValue())) : null);
        List<ReportPage.Cell> headers = List.of(new ReportPage.Cell(label("dimension.category"), null, false),
                new ReportPage.Cell(label("measure.incidents"), "incidents", false),
                new ReportPage.Cell(label("measure.incidentsInvolvingWomen"), "incidentsInvolvingWomen", false),
                new ReportPage.Cell(label("measure.shareOfIncidentsInvolvingWomen"),
                        "shareOfIncidentsInvolvingWomen", false));
        return new ReportPage.Part(id, caption, chart, new ReportPage.Table(headers, rows, null));
    }

    private ReportPage.Cell count(String measure, JsonNode value, boolean suppressed) {
        if (value.isNumber()) {
            return new ReportPage.Cell(figures.count(value.asLong()), measure, false);
        }
        return suppressed ? new ReportPage.Cell(format("suppressed", figures.count(k)), measure, true)
                : new ReportPage.Cell(label("none"), measure, false);
    }

    private ReportPage.Cell share(JsonNode value, boolean suppressed) {
        String measure = "shareOfIncidentsInvolvingWomen";
        if (value.isNumber()) {
            return new ReportPage.Cell(figures.share(value.decimalValue()), measure, false);
        }
        return new ReportPage.Cell(label(suppressed ? "withheld" : "none"), measure, suppressed);
    }

    /** A share stated as a fact; null in the document means withheld (women) or nothing to divide (rate). */
    private ReportPage.Fact shareFact(String key, JsonNode value) {
        String text = value.isNumber() ? figures.share(value.decimalValue())
                : label(key.equals("womenShareOfVolunteers") ? "withheld" : "none");
        return new ReportPage.Fact(key, label("fact." + key), text);
    }

    private List<ReportPage.Fact> summary(JsonNode summary) {
        List<ReportPage.Fact> facts = new ArrayList<>();
        for (String key : SUMMARY) {
            JsonNode value = summary.path(key);
            if (value.isMissingNode()) {
                continue;
            }
            // Only volunteers can be withheld (1 to k-1 of them); other nulls are "none".
            String text = value.isNull() && key.equals("volunteers") ? format("suppressed", figures.count(k))
                    : value.isNull() ? label("none")
                    : value.isNumber() ? figures.count(value.asLong())
                    : figures.dateTime(OffsetDateTime.parse(value.asText()));
            facts.add(new ReportPage.Fact(key, label("summary." + key), text));
        }
        return facts;
    }

    private List<ReportPage.Fact> rules(JsonNode rules) {
        String version = rules.path("version").asText();
        List<String> statuses = strings(rules.path("countedStatuses")).stream()
                .map(s -> value("status", s, false)).toList();
        List<ReportPage.Fact> facts = new ArrayList<>(List.of(
                new ReportPage.Fact("version", label("rules.version"), version),
                new ReportPage.Fact("countedStatuses", label("rules.countedStatuses"), String.join(", ", statuses)),
                new ReportPage.Fact("deletedExcluded", label("rules.deletedExcluded"),
                        label("rules.deletedExcluded." + rules.path("deletedExcluded").asBoolean())),
                new ReportPage.Fact("minCellSize", label("rules.minCellSize"),
                        format("rules.minCellSize.value", figures.count(k), figures.count(k - 1))),
                new ReportPage.Fact("counting", label("rules.counting"), ruleText(version, "counting", rules)),
                new ReportPage.Fact("suppression", label("rules.suppression"),
                        ruleText(version, "suppression", rules))));
        // Since joint-report/3; a snapshot frozen before has no perturbation to state.
        if (rules.has("perturbation")) {
            facts.add(new ReportPage.Fact("maxPerturbation", label("rules.maxPerturbation"),
                    format("rules.maxPerturbation.value", figures.count(rules.path("maxPerturbation").asLong()))));
            facts.add(new ReportPage.Fact("perturbation", label("rules.perturbation"),
                    ruleText(version, "perturbation", rules)));
        }
        return facts;
    }

    /**
     * The document's own statement of a rule (English); in another language its
     * translation for that version of the rules, or the statement itself when
     * there is none yet, so a changed rule is never shown in its old words.
     */
    private String ruleText(String version, String rule, JsonNode rules) {
        String key = "rules." + version + "." + rule;
        return language != ReportLanguage.EN && labels.containsKey(key) ? labels.getString(key)
                : rules.path(rule).asText();
    }

    private String period(JsonNode period) {
        JsonNode from = period.path("from");
        JsonNode to = period.path("to");
        String text;
        if (from.isTextual() && to.isTextual()) {
            text = format("period.between", day(from), day(to));
        } else if (from.isTextual()) {
            text = format("period.from", day(from));
        } else if (to.isTextual()) {
            text = format("period.to", day(to));
        } else {
            text = label("period.all");
        }
        return text;
    }

    private String day(JsonNode day) {
        return figures.date(LocalDate.parse(day.asText()));
    }

    /** A dimension's value as a reader reads it; {@code brief} for chart labels. */
    private String value(String dimension, String code, boolean brief) {
        if (code == null) {
            return label("notRecorded");
        }
        if (dimension.equals("status")) {
            return taxonomyLabel(IncidentStatus.class, code);
        }
        Class<? extends Coded> taxonomy = TAXONOMY.get(dimension);
        if (taxonomy != null) {
            return taxonomyLabel(taxonomy, code);
        }
        return switch (dimension) {
            case "month" -> brief ? figures.shortMonth(YearMonth.parse(code)) : figures.month(YearMonth.parse(code));
            case "nationality" -> country(code, brief);
            default -> code;
        };
    }

    private String taxonomyLabel(Class<? extends Coded> type, String code) {
        return Arrays.stream(type.getEnumConstants()).filter(c -> c.code().equals(code)).findFirst()
                .map(c -> c.label(language.locale())).orElse(code);
    }

    private String country(String code, boolean brief) {
        String name = new Locale("", code).getDisplayCountry(language.locale());
        if (name.isEmpty() || name.equals(code)) {
            return code;
        }
        return brief ? name : name + " (" + code + ")";
    }

    private Map<String, String> texts() {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String key : Collections.list(labels.getKeys())) {
            texts.put(key, labels.getString(key));
        }
        return texts;
    }

    private String label(String key) {
        try {
            return labels.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("The report bundle has no label " + key, e);
        }
    }

    private String format(String key, Object... arguments) {
        return new MessageFormat(label(key), language.locale()).format(arguments);
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<String> strings(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }
}
