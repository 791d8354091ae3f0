-- The change feed is numbered after commit, by its readers (R__change_feed.sql),
-- instead of by every writer under a per-organisation lock held to its commit:
-- a revision is inserted without a position and gets one once it is committed
-- and a reader of its organisation asks for changes. Positions already given
-- stay, so cursors handed out before keep their meaning.
ALTER TABLE incident_revision ALTER COLUMN change_seq DROP NOT NULL;

-- The revisions still to number, per organisation: an idle reader's question
-- ("anything new?") reads this index, which holds only the unnumbered ones.
CREATE INDEX incident_revision_unnumbered_idx ON incident_revision (organization) WHERE change_seq IS NULL;
