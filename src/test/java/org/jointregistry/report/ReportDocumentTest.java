package org.jointregistry.report;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jointregistry.aggregate.AggregateFixture;
import org.jointregistry.aggregate.FixtureTest;
import org.jointregistry.stack.WholeNetwork;
import org.jointregistry.support.Tokens;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The joint report as HTML and PDF on the hand-countable fixture: every figure
 * of the JSON document is in both with the same value, withheld figures appear
 * only as "fewer than k", no confidential text appears, and a snapshot's
 * documents never change.
 */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class ReportDocumentTest extends FixtureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PERIOD = "from=2018-01-01&to=2018-06-30";

    @Test
    void everyFigureOfTheJsonIsInTheHtmlAndThePdf() throws Exception {
        JsonNode document = JSON.readTree(get("application/json", "/api/v1/reports/joint?" + PERIOD).asString());
        for (ReportLanguage language : ReportLanguage.values()) {
            String query = "/api/v1/reports/joint?" + PERIOD + "&lang=" + language.code();
            Document html = Jsoup.parse(get("text/html", query).asString());
            int checked = assertFigures(document, html, language);
            assertTrue(checked > 100, "figures checked: " + checked);
            assertEquals(language.code(), html.selectFirst("html").attr("lang"));

            byte[] bytes = get(ReportDocuments.PDF, query).asByteArray();
            // Kept for a person to look at (pdftoppm -png -r 60 joint-report-en.pdf page).
            Path kept = Path.of(System.getProperty("registry.build.dir", "target"), "report-documents");
            Files.createDirectories(kept);
            Files.write(kept.resolve("joint-report-" + language.code() + ".pdf"), bytes);
            String pdf = pdfText(bytes);
            // Row by row: a long label may wrap inside its cell in the PDF (text extraction then splits it
            // over two lines), so the label's words are looked for one by one and the row's figures, which
            // never wrap, as one run of text.
            List<org.jsoup.nodes.Element> rows = html.select("table tr").stream()
                    .filter(tr -> !normalise(tr.text()).isEmpty()).toList();
            for (org.jsoup.nodes.Element row : rows) {
                List<String> cells = row.select("th, td").stream().map(c -> normalise(c.text())).toList();
                List<String> figures = cells.stream().filter(ReportDocumentTest::isFigure).toList();
                for (String label : cells.stream().filter(c -> !isFigure(c)).toList()) {
                    for (String word : label.split(" ")) {
                        assertTrue(pdf.contains(word), language + ": the PDF lacks «" + word + "» of " + cells);
                    }
                }
                String run = String.join(" ", figures);
                assertTrue(pdf.contains(run), language + ": the PDF lacks the figures «" + run + "» of " + cells);
            }
            assertTrue(rows.size() > 60, "rows: " + rows.size());
            assertClean(html.outerHtml());
            assertClean(pdf);
        }
    }

    @Test
    void withheldFiguresAreWordsNeverNumbers() {
        for (ReportLanguage language : ReportLanguage.values()) {
            String suppressed = language == ReportLanguage.FR ? "moins de 3" : "fewer than 3";
            Document html = Jsoup.parse(get("text/html", "/api/v1/reports/joint?lang=" + language.code()).asString());
            List<Element> cells = html.select("td.suppressed");
            assertFalse(cells.isEmpty(), "the fixture has suppressed cells");
            for (Element cell : cells) {
                String measure = cell.attr("data-measure");
                String expected = measure.startsWith("share") ? (language == ReportLanguage.FR ? "non publié"
                        : "withheld") : suppressed;
                assertEquals(expected, cell.text(), cell.outerHtml());
            }
            // Each chart draws no bar for them and writes the same words as its table.
            for (Element part : html.select("div.part")) {
                boolean shares = part.id().equals("byGender.categories");
                String word = shares ? (language == ReportLanguage.FR ? "non publié" : "withheld") : suppressed;
                long inChart = part.select("svg text").stream().filter(t -> t.text().equals(word)).count();
                int inTable = part.select(shares ? "td.suppressed[data-measure^=share]"
                        : "tbody td.suppressed[data-measure=incidents]").size();
                assertEquals(inTable, inChart, part.id());
                assertEquals(part.select("tbody tr[data-key]:not(.total)").size() - inTable,
                        part.select("svg rect").size(), part.id() + ": one bar per published figure");
            }
            assertTrue(html.select("section#rules dd[data-key=minCellSize]").text().contains("k = 3"));
        }
    }

    @Test
    void frenchAndEnglishDifferInLabelsNotFigures() {
        Document en = Jsoup.parse(get("text/html", "/api/v1/reports/joint?lang=en").asString());
        Document fr = Jsoup.parse(given().auth().oauth2(Tokens.analyst()).accept("text/html")
                .header("Accept-Language", "fr-FR, en;q=0.5").when().get("/api/v1/reports/joint")
                .then().statusCode(200).header("Content-Language", "fr").extract().asString());
        assertEquals(figures(en, ReportLanguage.EN), figures(fr, ReportLanguage.FR));
        assertNotEquals(en.select("th").eachText(), fr.select("th").eachText());
        assertEquals("Par catégorie", fr.selectFirst("section#byCategory h2").text());
        assertEquals("By category", en.selectFirst("section#byCategory h2").text());
        assertEquals("Contrôle d'identité", fr.selectFirst("#byCategory tr[data-key=pressure/identity_check] td:nth-child(2)").text());
        assertEquals(en.select("tr[data-key]").eachAttr("data-key"), fr.select("tr[data-key]").eachAttr("data-key"));
    }

    @Test
    void aSnapshotsDocumentsAreFrozenAndCarryTheirProof() throws Exception {
        Response created = given().auth().oauth2(Tokens.analyst()).contentType("application/json")
                .body(Map.of("from", "2018-01-01", "to", "2018-06-30")).when().post("/api/v1/reports");
        created.then().statusCode(201);
        String id = created.path("id");
        String sha256 = created.path("sha256");
        Instant createdAt = Instant.parse(created.path("createdAt"));
        String path = "/api/v1/reports/" + id;
        Response html = get("text/html", path);
        Response pdf = get(ReportDocuments.PDF, path);
        assertEquals(reprDigest(pdf.asByteArray()), pdf.header("Repr-Digest"));
        assertEquals(reprDigest(html.asByteArray()), html.header("Repr-Digest"));
        assertTrue(pdf.header("Content-Disposition").contains("joint-report-" + id + "-en.pdf"));

        Document page = Jsoup.parse(html.asString());
        assertEquals(sha256, page.getElementById("sha256").text());
        assertEquals(createdAt.toString(), page.getElementById("createdAt").text());
        List<String> commands = page.select("pre.command").eachText();
        assertEquals(ReportResource.verifyCommands(java.util.UUID.fromString(id)), commands);
        // The first command, fed the snapshot as curl would fetch it, prints the hash.
        String json = get("application/json", path).asString();
        String pipeline = commands.get(0).substring(commands.get(0).indexOf('|') + 1);
        assertEquals(sha256 + "  -", shell(pipeline, json).trim());
        String pdfText = pdfText(pdf.asByteArray());
        assertTrue(pdfText.contains(sha256), "the PDF states the hash");
        assertFigures(JSON.readTree(JSON.readTree(json).path("document").toString()), page, ReportLanguage.EN);

        try (PDDocument document = Loader.loadPDF(pdf.asByteArray())) {
            // PDF dates have whole seconds.
            assertEquals(createdAt.getEpochSecond() * 1000,
                    document.getDocumentInformation().getCreationDate().getTimeInMillis());
        }
        // The data changes afterwards; the snapshot's documents do not.
        AggregateFixture.execute("UPDATE incident SET categories = '{physical_violence}', status = 'verified' "
                + "WHERE id = ?", AggregateFixture.id("I4"));
        AggregateFixture.execute("UPDATE incident SET deleted_at = now(), deleted_by = 'test' WHERE id = ?",
                AggregateFixture.id("I6"));
        try {
            assertNotEquals(JSON.readTree(json).path("document"),
                    JSON.readTree(get("application/json", "/api/v1/reports/joint?" + PERIOD).asString()),
                    "the live report moved");
            assertEquals(html.asString(), get("text/html", path).asString());
            assertArrayEquals(pdf.asByteArray(), get(ReportDocuments.PDF, path).asByteArray(),
                    "the same snapshot gives the same PDF bytes");
            assertArrayEquals(get(ReportDocuments.PDF, path + "?lang=fr").asByteArray(),
                    get(ReportDocuments.PDF, path + "?lang=fr").asByteArray());
        } finally {
            AggregateFixture.load();
        }
    }

    @Test
    void theHtmlHasItsOwnStrictPolicyAndJsonStaysTheDefault() throws Exception {
        Response html = get("text/html", "/api/v1/reports/joint");
        List<String> policies = html.headers().getValues("Content-Security-Policy");
        assertEquals(1, policies.size(), policies.toString());
        String policy = policies.get(0);
        assertFalse(policy.contains("unsafe"), policy);
        String style = Jsoup.parse(html.asString()).selectFirst("head style").data();
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(style.getBytes(StandardCharsets.UTF_8)));
        assertTrue(policy.contains("style-src 'sha256-" + hash + "'"), policy);
        assertTrue(policy.startsWith("default-src 'none'"), policy);
        assertTrue(Jsoup.parse(html.asString()).select("script, link, img, [style]").isEmpty());
        assertTrue(html.contentType().startsWith("text/html"));

        given().auth().oauth2(Tokens.analyst()).when().get("/api/v1/reports/joint").then().statusCode(200)
                .contentType("application/json")
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
                        + "form-action 'none'");
        given().auth().oauth2(Tokens.analyst()).accept("*/*").when().get("/api/v1/reports/joint").then()
                .statusCode(200).contentType("application/json");
        given().auth().oauth2(Tokens.analyst()).accept("text/plain").when().get("/api/v1/reports/joint").then()
                .statusCode(406).contentType("application/problem+json")
                .body("type", equalTo("/problems/not-acceptable"));
        given().auth().oauth2(Tokens.analyst()).accept("text/html").queryParam("lang", "de")
                .when().get("/api/v1/reports/joint").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("lang"));
        given().accept("text/html").when().get("/api/v1/reports/joint").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.analyst()).accept(ReportDocuments.PDF)
                .when().get("/api/v1/reports/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    /**
     * Every figure of the document against the page: each row of each breakdown
     * is the table row with its codes as key, each member the cell of that
     * measure, written as the document's value or, when withheld, "fewer than k".
     */
    static int assertFigures(JsonNode document, Document html, ReportLanguage language) {
        int checked = 0;
        int k = document.path("rules").path("minCellSize").asInt();
        Element summary = html.getElementById("summary");
        for (String key : ReportView.SUMMARY) {
            JsonNode value = document.path("summary").path(key);
            if (value.isNumber()) {
                assertEquals(value.asLong(), number(summary.selectFirst("tr[data-key=" + key + "] td").text()),
                        "summary." + key);
                checked++;
            }
        }
        for (String breakdown : List.of("byCategoryGroup", "byCategory", "byMonth", "byOrganization", "byForce",
                "byCommune", "byNationality")) {
            checked += assertCounts(breakdown, document.path(breakdown), html, language, k);
        }
        JsonNode gender = document.path("byGender");
        checked += assertCounts("byGender.rows", gender.path("rows"), html, language, k);
        assertShare(gender.path("womenShareOfVolunteers"),
                html.selectFirst("#byGender tr[data-key=womenShareOfVolunteers] td").text(), language);
        checked++;
        for (JsonNode category : gender.path("categories")) {
            Element row = row(html, "byGender.categories", category.path("category").asText());
            for (String measure : List.of("incidents", "incidentsInvolvingWomen")) {
                checked += assertCount(category.path(measure), category.path("suppressed").asBoolean(),
                        row.selectFirst("td[data-measure=" + measure + "]").text(), language, k, measure);
            }
            JsonNode share = category.path("shareOfIncidentsInvolvingWomen");
            String text = row.selectFirst("td[data-measure=shareOfIncidentsInvolvingWomen]").text();
            if (share.isNumber()) {
                assertShare(share, text, language);
                checked++;
            } else {
                assertFalse(text.matches(".*\\d.*"), text);
            }
        }
        JsonNode complaints = document.path("complaints");
        for (String key : List.of("incidents", "withComplaint")) {
            assertEquals(complaints.path(key).asLong(),
                    number(html.selectFirst("#complaints tr[data-key=" + key + "] td").text()), key);
            checked++;
        }
        assertShare(complaints.path("complaintRate"),
                html.selectFirst("#complaints tr[data-key=complaintRate] td").text(), language);
        checked++;
        checked += assertCounts("complaints.byStatus", complaints.path("byStatus"), html, language, k);
        checked += assertCounts("complaints.byBody", complaints.path("byBody"), html, language, k);
        return checked;
    }

    private static int assertCounts(String part, JsonNode counts, Document html, ReportLanguage language, int k) {
        List<String> dimensions = new ArrayList<>();
        if (counts.has("groupBy")) {
            counts.path("groupBy").forEach(d -> dimensions.add(d.asText()));
        } else {
            dimensions.add(counts.path("interval").asText());
        }
        int checked = 0;
        Element table = html.getElementById(part);
        assertNotNull(table, part);
        assertEquals(counts.path("rows").size(), table.select("tbody tr[data-key]:not(.total)").size(), part);
        assertNotNull(table.selectFirst("svg.chart"), part + " has a chart");
        for (JsonNode row : counts.path("rows")) {
            List<String> codes = dimensions.stream().map(d -> row.path(d).isNull() ? "" : row.path(d).asText()).toList();
            Element tr = row(html, part, String.join("/", codes));
            for (String measure : ReportView.MEASURES) {
                if (row.has(measure)) {
                    Element cell = tr.selectFirst("td[data-measure=" + measure + "]");
                    assertNotNull(cell, part + " " + codes + " " + measure);
                    checked += assertCount(row.path(measure), row.path("suppressed").asBoolean(), cell.text(),
                            language, k, part + " " + codes + " " + measure);
                }
            }
        }
        Element total = table.selectFirst("tr.total");
        for (String measure : ReportView.MEASURES) {
            if (counts.path("total").has(measure)) {
                assertEquals(counts.path("total").path(measure).asLong(),
                        number(total.selectFirst("td[data-measure=" + measure + "]").text()), part + " total");
                checked++;
            }
        }
        return checked;
    }

    private static int assertCount(JsonNode value, boolean suppressed, String text, ReportLanguage language, int k,
            String what) {
        if (value.isNumber()) {
            assertEquals(value.asLong(), number(text), what);
        } else {
            assertTrue(suppressed, what);
            assertEquals((language == ReportLanguage.FR ? "moins de " : "fewer than ") + k, text, what);
        }
        return 1;
    }

    private static void assertShare(JsonNode share, String text, ReportLanguage language) {
        String plain = text.replace("%", "").replace("\u00a0", "").trim();
        plain = language == ReportLanguage.FR ? plain.replace(",", ".") : plain.replace(",", "");
        assertEquals(0, share.decimalValue().compareTo(new BigDecimal(plain).movePointLeft(2)), text);
    }

    private static Element row(Document html, String part, String key) {
        Element row = html.getElementById(part).selectFirst("tbody tr[data-key=\"" + key + "\"]");
        assertNotNull(row, part + " row " + key);
        return row;
    }

    private static long number(String text) {
        String digits = text.replace(",", "").replace("\u00a0", "");
        assertTrue(digits.matches("\\d+"), "not a count: " + text);
        return Long.parseLong(digits);
    }

    /** Every figure of the page in order, as numbers (texts for withheld ones). */
    private static List<String> figures(Document html, ReportLanguage language) {
        List<String> figures = new ArrayList<>();
        for (Element cell : html.select("td.figure")) {
            String text = cell.text();
            if (cell.hasClass("suppressed")) {
                figures.add("withheld");
            } else if (text.endsWith("%")) {
                String plain = text.replace("%", "").replace("\u00a0", "").trim();
                figures.add(language == ReportLanguage.FR ? plain.replace(",", ".") : plain.replace(",", ""));
            } else if (text.matches("[\\d,\u00a0]+")) {
                figures.add(String.valueOf(number(text)));
            } else {
                figures.add(text.matches(".*\\d.*") ? "date" : text);
            }
        }
        return figures;
    }

    /** Each table row of the page as one line of text, as the PDF's text reads it. */

    /** A figure cell: a number or share, or the words that stand for a withheld one. */
    private static boolean isFigure(String cell) {
        return cell.matches("[0-9 .,%\u00a0\u202f-]+") || cell.startsWith("fewer than") || cell.startsWith("moins de")
                || cell.equals("withheld") || cell.equals("non publié");
    }

    private static String pdfText(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            return normalise(stripper.getText(document));
        }
    }

    private static String normalise(String text) {
        return text.replace('\u00a0', ' ').replaceAll("\\s+", " ").trim();
    }

    private static void assertClean(String text) {
        assertFalse(text.contains(AggregateFixture.CANARY), "a confidential text leaks");
        for (String name : List.of("I1", "I2", "I3", "I6", "I7", "I8", "I10", "I11", "u1", "h1", "r1")) {
            assertFalse(text.contains(AggregateFixture.id(name).toString()), "the id of " + name + " leaks");
        }
    }

    private static Response get(String accept, String path) {
        return given().auth().oauth2(Tokens.analyst()).accept(accept).when().get(path)
                .then().statusCode(200).extract().response();
    }

    private static String reprDigest(byte[] body) throws Exception {
        return "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body))
                + ":";
    }

    private static String shell(String pipeline, String input) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", pipeline).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream output = process.getInputStream()) {
            output.transferTo(out);
        }
        assertEquals(0, process.waitFor(), out.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
