-- The change feed's numbering: incident_change_number() gives each committed,
-- not yet numbered revision of the calling organisation its position in the
-- feed (change_seq, from incident_change_seq). The feed's reader calls it at
-- the start of its transaction (incident.IncidentChanges), then serves changes
-- by position.
--
-- Every change of an incident (create, update, delete) appends a revision in
-- the same transaction, so the revision table is the change log.
--
-- The guarantee: a reader that has been served position n will only ever find
-- committed changes above n that it has not been served, so "after n" is a
-- safe cursor. Numbers taken by writers would not give it (a transaction can
-- take 10, commit after the one that took 11, and be skipped by a reader that
-- had already passed 11); until V110 each writer therefore took a lock per
-- organisation from its flush to its commit, which queued an organisation's
-- commits, WAL flushes included, one behind the other.
--
-- Instead, positions are given after commit, in the order the numberer sees
-- commits: the "polling publisher" of the transactional outbox pattern
-- (microservices.io/patterns/data/polling-publisher.html), with the feed's
-- readers as the publisher. A revision is inserted without a position; an
-- UPDATE sees only committed rows (a writer still in flight is invisible to it
-- and keeps its revision unnumbered for a later call). Numberers of one
-- organisation take its lock, held to their commit, so they run one at a time
-- and each starts after the previous one's numbers are committed and visible;
-- incident_change_seq hands out increasing values (CACHE 1, the default: a
-- per-session cache would hand out interleaved ranges), so each call's numbers
-- are above every number given before. A reader serves, inside the same
-- transaction and under the same lock, only numbered rows: all committed.
-- Writers take no lock for the feed at all.
--
-- Why not the transaction-id alternative (number by pg_current_xact_id() and
-- serve only changes below pg_snapshot_xmin(pg_current_snapshot())): that
-- horizon is cluster-wide, so any long writing transaction anywhere on the
-- server (a rollup rebuild, a migration, an operator's forgotten session, a
-- partner's write waiting on a row lock) would stall every organisation's
-- feed for as long as it runs. Here a transaction in flight delays only its
-- own changes. The price: a read of the feed writes (the positions, in the
-- revisions it serves for the first time), and two readers of one
-- organisation take turns.
-- Repeatable: rerun whenever this text changes, so every statement replaces.
DROP TRIGGER IF EXISTS incident_revision_number_change ON incident_revision;
DROP FUNCTION IF EXISTS incident_revision_number_change();

-- Runs as the owner (the service role may insert and read revisions, never
-- update them), and only on the calling organisation's rows: row-level
-- security is forced on the owner too (V2), keyed on app.organization.
-- Within a call, positions follow the revisions' transaction start, then
-- incident and revision number, so an incident's revisions stay in order.
-- Returns how many it numbered.
CREATE OR REPLACE FUNCTION incident_change_number() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    org text := current_setting('app.organization', true);
    numbered bigint;
BEGIN
    IF coalesce(org, '') = '' THEN
        RAISE EXCEPTION 'incident_change_number needs app.organization';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('incident_change:' || org, 0));
    -- Materialised: each pending revision takes one number, once, in this order.
    WITH n AS MATERIALIZED (
        SELECT p.incident_id, p.revision, nextval('incident_change_seq') AS seq
        FROM (SELECT u.incident_id, u.revision FROM incident_revision u
              WHERE u.organization = org AND u.change_seq IS NULL
              ORDER BY u.at, u.incident_id, u.revision) AS p)
    UPDATE incident_revision r SET change_seq = n.seq
    FROM n
    WHERE r.organization = org AND r.incident_id = n.incident_id AND r.revision = n.revision;
    GET DIAGNOSTICS numbered = ROW_COUNT;
    RETURN numbered;
END $$;

REVOKE ALL ON FUNCTION incident_change_number() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION incident_change_number() TO ${app_role};
