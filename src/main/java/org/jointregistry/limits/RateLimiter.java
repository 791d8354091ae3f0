package org.jointregistry.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jointregistry.common.RegistryClock;

/**
 * Token buckets per organisation and per client, one pair for each
 * {@link RequestKind}, kept by Bucket4j in PostgreSQL (rate_limit_bucket) so
 * that every replica draws on the same budgets and a restart forgets none.
 * Each budget refills in full once per window ("intervally"), which is what
 * the RateLimit headers' quota-per-window model describes.
 */
@ApplicationScoped
public class RateLimiter {

    /** Expired rows deleted per sweep: few, so that the request that sweeps is hardly slowed. */
    private static final int SWEEP_BATCH = 200;
    /** Draws between sweeps (in this replica). */
    private static final long SWEEP_EVERY = 5000;

    @Inject
    LimitsConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    RegistryClock clock;

    private final AtomicLong drawsMade = new AtomicLong();
    private PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    /** How one budget stood after a request drew on it. */
    public record Draw(String policy, long quota, Duration window, ConsumptionProbe probe) {

        public boolean allowed() {
            return probe.isConsumed();
        }

        /** Whole seconds until the budget refills (at least 1 when it is empty). */
        public long secondsToReset() {
            long nanos = probe.isConsumed() ? probe.getNanosToWaitForReset() : probe.getNanosToWaitForRefill();
            long seconds = (TimeUnit.NANOSECONDS.toMillis(nanos) + 999) / 1000;
            return probe.isConsumed() ? seconds : Math.max(1, seconds);
        }
    }

    @PostConstruct
    void init() {
        // The registry's one clock (tests may move it), so budgets refill on the same time as everything else.
        TimeMeter registryTime = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.now();
                return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket")
                .clientClock(registryTime)
                // A row is worth keeping until its bucket would be full again anyway.
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
                .build();
    }

    /**
     * Draws one request of {@code kind} from the budget of {@code client}
     * and then, if the client's budget allowed it, from that of
     * {@code organization} (when the caller acts for one): so a client over
     * its own budget does not use up its organisation's, which its other
     * tools share. Answers each budget drawn on, the client's first.
     */
    public List<Draw> draw(RequestKind kind, Optional<String> organization, String client) {
        LimitsConfig.Budget budget = kind.budget(config);
        List<Draw> draws = new ArrayList<>(2);
        Draw own = draw(kind.policy() + "-client", "client|" + client, budget.client(), budget.window());
        draws.add(own);
        if (own.allowed() && organization.isPresent()) {
            draws.add(draw(kind.policy() + "-organization", "org|" + organization.get(), budget.organization(),
                    budget.window()));
        }
        if (drawsMade.incrementAndGet() % SWEEP_EVERY == 0) {
            // Rows of buckets that have refilled in full answer as a new bucket would: only their space is lost.
            buckets.removeExpired(SWEEP_BATCH);
        }
        return draws;
    }

    /**
     * Draws one from the budget {@code policy} of {@code owner}: {@code quota}
     * per {@code window}, refilled in full once per window. Also for budgets
     * drawn on by something other than requests (failed link-code redemptions).
     */
    public Draw draw(String policy, String owner, long quota, Duration window) {
        ConsumptionProbe probe = bucket(policy, owner, quota, window).tryConsumeAndReturnRemaining(1);
        return new Draw(policy, quota, window, probe);
    }

    /**
     * Whole seconds until that budget has one left, 0 when it has one now;
     * draws nothing (for a budget drawn on only when what it guards fails).
     */
    public long secondsUntilAvailable(String policy, String owner, long quota, Duration window) {
        EstimationProbe probe = bucket(policy, owner, quota, window).estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? 0 : Math.max(1, (TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForRefill())
                + 999) / 1000);
    }

    private Bucket bucket(String policy, String owner, long quota, Duration window) {
        // The quota and window are part of the key: a deployment that changes them starts fresh budgets.
        String key = policy + "|" + quota + "/" + window + "|" + owner;
        BucketConfiguration shape = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(quota).refillIntervally(quota, window))
                .build();
        return buckets.builder().build(key, () -> shape);
    }
}
