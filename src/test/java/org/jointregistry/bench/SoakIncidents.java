package org.jointregistry.bench;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.Coded;
import org.jointregistry.taxonomy.PoliceForce;

/** Random but valid incident bodies for the soak's writes, in the demo data's period and places. */
final class SoakIncidents {

    static final String[] COMMUNES = { "Calais", "Grande-Synthe", "Dunkerque", "Loon-Plage" };
    private static final double[][] PLACES = { { 50.9513, 1.8587 }, { 51.0139, 2.3033 }, { 51.0344, 2.3768 },
            { 50.9956, 2.2178 } };
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final LocalDate FIRST_DAY = LocalDate.of(2017, 11, 1);
    private static final int DAYS = 242; // to the end of June 2018, as the demo data

    private SoakIncidents() {
    }

    /** One incident as JSON; {@code externalId} may be null, {@code volunteers} are the organisation's. */
    static String json(Random random, String externalId, List<UUID> volunteers) {
        int place = random.nextInt(COMMUNES.length);
        LocalDateTime local = FIRST_DAY.plusDays(random.nextInt(DAYS)).atTime(random.nextInt(24),
                random.nextInt(60));
        String occurredAt = ZonedDateTime.of(local, PARIS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        List<UUID> involved = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0 && !volunteers.isEmpty(); i--) {
            UUID volunteer = volunteers.get(random.nextInt(volunteers.size()));
            if (!involved.contains(volunteer)) {
                involved.add(volunteer);
            }
        }
        return String.format(Locale.ROOT, """
                {%s"occurredAt":"%s","location":{"commune":"%s","site":"soak site %d","latitude":%.4f,\
                "longitude":%.4f},"categories":[%s],"forces":[%s],"officerCount":%d,"volunteerIds":[%s],\
                "description":"Soak incident.","status":"%s"}""",
                externalId == null ? "" : "\"externalId\":\"" + externalId + "\",", occurredAt,
                COMMUNES[place], random.nextInt(10), PLACES[place][0], PLACES[place][1],
                codes(random, Category.values(), 1 + random.nextInt(2)),
                codes(random, PoliceForce.values(), random.nextInt(2)), random.nextInt(12),
                involved.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",")),
                random.nextInt(10) == 0 ? "draft" : "submitted");
    }

    /** {@code count} distinct codes at random, quoted and comma-separated. */
    static String codes(Random random, Coded[] values, int count) {
        List<String> picked = new ArrayList<>();
        while (picked.size() < count) {
            String code = "\"" + values[random.nextInt(values.length)].code() + "\"";
            if (!picked.contains(code)) {
                picked.add(code);
            }
        }
        return String.join(",", picked);
    }

    /** A JSON array of {@code count} incidents, with externalIds {@code prefix}-0, -1, ... */
    static String batch(Random random, int count, String prefix, List<UUID> volunteers) {
        List<String> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(json(random, prefix + "-" + i, volunteers));
        }
        return items.stream().collect(Collectors.joining(",", "[", "]"));
    }
}
