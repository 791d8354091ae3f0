-- Rollup upkeep once per statement instead of once per row.
--
-- The row triggers of V12 ran about 70 upserts, one plpgsql statement each,
-- for an incident with two volunteers: the write path's largest cost, and
-- 1,000 times that for a batch. Statement triggers with transition tables do
-- the same arithmetic as three set-based statements per writing statement,
-- whatever its row count (the JDBC driver sends a batch as multi-row INSERTs,
-- COPY is one statement). The results are the same cells, kept exact in the
-- writing transaction; the suite compares them with a scan after every kind
-- of write.
--
-- Writers of one organisation hold its change-order lock while they write
-- (V20, tenant.ChangeOrder), and rollup rows belong to one organisation, so
-- writers never wait for each other's rollup rows; within a statement, rows
-- are still touched in key order.

-- A counted incident's contribution to add (delta 1) or remove (delta -1):
-- the incident itself when with_incident, and the given volunteers.
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

-- Removals are upserts of negative counts too, and PostgreSQL checks the
-- proposed row before it finds the conflict, so the count can carry no CHECK.
-- A membership may reach 0 inside the applying function, which deletes it
-- before returning.
ALTER TABLE aggregate_rollup_member DROP CONSTRAINT aggregate_rollup_member_incidents_check;

-- A generic plan: planning this statement afresh for each small change costs
-- more than running it.
CREATE FUNCTION aggregate_rollup_apply_all(changes aggregate_rollup_change[])
RETURNS void
LANGUAGE plpgsql SET search_path = ${flyway:defaultSchema}, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    my_stripe smallint := pg_backend_pid() % 8;
    spent tid[];
BEGIN
    IF cardinality(changes) = 0 THEN
        RETURN;
    END IF;
    WITH scoped AS (
        SELECT c.organization, p.period, s.family, s.value, c.volunteers, c.delta, c.with_incident
        FROM unnest(changes) AS c
        CROSS JOIN LATERAL unnest(ARRAY[to_char(c.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM'), 'all'])
            AS p (period)
        CROSS JOIN LATERAL aggregate_rollup_scopes(c.categories, c.forces, c.commune, c.complaint_status) AS s
    ), member_delta AS (
        SELECT organization, period, family, value, v AS volunteer_id, sum(delta)::integer AS delta
        FROM scoped CROSS JOIN LATERAL unnest(volunteers) AS v
        GROUP BY 1, 2, 3, 4, 5
        HAVING sum(delta) <> 0
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
        FROM (SELECT organization, period, family, value, CASE WHEN with_incident THEN delta ELSE 0 END,
                     0::bigint
              FROM scoped
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

-- Planned inside the callers' statements (inlined), not once per call as a
-- function with its own search_path is; its callers set the search_path.
ALTER FUNCTION aggregate_rollup_scopes(text[], text[], text, text) RESET ALL;

-- The changes of the counted ones among {@code incidents}, each with its
-- current volunteer links.
-- (PL/pgSQL functions here and below, not SQL ones: PL/pgSQL keeps its plans
-- for the session, a SQL function with its own search_path plans every call.)
CREATE FUNCTION aggregate_rollup_incident_changes(incidents incident[], delta integer)
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

-- Runs as the owner (the writing service role has no access to the rollups).
-- A transition table exists only for the events that have it, hence the branches.
CREATE FUNCTION aggregate_rollup_on_incidents() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    removed incident[];
    added incident[];
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
                OR to_char(o.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM')
                    <> to_char(n.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM')));
    END IF;
    PERFORM aggregate_rollup_apply_all(ARRAY(
        SELECT c FROM aggregate_rollup_incident_changes(removed, -1) AS c
        UNION ALL
        SELECT c FROM aggregate_rollup_incident_changes(added, 1) AS c));
    RETURN NULL;
END $$;

-- A hard delete (tests, erasure by an operator) is handled per row before the
-- row goes, while its volunteer links remain; the application only tombstones.
CREATE OR REPLACE FUNCTION aggregate_rollup_on_incident() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    IF aggregate_rollup_counted(OLD.status, OLD.deleted_at) THEN
        PERFORM aggregate_rollup_apply_all(ARRAY(SELECT c FROM aggregate_rollup_incident_changes(ARRAY[OLD], -1) AS c));
    END IF;
    RETURN OLD;
END $$;

-- Links added (delta 1) or removed (delta -1): the volunteers' membership of
-- their counted incidents' cells (a link of a deleted incident finds none).
CREATE FUNCTION aggregate_rollup_apply_links(links incident_volunteer[], delta integer) RETURNS void
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
CREATE FUNCTION aggregate_rollup_on_links() RETURNS trigger
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

DROP TRIGGER aggregate_rollup_write ON incident;
DROP TRIGGER aggregate_rollup_link ON incident_volunteer;
DROP FUNCTION aggregate_rollup_on_link();
DROP FUNCTION aggregate_rollup_apply(incident, uuid[], integer, boolean);
DROP FUNCTION aggregate_rollup_links(text, uuid);

-- Transition tables allow one event per trigger.
CREATE TRIGGER aggregate_rollup_insert AFTER INSERT ON incident
    REFERENCING NEW TABLE AS new_incidents
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_incidents();
CREATE TRIGGER aggregate_rollup_update AFTER UPDATE ON incident
    REFERENCING OLD TABLE AS old_incidents NEW TABLE AS new_incidents
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_incidents();
CREATE TRIGGER aggregate_rollup_link_insert AFTER INSERT ON incident_volunteer
    REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_links();
CREATE TRIGGER aggregate_rollup_link_update AFTER UPDATE ON incident_volunteer
    REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_links();
CREATE TRIGGER aggregate_rollup_link_delete AFTER DELETE ON incident_volunteer
    REFERENCING OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_links();

-- As V12's: nothing of the rollups' upkeep is callable by the service's role.
REVOKE ALL ON FUNCTION aggregate_rollup_apply_all(aggregate_rollup_change[]),
    aggregate_rollup_incident_changes(incident[], integer),
    aggregate_rollup_apply_links(incident_volunteer[], integer),
    aggregate_rollup_on_incidents(), aggregate_rollup_on_links() FROM PUBLIC;
