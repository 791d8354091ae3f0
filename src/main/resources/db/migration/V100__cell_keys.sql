-- Cell keys (README "What the figures protect"): every volunteer and every
-- incident gets a random key once, when its row is inserted, never derived
-- from an id and never changed by the service (which maps no such column).
-- The aggregate door sums the keys of a cell's contributors (volunteers for
-- a `volunteers` figure, incidents for the incidents and events of a gender or
-- nationality row) modulo 2^32 into the cell's key, and the service perturbs
-- the figure by a fixed table looked up with it. The same contributors always
-- give the same key, so the same cell is published with the same value by
-- every query that has it, and a dump or copy of the rows (keys included)
-- reproduces every figure and snapshot. The keys are 32 random bits of a
-- version-4 UUID (its first 8 hex digits, which are all random); existing
-- rows get one each here (the default is volatile, so evaluated per row).
-- The keys never leave the door: only sums of them modulo 2^32 do.
ALTER TABLE volunteer ADD COLUMN cell_key bigint NOT NULL
    DEFAULT ('x' || left(gen_random_uuid()::text, 8))::bit(32)::bigint
    CHECK (cell_key BETWEEN 0 AND 4294967295);
ALTER TABLE incident ADD COLUMN cell_key bigint NOT NULL
    DEFAULT ('x' || left(gen_random_uuid()::text, 8))::bit(32)::bigint
    CHECK (cell_key BETWEEN 0 AND 4294967295);
