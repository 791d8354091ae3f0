package org.jointregistry.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The one CSV dialect, read back by an independent parser (Commons CSV) and by our own. */
class CsvTest {

    private static final List<String> HOSTILE = List.of("=1+1", "+33 6", "-2", "@SUM(A1)", "\tcmd", "\rcr",
            "'quoted", "a;b", "say \"hi\"", "two\nlines", "crlf\r\nend", "comma, here", "\"", "plain", "", " x ");

    private static String write(List<List<?>> rows) throws IOException {
        StringWriter out = new StringWriter();
        Csv.RowWriter csv = Csv.writer(out);
        for (List<?> row : rows) {
            csv.row(row);
        }
        csv.flush();
        return out.toString();
    }

    private static List<List<String>> commonsCsv(String text) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (CSVRecord record : CSVFormat.RFC4180.parse(new StringReader(text))) {
            rows.add(record.toList());
        }
        return rows;
    }

    @Test
    void hostileTextCellsAreDefusedAndReadBackExactly() throws Exception {
        List<Object> row = new ArrayList<>(HOSTILE);
        row.add(new Csv.Literal("-1.5"));
        row.add(-3L);
        row.add(null);
        row.add(true);
        String text = write(List.of(row));

        List<String> expected = new ArrayList<>();
        for (String cell : HOSTILE) {
            boolean formula = !cell.isEmpty() && "=+-@\t\r'".indexOf(cell.charAt(0)) >= 0;
            expected.add(formula ? "'" + cell : cell);
        }
        expected.addAll(List.of("-1.5", "-3", "", "true"));
        assertEquals(List.of(expected), commonsCsv(text), text);
        assertEquals(List.of(expected), Csv.parse(text, ','));
        assertEquals(HOSTILE, Csv.parse(text, ',').get(0).subList(0, HOSTILE.size()).stream()
                .map(Csv::unescapeText).toList(), "the import's unescaping restores every text cell");
    }

    @Test
    void recordsEndWithCrlfAndOnlyCellsThatNeedItAreQuoted() throws Exception {
        assertEquals("a,b c,\"d,e\",\"f\"\"g\",'=h,\r\n", write(List.of(Arrays.asList("a", "b c", "d,e", "f\"g", "=h",
                null))));
    }

    @Test
    void readsCommaAndSemicolonSheetsWithAnyLineEnd() throws Exception {
        String french = "occurredAt;categories\r\n14/03/2018 18:30;\"fine;\r\nthreat\"\n\nlast;x";
        assertEquals(';', Csv.delimiter(french));
        assertEquals(',', Csv.delimiter("a,b;c,d\nx;y;z;w"));
        assertEquals(List.of(List.of("occurredAt", "categories"), List.of("14/03/2018 18:30", "fine;\r\nthreat"),
                List.of(""), List.of("last", "x")), Csv.parse(french, ';'));
        assertEquals(List.of(List.of("a", "b"), List.of("c", "")), Csv.parse("a,b\rc,\r", ','));
    }

    @Test
    void malformedRecordsNameTheirRowCountingAMultiLineCellOnce() {
        Csv.MalformedException unclosed = assertThrows(Csv.MalformedException.class,
                () -> Csv.parse("a,b\n\"x\ny\",1\n2,\"open\n", ','));
        assertEquals(3, unclosed.row);
        assertEquals("a quoted cell is not closed", unclosed.getMessage());
        Csv.MalformedException trailing = assertThrows(Csv.MalformedException.class,
                () -> Csv.parse("a,b\n\"2018\"x,fine\n", ','));
        assertEquals(2, trailing.row);
        assertEquals("text after the closing quote of a cell", trailing.getMessage());
    }
}
