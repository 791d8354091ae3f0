-- Rollups of the hot breakdowns, kept exact by the write path, and the
-- aggregate door's entry points that read them.
--
-- Scanning a million incidents with their categories and volunteers takes
-- seconds; the breakdowns of the joint report without a period or other
-- filter (by month, organisation, category, category group, force, commune,
-- complaint status) are answered from the tables aggregate_rollup_cell and
-- aggregate_rollup_member (V1) in milliseconds instead. Statement triggers on
-- incident and incident_volunteer keep them current in the writing
-- transaction, so a rollup answer always equals the scan's
-- (R__aggregate_door.sql); the suite compares them after every kind of write.
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
-- reports' categories, groups, forces and complaint statuses, in the month and
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
-- Objects: the types aggregate_rollup_change and aggregate_rollup_event_member;
-- the upkeep functions aggregate_rollup_scopes, _counted, _apply_all,
-- _incident_changes, _apply_links, _event_members, _event_corrections,
-- _event_apply, _event_lock and the trigger functions _on_incidents,
-- _on_incident, _on_links, _on_truncate with their triggers;
-- aggregate_rollup_rebuild (also
-- run by afterMigrate.sql when this arithmetic changed); aggregate_rollup_answers
-- and aggregate_rollup_sql, which decide and write a rollup query; and the
-- door's entry points aggregate_counts and aggregate_summary, the only
-- functions the service role may execute.
--
-- Months are months of ${reporting_zone}; the statuses counted by default are
-- ${counted_statuses}; a lodged complaint is one of ${complaint_lodged_statuses}:
-- all fed by the service (aggregate.SchemaPlaceholders).
-- Repeatable: rerun whenever this text changes, so every statement replaces
-- (the type is dropped and recreated with the functions that take it).

-- A counted incident's contribution to add (delta 1) or remove (delta -1):
-- the incident itself when with_incident, and the given volunteers.
DROP TYPE IF EXISTS aggregate_rollup_change CASCADE;
CREATE TYPE aggregate_rollup_change AS (
    organization      text,
    occurred_at       timestamptz,
    categories        text[],
    forces            text[],
    commune           text,
    complaint_status  text,
    volunteers        uuid[],
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
    complaint_status  text
);

-- The scopes an incident counts in, in a fixed order (so that concurrent
-- writers lock rows in the same order). Multi-valued dimensions give a scope
-- per value, as the scan gives a row per value.
-- Planned inside the callers' statements (inlined), not once per call as a
-- function with its own search_path is; its callers set the search_path.
CREATE OR REPLACE FUNCTION aggregate_rollup_scopes(categories text[], forces text[], commune text, complaint_status text)
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
$$;

CREATE OR REPLACE FUNCTION aggregate_rollup_counted(status text, deleted_at timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT deleted_at IS NULL AND status IN (${counted_statuses})
$$;

-- A generic plan: planning this statement afresh for each small change costs
-- more than running it.
-- Changes alike in all that their scopes and period depend on (organisation,
-- month, categories, forces, commune, complaint status) are summed before
-- they are spread over their scopes: the counts are sums, so spreading the
-- group's sum adds the same as spreading each change, and a partner's sheet
-- repeats a few months, communes and category sets, so a 1,000-incident
-- statement spreads a few dozen groups (and a volunteer once per group)
-- instead of every incident.
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
               c.categories, c.forces, c.commune, c.complaint_status, c.volunteers, c.delta, c.with_incident
        FROM unnest(changes) AS c
    ), incident_group AS (
        SELECT organization, month, categories, forces, commune, complaint_status,
               sum(CASE WHEN with_incident THEN delta ELSE 0 END) AS incidents
        FROM alike
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING sum(CASE WHEN with_incident THEN delta ELSE 0 END) <> 0
    ), member_group AS (
        SELECT a.organization, a.month, a.categories, a.forces, a.commune, a.complaint_status, v AS volunteer_id,
               sum(a.delta) AS delta
        FROM alike a CROSS JOIN LATERAL unnest(a.volunteers) AS v
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        HAVING sum(a.delta) <> 0
    ), member_delta AS (
        SELECT g.organization, p.period, s.family, s.value, g.volunteer_id, sum(g.delta)::integer AS delta
        FROM member_group g
        CROSS JOIN LATERAL unnest(ARRAY[g.month, 'all']) AS p (period)
        CROSS JOIN LATERAL aggregate_rollup_scopes(g.categories, g.forces, g.commune, g.complaint_status) AS s
        GROUP BY 1, 2, 3, 4, 5
        HAVING sum(g.delta) <> 0
    ), members AS (
        INSERT INTO aggregate_rollup_member AS m
        SELECT * FROM member_delta ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (organization, period, family, value, volunteer_id)
        DO UPDATE SET incidents = m.incidents + excluded.incidents
        RETURNING m.ctid, m.organization, m.period, m.family, m.value, m.volunteer_id, m.incidents
    ), volunteer_change AS (
        -- A volunteer's first counted incident in a cell adds them to it, their last one removes them.
        SELECT m.organization, m.period, m.family, m.value,
               sum(CASE WHEN m.incidents > 0 AND m.incidents = d.delta THEN 1
                        WHEN m.incidents = 0 THEN -1 ELSE 0 END) AS volunteers
        FROM members m
        JOIN member_delta d ON d.organization = m.organization AND d.period = m.period
            AND d.family = m.family AND d.value IS NOT DISTINCT FROM m.value AND d.volunteer_id = m.volunteer_id
        GROUP BY 1, 2, 3, 4
    ), cell_delta AS (
        SELECT organization, period, family, value, sum(incidents) AS incidents, sum(volunteers) AS volunteers
        FROM (SELECT g.organization, p.period, s.family, s.value, g.incidents, 0::bigint
              FROM incident_group g
              CROSS JOIN LATERAL unnest(ARRAY[g.month, 'all']) AS p (period)
              CROSS JOIN LATERAL aggregate_rollup_scopes(g.categories, g.forces, g.commune, g.complaint_status) AS s
              UNION ALL
              SELECT organization, period, family, value, 0, volunteers FROM volunteer_change)
            AS t (organization, period, family, value, incidents, volunteers)
        GROUP BY 1, 2, 3, 4
        HAVING sum(incidents) <> 0 OR sum(volunteers) <> 0
    ), cells AS (
        INSERT INTO aggregate_rollup_cell AS c
        SELECT organization, period, family, value, my_stripe, incidents, volunteers FROM cell_delta
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (organization, period, family, value, stripe)
        DO UPDATE SET incidents = c.incidents + excluded.incidents, volunteers = c.volunteers + excluded.volunteers
    )
    SELECT array_agg(ctid) INTO spent FROM members WHERE incidents = 0;

    IF spent IS NOT NULL THEN
        -- The memberships' new versions, by the row ids the upsert returned.
        DELETE FROM aggregate_rollup_member WHERE ctid = ANY (spent);
    END IF;
END $$;

-- The changes of the counted ones among {@code incidents}, each with its
-- current volunteer links.
-- (PL/pgSQL functions here and below, not SQL ones: PL/pgSQL keeps its plans
-- for the session, a SQL function with its own search_path plans every call.)
CREATE OR REPLACE FUNCTION aggregate_rollup_incident_changes(incidents incident[], delta integer)
RETURNS SETOF aggregate_rollup_change
LANGUAGE plpgsql STABLE SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT i.organization, i.occurred_at, i.categories, i.forces, i.commune, i.complaint_status,
           ARRAY(SELECT iv.volunteer_id FROM incident_volunteer iv
                 WHERE iv.organization = i.organization AND iv.incident_id = i.id ORDER BY 1),
           delta, true
    FROM unnest(incidents) AS i
    WHERE aggregate_rollup_counted(i.status, i.deleted_at);
END $$;

-- The counted reports of the given events as the table holds them now, with
-- the rows of `replaced` taken out and those of `extra` put in (the other
-- side of a statement: the table before it, or after a row's delete).
CREATE OR REPLACE FUNCTION aggregate_rollup_event_members(events uuid[], replaced incident[], extra incident[])
RETURNS aggregate_rollup_event_member[]
LANGUAGE plpgsql STABLE SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    RETURN ARRAY(
        SELECT ROW(i.event_id, i.organization, i.id, i.occurred_at, i.categories, i.forces, i.commune,
                   i.complaint_status)::aggregate_rollup_event_member
        FROM (SELECT t.* FROM incident t
              WHERE t.event_id IS NOT NULL AND t.event_id = ANY (events)
                AND NOT EXISTS (SELECT FROM unnest(replaced) AS r WHERE r.organization = t.organization AND r.id = t.id)
              UNION ALL
              SELECT x.* FROM unnest(extra) AS x WHERE x.event_id = ANY (events)) AS i
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
        CROSS JOIN LATERAL aggregate_rollup_scopes(m.categories, m.forces, NULL, m.complaint_status) AS s
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
        CROSS JOIN LATERAL aggregate_rollup_scopes(m.categories, m.forces, m.commune, m.complaint_status) AS s
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
                (o.categories, o.forces, o.commune, o.complaint_status)
                    IS DISTINCT FROM (n.categories, n.forces, n.commune, n.complaint_status)
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
                   AND (o.occurred_at, o.categories, o.forces, o.commune, o.complaint_status)
                       IS DISTINCT FROM (n.occurred_at, n.categories, n.forces, n.commune, n.complaint_status)));
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
    RETURN OLD;
END $$;

-- Links added (delta 1) or removed (delta -1): the volunteers' membership of
-- their counted incidents' cells (a link of a deleted incident finds none).
CREATE OR REPLACE FUNCTION aggregate_rollup_apply_links(links incident_volunteer[], delta integer) RETURNS void
LANGUAGE plpgsql SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    PERFORM aggregate_rollup_apply_all(ARRAY(
        SELECT ROW(i.organization, i.occurred_at, i.categories, i.forces, i.commune, i.complaint_status,
                   l.volunteers, delta, false)::aggregate_rollup_change
        FROM (SELECT organization, incident_id, array_agg(volunteer_id ORDER BY volunteer_id) AS volunteers
              FROM unnest(links) GROUP BY 1, 2) AS l
        JOIN incident i ON i.organization = l.organization AND i.id = l.incident_id
        WHERE aggregate_rollup_counted(i.status, i.deleted_at)));
END $$;

-- A transition table exists only for the events that have it, hence the branches.
CREATE OR REPLACE FUNCTION aggregate_rollup_on_links() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM aggregate_rollup_apply_links(ARRAY(SELECT o::incident_volunteer FROM old_links o), -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM aggregate_rollup_apply_links(ARRAY(SELECT n::incident_volunteer FROM new_links n), 1);
    END IF;
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
CREATE OR REPLACE TRIGGER aggregate_rollup_delete BEFORE DELETE ON incident
    FOR EACH ROW EXECUTE FUNCTION aggregate_rollup_on_incident();

-- Recomputes the rollups from the tables: after a TRUNCATE, after a bulk load
-- that bypassed the triggers, and to check the triggers (the test suite
-- compares it with the incremental result).
CREATE OR REPLACE FUNCTION aggregate_rollup_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    DELETE FROM aggregate_rollup_cell;
    DELETE FROM aggregate_rollup_member;
    CREATE TEMPORARY TABLE aggregate_rollup_fact ON COMMIT DROP AS
        SELECT i.organization, i.id, p.period, s.family, s.value
        FROM incident i
        CROSS JOIN LATERAL unnest(ARRAY[to_char(i.occurred_at AT TIME ZONE '${reporting_zone}', 'YYYY-MM'), 'all'])
            AS p (period)
        CROSS JOIN LATERAL aggregate_rollup_scopes(i.categories, i.forces, i.commune, i.complaint_status) AS s
        WHERE aggregate_rollup_counted(i.status, i.deleted_at);
    INSERT INTO aggregate_rollup_member
        SELECT f.organization, f.period, f.family, f.value, iv.volunteer_id, count(*)
        FROM aggregate_rollup_fact f
        JOIN incident_volunteer iv ON iv.organization = f.organization AND iv.incident_id = f.id
        GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO aggregate_rollup_cell
        SELECT f.organization, f.period, f.family, f.value, 0, f.incidents, coalesce(m.volunteers, 0)
        FROM (SELECT organization, period, family, value, count(*) AS incidents FROM aggregate_rollup_fact
              GROUP BY 1, 2, 3, 4) AS f
        LEFT JOIN (SELECT organization, period, family, value, count(*) AS volunteers
                   FROM aggregate_rollup_member GROUP BY 1, 2, 3, 4) AS m
            ON m.organization = f.organization AND m.period = f.period AND m.family = f.family
           AND m.value IS NOT DISTINCT FROM f.value;
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

-- Whether the rollups can answer: dimensions organization and month, with at
-- most one of category (alone or with categoryGroup), categoryGroup, force,
-- commune and complaintStatus; the default counted statuses; no filter but
-- organisation.
CREATE OR REPLACE FUNCTION aggregate_rollup_answers(dimensions text[], day_from date, day_to date, categories text[],
        forces text[], communes text[], statuses text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT day_from IS NULL AND day_to IS NULL AND categories IS NULL AND forces IS NULL AND communes IS NULL
        AND statuses @> ARRAY[${counted_statuses}] AND statuses <@ ARRAY[${counted_statuses}]
        AND dimensions <@ ARRAY['organization', 'month', 'category', 'categoryGroup', 'force', 'commune',
                                'complaintStatus']
        AND (SELECT count(*) FROM unnest(dimensions) AS d
             WHERE d IN ('category', 'categoryGroup', 'force', 'commune', 'complaintStatus'))
            <= CASE WHEN dimensions @> ARRAY['category', 'categoryGroup'] THEN 2 ELSE 1 END
$$;

-- The rollup query for those dimensions; $1 is the organisation filter.
-- With category and categoryGroup together, the rows are the category cells
-- and the group comes from the taxonomy. With `events`, the same rows and
-- total of the events' corrections instead (aggregate_event_cell: the cells
-- per partner when grouped by organisation, else those over all; never with
-- an organisation filter, which they cannot answer). Without `events`, each
-- row and the total also have the cell key of their volunteers (V100; the
-- incidents' key is null: the rollups never answer a breakdown by a volunteer
-- attribute), summed at read time over the cell's memberships exactly as the
-- scan sums it, per organisation over distinct keys: a membership is the
-- maintained set of a cell's volunteers, so no key needs keeping beside it.
DROP FUNCTION IF EXISTS aggregate_rollup_sql(text[]);
CREATE OR REPLACE FUNCTION aggregate_rollup_sql(dimensions text[], events boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    family text := coalesce((SELECT d FROM unnest(dimensions) AS d
                             WHERE d IN ('category', 'categoryGroup', 'force', 'commune', 'complaintStatus')
                             ORDER BY d = 'categoryGroup' LIMIT 1), '*');
    exprs text;
    cells text := CASE WHEN events THEN 'aggregate_event_cell c ' ELSE 'aggregate_rollup_cell c ' END;
    counted text := CASE WHEN events THEN 'sum(c.correction)::bigint'
                         ELSE 'sum(c.incidents)::bigint AS incidents, sum(c.volunteers)::bigint AS volunteers' END;
    total text := CASE WHEN events THEN 'coalesce(sum(c.correction), 0)::bigint'
                       ELSE 'coalesce(sum(c.incidents), 0)::bigint, coalesce(sum(c.volunteers), 0)::bigint' END;
    organizations text := CASE WHEN NOT events THEN '($1 IS NULL OR c.organization = ANY ($1))'
                               WHEN 'organization' = ANY (dimensions) THEN 'c.organization IS NOT NULL'
                               ELSE 'c.organization IS NULL' END;
    members text := 'aggregate_rollup_member c JOIN volunteer v ON v.organization = c.organization '
        || 'AND v.id = c.volunteer_id ';
    joined text;
    cell_filter text;
    total_filter text;
BEGIN
    exprs := (SELECT string_agg(CASE
                  WHEN d = 'organization' THEN 'c.organization'
                  WHEN d = 'month' THEN 'c.period'
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
    IF events THEN
        RETURN 'SELECT false, ARRAY[' || exprs || ']::text[], ' || counted || ' FROM ' || cells || joined
            || cell_filter || ' GROUP BY ' || exprs || ' HAVING sum(c.correction) <> 0 '
            || 'UNION ALL SELECT true, NULL, ' || total || ' FROM ' || cells || total_filter;
    END IF;
    RETURN 'WITH k AS (SELECT key, aggregate_cell_key(sum(keys)) AS volunteer_key FROM ('
        || 'SELECT ARRAY[' || exprs || ']::text[] AS key, sum(DISTINCT v.cell_key) AS keys '
        || 'FROM ' || members || joined || cell_filter || ' GROUP BY c.organization, ' || exprs || ') AS o GROUP BY key) '
        || 'SELECT false, r.key, r.incidents, r.volunteers, NULL::bigint, coalesce(k.volunteer_key, 0) FROM ('
        || 'SELECT ARRAY[' || exprs || ']::text[] AS key, ' || counted || ' FROM ' || cells || joined
        || cell_filter || ' GROUP BY ' || exprs || ' HAVING sum(c.incidents) > 0) AS r LEFT JOIN k ON k.key = r.key '
        || 'UNION ALL SELECT true, NULL, ' || total || ', NULL::bigint, (SELECT aggregate_cell_key(sum(keys)) '
        || 'FROM (SELECT sum(DISTINCT v.cell_key) AS keys FROM ' || members || total_filter
        || ' GROUP BY c.organization) AS o) FROM ' || cells || total_filter;
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
-- occurred_at index; the volunteers' cell key from the memberships of the
-- cells of all incidents, as aggregate_rollup_sql reads it.
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
           (SELECT aggregate_cell_key(sum(keys)) FROM (
                SELECT sum(DISTINCT v.cell_key) AS keys
                FROM aggregate_rollup_member m JOIN volunteer v ON v.organization = m.organization AND v.id = m.volunteer_id
                WHERE m.period = 'all' AND m.family = '*'
                  AND (organizations IS NULL OR m.organization = ANY (organizations))
                GROUP BY m.organization) AS per_organization)
    FROM aggregate_rollup_cell c
    WHERE c.period = 'all' AND c.family IN ('*', 'complaintStatus')
      AND (organizations IS NULL OR c.organization = ANY (organizations));
END $$;

-- Functions are executable by PUBLIC by default: nothing of the rollups' upkeep is
-- callable by the service's role. Its entry points are aggregate_event_counts and
-- aggregate_event_summary (R__shared_events.sql), which add events to these two.
REVOKE ALL ON FUNCTION
    aggregate_rollup_scopes(text[], text[], text, text), aggregate_rollup_counted(text, timestamptz),
    aggregate_rollup_apply_all(aggregate_rollup_change[]), aggregate_rollup_incident_changes(incident[], integer),
    aggregate_rollup_apply_links(incident_volunteer[], integer),
    aggregate_rollup_event_members(uuid[], incident[], incident[]),
    aggregate_rollup_event_corrections(aggregate_rollup_event_member[], integer),
    aggregate_rollup_event_apply(aggregate_rollup_event_member[], aggregate_rollup_event_member[]),
    aggregate_rollup_event_lock(uuid[]), aggregate_rollup_on_incidents(),
    aggregate_rollup_on_links(), aggregate_rollup_on_incident(), aggregate_rollup_rebuild(),
    aggregate_rollup_on_truncate(), aggregate_rollup_answers(text[], date, date, text[], text[], text[], text[]),
    aggregate_rollup_sql(text[], boolean), aggregate_counts(text[], date, date, text[], text[], text[], text[], text[]),
    aggregate_summary(date, date, text[], text[], text[], text[], text[]) FROM PUBLIC;
