-- Report snapshots are evidence: once written, never changed. The service role
-- has no UPDATE or DELETE grant (V3); report_snapshot_refuse_change, fired by
-- the triggers report_snapshot_immutable (UPDATE, DELETE) and
-- report_snapshot_no_truncate (TRUNCATE), refuses them to every role, the
-- owner included.
-- Repeatable: rerun whenever this text changes, so every statement replaces.
CREATE OR REPLACE FUNCTION report_snapshot_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'report snapshots are immutable (% refused)', TG_OP USING ERRCODE = '42501';
END $$;

CREATE OR REPLACE TRIGGER report_snapshot_immutable
    BEFORE UPDATE OR DELETE ON report_snapshot
    FOR EACH ROW EXECUTE FUNCTION report_snapshot_refuse_change();

CREATE OR REPLACE TRIGGER report_snapshot_no_truncate
    BEFORE TRUNCATE ON report_snapshot
    FOR EACH STATEMENT EXECUTE FUNCTION report_snapshot_refuse_change();
