-- The shared events' side of the rollups (R__aggregate_rollup.sql says how it
-- is kept): per cell of aggregate_rollup_cell's scopes, how many occurrences
-- the cell's linked reports make minus how many linked reports it has, so that
--     events = incidents + correction
-- is read from maintained state instead of a scan of the linked reports.
--
-- organization: null for the cells over all organisations (an event counts
-- once there, whatever its partners), or an alias for the cells of a breakdown
-- by organisation (an event counts in each of its partners' rows). Family
-- 'sharedEvents' (period 'all', no value, no organisation) counts the events
-- with counted reports of two or more organisations. stripe as in
-- aggregate_rollup_cell: concurrent writers spread their increments over 8
-- rows, readers sum them. Not a tenant table: it holds no row of one
-- organisation's space, only counts, and is read only through the door.
CREATE TABLE aggregate_event_cell (
    organization  text,
    period        text NOT NULL,
    family        text NOT NULL,
    value         text,
    stripe        smallint NOT NULL,
    correction    bigint NOT NULL DEFAULT 0,
    UNIQUE NULLS NOT DISTINCT (organization, period, family, value, stripe)
);
