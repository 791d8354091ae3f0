package org.jointregistry.common;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The registry's one CSV dialect, read and written by Jackson's CSV module and
 * configured here only: RFC 4180 (UTF-8, CRLF, a cell quoted when it holds the
 * delimiter, a quote or a line break, quotes doubled). Imports, exports and
 * aggregates all go through it.
 *
 * Spreadsheet formula injection: a text cell starting with `=`, `+`, `-`, `@`,
 * tab, CR or an apostrophe is written behind an apostrophe (`'=1+1`), and
 * {@link #unescapeText} removes it on the way back, so a round trip is exact.
 * Cells that are not text (numbers, booleans, dates) are written as they are:
 * `-1.5` is a number, not a formula.
 */
public final class Csv {

    public static final String TEXT_CSV = "text/csv";
    private static final String FORMULA_STARTS = "=+-@\t\r'";

    // Strict quoting: only cells that need quotes get them (the library's cheap check quotes any cell with a space).
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writerFor(String[].class)
            .with(CsvSchema.emptySchema().withLineSeparator("\r\n"));

    /** A malformed record, with its row number (the header is row 1; a multi-line quoted cell is one row). */
    public static final class MalformedException extends Exception {

        public final int row;

        MalformedException(int row, String message) {
            super(message, null, false, false);
            this.row = row;
        }
    }

    /** A cell written as it is, never escaped: a number the caller has formatted. */
    public record Literal(String text) {

        @Override
        public String toString() {
            return text;
        }
    }

    /** Writes rows to a character stream; {@link #close} closes the stream. */
    public static final class RowWriter implements Flushable, Closeable {

        private final SequenceWriter rows;

        private RowWriter(SequenceWriter rows) {
            this.rows = rows;
        }

        /**
         * One record: {@link CharSequence} cells as formula-safe text, other
         * cells by {@code toString()}, nulls as empty cells.
         */
        public RowWriter row(List<?> cells) throws IOException {
            rows.write(cells.stream().map(Csv::cell).toArray(String[]::new));
            return this;
        }

        @Override
        public void flush() throws IOException {
            rows.flush();
        }

        @Override
        public void close() throws IOException {
            rows.close();
        }
    }

    private Csv() {
    }

    public static RowWriter writer(Writer out) throws IOException {
        return new RowWriter(WRITER.writeValues(out));
    }

    /** `;` when the header line has more semicolons than commas (French spreadsheets), `,` otherwise. */
    public static char delimiter(String text) {
        int end = text.indexOf('\n');
        String header = end < 0 ? text : text.substring(0, end);
        long semicolons = header.chars().filter(c -> c == ';').count();
        long commas = header.chars().filter(c -> c == ',').count();
        return semicolons > commas ? ';' : ',';
    }

    /**
     * The records of a sheet, one list of cells each (a blank line is one
     * empty cell). Text after a closing quote and an unclosed quote are errors, not
     * guesses; a quote inside an unquoted cell is read as itself, as
     * spreadsheets do.
     */
    public static List<List<String>> parse(String text, char delimiter) throws MalformedException {
        ObjectReader reader = MAPPER.readerFor(String[].class)
                .with(CsvSchema.emptySchema().withColumnSeparator(delimiter));
        List<List<String>> records = new ArrayList<>();
        try (MappingIterator<String[]> it = reader.readValues(text)) {
            while (it.hasNextValue()) {
                records.add(Arrays.asList(it.nextValue()));
            }
        } catch (IOException | RuntimeException e) {
            // The library's message quotes the offending character, never the cell's text.
            throw new MalformedException(records.size() + 1, reason(e));
        }
        return records;
    }

    /** A text cell as written: with a leading apostrophe when it could run as a formula. */
    static String formulaSafe(String value) {
        return !value.isEmpty() && FORMULA_STARTS.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    /** A text cell as read: without the one leading apostrophe {@link #formulaSafe} may have added. */
    public static String unescapeText(String cell) {
        return cell.startsWith("'") ? cell.substring(1) : cell;
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof CharSequence text ? formulaSafe(text.toString()) : value.toString();
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("closing quote")) {
            return "a quoted cell is not closed";
        }
        if (message.contains("separator")) {
            return "text after the closing quote of a cell";
        }
        return "not readable as CSV";
    }
}
