-- Shared events (contract §8): partners link their own reports of one
-- occurrence into an event, by consent, through single-use link codes.
--
-- Every table here is a tenant table (row-level security as in V2):
-- * shared_event: the event, a row of the organisation that founded it (the
--   first to issue a code). Other partners never read it; they only refer to
--   its id.
-- * incident.event_id: membership. An incident is in at most one event, and
--   the column is the organisation's own row, so joining and leaving write
--   only the acting organisation's incident (version, revision, change feed).
-- * event_link_code: issued codes, a row of the issuing organisation. Only a
--   SHA-256 hash of the code is stored; the code itself never reaches the
--   database.
-- * event_link_failure: failed redemptions per organisation and fixed window,
--   so the limit survives restarts and holds across replicas.
-- The cross-tenant steps (redeeming another organisation's code, naming an
-- event's partners) are SECURITY DEFINER functions in R__shared_events.sql.

CREATE TABLE shared_event (
    organization  text NOT NULL REFERENCES organization (alias),
    id            uuid NOT NULL PRIMARY KEY,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL
);

ALTER TABLE incident ADD COLUMN event_id uuid REFERENCES shared_event (id);
-- An event's members, for its view and for the aggregates' occurrence key.
CREATE INDEX incident_event_idx ON incident (event_id) WHERE event_id IS NOT NULL;

CREATE TABLE event_link_code (
    organization  text NOT NULL REFERENCES organization (alias),
    code_sha256   bytea NOT NULL PRIMARY KEY CHECK (length(code_sha256) = 32),
    event_id      uuid NOT NULL REFERENCES shared_event (id),
    incident_id   uuid NOT NULL,
    created_at    timestamptz NOT NULL,
    created_by    text NOT NULL,
    expires_at    timestamptz NOT NULL,
    -- Set once, by the redemption that used the code.
    used_at       timestamptz,
    used_by       text REFERENCES organization (alias),
    -- An erased (hard-deleted) incident takes its codes with it; the service only tombstones.
    FOREIGN KEY (organization, incident_id) REFERENCES incident (organization, id) ON DELETE CASCADE,
    CHECK (expires_at > created_at),
    CHECK ((used_at IS NULL) = (used_by IS NULL))
);

CREATE TABLE event_link_failure (
    organization  text NOT NULL REFERENCES organization (alias),
    window_start  timestamptz NOT NULL,
    failures      integer NOT NULL CHECK (failures > 0),
    PRIMARY KEY (organization, window_start)
);

DO $$
DECLARE
    tenant_table text;
BEGIN
    FOREACH tenant_table IN ARRAY ARRAY['shared_event', 'event_link_code', 'event_link_failure'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I '
            'USING (organization = current_setting(''app.organization'', true)) '
            'WITH CHECK (organization = current_setting(''app.organization'', true))', tenant_table);
    END LOOP;
END $$;

-- The redeeming function (running as the owner) reads any organisation's
-- code and marks it used; nothing else of the owner's reaches these rows.
CREATE POLICY event_redeemer ON event_link_code FOR SELECT TO ${flyway:user} USING (true);
CREATE POLICY event_redeemer_use ON event_link_code FOR UPDATE TO ${flyway:user} USING (true) WITH CHECK (true);
CREATE POLICY event_reader ON shared_event FOR SELECT TO ${flyway:user} USING (true);

GRANT SELECT, INSERT ON shared_event, event_link_code TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON event_link_failure TO ${app_role};
