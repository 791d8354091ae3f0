package org.jointregistry.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.ComplaintBody;
import org.jointregistry.taxonomy.Gender;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;
import org.junit.jupiter.api.Test;

/** The demo data set looks like the founding report and is the same on every run. */
class DemoDataTest {

    private static final DemoData FOUNDING = DemoData.founding();
    private static final List<DemoIncident> INCIDENTS = FOUNDING.incidents().toList();
    private static final List<DemoIncident> COUNTED = INCIDENTS.stream()
            .filter(i -> i.status() == IncidentStatus.SUBMITTED || i.status() == IncidentStatus.VERIFIED).toList();

    @Test
    void sameSeedSameData() {
        assertEquals(INCIDENTS, DemoData.founding().incidents().toList());
        assertEquals(FOUNDING.volunteers(), DemoData.founding().volunteers());
        assertNotEquals(INCIDENTS.get(0), new DemoData(7, DemoData.FOUNDING_INCIDENTS).incidents().findFirst()
                .orElseThrow());
    }

    @Test
    void theFoundingReportsScale() {
        assertEquals(33, FOUNDING.volunteers().size());
        assertTrue(COUNTED.size() >= 630 && COUNTED.size() <= 665, "about 646 counted: " + COUNTED.size());
        assertEquals(Set.of("help-refugees", "auberge-des-migrants", "utopia-56", "refugee-info-bus"),
                INCIDENTS.stream().map(DemoIncident::organization).collect(Collectors.toSet()));
        assertEquals(Set.of("Calais", "Grande-Synthe", "Dunkerque", "Loon-Plage"),
                INCIDENTS.stream().map(DemoIncident::commune).collect(Collectors.toSet()));
        assertTrue(INCIDENTS.stream().anyMatch(i -> i.status() == IncidentStatus.DRAFT));
        assertTrue(INCIDENTS.stream().anyMatch(i -> i.status() == IncidentStatus.RETRACTED));
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertTrue(INCIDENTS.stream().map(i -> i.occurredAt().atZoneSameInstant(paris).toLocalDate())
                .allMatch(d -> !d.isBefore(LocalDate.of(2017, 11, 1)) && !d.isAfter(LocalDate.of(2018, 6, 30))));
        assertTrue(INCIDENTS.stream().allMatch(i -> i.volunteerIds().stream().allMatch(v -> FOUNDING.volunteers()
                .stream().anyMatch(w -> w.id().equals(v) && w.organization().equals(i.organization())))),
                "volunteers of the incident's own organisation");
    }

    @Test
    void volunteersAreMostlyWomenOfSeveralNationalities() {
        Map<Gender, Long> genders = FOUNDING.volunteers().stream()
                .collect(Collectors.groupingBy(DemoVolunteer::gender, Collectors.counting()));
        assertTrue(genders.get(Gender.FEMALE) > genders.get(Gender.MALE), genders.toString());
        Set<String> nationalities = FOUNDING.volunteers().stream().map(DemoVolunteer::nationality)
                .filter(n -> n != null).collect(Collectors.toSet());
        assertTrue(nationalities.contains("GB") && nationalities.size() >= 4, nationalities.toString());
    }

    @Test
    void categoriesInTheReportsProportions() {
        assertReportsProportions(COUNTED);
    }

    @Test
    void aFewComplaintsToEachBody() {
        Set<ComplaintBody> bodies = COUNTED.stream().map(DemoIncident::complaintBody).filter(b -> b != null)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ComplaintBody.class)));
        assertEquals(EnumSet.allOf(ComplaintBody.class), bodies);
        long complaints = COUNTED.stream().filter(i -> i.complaintBody() != null).count();
        assertTrue(complaints >= 8 && complaints <= 30, "a few: " + complaints);
    }

    @Test
    void scalesWithTheSameProportions() {
        DemoData large = new DemoData(DemoData.DEFAULT_SEED, 100_000);
        assertEquals(4755, large.volunteers().size(), "33 per 694 incidents");
        assertReportsProportions(large.incidents().toList());
    }

    /** Surveillance the largest group, then identity checks, verbal violence a sixth, physical one in twenty. */
    private static void assertReportsProportions(List<DemoIncident> incidents) {
        double surveillance = share(incidents,
                i -> i.categories().stream().anyMatch(c -> c.name().startsWith("SURVEILLANCE")));
        double identity = share(incidents, i -> i.categories().contains(Category.IDENTITY_CHECK));
        double verbal = share(incidents,
                i -> i.categories().contains(Category.INSULT) || i.categories().contains(Category.THREAT));
        double physical = share(incidents, i -> i.categories().contains(Category.PHYSICAL_VIOLENCE));
        String shares = "surveillance %.3f, identity %.3f, verbal %.3f, physical %.3f".formatted(surveillance,
                identity, verbal, physical);
        assertTrue(surveillance > identity && identity > verbal, shares);
        assertTrue(verbal > 0.13 && verbal < 0.21, "verbal violence about a sixth: " + shares);
        assertTrue(physical > 0.03 && physical < 0.07, "physical violence about one in twenty: " + shares);
        assertTrue(share(incidents, i -> i.forces().contains(PoliceForce.CRS)) > 0.6, "mostly CRS");
    }

    private static double share(List<DemoIncident> incidents, Predicate<DemoIncident> test) {
        return (double) incidents.stream().filter(test).count() / incidents.size();
    }
}
