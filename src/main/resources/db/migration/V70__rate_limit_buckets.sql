-- Rate limits (issue 18): the token buckets of limits/RateLimiter, in the
-- table layout Bucket4j's PostgreSQL backend reads and writes (one row per
-- budget, the bucket's state serialised by Bucket4j). Kept here, not in the
-- service's memory, so that every replica draws on the same budgets.
-- Keys name a budget ("reads-organization|6000/PT1M|org|utopia-56"; a
-- client's holds the token's azp and subject id), never a person's name or a
-- token; rows hold counts only, no testimony, so the
-- table is no tenant table and has no row-level security: the budgets of an
-- organisation are checked before its tenant transaction starts.
-- expires_at (epoch milliseconds) is when a bucket would be full again, after
-- which its row says nothing; RateLimiter deletes such rows now and then.
CREATE TABLE rate_limit_bucket (
    id          text PRIMARY KEY,
    state       bytea,
    expires_at  bigint
);
GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_bucket TO ${app_role};
