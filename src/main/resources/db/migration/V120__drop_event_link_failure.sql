-- Failed link-code redemptions are counted by the rate limiter now (issue 18): a Bucket4j budget per
-- organisation in rate_limit_bucket, like every request budget. The fixed-window table is left unused;
-- its counts were only ever worth a window (15 minutes by default), so none is carried over.
DROP TABLE event_link_failure;
