-- Rollups of the hot breakdowns, kept exact by the write path, and the
-- aggregate door's entry points that read them.
--
-- Scanning a million incidents with their categories and volunteers takes
-- seconds; the breakdowns without a period or other filter (by month and
-- organisation with one of category, category group, category with its
-- group, force, commune, complaint status, complaint body, gender,
-- nationality, or the pairs category x gender and complaint body x complaint
-- status: every breakdown of the joint report) are answered from the tables
-- aggregate_rollup_cell and aggregate_rollup_member (V1) in milliseconds
-- instead. Statement triggers on incident, incident_volunteer and volunteer
-- keep them current in the writing transaction, so a rollup answer always
-- equals the scan's (R__aggregate_door.sql); the suite compares them after
-- every kind of write.
--
-- Gender and nationality are the volunteers' attributes: an incident counts
-- in the scope of each gender (nationality) among its volunteers, or in "not
-- recorded" without volunteers, as the scan's join gives it. Those sets are
-- kept per incident (aggregate_incident_attributes, V140) and refreshed when
-- its links or one of its volunteers' attributes change, so that an incident
-- leaves exactly the scopes it entered; a volunteer's memberships are in the
-- scopes of its own gender and nationality only (the volunteers of the
-- female row are the women). Cells also sum their incidents' cell keys, which
-- a gender or nationality row is perturbed with (V100, V140).
--
-- Distinct volunteers are not additive, so each cell keeps, besides its counts,
-- a membership row per volunteer (how many counted incidents of the cell
-- involve them): a volunteer's first incident in a cell adds 1 to the cell's
-- volunteers, their last one removes it. Volunteers belong to one
-- organisation, so cells of different organisations add up exactly.
--
-- Upkeep is once per statement, not once per row: statement triggers with
-- transition tables do the arithmetic as three set-based statements per
-- writing statement, whatever its row count (the JDBC driver sends a batch as
-- multi-row INSERTs, COPY is one statement). Writers of one organisation run
-- side by side (no lock of theirs orders the change feed, R__change_feed.sql):
-- a cell's increments go to the writer's stripe of it (one of 8, by backend),
-- so concurrent writers rarely meet on a cell, while a membership row is one
-- per volunteer and cell, and writers of incidents of the same volunteers wait
-- for each other's commit there. Within a statement, rows are touched in key
-- order; a rare cycle across statements (two edits of incidents sharing
-- volunteers) is broken by PostgreSQL's deadlock detector, one of the two
-- rolls back and answers 503 with Retry-After (common.DatabaseUnavailable).
--
-- Shared events (contract §8) count as occurrences: events = incidents +
-- correction, where aggregate_event_cell (V51) keeps, per cell, how many
-- occurrences the cell's linked reports form minus how many linked reports it
-- has. An event's part of it is a function of its counted reports alone
-- (aggregate_rollup_event_corrections: +1 in each scope of the union of its
-- reports' scopes but commune (categories, groups, forces, complaints,
-- genders, nationalities and the pairs of each report), in the month and
-- commune of its earliest report, ties by id, once over all organisations and
-- once per partner with that partner's reports' union; -1 in each of its
-- reports' own scopes), so the upkeep takes
-- the event's part before the statement away and adds its part after.
-- Partners of one event write in different organisations, and writers of one
-- organisation run side by side too: the upkeep takes a
-- transaction-scoped lock per event (aggregate_rollup_event_lock) and reads
-- the event's other reports after it, as the last committed writer left them.
-- With an organisation filter an event's selected reports are a subset of its
-- reports (another earliest, another union), which these cells cannot answer:
-- the door scans the linked reports then (R__shared_events.sql).
--
-- Objects: the types aggregate_rollup_volunteer, aggregate_rollup_change and
-- aggregate_rollup_event_member; the upkeep functions aggregate_rollup_scopes,
-- _family, _counted, _apply_all, _incident_changes, _link_changes,
-- _refresh_attributes, _event_members, _event_corrections, _event_apply,
-- _event_lock and the trigger functions _on_incidents, _on_incident,
-- _on_links, _on_volunteers, _on_truncate with their triggers;
-- aggregate_rollup_rebuild (also run by afterMigrate.sql when this arithmetic
-- changed); aggregate_rollup_answers and aggregate_rollup_sql, which decide
-- and write a rollup query; and the
-- door's entry points aggregate_counts and aggregate_summary, the only
-- functions the service role may execute.
--
-- Months are months of ${reporting_zone}; the statuses counted by default are
-- ${counted_statuses}; a lodged complaint is one of ${complaint_lodged_statuses}:
-- all fed by the service (aggregate.SchemaPlaceholders).
-- Repeatable: rerun whenever this text changes, so every statement replaces
-- (the type is dropped and recreated with the functions that take it).

-- A volunteer of a change, with the attributes its memberships count by and
-- the cell key (V100) it adds to the cells it enters.
DROP TYPE IF EXISTS aggregate_rollup_volunteer CASCADE;
CREATE TYPE aggregate_rollup_volunteer AS (
    organization  text,
    id            uuid,
    gender        text,
    nationality   text,
    cell_key      bigint
);

-- A counted incident's contribution to add (delta 1) or remove (delta -1):
-- the incident itself when with_incident (in the scopes of its genders and
-- nationalities, with its cell key), and the given volunteers' memberships.
DROP TYPE IF EXISTS aggregate_rollup_change CASCADE;
CREATE TYPE aggregate_rollup_change AS (
    organization      text,
    occurred_at       timestamptz,
    categories        text[],
    forces            text[],
    commune           text,
    complaint_status  text,
    complaint_body    text,
    genders           text[],
    nationalities     text[],
    incident_key      bigint,
    volunteers        aggregate_rollup_volunteer[],
    delta             integer,
    with_incident     boolean
);

-- A counted report of a shared event, as its event's correction needs it.
DROP TYPE IF EXISTS aggregate_rollup_event_member CASCADE;
CREATE TYPE aggregate_rollup_event_member AS (
    event_id          uuid,
    organization      text,
    id                uuid,
    occurred_at       timestamptz,
    categories        text[],
    forces            text[],
    commune           text,
    complaint_status  text,
    complaint_body    text,
    genders           text[],
    nationalities     text[]
);

-- The scopes an incident counts in, in a fixed order (so that concurrent
-- writers lock rows in the same order). Multi-valued dimensions give a scope
-- per value, as the scan gives a row per value; genders and nationalities
-- are those of its volunteers ('{NULL}' without any: "not recorded"), and a
-- volunteer's memberships are the scopes of its own gender and nationality.
-- A pair family (aggregate_rollup_family) has the pair's values as the text of
-- a text[] in the family name's order. Planned inside the callers'
-- statements (inlined), not once per call as a function with its own
-- search_path is; its callers set the search_path.
DROP FUNCTION IF EXISTS aggregate_rollup_scopes(text[], text[], text, text);
DROP FUNCTION IF EXISTS aggregate_rollup_apply_links(incident_volunteer[], integer);
CREATE OR REPLACE FUNCTION aggregate_rollup_scopes(categories text[], forces text[], commune text,
        complaint_status text, complaint_body text, genders text[], nationalities text[])
RETURNS TABLE (family text, value text)
LANGUAGE sql STABLE AS $$
    SELECT '*', NULL::text
    UNION ALL (SELECT DISTINCT 'category', c FROM unnest(categories) AS c ORDER BY 2)
    UNION ALL (SELECT DISTINCT 'categoryGroup', g.category_group FROM aggregate_category g
               WHERE g.category = ANY (categories) ORDER BY 2)
    UNION ALL (SELECT DISTINCT 'force', f FROM unnest(CASE WHEN cardinality(forces) > 0 THEN forces
                                                           ELSE '{NULL}'::text[] END) AS f ORDER BY 2)
    UNION ALL SELECT 'commune', commune
    UNION ALL SELECT 'complaintStatus', complaint_status
    UNION ALL SELECT 'complaintBody', complaint_body
    UNION ALL SELECT 'complaintBody,complaintStatus', ARRAY[complaint_body, complaint_status]::text
    UNION ALL (SELECT DISTINCT 'gender', g FROM unnest(genders) AS g ORDER BY 2)
    UNION ALL (SELECT DISTINCT 'nationality', n FROM unnest(nationalities) AS n ORDER BY 2)
    UNION ALL (SELECT DISTINCT 'category,gender', ARRAY[c, g]::text
               FROM unnest(categories) AS c CROSS JOIN unnest(genders) AS g ORDER BY 2)
$$;

-- The family of cells that answers a breakdown by `dimensions` (organization
-- and month are coordinates of every cell): '*' for none, a dimension's own
-- family, 'category' for category with categoryGroup (the group comes from
-- the taxonomy), a pair family for the pairs aggregate_rollup_scopes keeps;
-- null when no family answers (another pair, day, week).
CREATE OR REPLACE FUNCTION aggregate_rollup_family(dimensions text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN cardinality(rest) = 0 THEN '*'
        WHEN cardinality(rest) = 1 AND rest[1] IN ('category', 'categoryGroup', 'force', 'commune',
                'complaintStatus', 'complaintBody', 'gender', 'nationality') THEN rest[1]
        WHEN rest @> ARRAY['category', 'categoryGroup'] AND rest <@ ARRAY['category', 'categoryGroup']
            THEN 'category'
        WHEN rest @> ARRAY['category', 'gender'] AND rest <@ ARRAY['category', 'gender'] THEN 'category,gender'
        WHEN rest @> ARRAY['complaintBody', 'complaintStatus'] AND rest <@ ARRAY['complaintBody', 'complaintStatus']
            THEN 'complaintBody,complaintStatus'
    END
    FROM (SELECT ARRAY(SELECT DISTINCT d FROM unnest(dimensions) AS d
                       WHERE d NOT IN ('organization', 'month') ORDER BY 1) AS rest) AS r
$$;

CREATE OR REPLACE FUNCTION aggregate_rollup_counted(status text, deleted_at timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT deleted_at IS NULL AND status IN (${counted_statuses})
$$;
-- A generic plan: planning this statement afresh for each small change costs
-- more than running it.
-- Changes alike in all that their scopes and period depend on (organisation,
-- month, categories, forces, commune, complaint status and body, genders and
-- nationalities) are summed before they are spread over their scopes: the
-- counts and key sums are sums, so spreading the group's sum adds the same as
-- spreading each change, and a partner's sheet repeats a few months, communes
-- and category sets, so a 1,000-incident statement spreads a few dozen groups
-- (and a volunteer once per group) instead of every incident.
CREATE OR REPLACE FUNCTION aggregate_rollup_apply_all(changes aggregate_rollup_change[])
RETURNS void
LANGUAGE plpgsql SET search_path = ${flyway:defaultSchema}, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    my_stripe smallint := pg_backend_pid() % 8;
    spent tid[];
BEGIN
    IF cardinality(changes) = 0 THEN
        RETURN;
    END IF;
    WITH alike AS (
        SELECT c.organization, to_char(c.occurred_at AT TIME ZONE '${reporting_zone}', 'YYYY-MM') AS month,
               c.categories, c.forces, c.commune, c.complaint_status, c.complaint_body, c.genders, c.nationalities,
               c.incident_key, c.volunteers, c.delta, c.with_incident
        FROM unnest(changes) AS c
    ), incident_group AS (
        SELECT organization, month, categories, forces, commune, complaint_status, complaint_body, genders,
               nationalities, sum(delta) AS incidents, sum(delta * incident_key) AS incident_keys
        FROM alike
        WHERE with_incident
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        HAVING sum(delta) <> 0 OR sum(delta * incident_key) <> 0
    ), member_group AS (
        SELECT a.organization, a.month, a.categories, a.forces, a.commune, a.complaint_status, a.complaint_body,
               v.id AS volunteer_id, v.gender, v.nationality, v.cell_key, sum(a.delta) AS delta
        FROM alike a CROSS JOIN LATERAL unnest(a.volunteers) AS v
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
        HAVING sum(a.delta) <> 0
    ), member_delta AS (
        SELECT g.organization, p.period, s.family, s.value, g.volunteer_id, sum(g.delta)::integer AS delta,
               max(g.cell_key) AS volunteer_key
        FROM member_group g
        CROSS JOIN LATERAL unnest(ARRAY[g.month, 'all']) AS p (period)
        CROSS JOIN LATERAL aggregate_rollup_scopes(g.categories, g.forces, g.commune, g.complaint_status,
            g.complaint_body, ARRAY[g.gender], ARRAY[g.nationality]) AS s
        GROUP BY 1, 2, 3, 4, 5
        HAVING sum(g.delta) <> 0
    ), members AS (
        INSERT INTO aggregate_rollup_member AS m
        SELECT organization, period, family, value, volunteer_id, delta FROM member_delta ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (organization, period, family, value, volunteer_id)
        DO UPDATE SET incidents = m.incidents + excluded.incidents
        RETURNING m.ctid, m.organization, m.period, m.family, m.value, m.volunteer_id, m.incidents
    ), volunteer_change AS (
        -- A volunteer's first counted incident in a cell adds them (and their key) to it, their last one
        -- removes them.
        SELECT m.organization, m.period, m.family, m.value,
               sum(CASE WHEN m.incidents > 0 AND m.incidents = d.delta THEN 1
                        WHEN m.incidents = 0 THEN -1 ELSE 0 END) AS volunteers,
               sum(CASE WHEN m.incidents > 0 AND m.incidents = d.delta THEN d.volunteer_key
                        WHEN m.incidents = 0 THEN -d.volunteer_key ELSE 0 END) AS volunteer_keys
        FROM members m
        JOIN member_delta d ON d.organization = m.organization AND d.period = m.period
            AND d.family = m.family AND d.value IS NOT DISTINCT FROM m.value AND d.volunteer_id = m.volunteer_id
        GROUP BY 1, 2, 3, 4
    ), cell_delta AS (
        SELECT organization, period, family, value, sum(incidents) AS incidents, sum(volunteers) AS volunteers,
               sum(incident_keys) AS incident_keys, sum(volunteer_keys) AS volunteer_keys
        FROM (SELECT g.organization, p.period, s.family, s.value, g.incidents, 0::bigint, g.incident_keys, 0::bigint
              FROM incident_group g
              CROSS JOIN LATERAL unnest(ARRAY[g.month, 'all']) AS p (period)
              CROSS JOIN LATERAL aggregate_rollup_scopes(g.categories, g.forces, g.commune, g.complaint_status,
                  g.complaint_body, g.genders, g.nationalities) AS s
              UNION ALL
              SELECT organization, period, family, value, 0, volunteers, 0, volunteer_keys FROM volunteer_change)
            AS t (organization, period, family, value, incidents, volunteers, incident_keys, volunteer_keys)
        GROUP BY 1, 2, 3, 4
        HAVING sum(incidents) <> 0 OR sum(volunteers) <> 0 OR sum(incident_keys) <> 0 OR sum(volunteer_keys) <> 0
    ), cells AS (
        INSERT INTO aggregate_rollup_cell AS c (organization, period, family, value, stripe, incidents, volunteers,
            incident_keys, volunteer_keys)
        SELECT organization, period, family, value, my_stripe, incidents, volunteers, incident_keys, volunteer_keys
        FROM cell_delta
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (organization, period, family, value, stripe)
        DO UPDATE SET incidents = c.incidents + excluded.incidents, volunteers = c.volunteers + excluded.volunteers,
            incident_keys = c.incident_keys + excluded.incident_keys,
            volunteer_keys = c.volunteer_keys + excluded.volunteer_keys
    )
    SELECT array_agg(ctid) INTO spent FROM members WHERE incidents = 0;

    IF spent IS NOT NULL THEN
        -- The memberships' new versions, by the row ids the upsert returned.
        DELETE FROM aggregate_rollup_member WHERE ctid = ANY (spent);
    END IF;
END $$;

-- The changes of the counted ones among {@code incidents}, each with the
-- genders and nationalities kept for it and its current volunteer links.
-- (PL/pgSQL functions here and below, not SQL ones: PL/pgSQL keeps its plans
-- for the session, a SQL function with its own search_path plans every call.)
CREATE OR REPLACE FUNCTION aggregate_rollup_incident_changes(incidents incident[], delta integer)
RETURNS SETOF aggregate_rollup_change
LANGUAGE plpgsql STABLE SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT i.organization, i.occurred_at, i.categories, i.forces, i.commune, i.complaint_status, i.complaint_body,
           coalesce(a.genders, '{NULL}'), coalesce(a.nationalities, '{NULL}'), i.cell_key,
           ARRAY(SELECT ROW(v.organization, v.id, v.gender, v.nationality, v.cell_key)::aggregate_rollup_volunteer
                 FROM incident_volunteer iv JOIN volunteer v ON v.organization = iv.organization AND v.id = iv.volunteer_id
                 WHERE iv.organization = i.organization AND iv.incident_id = i.id ORDER BY 1),
           delta, true
    FROM unnest(incidents) AS i
    LEFT JOIN aggregate_incident_attributes a ON a.organization = i.organization AND a.incident_id = i.id
    WHERE aggregate_rollup_counted(i.status, i.deleted_at);
END $$;

-- The counted reports of the given events as the table holds them now, with
-- the rows of `replaced` taken out and those of `extra` put in (the other
-- side of a statement: the table before it, or after a row's delete), with
-- the genders and nationalities kept for each.
CREATE OR REPLACE FUNCTION aggregate_rollup_event_members(events uuid[], replaced incident[], extra incident[])
RETURNS aggregate_rollup_event_member[]
LANGUAGE plpgsql STABLE SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    RETURN ARRAY(
        SELECT ROW(i.event_id, i.organization, i.id, i.occurred_at, i.categories, i.forces, i.commune,
                   i.complaint_status, i.complaint_body, coalesce(a.genders, '{NULL}'),
                   coalesce(a.nationalities, '{NULL}'))::aggregate_rollup_event_member
        FROM (SELECT t.* FROM incident t
              WHERE t.event_id IS NOT NULL AND t.event_id = ANY (events)
                AND NOT EXISTS (SELECT FROM unnest(replaced) AS r WHERE r.organization = t.organization AND r.id = t.id)
              UNION ALL
              SELECT x.* FROM unnest(extra) AS x WHERE x.event_id = ANY (events)) AS i
        LEFT JOIN aggregate_incident_attributes a ON a.organization = i.organization AND a.incident_id = i.id
        WHERE aggregate_rollup_counted(i.status, i.deleted_at));
END $$;

-- What the events of `members` (all the counted reports of each) change in
-- the cells, times delta: each event +1 in its scopes in its earliest
-- report's month (over all organisations, organization null, and in each
-- partner's), each report -1 in its own (likewise), and +1 in sharedEvents
-- for an event of two or more partners. An event of one counted report
-- changes nothing.
CREATE OR REPLACE FUNCTION aggregate_rollup_event_corrections(members aggregate_rollup_event_member[],
        delta integer)
RETURNS TABLE (organization text, period text, family text, value text, correction bigint)
LANGUAGE plpgsql STABLE SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH m AS (
        SELECT x.*, to_char(x.occurred_at AT TIME ZONE '${reporting_zone}', 'YYYY-MM') AS month
        FROM unnest(members) AS x
    ), earliest AS (
        SELECT DISTINCT ON (m.event_id) m.event_id, m.month, m.commune
        FROM m ORDER BY m.event_id, m.occurred_at, m.id, m.organization
    ), event_scope AS (
        -- Over all organisations, the union of the reports' values; in a
        -- partner's row, the union of that partner's reports' values (a
        -- breakdown by organisation and category pairs each report's
        -- organisation with its own categories, as the scan does).
        SELECT DISTINCT m.event_id, o.organization, s.family, s.value
        FROM m
        CROSS JOIN LATERAL unnest(ARRAY[m.organization, NULL]) AS o (organization)
        CROSS JOIN LATERAL aggregate_rollup_scopes(m.categories, m.forces, NULL, m.complaint_status, m.complaint_body,
            m.genders, m.nationalities) AS s
        WHERE s.family <> 'commune'
        UNION ALL
        SELECT DISTINCT e.event_id, o.organization, 'commune', e.commune
        FROM earliest e JOIN m ON m.event_id = e.event_id
        CROSS JOIN LATERAL unnest(ARRAY[m.organization, NULL]) AS o (organization)
    ), counted AS (
        SELECT s.organization, t.period, s.family, s.value, 1 AS n
        FROM earliest e
        JOIN event_scope s ON s.event_id = e.event_id
        CROSS JOIN LATERAL unnest(ARRAY[e.month, 'all']) AS t (period)
        UNION ALL
        SELECT o.organization, t.period, s.family, s.value, -1
        FROM m
        CROSS JOIN LATERAL unnest(ARRAY[m.organization, NULL]) AS o (organization)
        CROSS JOIN LATERAL unnest(ARRAY[m.month, 'all']) AS t (period)
        CROSS JOIN LATERAL aggregate_rollup_scopes(m.categories, m.forces, m.commune, m.complaint_status, m.complaint_body,
            m.genders, m.nationalities) AS s
        UNION ALL
        SELECT NULL, 'all', 'sharedEvents', NULL, 1
        FROM m GROUP BY m.event_id HAVING count(DISTINCT m.organization) > 1
    )
    SELECT c.organization, c.period, c.family, c.value, delta * sum(c.n)
    FROM counted c
    GROUP BY c.organization, c.period, c.family, c.value
    HAVING sum(c.n) <> 0;
END $$;

-- Replaces the events' part `before` with their part `after`, in key order.
CREATE OR REPLACE FUNCTION aggregate_rollup_event_apply(before aggregate_rollup_event_member[],
        after aggregate_rollup_event_member[])
RETURNS void
LANGUAGE plpgsql SET search_path = ${flyway:defaultSchema}, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    my_stripe smallint := pg_backend_pid() % 8;
BEGIN
    INSERT INTO aggregate_event_cell AS c (organization, period, family, value, stripe, correction)
    SELECT x.organization, x.period, x.family, x.value, my_stripe, sum(x.correction)
    FROM (SELECT * FROM aggregate_rollup_event_corrections(before, -1)
          UNION ALL
          SELECT * FROM aggregate_rollup_event_corrections(after, 1)) AS x
    GROUP BY 1, 2, 3, 4
    HAVING sum(x.correction) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (organization, period, family, value, stripe)
    DO UPDATE SET correction = c.correction + excluded.correction;
END $$;

-- Takes each event's upkeep lock until commit, in id order (so that writers
-- of several events never wait for each other in a cycle). The statements
-- after it see what the event's previous writer committed.
CREATE OR REPLACE FUNCTION aggregate_rollup_event_lock(events uuid[]) RETURNS void
LANGUAGE plpgsql SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    event uuid;
BEGIN
    FOR event IN SELECT DISTINCT e FROM unnest(events) AS e ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended('aggregate_event:' || event, 0));
    END LOOP;
END $$;

-- Runs as the owner (the writing service role has no access to the rollups).
-- A transition table exists only for the events that have it, hence the branches.
CREATE OR REPLACE FUNCTION aggregate_rollup_on_incidents() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    removed incident[];
    added incident[];
    events uuid[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        added := ARRAY(SELECT n::incident FROM new_incidents n);
    ELSE
        -- Most edits (a narrative, a site) change nothing counted.
        SELECT array_agg(o::incident), array_agg(n::incident) INTO removed, added
        FROM old_incidents o JOIN new_incidents n ON n.organization = o.organization AND n.id = o.id
        WHERE aggregate_rollup_counted(o.status, o.deleted_at) <> aggregate_rollup_counted(n.status, n.deleted_at)
           OR (aggregate_rollup_counted(n.status, n.deleted_at) AND (
                (o.categories, o.forces, o.commune, o.complaint_status, o.complaint_body, o.cell_key)
                    IS DISTINCT FROM (n.categories, n.forces, n.commune, n.complaint_status, n.complaint_body, n.cell_key)
                OR to_char(o.occurred_at AT TIME ZONE '${reporting_zone}', 'YYYY-MM')
                    <> to_char(n.occurred_at AT TIME ZONE '${reporting_zone}', 'YYYY-MM')));
    END IF;
    PERFORM aggregate_rollup_apply_all(ARRAY(
        SELECT c FROM aggregate_rollup_incident_changes(removed, -1) AS c
        UNION ALL
        SELECT c FROM aggregate_rollup_incident_changes(added, 1) AS c));

    -- The shared events' side: a linked report's event changes with its
    -- membership, its counting, its counted fields, and with its time even
    -- within a month (which report is the earliest).
    IF TG_OP = 'INSERT' THEN
        removed := '{}';
        added := ARRAY(SELECT n::incident FROM new_incidents n WHERE n.event_id IS NOT NULL);
    ELSE
        SELECT coalesce(array_agg(o::incident), '{}'), coalesce(array_agg(n::incident), '{}') INTO removed, added
        FROM old_incidents o JOIN new_incidents n ON n.organization = o.organization AND n.id = o.id
        WHERE (o.event_id IS NOT NULL OR n.event_id IS NOT NULL)
          AND (o.event_id IS DISTINCT FROM n.event_id
               OR aggregate_rollup_counted(o.status, o.deleted_at) <> aggregate_rollup_counted(n.status, n.deleted_at)
               OR (aggregate_rollup_counted(n.status, n.deleted_at)
                   AND (o.occurred_at, o.categories, o.forces, o.commune, o.complaint_status, o.complaint_body)
                       IS DISTINCT FROM (n.occurred_at, n.categories, n.forces, n.commune, n.complaint_status,
                                         n.complaint_body)));
    END IF;
    IF cardinality(added) > 0 THEN
        events := ARRAY(SELECT r.event_id FROM unnest(removed) AS r WHERE r.event_id IS NOT NULL
                        UNION SELECT a.event_id FROM unnest(added) AS a WHERE a.event_id IS NOT NULL);
        PERFORM aggregate_rollup_event_lock(events);
        PERFORM aggregate_rollup_event_apply(aggregate_rollup_event_members(events, added, removed),
                                             aggregate_rollup_event_members(events, '{}', '{}'));
    END IF;
    RETURN NULL;
END $$;

-- A hard delete (tests, erasure by an operator) is handled per row before the
-- row goes, while its volunteer links remain; the application only tombstones.
-- The links go after it (ON DELETE CASCADE), and their trigger finds no
-- incident to refresh: the kept genders and nationalities go here.
CREATE OR REPLACE FUNCTION aggregate_rollup_on_incident() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    IF aggregate_rollup_counted(OLD.status, OLD.deleted_at) THEN
        PERFORM aggregate_rollup_apply_all(ARRAY(SELECT c FROM aggregate_rollup_incident_changes(ARRAY[OLD], -1) AS c));
        IF OLD.event_id IS NOT NULL THEN
            PERFORM aggregate_rollup_event_lock(ARRAY[OLD.event_id]);
            PERFORM aggregate_rollup_event_apply(aggregate_rollup_event_members(ARRAY[OLD.event_id], '{}', '{}'),
                                                 aggregate_rollup_event_members(ARRAY[OLD.event_id], ARRAY[OLD], '{}'));
        END IF;
    END IF;
    DELETE FROM aggregate_incident_attributes a WHERE a.organization = OLD.organization AND a.incident_id = OLD.id;
    RETURN OLD;
END $$;

-- Links added (delta 1) or removed (delta -1), or volunteers' attributes
-- taken away (-1, the rows before an update) and put back (1, after): the
-- volunteers' memberships of their counted incidents' cells, with each
-- volunteer's gender, nationality and key from `people` (a link of a deleted
-- incident finds none). The incidents' own gender and nationality scopes are
-- aggregate_rollup_refresh_attributes' part.
CREATE OR REPLACE FUNCTION aggregate_rollup_link_changes(links incident_volunteer[],
        people aggregate_rollup_volunteer[], delta integer)
RETURNS SETOF aggregate_rollup_change
LANGUAGE plpgsql STABLE SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT i.organization, i.occurred_at, i.categories, i.forces, i.commune, i.complaint_status, i.complaint_body,
           NULL::text[], NULL::text[], 0::bigint, l.volunteers, delta, false
    FROM (SELECT l.organization, l.incident_id,
                 array_agg(p ORDER BY l.volunteer_id) AS volunteers
          FROM unnest(links) AS l
          JOIN unnest(people) AS p ON p.organization = l.organization AND p.id = l.volunteer_id
          GROUP BY 1, 2) AS l
    JOIN incident i ON i.organization = l.organization AND i.id = l.incident_id
    WHERE aggregate_rollup_counted(i.status, i.deleted_at);
END $$;

-- Brings the kept genders and nationalities of the given links' incidents
-- (aggregate_incident_attributes, V140) up to their links and volunteers,
-- and the rollups with them: a counted incident whose set changed leaves the
-- scopes of the old set and enters those of the new (the two changes cancel
-- in every scope but the changed ones), and a linked report's event takes
-- its part before and after the change (its correction unions the reports'
-- sets). Its callers hold what orders concurrent writers of one incident: the
-- incident's row (the link trigger and a volunteer's update lock it) and the
-- linked volunteers' rows.
CREATE OR REPLACE FUNCTION aggregate_rollup_refresh_attributes(links incident_volunteer[]) RETURNS void
LANGUAGE plpgsql SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    fresh aggregate_incident_attributes[];
    stale aggregate_incident_attributes[];
    events uuid[];
    before aggregate_rollup_event_member[];
BEGIN
    SELECT array_agg(ROW(x.organization, x.incident_id, x.genders, x.nationalities)::aggregate_incident_attributes),
           array_agg(ROW(x.organization, x.incident_id, x.kept_genders,
                         x.kept_nationalities)::aggregate_incident_attributes),
           array_agg(DISTINCT x.event_id) FILTER (WHERE x.event_id IS NOT NULL)
        INTO fresh, stale, events
    FROM (SELECT t.organization, t.incident_id, i.event_id, n.genders, n.nationalities,
                 coalesce(a.genders, '{NULL}') AS kept_genders, coalesce(a.nationalities, '{NULL}') AS kept_nationalities
          FROM (SELECT DISTINCT l.organization, l.incident_id FROM unnest(links) AS l) AS t
          JOIN incident i ON i.organization = t.organization AND i.id = t.incident_id
          CROSS JOIN LATERAL (
              SELECT coalesce(array_agg(DISTINCT v.gender ORDER BY v.gender), '{NULL}') AS genders,
                     coalesce(array_agg(DISTINCT v.nationality::text ORDER BY v.nationality::text), '{NULL}')
                         AS nationalities
              FROM incident_volunteer iv JOIN volunteer v ON v.organization = iv.organization AND v.id = iv.volunteer_id
              WHERE iv.organization = t.organization AND iv.incident_id = t.incident_id) AS n
          LEFT JOIN aggregate_incident_attributes a ON a.organization = t.organization AND a.incident_id = t.incident_id
          WHERE (n.genders, n.nationalities) IS DISTINCT FROM
                (coalesce(a.genders, '{NULL}'), coalesce(a.nationalities, '{NULL}'))) AS x;
    IF fresh IS NULL THEN
        RETURN;
    END IF;
    PERFORM aggregate_rollup_apply_all(ARRAY(
        SELECT ROW(i.organization, i.occurred_at, i.categories, i.forces, i.commune, i.complaint_status,
                   i.complaint_body, s.genders, s.nationalities, i.cell_key, '{}', s.delta, true)::aggregate_rollup_change
        FROM (SELECT f.*, 1 AS delta FROM unnest(fresh) AS f UNION ALL SELECT k.*, -1 FROM unnest(stale) AS k) AS s
        JOIN incident i ON i.organization = s.organization AND i.id = s.incident_id
        WHERE aggregate_rollup_counted(i.status, i.deleted_at)));
    IF events IS NOT NULL THEN
        PERFORM aggregate_rollup_event_lock(events);
        before := aggregate_rollup_event_members(events, '{}', '{}');
    END IF;
    DELETE FROM aggregate_incident_attributes a
    USING unnest(fresh) AS f WHERE a.organization = f.organization AND a.incident_id = f.incident_id;
    INSERT INTO aggregate_incident_attributes
    SELECT * FROM unnest(fresh) AS f WHERE (f.genders, f.nationalities) IS DISTINCT FROM ('{NULL}', '{NULL}')
    ORDER BY 1, 2;
    IF events IS NOT NULL THEN
        PERFORM aggregate_rollup_event_apply(before, aggregate_rollup_event_members(events, '{}', '{}'));
    END IF;
END $$;

-- A transition table exists only for the events that have it, hence the
-- branches. The links' incidents are locked first, as a volunteer's update
-- locks its incidents: the refresh of an incident's kept set reads all its
-- volunteers, not only the linked ones, and a concurrent edit of another of
-- them (which refreshes the same set) must come wholly before or after, or
-- each computes the set without the other's change and the later one's stands
-- (a link of a man to an incident of a man finds its set unchanged while an
-- edit of that man to a woman moves it to {female}: it involves both after
-- both). The service holds these rows already (an incident edit locks it and
-- updates it with its links), so only a writer of bare links waits here. The
-- linked volunteers are then read under a share lock, taken in key order: a
-- concurrent update of one of their genders or nationalities waits for this
-- statement's transaction (or this one for it), so the memberships are
-- written with the attributes the other transaction leaves.
CREATE OR REPLACE FUNCTION aggregate_rollup_on_links() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    removed incident_volunteer[] := '{}';
    added incident_volunteer[] := '{}';
    people aggregate_rollup_volunteer[];
BEGIN
    IF TG_OP <> 'INSERT' THEN
        removed := ARRAY(SELECT o::incident_volunteer FROM old_links o);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        added := ARRAY(SELECT n::incident_volunteer FROM new_links n);
    END IF;
    -- Locked apart from the read: a row lock needs the tenant policy's leave (V2), so the lock takes the
    -- acting organisation's rows (all a service transaction links), while the door's policy reads any.
    -- Incidents in the order of the volunteer trigger's lock and the service's (incident, then volunteers).
    PERFORM FROM incident i
    JOIN (SELECT DISTINCT l.organization, l.incident_id FROM unnest(removed || added) AS l) AS l
        ON i.organization = l.organization AND i.id = l.incident_id
    ORDER BY i.organization, i.id FOR NO KEY UPDATE OF i;
    PERFORM FROM volunteer v
    JOIN (SELECT DISTINCT l.organization, l.volunteer_id FROM unnest(removed || added) AS l) AS l
        ON v.organization = l.organization AND v.id = l.volunteer_id
    ORDER BY v.organization, v.id FOR SHARE OF v;
    people := ARRAY(SELECT ROW(v.organization, v.id, v.gender, v.nationality, v.cell_key)::aggregate_rollup_volunteer
                    FROM volunteer v
                    JOIN (SELECT DISTINCT l.organization, l.volunteer_id FROM unnest(removed || added) AS l) AS l
                        ON v.organization = l.organization AND v.id = l.volunteer_id);
    PERFORM aggregate_rollup_apply_all(ARRAY(
        SELECT c FROM aggregate_rollup_link_changes(removed, people, -1) AS c
        UNION ALL
        SELECT c FROM aggregate_rollup_link_changes(added, people, 1) AS c));
    PERFORM aggregate_rollup_refresh_attributes(removed || added);
    RETURN NULL;
END $$;

-- A volunteer's gender or nationality changed (an edit, or the erasure of a
-- deleted volunteer's attributes): its memberships move from the old
-- attributes' scopes to the new ones, and its incidents' kept sets are
-- refreshed. Its incidents are locked first, in key order, so that a
-- concurrent edit of one of them (which takes its counted scopes from the
-- kept set) either comes after this refresh or before it (the acting
-- organisation's incidents: those of its volunteers).
CREATE OR REPLACE FUNCTION aggregate_rollup_on_volunteers() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    my_stripe smallint := pg_backend_pid() % 8;
    before aggregate_rollup_volunteer[];
    after aggregate_rollup_volunteer[];
    links incident_volunteer[];
BEGIN
    -- A changed key (never by the service, which maps no such column; by an operator or a test):
    -- the cells the volunteer is a member of trade its old key for the new one. Checked first: no index
    -- leads with the volunteer, so the memberships are read only when a key did change, not on every edit.
    IF EXISTS (SELECT FROM old_volunteers o JOIN new_volunteers n ON n.organization = o.organization AND n.id = o.id
               WHERE o.cell_key <> n.cell_key) THEN
        INSERT INTO aggregate_rollup_cell AS c (organization, period, family, value, stripe, volunteer_keys)
        SELECT m.organization, m.period, m.family, m.value, my_stripe, sum(n.cell_key - o.cell_key)
        FROM old_volunteers o JOIN new_volunteers n ON n.organization = o.organization AND n.id = o.id
        JOIN aggregate_rollup_member m ON m.organization = n.organization AND m.volunteer_id = n.id
        WHERE o.cell_key <> n.cell_key
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (organization, period, family, value, stripe)
        DO UPDATE SET volunteer_keys = c.volunteer_keys + excluded.volunteer_keys;
    END IF;
    -- The old attributes with the new key: the key has moved already.
    SELECT array_agg(ROW(o.organization, o.id, o.gender, o.nationality, n.cell_key)::aggregate_rollup_volunteer),
           array_agg(ROW(n.organization, n.id, n.gender, n.nationality, n.cell_key)::aggregate_rollup_volunteer)
        INTO before, after
    FROM old_volunteers o JOIN new_volunteers n ON n.organization = o.organization AND n.id = o.id
    WHERE (o.gender, o.nationality) IS DISTINCT FROM (n.gender, n.nationality);
    IF after IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM FROM incident i
    WHERE (i.organization, i.id) IN (SELECT iv.organization, iv.incident_id FROM incident_volunteer iv
                                     JOIN unnest(after) AS a ON a.organization = iv.organization
                                                            AND a.id = iv.volunteer_id)
    ORDER BY i.organization, i.id FOR NO KEY UPDATE;
    links := ARRAY(SELECT iv FROM incident_volunteer iv
                   JOIN unnest(after) AS a ON a.organization = iv.organization AND a.id = iv.volunteer_id);
    PERFORM aggregate_rollup_apply_all(ARRAY(
        SELECT c FROM aggregate_rollup_link_changes(links, before, -1) AS c
        UNION ALL
        SELECT c FROM aggregate_rollup_link_changes(links, after, 1) AS c));
    PERFORM aggregate_rollup_refresh_attributes(links);
    RETURN NULL;
END $$;

-- Transition tables allow one event per trigger; a hard delete is handled per row.
CREATE OR REPLACE TRIGGER aggregate_rollup_insert AFTER INSERT ON incident
    REFERENCING NEW TABLE AS new_incidents
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_incidents();
CREATE OR REPLACE TRIGGER aggregate_rollup_update AFTER UPDATE ON incident
    REFERENCING OLD TABLE AS old_incidents NEW TABLE AS new_incidents
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_incidents();
CREATE OR REPLACE TRIGGER aggregate_rollup_link_insert AFTER INSERT ON incident_volunteer
    REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_links();
CREATE OR REPLACE TRIGGER aggregate_rollup_link_update AFTER UPDATE ON incident_volunteer
    REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_links();
CREATE OR REPLACE TRIGGER aggregate_rollup_link_delete AFTER DELETE ON incident_volunteer
    REFERENCING OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_links();
-- (A column list, UPDATE OF gender, nationality, cannot have transition tables.)
CREATE OR REPLACE TRIGGER aggregate_rollup_volunteer_update AFTER UPDATE ON volunteer
    REFERENCING OLD TABLE AS old_volunteers NEW TABLE AS new_volunteers
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_volunteers();
CREATE OR REPLACE TRIGGER aggregate_rollup_delete BEFORE DELETE ON incident
    FOR EACH ROW EXECUTE FUNCTION aggregate_rollup_on_incident();

-- Recomputes the rollups from the tables: after a TRUNCATE, after a bulk load
-- that bypassed the triggers, and to check the triggers (the test suite
-- compares it with the incremental result). The kept genders and
-- nationalities first, which the incidents' scopes are read with; a
-- volunteer's memberships are the scopes of its own attributes.
CREATE OR REPLACE FUNCTION aggregate_rollup_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    DELETE FROM aggregate_rollup_cell;
    DELETE FROM aggregate_rollup_member;
    DELETE FROM aggregate_incident_attributes;
    INSERT INTO aggregate_incident_attributes
        SELECT iv.organization, iv.incident_id, array_agg(DISTINCT v.gender ORDER BY v.gender),
               array_agg(DISTINCT v.nationality::text ORDER BY v.nationality::text)
        FROM incident_volunteer iv JOIN volunteer v ON v.organization = iv.organization AND v.id = iv.volunteer_id
        GROUP BY 1, 2;
    CREATE TEMPORARY TABLE aggregate_rollup_fact ON COMMIT DROP AS
        SELECT i.organization, i.id, i.cell_key, i.categories, i.forces, i.commune, i.complaint_status,
               i.complaint_body, to_char(i.occurred_at AT TIME ZONE '${reporting_zone}', 'YYYY-MM') AS month
        FROM incident i
        WHERE aggregate_rollup_counted(i.status, i.deleted_at);
    INSERT INTO aggregate_rollup_member
        SELECT f.organization, p.period, s.family, s.value, iv.volunteer_id, count(*)
        FROM aggregate_rollup_fact f
        JOIN incident_volunteer iv ON iv.organization = f.organization AND iv.incident_id = f.id
        JOIN volunteer v ON v.organization = iv.organization AND v.id = iv.volunteer_id
        CROSS JOIN LATERAL unnest(ARRAY[f.month, 'all']) AS p (period)
        CROSS JOIN LATERAL aggregate_rollup_scopes(f.categories, f.forces, f.commune, f.complaint_status,
            f.complaint_body, ARRAY[v.gender], ARRAY[v.nationality::text]) AS s
        GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO aggregate_rollup_cell (organization, period, family, value, stripe, incidents, volunteers,
            incident_keys, volunteer_keys)
        SELECT c.organization, c.period, c.family, c.value, 0, c.incidents, coalesce(m.volunteers, 0), c.incident_keys,
               coalesce(m.volunteer_keys, 0)
        FROM (SELECT f.organization, p.period, s.family, s.value, count(*) AS incidents,
                     sum(f.cell_key) AS incident_keys
              FROM aggregate_rollup_fact f
              LEFT JOIN aggregate_incident_attributes a ON a.organization = f.organization AND a.incident_id = f.id
              CROSS JOIN LATERAL unnest(ARRAY[f.month, 'all']) AS p (period)
              CROSS JOIN LATERAL aggregate_rollup_scopes(f.categories, f.forces, f.commune, f.complaint_status,
                  f.complaint_body, coalesce(a.genders, '{NULL}'), coalesce(a.nationalities, '{NULL}')) AS s
              GROUP BY 1, 2, 3, 4) AS c
        LEFT JOIN (SELECT m.organization, m.period, m.family, m.value, count(*) AS volunteers,
                          sum(v.cell_key) AS volunteer_keys
                   FROM aggregate_rollup_member m
                   JOIN volunteer v ON v.organization = m.organization AND v.id = m.volunteer_id
                   GROUP BY 1, 2, 3, 4) AS m
            ON m.organization = c.organization AND m.period = c.period AND m.family = c.family
           AND m.value IS NOT DISTINCT FROM c.value;
    DROP TABLE aggregate_rollup_fact;
    DELETE FROM aggregate_event_cell;
    PERFORM aggregate_rollup_event_apply('{}', aggregate_rollup_event_members(
        ARRAY(SELECT DISTINCT i.event_id FROM incident i WHERE i.event_id IS NOT NULL), '{}', '{}'));
END $$;

CREATE OR REPLACE FUNCTION aggregate_rollup_on_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    PERFORM aggregate_rollup_rebuild();
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER aggregate_rollup_truncate AFTER TRUNCATE ON incident
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_truncate();
CREATE OR REPLACE TRIGGER aggregate_rollup_truncate AFTER TRUNCATE ON incident_volunteer
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_truncate();

-- Whether the rollups can answer: dimensions organization and month, with the
-- dimensions of one family of cells (aggregate_rollup_family); the default
-- counted statuses; no filter but organisation.
CREATE OR REPLACE FUNCTION aggregate_rollup_answers(dimensions text[], day_from date, day_to date, categories text[],
        forces text[], communes text[], statuses text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT day_from IS NULL AND day_to IS NULL AND categories IS NULL AND forces IS NULL AND communes IS NULL
        AND statuses @> ARRAY[${counted_statuses}] AND statuses <@ ARRAY[${counted_statuses}]
        AND aggregate_rollup_family(dimensions) IS NOT NULL
$$;

-- The rollup query for those dimensions; $1 is the organisation filter.
-- With category and categoryGroup together, the rows are the category cells
-- and the group comes from the taxonomy; a pair family's values are the
-- elements of its cells' value. With `events`, the same rows and total of
-- the events' corrections instead (aggregate_event_cell: the cells per
-- partner when grouped by organisation, else those over all; never with an
-- organisation filter, which they cannot answer). Without `events`, each row
-- and the total also have the cell key of their volunteers (V100), from the
-- cells' kept sums of their members' keys (V140), and in a breakdown by
-- gender or nationality their incidents' key likewise: the scan sums both
-- once per volunteer and incident, as these sums are kept.
DROP FUNCTION IF EXISTS aggregate_rollup_sql(text[]);
CREATE OR REPLACE FUNCTION aggregate_rollup_sql(dimensions text[], events boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    family text := aggregate_rollup_family(dimensions);
    parts text[] := string_to_array(aggregate_rollup_family(dimensions), ',');
    exprs text;
    incident_key text := CASE WHEN dimensions && ARRAY['gender', 'nationality']
                              THEN 'aggregate_cell_key(sum(c.incident_keys))' ELSE 'NULL::bigint' END;
    cells text := CASE WHEN events THEN 'aggregate_event_cell c ' ELSE 'aggregate_rollup_cell c ' END;
    counted text := CASE WHEN events THEN 'sum(c.correction)::bigint'
                         ELSE 'sum(c.incidents)::bigint AS incidents, sum(c.volunteers)::bigint AS volunteers, '
                              || incident_key || ' AS incident_key, aggregate_cell_key(sum(c.volunteer_keys)) AS volunteer_key' END;
    total text := CASE WHEN events THEN 'coalesce(sum(c.correction), 0)::bigint'
                       ELSE 'coalesce(sum(c.incidents), 0)::bigint, coalesce(sum(c.volunteers), 0)::bigint, '
                            || incident_key || ', aggregate_cell_key(sum(c.volunteer_keys))' END;
    organizations text := CASE WHEN NOT events THEN '($1 IS NULL OR c.organization = ANY ($1))'
                               WHEN 'organization' = ANY (dimensions) THEN 'c.organization IS NOT NULL'
                               ELSE 'c.organization IS NULL' END;
    joined text;
    cell_filter text;
    total_filter text;
BEGIN
    exprs := (SELECT string_agg(CASE
                  WHEN d = 'organization' THEN 'c.organization'
                  WHEN d = 'month' THEN 'c.period'
                  WHEN cardinality(parts) > 1 THEN '(c.value::text[])[' || array_position(parts, d) || ']'
                  WHEN d = family THEN 'c.value'
                  ELSE 'g.category_group'
              END, ', ' ORDER BY n) FROM unnest(dimensions) WITH ORDINALITY AS x (d, n));
    joined := CASE WHEN family = 'category' AND 'categoryGroup' = ANY (dimensions)
                   THEN 'JOIN aggregate_category g ON g.category = c.value ' ELSE '' END;
    cell_filter := 'WHERE c.family = ' || quote_literal(family) || ' AND '
        || CASE WHEN 'month' = ANY (dimensions) THEN 'c.period <> ''all''' ELSE 'c.period = ''all''' END
        || ' AND ' || organizations;
    total_filter := 'WHERE c.period = ''all'' AND c.family = ''*'' AND '
        || CASE WHEN events THEN 'c.organization IS NULL' ELSE organizations END;
    RETURN 'SELECT false, ARRAY[' || exprs || ']::text[], ' || counted || ' FROM ' || cells || joined
        || cell_filter || ' GROUP BY ' || exprs
        || CASE WHEN events THEN ' HAVING sum(c.correction) <> 0 ' ELSE ' HAVING sum(c.incidents) > 0 ' END
        || 'UNION ALL SELECT true, NULL, ' || total || ' FROM ' || cells || total_filter;
END $$;

-- The door for breakdowns: the rollups when they can answer, else the scan.
DROP FUNCTION IF EXISTS aggregate_counts(text[], date, date, text[], text[], text[], text[], text[]);
CREATE FUNCTION aggregate_counts(dimensions text[], day_from date, day_to date, organizations text[],
        categories text[], forces text[], communes text[], statuses text[])
RETURNS TABLE (is_total boolean, key text[], incident_count bigint, volunteer_count bigint, incident_key bigint,
        volunteer_key bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    IF coalesce(cardinality(dimensions), 0) > 0
            AND aggregate_rollup_answers(dimensions, day_from, day_to, categories, forces, communes, statuses) THEN
        RETURN QUERY EXECUTE aggregate_rollup_sql(dimensions, false) USING organizations;
    ELSE
        RETURN QUERY SELECT * FROM aggregate_scan_counts(dimensions, day_from, day_to, organizations, categories,
                forces, communes, statuses);
    END IF;
END $$;

-- The door for the summary, likewise. First and last occurrence come from the
-- occurred_at index; the volunteers' cell key from the cells of all
-- incidents, as aggregate_rollup_sql reads it.
DROP FUNCTION IF EXISTS aggregate_summary(date, date, text[], text[], text[], text[], text[]);
CREATE FUNCTION aggregate_summary(day_from date, day_to date, organizations text[],
        categories text[], forces text[], communes text[], statuses text[])
RETURNS TABLE (incident_count bigint, volunteer_count bigint, organization_count bigint,
        first_occurred_at timestamptz, last_occurred_at timestamptz, complaint_count bigint, volunteer_key bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    IF NOT aggregate_rollup_answers('{}', day_from, day_to, categories, forces, communes, statuses) THEN
        RETURN QUERY SELECT * FROM aggregate_scan_summary(day_from, day_to, organizations, categories, forces,
                communes, statuses);
        RETURN;
    END IF;
    RETURN QUERY
    SELECT coalesce(sum(c.incidents) FILTER (WHERE c.family = '*'), 0)::bigint,
           coalesce(sum(c.volunteers) FILTER (WHERE c.family = '*'), 0)::bigint,
           (SELECT count(*) FROM (SELECT FROM aggregate_rollup_cell o
                                  WHERE o.period = 'all' AND o.family = '*'
                                    AND (organizations IS NULL OR o.organization = ANY (organizations))
                                  GROUP BY o.organization HAVING sum(o.incidents) > 0) AS partners),
           (SELECT min(i.occurred_at) FROM incident i
            WHERE i.deleted_at IS NULL AND i.status IN (${counted_statuses})
              AND (organizations IS NULL OR i.organization = ANY (organizations))),
           (SELECT max(i.occurred_at) FROM incident i
            WHERE i.deleted_at IS NULL AND i.status IN (${counted_statuses})
              AND (organizations IS NULL OR i.organization = ANY (organizations))),
           coalesce(sum(c.incidents) FILTER (WHERE c.family = 'complaintStatus'
                                               AND c.value IN (${complaint_lodged_statuses})), 0)::bigint,
           aggregate_cell_key(sum(c.volunteer_keys) FILTER (WHERE c.family = '*'))
    FROM aggregate_rollup_cell c
    WHERE c.period = 'all' AND c.family IN ('*', 'complaintStatus')
      AND (organizations IS NULL OR c.organization = ANY (organizations));
END $$;

-- Functions are executable by PUBLIC by default: nothing of the rollups' upkeep is
-- callable by the service's role. Its entry points are aggregate_event_counts and
-- aggregate_event_summary (R__shared_events.sql), which add events to these two.
REVOKE ALL ON FUNCTION
    aggregate_rollup_scopes(text[], text[], text, text, text, text[], text[]), aggregate_rollup_family(text[]),
    aggregate_rollup_counted(text, timestamptz),
    aggregate_rollup_apply_all(aggregate_rollup_change[]), aggregate_rollup_incident_changes(incident[], integer),
    aggregate_rollup_link_changes(incident_volunteer[], aggregate_rollup_volunteer[], integer),
    aggregate_rollup_refresh_attributes(incident_volunteer[]), aggregate_rollup_on_volunteers(),
    aggregate_rollup_event_members(uuid[], incident[], incident[]),
    aggregate_rollup_event_corrections(aggregate_rollup_event_member[], integer),
    aggregate_rollup_event_apply(aggregate_rollup_event_member[], aggregate_rollup_event_member[]),
    aggregate_rollup_event_lock(uuid[]), aggregate_rollup_on_incidents(),
    aggregate_rollup_on_links(), aggregate_rollup_on_incident(), aggregate_rollup_rebuild(),
    aggregate_rollup_on_truncate(), aggregate_rollup_answers(text[], date, date, text[], text[], text[], text[]),
    aggregate_rollup_sql(text[], boolean), aggregate_counts(text[], date, date, text[], text[], text[], text[], text[]),
    aggregate_summary(date, date, text[], text[], text[], text[], text[]) FROM PUBLIC;
