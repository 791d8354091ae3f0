package org.jointregistry.demo;

import static org.jointregistry.taxonomy.Category.*;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.ComplaintBody;
import org.jointregistry.taxonomy.ComplaintStatus;
import org.jointregistry.taxonomy.Gender;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;

/**
 * A realistic, deterministic data set at the scale of the founding joint
 * report (or any multiple of it): the four founding organisations, pseudonymous
 * volunteers (more women than men, British and other nationalities), incidents
 * from 1 November 2017 to 30 June 2018 in Calais, Grande-Synthe, Dunkerque and
 * Loon-Plage. Proportions follow the report: surveillance the largest group,
 * then identity checks, verbal violence about a sixth of incidents, physical
 * violence about one in twenty, mostly CRS, a few complaints to each body,
 * some drafts and retracted records.
 * <p>
 * The same seed and size always give the same data, ids included. Only
 * generation lives here; writing it is the seeder's (or a bulk loader's) job.
 */
public final class DemoData {

    public static final long DEFAULT_SEED = 2018L;
    /** About 650 of them submitted or verified (664 with the default seed), as in the founding report. */
    public static final int FOUNDING_INCIDENTS = 694;
    /** Occurrences reported by two or three partners at the founding scale (one in ten of them by three). */
    static final int FOUNDING_SHARED_EVENTS = 44;
    /** Reports of one occurrence: one commune, within this time of the first. */
    static final Duration WITNESS_WINDOW = Duration.ofHours(36);
    /** The founding report's 33 volunteers for its incidents; kept in proportion at other sizes. */
    static final int FOUNDING_VOLUNTEERS = 33;

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final Instant START = LocalDate.of(2017, 11, 1).atStartOfDay(PARIS).toInstant();
    static final Instant END = LocalDate.of(2018, 7, 1).atStartOfDay(PARIS).toInstant();

    private static final Weighted<Organisation> ORGANISATIONS = new Weighted<Organisation>()
            .add(new Organisation("help-refugees", "HR"), 34).add(new Organisation("auberge-des-migrants", "ADM"), 22)
            .add(new Organisation("utopia-56", "U56"), 28).add(new Organisation("refugee-info-bus", "RIB"), 16);
    private static final Weighted<Gender> GENDERS = new Weighted<Gender>()
            .add(Gender.FEMALE, 57).add(Gender.MALE, 36).add(Gender.NON_BINARY, 4).add(Gender.UNDISCLOSED, 3);
    private static final Weighted<String> NATIONALITIES = new Weighted<String>()
            .add("GB", 40).add("FR", 24).add("BE", 6).add("DE", 6).add("IE", 5).add("NL", 4).add("ES", 4)
            .add("IT", 3).add("US", 3).add(null, 5);
    private static final Weighted<Commune> COMMUNES = new Weighted<Commune>()
            .add(new Commune("Calais", 50.9513, 1.8587, List.of("rue des Verrotières", "Zone industrielle des Dunes",
                    "quai de la Meuse", "place d'Armes", "rue de Moscou", "chemin des Dunes")), 62)
            .add(new Commune("Grande-Synthe", 51.0139, 2.3033, List.of("lac du Puythouck", "rue Jacquard",
                    "gymnase du Moulin")), 20)
            .add(new Commune("Dunkerque", 51.0344, 2.3768, List.of("gare de Dunkerque", "rue de la Batellerie",
                    "quai des Hollandais")), 12)
            .add(new Commune("Loon-Plage", 50.9956, 2.2178, List.of("bois du Puythouck", "route de Bourbourg")), 6);
    /** The first category of an incident. */
    private static final Weighted<Category> PRIMARY = new Weighted<Category>()
            .add(SURVEILLANCE_OBSERVATION, 18).add(SURVEILLANCE_FILMING, 12).add(SURVEILLANCE_TAILING, 5)
            .add(IDENTITY_CHECK, 21).add(BODY_SEARCH, 4).add(VEHICLE_SEARCH, 5)
            .add(FINE, 5).add(DISTRIBUTION_BAN, 3).add(CONFISCATION, 2).add(PROSECUTION, 1)
            .add(ARREST_DETENTION, 2).add(DENIAL_OF_RIGHTS, 1).add(ASSOCIATION_INTIMIDATION, 2)
            .add(PHYSICAL_VIOLENCE, 5).add(ABUSE_OF_POWER, 3).add(THREAT, 4).add(INSULT, 7);
    /** What often comes with it (a second category for about a third of incidents). */
    private static final Map<Category, List<Category>> COMPANIONS = Map.of(
            IDENTITY_CHECK, List.of(BODY_SEARCH, VEHICLE_SEARCH, INSULT, FINE),
            SURVEILLANCE_OBSERVATION, List.of(IDENTITY_CHECK, SURVEILLANCE_FILMING),
            SURVEILLANCE_FILMING, List.of(IDENTITY_CHECK, THREAT),
            VEHICLE_SEARCH, List.of(FINE, CONFISCATION),
            DISTRIBUTION_BAN, List.of(CONFISCATION, THREAT),
            PHYSICAL_VIOLENCE, List.of(INSULT, ARREST_DETENTION),
            THREAT, List.of(INSULT),
            ARREST_DETENTION, List.of(DENIAL_OF_RIGHTS));
    private static final Weighted<PoliceForce> FORCES = new Weighted<PoliceForce>()
            .add(PoliceForce.CRS, 70).add(PoliceForce.POLICE_NATIONALE, 14).add(PoliceForce.GENDARMERIE, 6)
            .add(PoliceForce.POLICE_AUX_FRONTIERES, 4).add(PoliceForce.POLICE_MUNICIPALE, 4)
            .add(PoliceForce.UNKNOWN, 2);
    private static final Weighted<IncidentStatus> STATUSES = new Weighted<IncidentStatus>()
            .add(IncidentStatus.SUBMITTED, 88).add(IncidentStatus.VERIFIED, 7).add(IncidentStatus.DRAFT, 3)
            .add(IncidentStatus.RETRACTED, 2);
    private static final ComplaintBody[] BODIES = ComplaintBody.values();
    private static final int COMPLAINT_EVERY = 40;
    private static final Weighted<ComplaintStatus> COMPLAINTS = new Weighted<ComplaintStatus>()
            .add(ComplaintStatus.FILED, 50).add(ComplaintStatus.DISMISSED, 25).add(ComplaintStatus.PLANNED, 20)
            .add(ComplaintStatus.UPHELD, 5);
    private static final Weighted<Integer> VOLUNTEERS_PER_INCIDENT = new Weighted<Integer>()
            .add(1, 55).add(2, 33).add(3, 9).add(0, 3);

    private final long seed;
    private final int incidents;
    private final List<DemoVolunteer> volunteers;
    private final Map<String, Weighted<DemoVolunteer>> activeVolunteers = new LinkedHashMap<>();

    /** The founding report's scale. */
    public static DemoData founding() {
        return new DemoData(DEFAULT_SEED, FOUNDING_INCIDENTS);
    }

    /** {@code incidents} incidents with volunteers in the founding proportion (at least one per organisation). */
    public DemoData(long seed, int incidents) {
        this.seed = seed;
        this.incidents = incidents;
        Random random = new Random(seed);
        int count = Math.max(ORGANISATIONS.size(),
                (int) Math.round((double) incidents * FOUNDING_VOLUNTEERS / FOUNDING_INCIDENTS));
        List<DemoVolunteer> all = new ArrayList<>();
        Map<String, Integer> numbers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            // Every organisation gets one first, then by its share of incidents.
            Organisation organisation = i < ORGANISATIONS.size() ? ORGANISATIONS.item(i) : ORGANISATIONS.pick(random);
            int number = numbers.merge(organisation.alias(), 1, Integer::sum);
            DemoVolunteer volunteer = new DemoVolunteer(organisation.alias(), uuid(random),
                    String.format("%s-V%03d", organisation.prefix(), number), GENDERS.pick(random),
                    NATIONALITIES.pick(random));
            all.add(volunteer);
            // A few volunteers report most incidents: activity falls off with the volunteer's rank.
            activeVolunteers.computeIfAbsent(organisation.alias(), a -> new Weighted<>()).add(volunteer,
                    100.0 / number);
        }
        this.volunteers = List.copyOf(all);
    }

    public long seed() {
        return seed;
    }

    public int incidentCount() {
        return incidents;
    }

    public List<DemoVolunteer> volunteers() {
        return volunteers;
    }

    /** The incidents, generated lazily (a million fit in a stream, not in a list); the same every call. */
    public Stream<DemoIncident> incidents() {
        Random random = new Random(seed * 31 + incidents);
        Map<String, Integer> numbers = new LinkedHashMap<>();
        return IntStream.range(0, incidents).mapToObj(i -> incident(i, random, numbers));
    }

    private DemoIncident incident(int index, Random random, Map<String, Integer> numbers) {
        Organisation organisation = ORGANISATIONS.pick(random);
        int number = numbers.merge(organisation.alias(), 1, Integer::sum);
        ZonedDateTime at = occurredAt(random);
        Commune commune = COMMUNES.pick(random);
        List<Category> categories = categories(random);
        // One incident in 40 led to a complaint, to each body in turn.
        boolean complained = index % COMPLAINT_EVERY == COMPLAINT_EVERY / 2;
        ComplaintStatus complaint = complained ? COMPLAINTS.pick(random) : ComplaintStatus.NONE;
        ComplaintBody body = complained ? BODIES[(index / COMPLAINT_EVERY) % BODIES.length] : null;
        LocalDate filedOn = complaint == ComplaintStatus.NONE || complaint == ComplaintStatus.PLANNED ? null
                : at.toLocalDate().plusDays(1 + random.nextInt(20));
        String site = commune.sites().get(random.nextInt(commune.sites().size()));
        return new DemoIncident(organisation.alias(), uuid(random),
                String.format("%s-%d-%05d", organisation.prefix(), at.getYear(), number),
                at.toOffsetDateTime(), commune.name(), site,
                commune.latitude() + (random.nextDouble() - 0.5) * 0.02,
                commune.longitude() + (random.nextDouble() - 0.5) * 0.03,
                categories, forces(random), 2 + random.nextInt(11), narrative(categories, site),
                complaint, body, filedOn,
                body == null ? null : String.format("%s/%d/%04d", body.code().toUpperCase(Locale.ROOT), at.getYear(),
                        random.nextInt(10_000)),
                STATUSES.pick(random), involved(random, organisation.alias(), categories));
    }

    /**
     * The incidents of {@code all} (this data's) that partners co-witnessed
     * and link into shared events: groups of two, every tenth of three, each
     * of counted incidents of as many organisations in one commune within
     * {@link #WITNESS_WINDOW}, spread over the period; about
     * {@link #FOUNDING_SHARED_EVENTS} at the founding scale, in proportion
     * at others.
     */
    public List<List<DemoIncident>> coWitnessed(List<DemoIncident> all) {
        int wanted = (int) Math.round((double) incidents * FOUNDING_SHARED_EVENTS / FOUNDING_INCIDENTS);
        List<DemoIncident> counted = all.stream()
                .filter(i -> i.status() == IncidentStatus.SUBMITTED || i.status() == IncidentStatus.VERIFIED)
                .sorted(Comparator.comparing(DemoIncident::occurredAt).thenComparing(DemoIncident::id)).toList();
        Set<UUID> used = new HashSet<>();
        List<List<DemoIncident>> groups = new ArrayList<>();
        for (int k = 0; k < wanted && !counted.isEmpty(); k++) {
            int size = k % 10 == 9 ? 3 : 2;
            for (int i = k * counted.size() / wanted; i < counted.size(); i++) {
                List<DemoIncident> group = witnessesOf(counted, i, size, used);
                if (group.size() == size) {
                    groups.add(group);
                    group.forEach(member -> used.add(member.id()));
                    break;
                }
            }
        }
        return groups;
    }

    /** Incident {@code first} and the next unused ones that can be reports of its occurrence, up to {@code size}. */
    private static List<DemoIncident> witnessesOf(List<DemoIncident> counted, int first, int size, Set<UUID> used) {
        DemoIncident seen = counted.get(first);
        List<DemoIncident> group = new ArrayList<>();
        if (used.contains(seen.id())) {
            return group;
        }
        group.add(seen);
        for (int j = first + 1; j < counted.size() && group.size() < size; j++) {
            DemoIncident other = counted.get(j);
            if (Duration.between(seen.occurredAt(), other.occurredAt()).compareTo(WITNESS_WINDOW) > 0) {
                break;
            }
            if (!used.contains(other.id()) && other.commune().equals(seen.commune())
                    && group.stream().noneMatch(member -> member.organization().equals(other.organization()))) {
                group.add(other);
            }
        }
        return group;
    }

    /** Mostly in the day and evening, Paris time. */
    private static ZonedDateTime occurredAt(Random random) {
        long days = Duration.between(START, END).toDays();
        ZonedDateTime day = START.atZone(PARIS).plusDays(random.nextInt((int) days));
        int minute = random.nextInt(10) < 9 ? 7 * 60 + random.nextInt(15 * 60) : random.nextInt(24 * 60);
        return day.plusMinutes(minute).withSecond(0);
    }

    private static List<Category> categories(Random random) {
        Category first = PRIMARY.pick(random);
        Set<Category> categories = new LinkedHashSet<>(List.of(first));
        List<Category> companions = COMPANIONS.get(first);
        if (companions != null && random.nextInt(100) < 45) {
            categories.add(companions.get(random.nextInt(companions.size())));
        }
        return List.copyOf(categories);
    }

    private static List<PoliceForce> forces(Random random) {
        Set<PoliceForce> forces = new LinkedHashSet<>(List.of(FORCES.pick(random)));
        if (random.nextInt(100) < 10) {
            forces.add(FORCES.pick(random));
        }
        return List.copyOf(forces);
    }

    private List<UUID> involved(Random random, String organisation, List<Category> categories) {
        int wanted = categories.contains(ASSOCIATION_INTIMIDATION) && random.nextBoolean() ? 0
                : VOLUNTEERS_PER_INCIDENT.pick(random);
        Weighted<DemoVolunteer> pool = activeVolunteers.get(organisation);
        Set<UUID> ids = new LinkedHashSet<>();
        for (int attempt = 0; ids.size() < Math.min(wanted, pool.size()) && attempt < 20; attempt++) {
            ids.add(pool.pick(random).id());
        }
        return List.copyOf(ids);
    }

    private static String narrative(List<Category> categories, String site) {
        return "Volunteers at " + site + " reported " + String.join(" and ",
                categories.stream().map(c -> c.label(Locale.ENGLISH).toLowerCase(Locale.ENGLISH)).toList())
                + ". (Generated demo record.)";
    }

    /** A version-4 UUID from the seeded generator, so ids are reproducible too. */
    private static UUID uuid(Random random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private record Organisation(String alias, String prefix) {
    }

    private record Commune(String name, double latitude, double longitude, List<String> sites) {
    }

    /** Picks items in proportion to their weights. */
    private static final class Weighted<T> {
        private final List<T> items = new ArrayList<>();
        private final List<Double> cumulative = new ArrayList<>();

        Weighted<T> add(T item, double weight) {
            items.add(item);
            cumulative.add((cumulative.isEmpty() ? 0 : cumulative.get(cumulative.size() - 1)) + weight);
            return this;
        }

        T pick(Random random) {
            double target = random.nextDouble() * cumulative.get(cumulative.size() - 1);
            int low = 0;
            int high = cumulative.size() - 1;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (cumulative.get(middle) > target) {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            return items.get(low);
        }

        T item(int index) {
            return items.get(index);
        }

        int size() {
            return items.size();
        }
    }
}
