package org.jointregistry.aggregate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;
import org.jointregistry.limits.Expensive;

/**
 * The shared figures: counts from the database door, sorted, zero-filled for
 * time series, then protected ({@link Protection}: volunteers perturbed, rows
 * by a volunteer attribute suppressed and perturbed; other incidents and
 * events exact). Each figure
 * is read in a transaction (joining a report's), so that its statements are
 * bounded by the statement timeout; each is {@link Expensive}.
 */
@ApplicationScoped
public class AggregateService {

    /** The longest time series one request may ask for. */
    static final int MAX_BUCKETS = 10_000;

    @Inject
    AggregateRepository repository;

    @Inject
    AggregateSettings settings;

    public int minCellSize() {
        return settings.minCellSize();
    }

    /**
     * Makes the current transaction read one snapshot of the data, for a
     * document composed of several counts; must come first in the transaction.
     */
    public void readConsistently() {
        repository.readConsistently();
    }

    @Transactional
    @Expensive
    public Summary summary(AggregateFilter filter) {
        return repository.summary(filter, minCellSize());
    }

    @Transactional
    @Expensive
    public Counts counts(List<Dimension> dimensions, AggregateFilter filter) {
        AggregateRepository.Breakdown counted = repository.counts(dimensions, filter);
        List<Counted> rows = new ArrayList<>(counted.rows());
        rows.sort(order(dimensions));
        int k = minCellSize();
        return new Counts(dimensions.stream().map(Dimension::apiName).toList(), k, Perturbation.MAX,
                Protection.rows(rows, dimensions, k), Protection.total(counted.total(), k));
    }

    /**
     * One row per bucket from the filter's first day (else the first counted
     * incident's) to its last day (else the last incident's), empty buckets
     * as zero rows.
     */
    @Transactional
    @Expensive
    public Timeseries timeseries(Interval interval, AggregateFilter filter) {
        List<Dimension> dimensions = List.of(interval.dimension());
        AggregateRepository.Breakdown counted = repository.counts(dimensions, filter);
        Map<LocalDate, Counted> byBucket = counted.rows().stream()
                .collect(Collectors.toMap(r -> interval.parse(r.key().get(0)), Function.identity()));
        LocalDate first = filter.from() != null ? filter.from()
                : byBucket.keySet().stream().min(Comparator.naturalOrder()).orElse(null);
        LocalDate last = filter.to() != null ? filter.to()
                : byBucket.keySet().stream().max(Comparator.naturalOrder()).orElse(null);
        List<Counted> rows = new ArrayList<>();
        if (first != null && last != null && !last.isBefore(first)) {
            LocalDate end = interval.start(last);
            for (LocalDate bucket = interval.start(first); !bucket.isAfter(end); bucket = interval.next(bucket)) {
                if (rows.size() == MAX_BUCKETS) {
                    throw new ProblemException(ProblemType.INVALID_PARAMETER, "The series would be too long.",
                            List.of(new Problem.FieldError("interval", "the period holds more than " + MAX_BUCKETS
                                    + " buckets of this interval: narrow from/to or use a longer interval")),
                            Map.of());
                }
                Counted row = byBucket.get(bucket);
                rows.add(row != null ? row : Counted.empty(List.of(interval.label(bucket))));
            }
        }
        int k = minCellSize();
        return new Timeseries(interval.code(), k, Perturbation.MAX, Protection.rows(rows, dimensions, k),
                Protection.total(counted.total(), k));
    }

    private static Comparator<Counted> order(List<Dimension> dimensions) {
        Comparator<Counted> order = (a, b) -> 0;
        for (int i = 0; i < dimensions.size(); i++) {
            int index = i;
            order = order.thenComparing(r -> r.key().get(index), dimensions.get(i).order());
        }
        return order;
    }
}
