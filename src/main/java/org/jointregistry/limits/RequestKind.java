package org.jointregistry.limits;

import java.util.function.Function;

/** The kinds of API request that draw on separate budgets (README, "Limits"). */
enum RequestKind {
    WRITES("writes", LimitsConfig::writes),
    READS("reads", LimitsConfig::reads),
    AGGREGATES("aggregates", LimitsConfig::aggregates);

    private static final String AGGREGATES_PATH = "/api/v1/aggregates";
    private static final String REPORTS_PATH = "/api/v1/reports";

    private final String policy;
    private final Function<LimitsConfig, LimitsConfig.Budget> budget;

    RequestKind(String policy, Function<LimitsConfig, LimitsConfig.Budget> budget) {
        this.policy = policy;
        this.budget = budget;
    }

    /** The policy's name in the RateLimit headers and in bucket keys. */
    String policy() {
        return policy;
    }

    LimitsConfig.Budget budget(LimitsConfig config) {
        return budget.apply(config);
    }

    static RequestKind of(String method, String path) {
        if (under(path, AGGREGATES_PATH) || under(path, REPORTS_PATH)) {
            return AGGREGATES;
        }
        return method.equals("GET") || method.equals("HEAD") ? READS : WRITES;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
