-- What the rollups (V1, R__aggregate_rollup.sql) were last rebuilt from: one
-- row, written by afterMigrate.sql, which rebuilds them when the fingerprint
-- of their definition no longer matches. Not granted to the service role.
CREATE TABLE aggregate_rollup_state (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    fingerprint  text NOT NULL,
    rebuilt_at   timestamptz NOT NULL
);
