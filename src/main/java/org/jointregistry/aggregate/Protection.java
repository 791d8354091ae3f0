package org.jointregistry.aggregate;

import java.util.ArrayList;
import java.util.List;

/**
 * What a breakdown publishes of the door's true counts (README "What the
 * figures protect"). Every count of volunteers is perturbed
 * ({@link Perturbation}, floor k: 1 to k-1 volunteers are withheld). A
 * breakdown by a volunteer attribute (gender, nationality) is about those
 * volunteers: its rows are suppressed as {@link Suppression} says, and its
 * other rows' incidents and events are perturbed with the incidents' key. The
 * incidents and events of every other row, and of every total, are exact:
 * they are facts of reports that the filters publish exactly anyway (a total
 * filtered to the row's values is the row), and no exact figure carries a
 * volunteer attribute, since no filter selects by one.
 */
final class Protection {

    private Protection() {
    }

    static List<CountRow> rows(List<Counted> counted, List<Dimension> dimensions, int k) {
        boolean aboutVolunteers = aboutVolunteers(dimensions);
        List<CountRow> exact = counted.stream()
                .map(c -> new CountRow(c.key(), dimensions, c.incidents(), c.events(), c.volunteers(), false))
                .toList();
        List<CountRow> suppressed = aboutVolunteers ? Suppression.apply(exact, k) : exact;
        List<CountRow> rows = new ArrayList<>(counted.size());
        for (int i = 0; i < counted.size(); i++) {
            Counted c = counted.get(i);
            Long volunteers = volunteers(c.volunteers(), c.volunteerKey(), k);
            if (suppressed.get(i).suppressed()) {
                rows.add(suppressed.get(i));
            } else if (aboutVolunteers) {
                long incidentKey = c.incidentKey() == null ? 0 : c.incidentKey();
                rows.add(new CountRow(c.key(), dimensions, Perturbation.publish(c.incidents(), incidentKey, 1),
                        Perturbation.publish(c.events(), incidentKey, 1), volunteers, false));
            } else {
                // Only the volunteers are withheld when few: the row's incidents are a report fact.
                rows.add(new CountRow(c.key(), dimensions, c.incidents(), c.events(), volunteers,
                        volunteers == null));
            }
        }
        return rows;
    }

    static Counts.Total total(Counted total, int k) {
        return new Counts.Total(total.incidents(), total.events(),
                volunteers(total.volunteers(), total.volunteerKey(), k));
    }

    /** A count of distinct volunteers as published: perturbed, withheld when 1 to k-1. */
    static Long volunteers(long volunteers, long volunteerKey, int k) {
        return Perturbation.publish(volunteers, volunteerKey, k);
    }

    static boolean aboutVolunteers(List<Dimension> dimensions) {
        return dimensions.contains(Dimension.GENDER) || dimensions.contains(Dimension.NATIONALITY);
    }
}
