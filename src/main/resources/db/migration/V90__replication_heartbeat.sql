-- The replication heartbeat: one row whose time every registry instance with a
-- read replica configured sets on the primary once a second (replica.Heartbeat).
-- A standby replays it in commit order, so the time it reads there is a lower
-- bound of its data's currency: every transaction committed on the primary
-- before that time is replayed too (the pt-heartbeat technique). It holds no
-- tenant data, so row-level security does not apply.
CREATE TABLE replication_heartbeat (
    id       smallint PRIMARY KEY CHECK (id = 1),
    beat_at  timestamptz NOT NULL
);
INSERT INTO replication_heartbeat (id, beat_at) VALUES (1, now());
GRANT SELECT, UPDATE (beat_at) ON replication_heartbeat TO ${app_role};
