package org.jointregistry.bench;

/** What one load run measured: throughput, latency percentiles and failures. */
record LoadResult(double perSecond, double p50Millis, double p99Millis, long requests, long failures) {

    static LoadResult ofLatencies(double[] millis, double seconds, long failures) {
        double[] sorted = millis.clone();
        java.util.Arrays.sort(sorted);
        return new LoadResult(sorted.length / seconds, percentile(sorted, 50), percentile(sorted, 99), sorted.length,
                failures);
    }

    /** Several runs of one measurement: their mean rate and percentiles, their requests and failures summed. */
    static LoadResult mean(java.util.List<LoadResult> runs) {
        return new LoadResult(runs.stream().mapToDouble(LoadResult::perSecond).average().orElse(Double.NaN),
                runs.stream().mapToDouble(LoadResult::p50Millis).average().orElse(Double.NaN),
                runs.stream().mapToDouble(LoadResult::p99Millis).average().orElse(Double.NaN),
                runs.stream().mapToLong(LoadResult::requests).sum(), runs.stream().mapToLong(LoadResult::failures).sum());
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
