-- Joint Incident Registry: tables, columns, constraints, indexes and seeded data.
-- Runs as the owning role. The service role (${app_role}) owns nothing and gets
-- only the grants of V3, so PostgreSQL row-level security (V2) applies to it.
-- Every tenant table leads with the organisation key (tenant sharding on Citus
-- distributes on it). Views, functions and triggers are in the R__ files.
-- Allowed codes (categories, forces, statuses, complaint codes, genders) are
-- the Java enums' of org.jointregistry.taxonomy: keep these CHECK constraints
-- and aggregate_category in step with them.

CREATE TABLE organization (
    alias       text PRIMARY KEY CHECK (alias ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The partners of the founding joint report and the demo realm.
INSERT INTO organization (alias, name) VALUES
    ('help-refugees', 'Help Refugees'),
    ('auberge-des-migrants', 'L''Auberge des Migrants'),
    ('utopia-56', 'Utopia 56'),
    ('refugee-info-bus', 'Refugee Info Bus'),
    ('refugee-womens-centre', 'Refugee Women''s Centre');

-- Pseudonymous: the registry never stores a volunteer's name.
CREATE TABLE volunteer (
    organization  text NOT NULL REFERENCES organization (alias),
    id            uuid NOT NULL,
    pseudonym     text NOT NULL CHECK (length(pseudonym) BETWEEN 1 AND 64),
    gender        text NOT NULL CHECK (gender IN ('female', 'male', 'non_binary', 'undisclosed')),
    nationality   char(2) CHECK (nationality ~ '^[A-Z]{2}$'),
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    PRIMARY KEY (organization, id),
    UNIQUE (organization, pseudonym)
);

-- Shared events (contract §8): partners link their own reports of one
-- occurrence into an event, by consent, through single-use link codes. The
-- event is a row of the organisation that founded it (the first to issue a
-- code); other partners never read it, they only refer to its id. The
-- cross-tenant steps (redeeming another organisation's code, naming an
-- event's partners) are SECURITY DEFINER functions in R__shared_events.sql.
CREATE TABLE shared_event (
    organization  text NOT NULL REFERENCES organization (alias),
    id            uuid NOT NULL PRIMARY KEY,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL
);

CREATE TABLE incident (
    organization          text NOT NULL REFERENCES organization (alias),
    id                    uuid NOT NULL,
    external_id           text CHECK (length(external_id) BETWEEN 1 AND 100),
    occurred_at           timestamptz NOT NULL,
    -- The offset the reporter wrote, so occurredAt reads back as it was sent.
    occurred_offset_secs  integer NOT NULL CHECK (occurred_offset_secs BETWEEN -64800 AND 64800),
    commune               text,
    site                  text,
    latitude              double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude             double precision CHECK (longitude BETWEEN -180 AND 180),
    categories            text[] NOT NULL CHECK (cardinality(categories) >= 1),
    forces                text[] NOT NULL DEFAULT '{}',
    officer_count         integer CHECK (officer_count BETWEEN 0 AND 500),
    description           text CHECK (length(description) <= 20000),
    complaint_status      text NOT NULL DEFAULT 'none'
                          CHECK (complaint_status IN ('none', 'planned', 'filed', 'dismissed', 'upheld')),
    complaint_body        text CHECK (complaint_body IN ('igpn', 'prosecutor', 'defenseur_des_droits', 'other')),
    complaint_filed_on    date,
    complaint_reference   text,
    status                text NOT NULL CHECK (status IN ('draft', 'submitted', 'verified', 'retracted')),
    version               integer NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    created_by            text NOT NULL,
    updated_by            text NOT NULL,
    -- Tombstone: a deleted incident leaves reads but stays visible to history
    -- and to the change feed.
    deleted_at            timestamptz,
    deleted_by            text,
    -- Membership of a shared event. An incident is in at most one event, and
    -- the column is the organisation's own row, so joining and leaving write
    -- only the acting organisation's incident (version, revision, change feed).
    event_id              uuid REFERENCES shared_event (id),
    PRIMARY KEY (organization, id),
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK (categories <@ ARRAY['surveillance_observation', 'surveillance_filming', 'surveillance_tailing',
        'identity_check', 'body_search', 'vehicle_search', 'fine', 'distribution_ban', 'confiscation',
        'prosecution', 'arrest_detention', 'denial_of_rights', 'association_intimidation',
        'physical_violence', 'abuse_of_power', 'threat', 'insult']::text[]),
    CHECK (forces <@ ARRAY['crs', 'police_nationale', 'gendarmerie', 'police_aux_frontieres',
        'police_municipale', 'other', 'unknown']::text[])
);

-- A partner's own id is unique among its live incidents.
CREATE UNIQUE INDEX incident_external_id_key ON incident (organization, external_id)
    WHERE external_id IS NOT NULL AND deleted_at IS NULL;
-- The list's stable order (occurredAt desc, id) and its keyset cursor.
CREATE INDEX incident_list_idx ON incident (organization, occurred_at DESC, id) WHERE deleted_at IS NULL;
-- The aggregates' range filters on occurred_at and the summary's first and last occurrence.
CREATE INDEX incident_occurred_at_idx ON incident (occurred_at) WHERE deleted_at IS NULL;
-- An event's members, for its view and for the aggregates' occurrence key.
CREATE INDEX incident_event_idx ON incident (event_id) WHERE event_id IS NOT NULL;

-- Issued link codes, a row of the issuing organisation. Only a SHA-256 hash of
-- the code is stored; the code itself never reaches the database.
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

-- Failed redemptions per organisation and fixed window, so the limit survives
-- restarts and holds across replicas.
CREATE TABLE event_link_failure (
    organization  text NOT NULL REFERENCES organization (alias),
    window_start  timestamptz NOT NULL,
    failures      integer NOT NULL CHECK (failures > 0),
    PRIMARY KEY (organization, window_start)
);

CREATE TABLE incident_volunteer (
    organization  text NOT NULL,
    incident_id   uuid NOT NULL,
    volunteer_id  uuid NOT NULL,
    PRIMARY KEY (organization, incident_id, volunteer_id),
    FOREIGN KEY (organization, incident_id) REFERENCES incident (organization, id) ON DELETE CASCADE,
    FOREIGN KEY (organization, volunteer_id) REFERENCES volunteer (organization, id)
);
CREATE INDEX incident_volunteer_volunteer_idx ON incident_volunteer (organization, volunteer_id);

-- The change feed's numbers, given to each revision by R__change_feed.sql.
CREATE SEQUENCE incident_change_seq;

-- Append-only history: the service may insert and read, never update or delete.
-- Every change of an incident appends a revision in the same transaction, so
-- this table is also the change feed; change_seq is its position.
CREATE TABLE incident_revision (
    organization  text NOT NULL,
    incident_id   uuid NOT NULL,
    revision      integer NOT NULL,
    at            timestamptz NOT NULL DEFAULT now(),
    by            text NOT NULL,
    action        text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    changes       jsonb NOT NULL DEFAULT '[]',
    change_seq    bigint NOT NULL,
    PRIMARY KEY (organization, incident_id, revision),
    FOREIGN KEY (organization, incident_id) REFERENCES incident (organization, id)
);
CREATE UNIQUE INDEX incident_revision_change_idx ON incident_revision (organization, change_seq);

-- Stored first responses of POSTs carrying an Idempotency-Key. The replayed
-- response carries the ETag of the first one; keys expire after 24 hours,
-- purged per organisation by created_at.
CREATE TABLE idempotency_key (
    organization   text NOT NULL REFERENCES organization (alias),
    key            text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash   text NOT NULL,
    status         integer,
    location       text,
    response_body  text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    etag           text,
    PRIMARY KEY (organization, key)
);
CREATE INDEX idempotency_key_created_idx ON idempotency_key (organization, created_at);

-- Frozen joint-report documents: immutable evidence, insert and read only
-- (R__report_snapshot_immutable.sql refuses changes to every role).
CREATE TABLE report_snapshot (
    id          uuid PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL,
    from_date   date,
    to_date     date,
    sha256      char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    document    text NOT NULL
);

-- The category groups of the contract's taxonomy (§2), for grouping and filtering.
CREATE TABLE aggregate_category (
    category        text PRIMARY KEY,
    category_group  text NOT NULL CHECK (category_group IN ('pressure', 'obstruction', 'violence'))
);
INSERT INTO aggregate_category (category, category_group) VALUES
    ('surveillance_observation', 'pressure'), ('surveillance_filming', 'pressure'),
    ('surveillance_tailing', 'pressure'), ('identity_check', 'pressure'), ('body_search', 'pressure'),
    ('vehicle_search', 'pressure'),
    ('fine', 'obstruction'), ('distribution_ban', 'obstruction'), ('confiscation', 'obstruction'),
    ('prosecution', 'obstruction'), ('arrest_detention', 'obstruction'), ('denial_of_rights', 'obstruction'),
    ('association_intimidation', 'obstruction'),
    ('physical_violence', 'violence'), ('abuse_of_power', 'violence'), ('threat', 'violence'),
    ('insult', 'violence');

-- Rollups of the hot breakdowns, kept exact by the write path
-- (R__aggregate_rollup.sql says how).
--
-- period: a reporting-zone month 'YYYY-MM', or 'all'. A scope is a family and
-- a value: family '*' (each incident once, value null), or one of the
-- dimensions category, categoryGroup, force, commune, complaintStatus with the
-- incident's value (null: not recorded). stripe: concurrent writers of one
-- organisation spread their increments over 8 rows instead of queueing on one;
-- readers sum the stripes.
CREATE TABLE aggregate_rollup_cell (
    organization  text NOT NULL,
    period        text NOT NULL,
    family        text NOT NULL,
    value         text,
    stripe        smallint NOT NULL,
    incidents     bigint NOT NULL DEFAULT 0,
    volunteers    bigint NOT NULL DEFAULT 0,
    UNIQUE NULLS NOT DISTINCT (organization, period, family, value, stripe)
);

-- How many counted incidents of a cell involve each volunteer; only rows with
-- incidents > 0 are kept. Removals are upserts of negative counts, and
-- PostgreSQL checks the proposed row before it finds the conflict, so the
-- count can carry no CHECK: the applying function deletes a membership that
-- reaches 0 before it returns.
CREATE TABLE aggregate_rollup_member (
    organization  text NOT NULL,
    period        text NOT NULL,
    family        text NOT NULL,
    value         text,
    volunteer_id  uuid NOT NULL,
    incidents     integer NOT NULL,
    UNIQUE NULLS NOT DISTINCT (organization, period, family, value, volunteer_id)
);
