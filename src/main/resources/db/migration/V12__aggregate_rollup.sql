-- Rollups of the hot breakdowns, kept exact by the write path.
--
-- Scanning a million incidents with their categories and volunteers takes
-- seconds; the breakdowns of the joint report without a period or other
-- filter (by month, organisation, category, category group, force, commune,
-- complaint status) are answered from these tables in milliseconds instead.
-- Triggers on incident and incident_volunteer keep them current in the writing
-- transaction, so a rollup answer always equals the scan's.
--
-- Distinct volunteers are not additive, so each cell keeps, besides its counts,
-- a membership row per volunteer (how many counted incidents of the cell
-- involve them): a volunteer's first incident in a cell adds 1 to the cell's
-- volunteers, their last one removes it. Volunteers belong to one
-- organisation, so cells of different organisations add up exactly.

-- period: a Europe/Paris month 'YYYY-MM', or 'all'. A scope is a family and
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

-- Only rows with incidents > 0 are kept.
CREATE TABLE aggregate_rollup_member (
    organization  text NOT NULL,
    period        text NOT NULL,
    family        text NOT NULL,
    value         text,
    volunteer_id  uuid NOT NULL,
    incidents     integer NOT NULL CHECK (incidents > 0),
    UNIQUE NULLS NOT DISTINCT (organization, period, family, value, volunteer_id)
);

-- The scopes an incident counts in, in a fixed order (so that concurrent
-- writers lock rows in the same order). Multi-valued dimensions give a scope
-- per value, as the scan gives a row per value.
CREATE FUNCTION aggregate_rollup_scopes(categories text[], forces text[], commune text, complaint_status text)
RETURNS TABLE (family text, value text)
LANGUAGE sql STABLE SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
    SELECT '*', NULL::text
    UNION ALL (SELECT DISTINCT 'category', c FROM unnest(categories) AS c ORDER BY 2)
    UNION ALL (SELECT DISTINCT 'categoryGroup', g.category_group FROM aggregate_category g
               WHERE g.category = ANY (categories) ORDER BY 2)
    UNION ALL (SELECT DISTINCT 'force', f FROM unnest(CASE WHEN cardinality(forces) > 0 THEN forces
                                                           ELSE '{NULL}'::text[] END) AS f ORDER BY 2)
    UNION ALL SELECT 'commune', commune
    UNION ALL SELECT 'complaintStatus', complaint_status
$$;

CREATE FUNCTION aggregate_rollup_counted(status text, deleted_at timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT deleted_at IS NULL AND status IN ('submitted', 'verified')
$$;

-- Adds (delta 1) or removes (delta -1) a counted incident's contribution: the
-- incident itself when with_incident, and the given volunteers.
CREATE FUNCTION aggregate_rollup_apply(i incident, volunteers uuid[], delta integer, with_incident boolean)
RETURNS void
LANGUAGE plpgsql SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    p text;
    scope record;
    v uuid;
    change bigint;
    remaining integer;
    my_stripe smallint := pg_backend_pid() % 8;
BEGIN
    FOREACH p IN ARRAY ARRAY[to_char(i.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM'), 'all'] LOOP
        FOR scope IN SELECT * FROM aggregate_rollup_scopes(i.categories, i.forces, i.commune, i.complaint_status)
        LOOP
            change := 0;
            FOREACH v IN ARRAY volunteers LOOP
                IF delta > 0 THEN
                    INSERT INTO aggregate_rollup_member AS m
                    VALUES (i.organization, p, scope.family, scope.value, v, 1)
                    ON CONFLICT (organization, period, family, value, volunteer_id)
                    DO UPDATE SET incidents = m.incidents + 1
                    RETURNING m.incidents INTO remaining;
                    IF remaining = 1 THEN
                        change := change + 1;
                    END IF;
                ELSE
                    DELETE FROM aggregate_rollup_member m
                    WHERE m.organization = i.organization AND m.period = p AND m.family = scope.family
                      AND m.value IS NOT DISTINCT FROM scope.value AND m.volunteer_id = v AND m.incidents = 1;
                    IF FOUND THEN
                        change := change - 1;
                    ELSE
                        UPDATE aggregate_rollup_member m SET incidents = m.incidents - 1
                        WHERE m.organization = i.organization AND m.period = p AND m.family = scope.family
                          AND m.value IS NOT DISTINCT FROM scope.value AND m.volunteer_id = v;
                    END IF;
                END IF;
            END LOOP;
            IF with_incident OR change <> 0 THEN
                INSERT INTO aggregate_rollup_cell AS c
                VALUES (i.organization, p, scope.family, scope.value, my_stripe,
                        CASE WHEN with_incident THEN delta ELSE 0 END, change)
                ON CONFLICT (organization, period, family, value, stripe)
                DO UPDATE SET incidents = c.incidents + excluded.incidents,
                              volunteers = c.volunteers + excluded.volunteers;
            END IF;
        END LOOP;
    END LOOP;
END $$;

CREATE FUNCTION aggregate_rollup_links(org text, incident uuid) RETURNS uuid[]
LANGUAGE sql STABLE SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
    SELECT coalesce(array_agg(volunteer_id ORDER BY volunteer_id), '{}') FROM incident_volunteer
    WHERE organization = org AND incident_id = incident
$$;

-- Runs as the owner (the writing service role has no access to the rollups).
-- Deletes are handled before the row goes, while its volunteer links remain.
CREATE FUNCTION aggregate_rollup_on_incident() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    was_counted boolean := TG_OP <> 'INSERT' AND aggregate_rollup_counted(OLD.status, OLD.deleted_at);
    now_counted boolean := TG_OP <> 'DELETE' AND aggregate_rollup_counted(NEW.status, NEW.deleted_at);
BEGIN
    -- Most edits (a narrative, a site) change nothing counted.
    IF TG_OP = 'UPDATE' AND was_counted = now_counted AND (NOT now_counted OR (
            (OLD.categories, OLD.forces, OLD.commune, OLD.complaint_status)
                IS NOT DISTINCT FROM (NEW.categories, NEW.forces, NEW.commune, NEW.complaint_status)
            AND to_char(OLD.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM')
                = to_char(NEW.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM'))) THEN
        RETURN NULL;
    END IF;
    IF was_counted THEN
        PERFORM aggregate_rollup_apply(OLD, aggregate_rollup_links(OLD.organization, OLD.id), -1, true);
    END IF;
    IF now_counted THEN
        PERFORM aggregate_rollup_apply(NEW, aggregate_rollup_links(NEW.organization, NEW.id), 1, true);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER aggregate_rollup_write AFTER INSERT OR UPDATE ON incident
    FOR EACH ROW EXECUTE FUNCTION aggregate_rollup_on_incident();
CREATE TRIGGER aggregate_rollup_delete BEFORE DELETE ON incident
    FOR EACH ROW EXECUTE FUNCTION aggregate_rollup_on_incident();

CREATE FUNCTION aggregate_rollup_on_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    i incident;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        SELECT * INTO i FROM incident WHERE organization = OLD.organization AND id = OLD.incident_id;
        IF FOUND AND aggregate_rollup_counted(i.status, i.deleted_at) THEN
            PERFORM aggregate_rollup_apply(i, ARRAY[OLD.volunteer_id], -1, false);
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        SELECT * INTO i FROM incident WHERE organization = NEW.organization AND id = NEW.incident_id;
        IF FOUND AND aggregate_rollup_counted(i.status, i.deleted_at) THEN
            PERFORM aggregate_rollup_apply(i, ARRAY[NEW.volunteer_id], 1, false);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER aggregate_rollup_link AFTER INSERT OR UPDATE OR DELETE ON incident_volunteer
    FOR EACH ROW EXECUTE FUNCTION aggregate_rollup_on_link();

-- Recomputes the rollups from the tables: after a TRUNCATE, after a bulk load
-- that bypassed the triggers, and to check the triggers (the test suite
-- compares it with the incremental result).
CREATE FUNCTION aggregate_rollup_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    DELETE FROM aggregate_rollup_cell;
    DELETE FROM aggregate_rollup_member;
    CREATE TEMPORARY TABLE aggregate_rollup_fact ON COMMIT DROP AS
        SELECT i.organization, i.id, p.period, s.family, s.value
        FROM incident i
        CROSS JOIN LATERAL unnest(ARRAY[to_char(i.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM'), 'all'])
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
END $$;

CREATE FUNCTION aggregate_rollup_on_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    PERFORM aggregate_rollup_rebuild();
    RETURN NULL;
END $$;

CREATE TRIGGER aggregate_rollup_truncate AFTER TRUNCATE ON incident
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_truncate();
CREATE TRIGGER aggregate_rollup_truncate AFTER TRUNCATE ON incident_volunteer
    FOR EACH STATEMENT EXECUTE FUNCTION aggregate_rollup_on_truncate();

SELECT aggregate_rollup_rebuild();

-- Whether the rollups can answer: dimensions organization and month, with at
-- most one of category (alone or with categoryGroup), categoryGroup, force,
-- commune and complaintStatus; the default counted statuses; no filter but
-- organisation.
CREATE FUNCTION aggregate_rollup_answers(dimensions text[], day_from date, day_to date, categories text[],
        forces text[], communes text[], statuses text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT day_from IS NULL AND day_to IS NULL AND categories IS NULL AND forces IS NULL AND communes IS NULL
        AND statuses @> ARRAY['submitted', 'verified'] AND statuses <@ ARRAY['submitted', 'verified']
        AND dimensions <@ ARRAY['organization', 'month', 'category', 'categoryGroup', 'force', 'commune',
                                'complaintStatus']
        AND (SELECT count(*) FROM unnest(dimensions) AS d
             WHERE d IN ('category', 'categoryGroup', 'force', 'commune', 'complaintStatus'))
            <= CASE WHEN dimensions @> ARRAY['category', 'categoryGroup'] THEN 2 ELSE 1 END
$$;

-- The rollup query for those dimensions; $1 is the organisation filter.
-- With category and categoryGroup together, the rows are the category cells
-- and the group comes from the taxonomy.
CREATE FUNCTION aggregate_rollup_sql(dimensions text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    family text := coalesce((SELECT d FROM unnest(dimensions) AS d
                             WHERE d IN ('category', 'categoryGroup', 'force', 'commune', 'complaintStatus')
                             ORDER BY d = 'categoryGroup' LIMIT 1), '*');
    exprs text;
BEGIN
    exprs := (SELECT string_agg(CASE
                  WHEN d = 'organization' THEN 'c.organization'
                  WHEN d = 'month' THEN 'c.period'
                  WHEN d = family THEN 'c.value'
                  ELSE 'g.category_group'
              END, ', ' ORDER BY n) FROM unnest(dimensions) WITH ORDINALITY AS x (d, n));
    RETURN 'SELECT false, ARRAY[' || exprs || ']::text[], sum(c.incidents)::bigint, sum(c.volunteers)::bigint '
        || 'FROM aggregate_rollup_cell c '
        || CASE WHEN family = 'category' AND 'categoryGroup' = ANY (dimensions)
                THEN 'JOIN aggregate_category g ON g.category = c.value ' ELSE '' END
        || 'WHERE c.family = ' || quote_literal(family) || ' AND '
        || CASE WHEN 'month' = ANY (dimensions) THEN 'c.period <> ''all''' ELSE 'c.period = ''all''' END
        || ' AND ($1 IS NULL OR c.organization = ANY ($1)) GROUP BY ' || exprs || ' HAVING sum(c.incidents) > 0 '
        || 'UNION ALL SELECT true, NULL, coalesce(sum(c.incidents), 0)::bigint, '
        || 'coalesce(sum(c.volunteers), 0)::bigint FROM aggregate_rollup_cell c '
        || 'WHERE c.period = ''all'' AND c.family = ''*'' AND ($1 IS NULL OR c.organization = ANY ($1))';
END $$;

-- The door for breakdowns: the rollups when they can answer, else the scan.
CREATE FUNCTION aggregate_counts(dimensions text[], day_from date, day_to date, organizations text[],
        categories text[], forces text[], communes text[], statuses text[])
RETURNS TABLE (is_total boolean, key text[], incident_count bigint, volunteer_count bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    IF coalesce(cardinality(dimensions), 0) > 0
            AND aggregate_rollup_answers(dimensions, day_from, day_to, categories, forces, communes, statuses) THEN
        RETURN QUERY EXECUTE aggregate_rollup_sql(dimensions) USING organizations;
    ELSE
        RETURN QUERY SELECT * FROM aggregate_scan_counts(dimensions, day_from, day_to, organizations, categories,
                forces, communes, statuses);
    END IF;
END $$;

-- The door for the summary, likewise. First and last occurrence come from the
-- occurred_at index.
CREATE FUNCTION aggregate_summary(day_from date, day_to date, organizations text[],
        categories text[], forces text[], communes text[], statuses text[])
RETURNS TABLE (incident_count bigint, volunteer_count bigint, organization_count bigint,
        first_occurred_at timestamptz, last_occurred_at timestamptz, complaint_count bigint)
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
            WHERE i.deleted_at IS NULL AND i.status IN ('submitted', 'verified')
              AND (organizations IS NULL OR i.organization = ANY (organizations))),
           (SELECT max(i.occurred_at) FROM incident i
            WHERE i.deleted_at IS NULL AND i.status IN ('submitted', 'verified')
              AND (organizations IS NULL OR i.organization = ANY (organizations))),
           coalesce(sum(c.incidents) FILTER (WHERE c.family = 'complaintStatus'
                                               AND c.value IN ('filed', 'dismissed', 'upheld')), 0)::bigint
    FROM aggregate_rollup_cell c
    WHERE c.period = 'all' AND c.family IN ('*', 'complaintStatus')
      AND (organizations IS NULL OR c.organization = ANY (organizations));
END $$;

REVOKE ALL ON FUNCTION
    aggregate_rollup_scopes(text[], text[], text, text), aggregate_rollup_counted(text, timestamptz),
    aggregate_rollup_apply(incident, uuid[], integer, boolean), aggregate_rollup_links(text, uuid),
    aggregate_rollup_on_incident(), aggregate_rollup_on_link(), aggregate_rollup_rebuild(),
    aggregate_rollup_on_truncate(), aggregate_rollup_answers(text[], date, date, text[], text[], text[], text[]),
    aggregate_rollup_sql(text[]), aggregate_counts(text[], date, date, text[], text[], text[], text[], text[]),
    aggregate_summary(date, date, text[], text[], text[], text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION aggregate_counts(text[], date, date, text[], text[], text[], text[], text[]),
    aggregate_summary(date, date, text[], text[], text[], text[], text[]) TO ${app_role};
