-- The change feed's numbering: incident_revision_number_change, fired by the
-- trigger of the same name before each revision insert, gives the revision its
-- position in the feed (change_seq, from incident_change_seq).
--
-- Every change of an incident (create, update, delete) appends a revision in
-- the same transaction, so the revision table is the change log.
--
-- Sequence numbers alone are not commit order: a transaction can take number
-- 10, commit after the one that took 11, and be skipped by a reader that had
-- already passed 11. So the trigger first takes a transaction-scoped advisory
-- lock per organisation, held until commit: an organisation's writers number
-- their changes one transaction at a time, and within an organisation number
-- order is commit order. A reader that has seen number n committed has seen
-- every smaller number of that organisation, so "after n" is a safe cursor.
--
-- Why not the transaction-id alternative (serve only changes older than
-- pg_snapshot_xmin(pg_current_snapshot())): that horizon is cluster-wide, so
-- any long transaction anywhere on the server (a rollup rebuild, a report, a
-- forgotten session) stalls every organisation's feed for as long as it runs.
-- The lock is per organisation and held only from the first revision insert
-- (the flush just before commit) to the commit; partners write at a human
-- pace, so the serialisation costs nothing noticeable.
-- Repeatable: rerun whenever this text changes, so every statement replaces.
CREATE OR REPLACE FUNCTION incident_revision_number_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('incident_change:' || NEW.organization, 0));
    NEW.change_seq := nextval('incident_change_seq');
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER incident_revision_number_change BEFORE INSERT ON incident_revision
    FOR EACH ROW EXECUTE FUNCTION incident_revision_number_change();
