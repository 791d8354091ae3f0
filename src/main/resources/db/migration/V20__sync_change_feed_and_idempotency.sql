-- Partner sync: the change feed's position of every incident change, and
-- replayable responses for Idempotency-Key.
--
-- Change feed. Every change of an incident (create, update, delete) appends a
-- revision in the same transaction, so the revision table is the change log.
-- Each revision row gets, through column defaults (no application code, no
-- trigger), the id of the transaction that wrote it and a number from a
-- sequence. The feed orders by (change_xid, change_seq) and serves only rows
-- whose transaction is older than every transaction still running
-- (change_xid < pg_snapshot_xmin(pg_current_snapshot())): such transactions
-- are over, and any later writer gets a larger transaction id, so no row can
-- ever appear before a position the feed has already handed out. Sequence
-- numbers alone would not do: a transaction can take number 10, commit after
-- the one that took 11, and be skipped by a reader that had already read 11.
CREATE SEQUENCE incident_change_seq;

ALTER TABLE incident_revision
    ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('incident_change_seq');

CREATE INDEX incident_revision_change_idx ON incident_revision (organization, change_xid, change_seq);

GRANT USAGE ON SEQUENCE incident_change_seq TO ${app_role};

-- Idempotency-Key: the replayed response carries the ETag of the first one;
-- keys expire after 24 hours, purged per organisation by created_at.
ALTER TABLE idempotency_key ADD COLUMN etag text;
CREATE INDEX idempotency_key_created_idx ON idempotency_key (organization, created_at);
