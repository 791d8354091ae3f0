-- The rollups answer breakdowns by the volunteers' gender and nationality too
-- (issue 13; R__aggregate_rollup.sql says how).
--
-- incident_keys: per cell, the sum of its counted incidents' cell keys (V100),
-- which the perturbation of a gender or nationality row reads (modulo 2^32,
-- as aggregate_cell_key reduces the scan's sum). Kept for every family, since
-- one upsert writes the whole cell row anyway. volunteer_keys: the sum of its
-- members' keys, which every volunteers figure is perturbed with; before,
-- each read summed them over the memberships, which at a million incidents
-- means millions of membership rows per breakdown.
ALTER TABLE aggregate_rollup_cell ADD COLUMN incident_keys bigint NOT NULL DEFAULT 0;
ALTER TABLE aggregate_rollup_cell ADD COLUMN volunteer_keys bigint NOT NULL DEFAULT 0;

-- Per incident with volunteers, the distinct genders and nationalities of its
-- volunteers (sorted, a null nationality as a null element): the gender and
-- nationality scopes it counts in. No row: no volunteers, the scopes of "not
-- recorded" ('{NULL}'). Derived from incident_volunteer and volunteer and kept
-- by the same triggers as the rollups, so that the previous scopes of an
-- incident are read, not recomputed from a state a concurrent writer has
-- already changed. Not a tenant table, like the rollups: only the owner reads
-- it, inside the door. It never holds a volunteer's id. No foreign key to
-- incident, like the rollups (a TRUNCATE of incident rebuilds them all): a
-- hard delete's trigger removes the row with the incident's counts.
CREATE TABLE aggregate_incident_attributes (
    organization   text NOT NULL,
    incident_id    uuid NOT NULL,
    genders        text[] NOT NULL,
    nationalities  text[] NOT NULL,
    PRIMARY KEY (organization, incident_id)
);
