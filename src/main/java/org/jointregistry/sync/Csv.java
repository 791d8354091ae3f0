package org.jointregistry.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, strict RFC 4180 reader and writer: quoted fields may hold the
 * delimiter, doubled quotes and line breaks; a quote inside an unquoted field
 * or text after a closing quote is an error, not a guess. Records end with
 * CRLF, LF or CR. Rows are numbered from 1 (the header), one per record, so a
 * quoted multi-line cell still counts as one row.
 */
final class Csv {

    /** A malformed record, with its row number. */
    static final class MalformedException extends Exception {

        final int row;

        MalformedException(int row, String message) {
            super(message, null, false, false);
            this.row = row;
        }
    }

    private Csv() {
    }

    /** `;` when the header line has more semicolons than commas (French spreadsheets), `,` otherwise. */
    static char delimiter(String text) {
        int end = text.indexOf('\n');
        String header = end < 0 ? text : text.substring(0, end);
        long semicolons = header.chars().filter(c -> c == ';').count();
        long commas = header.chars().filter(c -> c == ',').count();
        return semicolons > commas ? ';' : ',';
    }

    static List<List<String>> parse(String text, char delimiter) throws MalformedException {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quotedCell = false;
        int at = 0;
        int length = text.length();
        while (at < length) {
            char c = text.charAt(at);
            int row = records.size() + 1;
            if (c == '"' && cell.isEmpty() && !quotedCell) {
                at = quoted(text, at + 1, cell, row);
                if (at < length && text.charAt(at) != delimiter && text.charAt(at) != '\r'
                        && text.charAt(at) != '\n') {
                    throw new MalformedException(row, "text after the closing quote of a cell");
                }
                quotedCell = true;
            } else if (c == delimiter) {
                record.add(take(cell));
                quotedCell = false;
                at++;
            } else if (c == '\r' || c == '\n') {
                record.add(take(cell));
                quotedCell = false;
                records.add(record);
                record = new ArrayList<>();
                at += c == '\r' && at + 1 < length && text.charAt(at + 1) == '\n' ? 2 : 1;
            } else if (c == '"') {
                throw new MalformedException(row, "a quote inside an unquoted cell (quote the whole cell)");
            } else {
                cell.append(c);
                at++;
            }
        }
        if (!cell.isEmpty() || quotedCell || !record.isEmpty()) {
            record.add(take(cell));
            records.add(record);
        }
        return records;
    }

    /** Reads a quoted cell's content after its opening quote; returns the index after the closing quote. */
    private static int quoted(String text, int at, StringBuilder cell, int row) throws MalformedException {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '"') {
                if (at + 1 < text.length() && text.charAt(at + 1) == '"') {
                    cell.append('"');
                    at += 2;
                    continue;
                }
                return at + 1;
            }
            cell.append(c);
            at++;
        }
        throw new MalformedException(row, "a quoted cell is not closed");
    }

    private static String take(StringBuilder cell) {
        String text = cell.toString();
        cell.setLength(0);
        return text;
    }

    /** Writes one record, comma-separated, quoting the cells that need it, ending with CRLF. */
    static void write(Appendable out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf(';') >= 0 || cell.indexOf('"') >= 0
                    || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
                out.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                out.append(cell);
            }
        }
        out.append("\r\n");
    }
}
