package org.jointregistry.security;

import static net.jqwik.api.Tuple.of;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of hostile input: text (injections, bad dates, huge
 * numbers, control characters, any Unicode), raw JSON values (wrong types,
 * out-of-range numbers, deep nesting), whole bodies (valid ones mutated,
 * malformed JSON, invalid UTF-8, NUL bytes), path ids (traversal, encoded
 * slashes) and header values. Everything a URL or header carries comes out
 * already encoded, exactly as it goes on the wire.
 */
final class HostileInputs {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stands in a JSON tree for a raw value spliced into the text afterwards (Jackson cannot hold `1e400`). */
    private static final String RAW = "\u0001raw\u0001";

    static final List<String> INJECTIONS = List.of(
            "' OR '1'='1", "'; DROP TABLE incident; --", "1; SELECT pg_sleep(5)--", "\" OR \"\"=\"",
            "' UNION SELECT pseudonym FROM volunteer --", "%' AND 1=1 AND '%'='", "$$; DELETE FROM volunteer; $$",
            "{\"$gt\": \"\"}", "\",\"organization\":\"help-refugees", "\\\"}]}", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/a}", "#{7*7}", "{{7*7}}", "=cmd|'/c calc'!A1", "+SUM(A1:A9)", "@SUM(1)",
            "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%00", "%2e%2e%2f", "\u0000", "a\u0000b",
            "\u202eevil", "\ud800", "\uffff", "\ufeff", "\r\nX-Injected: 1", "\t", " ", "", "null", "undefined",
            "NaN", "true", "[]", "{}", "\\u0000", "java.lang.Object", "SELECT 1");
    static final List<String> BAD_DATES = List.of(
            "2018-02-30", "2018-13-01", "2018-00-10", "2018-03-14T25:00:00+01:00", "2018-03-14T18:30:00",
            "2018-03-14T18:30:00+25:00", "+300000-01-01", "+300000-01-01T00:00:00Z", "-999999999-01-01",
            "+999999999-12-31T23:59:59.999999999-18:00", "0000-00-00", "0000-01-01T00:00:00Z",
            "-4713-11-24T00:00:00Z", "1969-12-31T23:59:59.9999999999Z", "14/03/2018", "2018-W11", "2018-03",
            "yesterday", "2018-03-14T18:30:00+01:00[Europe/Paris]", "2099-01-01T00:00:00Z", "2018-3-4",
            "9999-12-31", "2018-03-14 18:30");
    static final List<String> NUMBERS = List.of(
            "99999999999999999999999999999999999999", "-99999999999999999999", "2147483648", "-2147483649",
            "9223372036854775808", "1e309", "-1e309", "1e-400", "4.5", "-0", "0x10", "1_000", "١٢", "Infinity",
            "-1", "0", "501", "1001", "00001");
    static final List<String> UNKNOWN_CODES = List.of(
            "IDENTITY_CHECK", "identity check", "unknown_code", "ＣＲＳ", "crs ", "null", "deleted", "verified;",
            "category,nope", "day,week,month,category,categoryGroup,organization,force,commune,gender,"
                    + "nationality,complaintStatus,complaintBody,day");
    static final List<String> RAW_JSON = List.of(
            "1e400", "-1e400", "123456789012345678901234567890", "-0", "0.0000000000000000000001", "1.5",
            "true", "false", "null", "{}", "[]", "[null]", "[[]]", "{\"a\":{\"b\":{}}}", "\"\"", "\" \"",
            "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\u202e\"", "[\"\\u0000\"]", "{\"\\u0000\":1}",
            "\"" + "x".repeat(25_000) + "\"");
    /** Ids in URL form: traversal, encoded slashes and dots, overlong UTF-8, injections. */
    static final List<String> RAW_PATH_IDS = List.of(
            "..", "../", "..%2F", "%2e%2e%2f", "%2E%2E%2F%2E%2E%2F", "..%2F..%2F..%2Fetc%2Fpasswd", "%252e%252e%252f",
            "a%2Fb", "%2F", "%5C..%5C", "..%5c..%5c", "%c0%ae%c0%ae%c0%af", "%00", "%FF%FE", "%C3%28", "%E2%80%AE",
            "1%27%20OR%20%271%27%3D%271", "%27%3B%20DROP%20TABLE%20incident%3B--", "%7B%7D", "%20",
            "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "-1", "0", "null",
            "not-a-uuid", "%3Bjsessionid%3D1", ";a=b", "x".repeat(1200));

    private HostileInputs() {
    }

    /**
     * The kinds of hostile value every parameter is tried with, one at a time
     * (the rest of the request valid). {@link #refused()} says which kinds a
     * query parameter must answer with a 400 naming it; the others must keep
     * only the general promises (no 5xx, 4xx problems, data unchanged).
     */
    enum Kind {
        NUL, CONTROL, INVALID_UTF8, BAD_ESCAPE, LONG, OVER_LIMIT, REPEATED, EMPTY, UNICODE_VARIANT;

        boolean refused() {
            return this == NUL || this == CONTROL || this == INVALID_UTF8 || this == BAD_ESCAPE;
        }
    }

    /** A hostile value as it goes on the wire: percent-encoded URL text, or header bytes as ISO-8859-1 chars. */
    record Case(Kind kind, String wire) {
    }

    /** Values for a query or path parameter, already on the wire (lone `%` and invalid UTF-8 kept raw). */
    static final Map<Kind, List<String>> URL_CASES = Map.of(
            Kind.NUL, List.of("%00", "%00x", "x%00", "Calais%00", "%00%00%00"),
            Kind.CONTROL, List.of("%01", "%07", "%08", "a%09b", "%0A", "%0D%0AX-Injected:%201", "%1B%5B31m",
                    "%1F", "%7F", "%C2%80", "%C2%85", "%C2%9F", "crs%0B"),
            Kind.INVALID_UTF8, List.of("%C0%80", "%ED%A0%80", "%FF", "%C3%28", "%E2%82", "%F8%88%80%80%80",
                    "%C0%AF", "Calais%ED%BF%BF", "%EF%BF%BD"),
            Kind.BAD_ESCAPE, List.of("%", "a%", "%4", "%ZZ", "%%", "%G0", "%u0000", "100%"),
            Kind.UNICODE_VARIANT, List.of("Caf%C3%A9", "Cafe%CC%81", "%EF%BD%83%EF%BD%92%EF%BD%93",
                    "%C4%B1dentity_check", "%E2%84%AAelvin", "%EF%AC%81ne", "crs%CC%81", "crs%E2%80%8B",
                    "%EF%BB%BFcrs", "%E2%80%AEcrs", "CRS", "Calais%E2%80%8D", "%C3%85", "A%CC%8A",
                    "%E2%84%AB"));

    /** Values for a header, as raw bytes (each char one byte): what a raw socket can put on the wire. */
    static final Map<Kind, List<String>> HEADER_CASES = Map.of(
            Kind.NUL, List.of("\u0000", "a\u0000b", "\"1\"\u0000", "refugee-womens-centre\u0000"),
            Kind.CONTROL, List.of("\u0001", "\u001b[31m", "\u007f", "a\u000bb", "\u0085", "\"1\"\u0008",
                    "\u001f\u001f"),
            Kind.INVALID_UTF8, List.of("\u00c0\u0080", "\u00ed\u00a0\u0080", "\u00ff\u00fe", "\u00c3\u0028",
                    "refugee-womens-centre\u00ff"),
            Kind.BAD_ESCAPE, List.of("\"1", "W/\"1\"", "*", "\"1\", *", "\"\"", "\"99999999999999999999\"",
                    ",", ";", "=?utf-8?q?refugee=2Dwomens=2Dcentre?=", "refugee%2Dwomens%2Dcentre", "\"-1\"",
                    "W/", "\"1\" \"2\""),
            Kind.UNICODE_VARIANT, List.of(latin1("ｒefugee-womens-centre"), latin1("refugee-womens-centre\u200b"),
                    latin1("re\u0301fugee"), "REFUGEE-WOMENS-CENTRE", latin1("\"\uff11\""), " refugee-womens-centre ",
                    latin1("\ufeff\"1\"")));

    /** {@code text}'s UTF-8 bytes, each as one char: how a raw header carries non-ASCII text. */
    static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Any hostile text: a value a field, parameter or cell should never trip on. */
    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                of(4, Arbitraries.of(INJECTIONS)),
                of(3, Arbitraries.of(BAD_DATES)),
                of(3, Arbitraries.of(NUMBERS)),
                of(2, Arbitraries.of(UNKNOWN_CODES)),
                of(2, Arbitraries.strings().all().ofMaxLength(40)),
                of(1, Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(5)),
                of(1, Arbitraries.strings().alpha().ofMinLength(300).ofMaxLength(3_000)));
    }

    /** Text as a query value or path segment: percent-encoded UTF-8, or one of the raw URL tricks. */
    static Arbitrary<String> urlText() {
        return Arbitraries.frequencyOf(
                of(3, text().map(HostileInputs::encode)),
                of(2, Arbitraries.of(RAW_PATH_IDS)));
    }

    /** A header value the HTTP client can send (no CR, LF or NUL, which no client puts on the wire). */
    static Arbitrary<String> headerText() {
        return Arbitraries.frequencyOf(
                of(3, text().map(HostileInputs::headerSafe)),
                of(2, Arbitraries.of("\"1\"", "W/\"1\"", "*", "\"\"", "\"1\", \"2\"", "\"99999999999999999999\"",
                        "\"-1\"", "1", "\"1", "\"abc\"", "\"1\";DROP", "", "  ", "help-refugees", "utopia-56",
                        "refugee-womens-centre", "help-refugees,utopia-56", "*/*", "é", "ÿÿÿÿ")),
                // Long, yet several together stay under the 20 KB header limit (beyond it: 431 before routing).
                of(1, Arbitraries.strings().withCharRange(' ', '~').ofMinLength(200).ofMaxLength(3_000)));
    }

    /** A raw JSON value of the wrong type or range for any field. */
    static Arbitrary<String> jsonValue() {
        return Arbitraries.frequencyOf(
                of(4, text().map(HostileInputs::quoted)),
                of(3, Arbitraries.of(RAW_JSON)),
                of(1, Arbitraries.integers().between(50, 5_000).map(depth -> "[".repeat(depth) + "]".repeat(depth))),
                of(1, Arbitraries.integers().between(50, 5_000)
                        .map(depth -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth))),
                of(1, Arbitraries.integers().between(1_000, 20_000).map(n -> "[" + "1,".repeat(n) + "1]")));
    }

    /**
     * A body for an operation whose valid body is {@code valid} (JSON, or
     * text for a CSV sheet): usually the valid one with one to three
     * mutations, else a malformed or hostile whole.
     */
    static Arbitrary<byte[]> body(byte[] valid, boolean csv) {
        Arbitrary<byte[]> mutated = csv ? mutatedSheet(new String(valid, StandardCharsets.UTF_8))
                : mutatedJson(valid);
        return Arbitraries.frequencyOf(
                of(1, Arbitraries.just(valid)),
                of(6, mutated),
                of(3, malformed(valid)));
    }

    private static Arbitrary<byte[]> mutatedJson(byte[] valid) {
        JsonNode tree = read(valid);
        List<String> pointers = pointers(tree, "");
        Arbitrary<UnaryOperator<JsonNode>> replace = Combinators.combine(Arbitraries.of(pointers), jsonValue())
                .as((pointer, value) -> node -> replaceAt(node, pointer, value));
        Arbitrary<UnaryOperator<JsonNode>> remove = Arbitraries.of(pointers).map(p -> node -> removeAt(node, p));
        Arbitrary<UnaryOperator<JsonNode>> add = Combinators.combine(
                Arbitraries.of("id", "organization", "version", "createdAt", "createdBy", "deleted", "__proto__",
                        "constructor", "", "\u0000", "volunteerIds ", "Categories"), jsonValue())
                .as((field, value) -> node -> addField(node, field, value));
        Arbitrary<UnaryOperator<JsonNode>> mutation = Arbitraries.frequencyOf(of(6, replace), of(2, remove),
                of(2, add));
        return mutation.list().ofMinSize(1).ofMaxSize(3).map(mutations -> {
            JsonNode body = tree.deepCopy();
            for (UnaryOperator<JsonNode> m : mutations) {
                body = m.apply(body);
            }
            return write(body);
        });
    }

    /** A sheet with a hostile cell, an unknown column, a ragged row or too many rows. */
    private static Arbitrary<byte[]> mutatedSheet(String valid) {
        String[] lines = valid.split("\r\n");
        String header = lines[0];
        String row = lines[1];
        int columns = header.split(",").length;
        Arbitrary<String> cell = text().map(t -> "\"" + t.replace("\"", "\"\"") + "\"");
        Arbitrary<String> hostileCell = Combinators.combine(Arbitraries.integers().between(0, columns - 1), cell)
                .as((column, value) -> header + "\r\n" + replaceCell(row, column, value) + "\r\n");
        return Arbitraries.oneOf(
                hostileCell,
                hostileCell,
                cell.map(value -> header + ",nope\r\n" + row + "," + value + "\r\n"),
                Arbitraries.of(header + "\r\n", "\r\n" + row + "\r\n", header + "\r\n" + row + ",extra,cells\r\n",
                        header + "\r\n\"unclosed," + row + "\r\n", header.toUpperCase() + "\r\n" + row + "\r\n",
                        header.replace(',', ';') + "\r\n" + row + "\r\n", header + "\r\n" + row.substring(0, 20)),
                Arbitraries.integers().between(2, 40).map(n -> header + "\r\n" + (row + "\r\n").repeat(n)))
                .map(sheet -> sheet.getBytes(StandardCharsets.UTF_8));
    }

    /** Not the expected JSON at all: empty, truncated, invalid UTF-8, NUL bytes, deep nesting, random bytes. */
    private static Arbitrary<byte[]> malformed(byte[] valid) {
        String text = new String(valid, StandardCharsets.UTF_8);
        return Arbitraries.frequencyOf(
                of(2, Arbitraries.of("", " ", "null", "[]", "{}", "[{}]", "\"text\"", "42", "{\"a\":1,}", "{'a':1}",
                        "{\"a\":NaN}", "/* comment */ {}", "{\"a\":1}{\"b\":2}", "[" + text + "," + text + "]",
                        "\ufeff" + text, text + text).map(s -> s.getBytes(StandardCharsets.UTF_8))),
                of(2, Arbitraries.integers().between(1, Math.max(1, valid.length - 1))
                        .map(cut -> Arrays.copyOf(valid, cut))),
                of(2, Combinators.combine(Arbitraries.integers().between(0, valid.length),
                        Arbitraries.of(new byte[] { (byte) 0xC3, 0x28 }, new byte[] { (byte) 0xFF },
                                new byte[] { (byte) 0xC0, (byte) 0xAF }, new byte[] { (byte) 0xED, (byte) 0xA0,
                                        (byte) 0x80 }, new byte[] { 0 }, new byte[] { (byte) 0xF8, (byte) 0x88 }))
                        .as((at, bytes) -> splice(valid, at, bytes))),
                of(1, Arbitraries.just(text.getBytes(StandardCharsets.UTF_16))),
                of(1, Arbitraries.integers().between(1_000, 200_000).map(d -> "[".repeat(d).getBytes(
                        StandardCharsets.US_ASCII))),
                of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000)));
    }

    /** A query or path value, percent-encoded as UTF-8. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String headerSafe(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().filter(c -> c == '\t' || c >= 0x20 && c < 0x7F || c >= 0xA0 && c <= 0xFF)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    private static String quoted(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree as text, with each raw value spliced in where its placeholder stands. */
    private static byte[] write(JsonNode body) {
        List<String> raws = new ArrayList<>();
        JsonNode marked = markRaw(body, raws);
        String text = quoted(marked);
        for (int i = 0; i < raws.size(); i++) {
            text = text.replace(quoted(RAW + i), raws.get(i));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Raw values are kept as text nodes starting with {@link #RAW}; number them for {@link #write}. */
    private static JsonNode markRaw(JsonNode node, List<String> raws) {
        if (node.isTextual() && node.textValue().startsWith(RAW)) {
            raws.add(node.textValue().substring(RAW.length()));
            return TextNode.valueOf(RAW + (raws.size() - 1));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JSON.createObjectNode();
            object.properties().forEach(e -> copy.set(e.getKey(), markRaw(e.getValue(), raws)));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JSON.createArrayNode();
            array.forEach(element -> copy.add(markRaw(element, raws)));
            return copy;
        }
        return node;
    }

    /** JSON Pointers of every value in the tree, the root included. */
    private static List<String> pointers(JsonNode node, String at) {
        List<String> pointers = new ArrayList<>(List.of(at));
        if (node.isObject()) {
            node.properties().forEach(e -> pointers.addAll(pointers(e.getValue(), at + "/" + e.getKey())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                pointers.addAll(pointers(node.get(i), at + "/" + i));
            }
        }
        return pointers;
    }

    private static JsonNode replaceAt(JsonNode root, String pointer, String raw) {
        TextNode value = TextNode.valueOf(RAW + raw);
        if (pointer.isEmpty()) {
            return value;
        }
        JsonNode parent = root.at(pointer.substring(0, pointer.lastIndexOf('/')));
        String last = pointer.substring(pointer.lastIndexOf('/') + 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array && Integer.parseInt(last) < array.size()) {
            array.set(Integer.parseInt(last), value);
        }
        return root;
    }

    private static JsonNode removeAt(JsonNode root, String pointer) {
        if (pointer.isEmpty()) {
            return JSON.createObjectNode();
        }
        JsonNode parent = root.at(pointer.substring(0, pointer.lastIndexOf('/')));
        String last = pointer.substring(pointer.lastIndexOf('/') + 1);
        if (parent instanceof ObjectNode object) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array && Integer.parseInt(last) < array.size()) {
            array.remove(Integer.parseInt(last));
        }
        return root;
    }

    private static JsonNode addField(JsonNode root, String field, String raw) {
        JsonNode target = root.isArray() && !root.isEmpty() ? root.get(0) : root;
        if (target instanceof ObjectNode object) {
            object.set(field, TextNode.valueOf(RAW + raw));
        }
        return root;
    }

    private static String replaceCell(String row, int column, String value) {
        List<String> cells = new ArrayList<>(Arrays.asList(row.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)));
        cells.set(Math.min(column, cells.size() - 1), value);
        return String.join(",", cells);
    }

    private static byte[] splice(byte[] into, int at, byte[] bytes) {
        byte[] out = new byte[into.length + bytes.length];
        System.arraycopy(into, 0, out, 0, at);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        System.arraycopy(into, at, out, at + bytes.length, into.length - at);
        return out;
    }
}
