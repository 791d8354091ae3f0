package org.jointregistry.sync;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jointregistry.common.Csv;
import org.jointregistry.common.FieldErrors;
import org.jointregistry.incident.Complaint;
import org.jointregistry.incident.IncidentInput;
import org.jointregistry.incident.IncidentView;
import org.jointregistry.incident.Location;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.Coded;
import org.jointregistry.taxonomy.ComplaintBody;
import org.jointregistry.taxonomy.ComplaintStatus;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;

/**
 * The incident sheet: the CSV columns of import and export, and the two
 * directions between a row and an incident, written side by side so that an
 * export re-imports to the same data.
 *
 * - Multi-valued cells separate values with `|` (a `|` or `\` inside a value,
 *   possible in a pseudonym, is escaped with `\`).
 * - Spreadsheet formula injection: text cells are escaped by {@link Csv} and
 *   unescaped here on import; number cells (latitude, longitude,
 *   officerCount) are never escaped: `-1.5` is a number, not a formula.
 */
final class IncidentSheet {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter FRENCH_DATE_TIME = DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm[:ss]")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter FRENCH_DATE = DateTimeFormatter.ofPattern("dd/MM/uuuu")
            .withResolverStyle(ResolverStyle.STRICT);

    /** The columns, in export order; headers are matched case-insensitively on import. */
    enum Column {
        EXTERNAL_ID("externalId"), OCCURRED_AT("occurredAt"), COMMUNE("commune"), SITE("site"),
        LATITUDE("latitude"), LONGITUDE("longitude"), CATEGORIES("categories"), FORCES("forces"),
        OFFICER_COUNT("officerCount"), VOLUNTEERS("volunteers"), DESCRIPTION("description"),
        COMPLAINT_STATUS("complaintStatus"), COMPLAINT_BODY("complaintBody"), COMPLAINT_FILED_ON("complaintFiledOn"),
        COMPLAINT_REFERENCE("complaintReference"), STATUS("status");

        final String header;

        Column(String header) {
            this.header = header;
        }

        boolean numeric() {
            return this == LATITUDE || this == LONGITUDE || this == OFFICER_COUNT;
        }

        static Optional<Column> named(String header) {
            return Arrays.stream(values()).filter(c -> c.header.equalsIgnoreCase(header.trim())).findFirst();
        }

        static List<String> headers() {
            return Arrays.stream(values()).map(c -> c.header).toList();
        }
    }

    /** Headers a sheet must have: every incident needs them. */
    static final List<Column> REQUIRED = List.of(Column.OCCURRED_AT, Column.CATEGORIES);

    private IncidentSheet() {
    }

    // ---- export -------------------------------------------------------------

    /** An incident's row, in {@link Column} order: text as strings, numbers and the filing date as values. */
    static List<Object> row(IncidentView incident, Function<UUID, String> pseudonyms) {
        Location location = Objects.requireNonNullElse(incident.location(), new Location(null, null, null, null));
        Complaint complaint = incident.complaint();
        List<Object> cells = new ArrayList<>(Column.values().length);
        cells.add(incident.externalId());
        cells.add(incident.occurredAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        cells.add(location.commune());
        cells.add(location.site());
        cells.add(number(location.latitude()));
        cells.add(number(location.longitude()));
        cells.add(join(incident.categories().stream().map(Coded::code).toList()));
        cells.add(join(incident.forces().stream().map(Coded::code).toList()));
        cells.add(incident.officerCount());
        cells.add(join(incident.volunteerIds().stream().map(pseudonyms).sorted().toList()));
        cells.add(incident.description());
        cells.add(complaint.status().code());
        cells.add(complaint.body() == null ? null : complaint.body().code());
        cells.add(complaint.filedOn());
        cells.add(complaint.reference());
        cells.add(incident.status().code());
        return cells;
    }

    /** A plain decimal (never `1.0E-5`), written as a number cell. */
    private static Csv.Literal number(Double value) {
        return value == null ? null : new Csv.Literal(BigDecimal.valueOf(value).toPlainString());
    }

    private static String join(List<String> values) {
        return values.stream().map(v -> v.replace("\\", "\\\\").replace("|", "\\|"))
                .collect(Collectors.joining("|"));
    }

    // ---- import -------------------------------------------------------------

    /**
     * The incident a row describes; every unreadable cell is added to
     * {@code errors} (paths are column names) and left out of the input.
     */
    static IncidentInput input(Map<Column, String> row, Map<String, UUID> volunteerIds, FieldErrors errors) {
        Function<Column, String> cell = column -> {
            String raw = row.getOrDefault(column, "");
            String value = column.numeric() ? raw : Csv.unescapeText(raw);
            return value.isEmpty() ? null : value;
        };
        Location location = new Location(cell.apply(Column.COMMUNE), cell.apply(Column.SITE),
                decimal(cell.apply(Column.LATITUDE), Column.LATITUDE, errors),
                decimal(cell.apply(Column.LONGITUDE), Column.LONGITUDE, errors));
        Complaint complaint = new Complaint(
                code(cell.apply(Column.COMPLAINT_STATUS), ComplaintStatus.class, Column.COMPLAINT_STATUS.header, errors),
                code(cell.apply(Column.COMPLAINT_BODY), ComplaintBody.class, Column.COMPLAINT_BODY.header, errors),
                date(cell.apply(Column.COMPLAINT_FILED_ON), errors),
                cell.apply(Column.COMPLAINT_REFERENCE));
        return new IncidentInput(
                cell.apply(Column.EXTERNAL_ID),
                dateTime(cell.apply(Column.OCCURRED_AT), errors),
                location.equals(new Location(null, null, null, null)) ? null : location,
                codes(cell.apply(Column.CATEGORIES), Category.class, Column.CATEGORIES.header, errors),
                codes(cell.apply(Column.FORCES), PoliceForce.class, Column.FORCES.header, errors),
                integer(cell.apply(Column.OFFICER_COUNT), errors),
                volunteers(cell.apply(Column.VOLUNTEERS), volunteerIds, errors),
                cell.apply(Column.DESCRIPTION),
                complaint.equals(new Complaint(null, null, null, null)) ? null : complaint,
                code(cell.apply(Column.STATUS), IncidentStatus.class, Column.STATUS.header, errors));
    }

    /**
     * A service error path of an item (`location.latitude`, `complaint.status`,
     * `volunteerIds[1]`) as the sheet's column (`latitude`, `complaintStatus`,
     * `volunteers[1]`).
     */
    static String column(String path) {
        if (path.startsWith("location.")) {
            return path.substring("location.".length());
        }
        if (path.startsWith("complaint.")) {
            String field = path.substring("complaint.".length());
            return "complaint" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
        }
        if (path.startsWith("volunteerIds")) {
            return "volunteers" + path.substring("volunteerIds".length());
        }
        return path;
    }

    private static OffsetDateTime dateTime(String value, FieldErrors errors) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        for (Function<String, OffsetDateTime> format : List.<Function<String, OffsetDateTime>>of(
                OffsetDateTime::parse,
                v -> LocalDateTime.parse(v).atZone(PARIS).toOffsetDateTime(),
                v -> LocalDateTime.parse(v, FRENCH_DATE_TIME).atZone(PARIS).toOffsetDateTime())) {
            try {
                return format.apply(trimmed);
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        errors.add(Column.OCCURRED_AT.header, "must be an ISO 8601 date-time (2018-03-14T18:30:00+01:00) or "
                + "dd/MM/yyyy HH:mm in Europe/Paris time (14/03/2018 18:30)");
        return null;
    }

    private static LocalDate date(String value, FieldErrors errors) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        try {
            return trimmed.contains("/") ? LocalDate.parse(trimmed, FRENCH_DATE) : LocalDate.parse(trimmed);
        } catch (DateTimeParseException e) {
            errors.add(Column.COMPLAINT_FILED_ON.header, "must be a date, 2018-03-20 or 20/03/2018");
            return null;
        }
    }

    /** A decimal number; a decimal comma (French spreadsheets) is read as a point. */
    private static Double decimal(String value, Column column, FieldErrors errors) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        try {
            return new BigDecimal(trimmed.contains(".") ? trimmed : trimmed.replace(',', '.')).doubleValue();
        } catch (NumberFormatException e) {
            errors.add(column.header, "must be a decimal number such as 50.951");
            return null;
        }
    }

    private static Integer integer(String value, FieldErrors errors) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            errors.add(Column.OFFICER_COUNT.header, "must be a whole number");
            return null;
        }
    }

    private static <E extends Enum<E> & Coded> E code(String value, Class<E> type, String field,
            FieldErrors errors) {
        if (value == null) {
            return null;
        }
        Optional<E> code = Coded.fromCode(type, value.trim().toLowerCase(Locale.ROOT));
        if (code.isEmpty()) {
            errors.add(field, "unknown code '" + value.trim() + "'");
        }
        return code.orElse(null);
    }

    private static <E extends Enum<E> & Coded> List<E> codes(String value, Class<E> type, String field,
            FieldErrors errors) {
        List<String> values = split(value, field, errors);
        List<E> codes = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            codes.add(code(values.get(i), type, field + "[" + i + "]", errors));
        }
        return value == null ? null : codes.stream().filter(Objects::nonNull).toList();
    }

    /** Pseudonyms to volunteer ids; an unknown pseudonym is an error (never quoted: it may identify someone). */
    private static List<UUID> volunteers(String value, Map<String, UUID> volunteerIds, FieldErrors errors) {
        List<String> pseudonyms = split(value, Column.VOLUNTEERS.header, errors);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < pseudonyms.size(); i++) {
            UUID id = volunteerIds.get(pseudonyms.get(i));
            if (id == null) {
                errors.add(Column.VOLUNTEERS.header + "[" + i + "]",
                        "is not the pseudonym of a volunteer of your organisation");
            } else {
                ids.add(id);
            }
        }
        return value == null ? null : ids;
    }

    /** The values of a multi-valued cell: separated by `|`, trimmed, `\` escaping the next character. */
    private static List<String> split(String value, String field, FieldErrors errors) {
        List<String> values = new ArrayList<>();
        if (value == null) {
            return values;
        }
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                current.append(value.charAt(++i));
            } else if (c == '|') {
                values.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        values.add(current.toString().trim());
        if (values.contains("")) {
            errors.add(field, "has an empty value between `|` separators");
            values.removeIf(String::isEmpty);
        }
        return values;
    }
}
