package org.jointregistry.sync;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jointregistry.common.Csv;
import org.jointregistry.common.FieldErrors;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;
import org.jointregistry.incident.IncidentInput;
import org.jointregistry.incident.IncidentService;
import org.jointregistry.incident.IncidentService.Upserted;
import org.jointregistry.sync.IncidentSheet.Column;
import org.jointregistry.volunteer.VolunteerService;

/**
 * CSV import of an incident sheet: all rows or none, in one transaction. Rows
 * with an externalId create or replace that incident, the others create one.
 * Errors name the row (the header is row 1) and the column: `[5].categories[1]`.
 */
@ApplicationScoped
public class IncidentImport {

    static final int MAX_ROWS = 10_000;
    private static final char BOM = '\uFEFF';

    @Inject
    IncidentService incidents;

    @Inject
    VolunteerService volunteers;

    @Inject
    TransactionManager transaction;

    /** Validates and writes a sheet; with {@code dryRun}, does everything but commit. */
    @Transactional
    public ImportResult run(byte[] body, boolean dryRun) throws SystemException {
        List<List<String>> records = records(decode(body));
        List<Column> columns = header(records.get(0));
        Map<String, UUID> volunteerIds = new HashMap<>();
        volunteers.pseudonyms().forEach((id, pseudonym) -> volunteerIds.put(pseudonym, id));

        FieldErrors errors = new FieldErrors();
        List<IncidentInput> inputs = new ArrayList<>();
        List<Integer> rowNumbers = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> cells = records.get(r);
            FieldErrors rowErrors = errors.at(path(r + 1));
            if (cells.stream().allMatch(String::isBlank)) {
                continue; // a blank line, as spreadsheets leave at the end
            }
            if (cells.size() != columns.size()) {
                rowErrors.add("", "has " + cells.size() + " cells, the header has " + columns.size());
                continue;
            }
            Map<Column, String> row = new EnumMap<>(Column.class);
            for (int c = 0; c < columns.size(); c++) {
                row.put(columns.get(c), cells.get(c));
            }
            int before = errors.list().size();
            IncidentInput input = IncidentSheet.input(row, volunteerIds, rowErrors);
            if (errors.list().size() == before) {
                inputs.add(input);
                rowNumbers.add(r + 1);
            }
        }
        if (rowNumbers.size() > MAX_ROWS) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "A sheet holds at most " + MAX_ROWS + " incidents: split it.");
        }
        List<Upserted> written = write(inputs, rowNumbers, errors.list());
        if (dryRun) {
            transaction.setRollbackOnly();
        }
        long created = written.stream().filter(Upserted::created).count();
        return new ImportResult(dryRun, (int) created, (int) (written.size() - created),
                dryRun ? null : written.stream().map(u -> u.incident().id()).toList());
    }

    /**
     * Upserts the readable rows; answers 422 with the unreadable cells and the
     * invalid fields together (the transaction then rolls back), so that one
     * answer lists every error of the sheet.
     */
    private List<Upserted> write(List<IncidentInput> inputs, List<Integer> rowNumbers,
            List<Problem.FieldError> unreadable) {
        List<Problem.FieldError> invalid = List.of();
        try {
            List<Upserted> written = incidents.upsertAll(inputs, i -> path(rowNumbers.get(i)));
            if (unreadable.isEmpty()) {
                return written;
            }
        } catch (ProblemException e) {
            if (unreadable.isEmpty() && e.type() != ProblemType.VALIDATION_FAILED) {
                throw new ProblemException(e.type(), e.getMessage(), columns(e.errors()), e.headers());
            }
            invalid = e.type() == ProblemType.VALIDATION_FAILED ? columns(e.errors()) : List.of();
        }
        List<Problem.FieldError> all = new ArrayList<>(unreadable);
        all.addAll(invalid);
        all.sort(Comparator.comparingInt(IncidentImport::rowOf));
        throw ProblemException.validation(all);
    }

    private static String path(int rowNumber) {
        return "[" + rowNumber + "]";
    }

    private static int rowOf(Problem.FieldError error) {
        return Integer.parseInt(error.field().substring(1, error.field().indexOf(']')));
    }

    /** `[5].location.latitude` → `[5].latitude`: service paths in the sheet's column names. */
    private static List<Problem.FieldError> columns(List<Problem.FieldError> errors) {
        if (errors == null) {
            return null;
        }
        return errors.stream().map(e -> {
            int dot = e.field().indexOf("].") + 2;
            return dot < 2 ? e : new Problem.FieldError(e.field().substring(0, dot)
                    + IncidentSheet.column(e.field().substring(dot)), e.message());
        }).toList();
    }

    /** UTF-8, with or without a byte order mark; anything else is a 400. */
    private static String decode(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "The sheet is not UTF-8 text.");
        }
    }

    private static List<List<String>> records(String text) {
        try {
            List<List<String>> records = Csv.parse(text, Csv.delimiter(text));
            if (records.isEmpty()) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "The sheet is empty: it needs a header row.");
            }
            return records;
        } catch (Csv.MalformedException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "Row " + e.row + " is not well-formed CSV.",
                    List.of(new Problem.FieldError(path(e.row), e.getMessage())), Map.of());
        }
    }

    /** The header's columns; 422 naming every unknown, repeated or missing one, with the allowed set. */
    private static List<Column> header(List<String> names) {
        FieldErrors errors = new FieldErrors();
        List<Column> columns = new ArrayList<>();
        for (String name : names) {
            IncidentSheet.Column.named(name).ifPresentOrElse(column -> {
                if (columns.contains(column)) {
                    errors.add(path(1), "repeats the column " + column.header);
                }
                columns.add(column);
            }, () -> errors.add(path(1), "unknown column '" + name.trim() + "'"));
        }
        IncidentSheet.REQUIRED.stream().filter(c -> !columns.contains(c))
                .forEach(c -> errors.add(path(1), "the column " + c.header + " is required"));
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The header row is invalid. Allowed columns: "
                    + String.join(", ", Column.headers()) + ".", errors.list(), Map.of());
        }
        return columns;
    }
}
