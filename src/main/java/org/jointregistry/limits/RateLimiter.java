package org.jointregistry.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jointregistry.common.RegistryClock;

/**
 * Token buckets per organisation and per client, one pair for each
 * {@link RequestKind}, kept by Bucket4j in PostgreSQL (rate_limit_bucket) so
 * that every replica draws on the same budgets and a restart forgets none.
 * Each budget refills in full once per window ("intervally"), which is what
 * the RateLimit headers' quota-per-window model describes.
 *
 * <p>A replica does not go to PostgreSQL for every request: it takes a few
 * tokens of a budget at once (a {@link Lease}, at most
 * {@link LimitsConfig#replicaReservation()} and at most a hundredth of the
 * budget) and admits requests from them until they run out or the window
 * ends, topping them up in the background before they do. The per-request round trip to the bucket row was what the limits
 * cost (a pooled connection, a locked read, a rewrite and a durable commit
 * per budget: 30-40% of a GET by id, measured), whatever the bucket's
 * algorithm. What this changes, and only this: a budget is never exceeded
 * within a window (every admitted request was drawn from the shared bucket,
 * and a lease dies with its window), but a client may be refused while other
 * replicas still hold unspent tokens of its budget, at most
 * (replicas - 1) x (reservation - 1) of them. The last tokens of a window are
 * drawn one by one, and budgets under 200 (the tests', the aggregates') are
 * always drawn one by one, exactly as before.
 */
@ApplicationScoped
public class RateLimiter {

    /** Expired rows deleted per sweep: few, so that the request that sweeps is hardly slowed. */
    private static final int SWEEP_BATCH = 200;
    /** Draws between sweeps (in this replica). */
    private static final long SWEEP_EVERY = 5000;
    /** A replica holds at most this share of any budget ahead of its requests. */
    private static final long RESERVED_SHARE = 100;

    @Inject
    LimitsConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    RegistryClock clock;

    private final AtomicLong drawsMade = new AtomicLong();
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    /** Background draws that top up half-spent leases; daemon threads, at most one per lease at a time. */
    private final ExecutorService topUps = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "rate-limit-top-up");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * How one budget stood after a request drew on it: {@code remaining} as
     * this replica knows it (the shared bucket at its last draw, plus what it
     * holds), {@code nanosToWait} until the budget is full again when the
     * request was admitted, or until it has a token when it was refused.
     */
    public record Draw(String policy, long quota, Duration window, boolean allowed, long remaining,
            long nanosToWait) {

        /** Whole seconds until the budget refills (at least 1 when it is empty). */
        public long secondsToReset() {
            long seconds = (TimeUnit.NANOSECONDS.toMillis(nanosToWait) + 999) / 1000;
            return allowed ? seconds : Math.max(1, seconds);
        }
    }

    @PreDestroy
    void stop() {
        topUps.shutdownNow();
    }

    @PostConstruct
    void init() {
        // The registry's one clock (tests may move it), so budgets refill on the same time as everything else.
        TimeMeter registryTime = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanos(clock.now());
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
            sweep();
        }
        return draws;
    }

    /**
     * Admits one request on the budget {@code policy} of {@code owner}
     * ({@code quota} per {@code window}, refilled in full once per window),
     * from this replica's lease of it.
     */
    Draw draw(String policy, String owner, long quota, Duration window) {
        return take(policy, owner, quota, window, reservation(quota));
    }

    /**
     * Takes one token of the budget {@code policy} of {@code owner}
     * ({@code quota} per {@code window}, refilled in full once per window)
     * for something that may give it back ({@link #giveBack}): failed
     * link-code redemptions take one before each attempt and give it back
     * when the attempt did not fail. Drawn one by one from the shared bucket.
     */
    public Draw take(String policy, String owner, long quota, Duration window) {
        return take(policy, owner, quota, window, 1);
    }

    /**
     * Returns a token taken with {@link #take(String, String, long, Duration)}
     * that was not used up: this replica holds it for the next taker, until
     * the window it was drawn in ends (then the bucket is full again anyway).
     */
    public void giveBack(String policy, String owner, long quota, Duration window) {
        Lease lease = leases.get(key(policy, owner, quota, window));
        if (lease != null) {
            lease.giveBack(clock.now());
        }
    }

    private Draw take(String policy, String owner, long quota, Duration window, long reservation) {
        String key = key(policy, owner, quota, window);
        return leases.computeIfAbsent(key, k -> new Lease(() -> bucket(key, quota, window)))
                .take(clock.now(), policy, quota, window, reservation);
    }

    private long reservation(long quota) {
        return Math.max(1, Math.min(config.replicaReservation(), quota / RESERVED_SHARE));
    }

    private void sweep() {
        // Rows of buckets that have refilled in full answer as a new bucket would: only their space is lost.
        buckets.removeExpired(SWEEP_BATCH);
        long now = nanos(clock.now());
        leases.values().removeIf(lease -> lease.expired(now));
    }

    /** The quota and window are part of the key: a deployment that changes them starts fresh budgets. */
    private static String key(String policy, String owner, long quota, Duration window) {
        return policy + "|" + quota + "/" + window + "|" + owner;
    }

    private Bucket bucket(String key, long quota, Duration window) {
        BucketConfiguration shape = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(quota).refillIntervally(quota, window))
                .build();
        return buckets.builder().build(key, () -> shape);
    }

    private static long nanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    /**
     * The tokens of one budget this replica has drawn from the shared bucket
     * and not yet admitted a request with, valid within the window they were
     * drawn in: from the draw until the bucket's next refill, and never when
     * the clock reads earlier than the draw (tests move it back and forth).
     *
     * <p>Once three quarters of a lease are spent, it is topped up in the
     * background (one draw at a time per budget), so that requests do not
     * queue behind the round trip (a locked read, a rewrite and a durable
     * commit, a few milliseconds: a whole lease's worth of requests at
     * several hundred a second): they spend the last quarter meanwhile. A taker waits for
     * a draw only when the lease is empty, and then for the one in flight
     * before drawing itself. A top-up never makes the lease hold more than
     * reservation - 1 once its taker is served, so the bound on what another
     * replica may hold unspent is unchanged.
     */
    private final class Lease {

        private final Supplier<Bucket> bucket;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition toppedUp = lock.newCondition();
        private long held;
        private long sharedRemaining;
        private long drawnAt;
        private long endsAt;
        private boolean topping;

        Lease(Supplier<Bucket> bucket) {
            this.bucket = bucket;
        }

        Draw take(Instant at, String policy, long quota, Duration window, long reservation) {
            long now = nanos(at);
            // A lock, not synchronized: the draw below blocks on JDBC, and concurrent takers of the same
            // budget should wait for its outcome rather than draw beside it.
            lock.lock();
            try {
                while (topping && !(valid(now) && held > 0)) {
                    toppedUp.awaitUninterruptibly();
                }
                if (!valid(now)) {
                    held = 0;
                }
                if (held == 0) {
                    long drawn = reservation;
                    ConsumptionProbe probe = bucket.get().tryConsumeAndReturnRemaining(drawn);
                    if (!probe.isConsumed() && drawn > 1) {
                        // The window's last tokens go one by one, so none is refused while any is left.
                        drawn = 1;
                        probe = bucket.get().tryConsumeAndReturnRemaining(drawn);
                    }
                    if (!probe.isConsumed()) {
                        return new Draw(policy, quota, window, false, 0, probe.getNanosToWaitForRefill());
                    }
                    held = drawn;
                    sharedRemaining = probe.getRemainingTokens();
                    drawnAt = now;
                    endsAt = now + probe.getNanosToWaitForReset();
                }
                held--;
                Draw admitted = new Draw(policy, quota, window, true, sharedRemaining + held, endsAt - now);
                long topUp = reservation - 1 - held;
                if (held <= reservation / 4 && topUp > 0 && topUp <= sharedRemaining && !topping) {
                    topping = true;
                    topUps.execute(() -> topUp(topUp));
                }
                return admitted;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Draws {@code tokens} more and adds them to the lease. Tokens drawn in
         * a later window than the lease's replace it; added to a lease of their
         * own window, they end with it. A failed draw adds nothing: the next
         * taker to find the lease empty draws, and meets the failure itself.
         */
        private void topUp(long tokens) {
            long start = nanos(clock.now());
            ConsumptionProbe probe = null;
            try {
                probe = bucket.get().tryConsumeAndReturnRemaining(tokens);
            } catch (RuntimeException e) {
                // Left to the next taker's own draw, as above.
            }
            lock.lock();
            try {
                if (probe != null && probe.isConsumed()) {
                    long ends = start + probe.getNanosToWaitForReset();
                    if (valid(nanos(clock.now()))) {
                        held += tokens;
                        drawnAt = Math.max(drawnAt, start);
                        endsAt = Math.min(endsAt, ends);
                    } else {
                        held = tokens;
                        drawnAt = start;
                        endsAt = ends;
                    }
                    sharedRemaining = probe.getRemainingTokens();
                }
                topping = false;
                toppedUp.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void giveBack(Instant at) {
            lock.lock();
            try {
                if (valid(nanos(at))) {
                    held++;
                }
            } finally {
                lock.unlock();
            }
        }

        boolean expired(long now) {
            lock.lock();
            try {
                return !topping && !valid(now);
            } finally {
                lock.unlock();
            }
        }

        private boolean valid(long now) {
            return drawnAt <= now && now < endsAt;
        }
    }
}
