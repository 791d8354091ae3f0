-- The shared aggregates' door: the only way the service reads across organisations.
--
-- The service role (${app_role}) is walled into one organisation by row-level
-- security. Aggregates need every partner's incidents, so they go through a
-- narrow door: SECURITY DEFINER functions owned by the owning role (which the
-- aggregate_reader policies of V2 let read every partner) that run a GROUP BY
-- over fact views and return counts, never rows. No narrative, pseudonym,
-- site, id or external id leaves them. The entry points the service calls,
-- aggregate_counts and aggregate_summary, are in R__aggregate_rollup.sql:
-- they answer from the rollups when they can and call the scans below otherwise.
--
-- Objects: the fact views aggregate_incident_fact (one row per live
-- incident), aggregate_category_fact (per incident x category) and
-- aggregate_volunteer_fact (per incident x volunteer); the SQL builders
-- aggregate_dimension_sql, aggregate_source and aggregate_counted; the scans
-- aggregate_scan_counts and aggregate_scan_summary.
--
-- Days, weeks and months are calendar days of ${reporting_zone}, the reporting
-- time zone fed by the service (aggregate.SchemaPlaceholders), as are the
-- complaint statuses of a lodged complaint, ${complaint_lodged_statuses}.
-- Repeatable: rerun whenever this text changes, so every statement replaces.

-- Fact views: only countable dimensions (plus the keys needed to count
-- distinct incidents and volunteers, which never leave the door).
CREATE OR REPLACE VIEW aggregate_incident_fact AS
SELECT i.organization, i.id AS incident_id, i.occurred_at,
       (i.occurred_at AT TIME ZONE '${reporting_zone}')::date AS local_day,
       i.commune, i.categories, i.forces, i.status, i.complaint_status, i.complaint_body,
       -- The shared event of the incident (R__shared_events.sql counts occurrences by it).
       i.event_id,
       -- Its random key (V100), summed into the key of each cell it counts in.
       i.cell_key AS incident_key
FROM incident i
WHERE i.deleted_at IS NULL;

-- One row per incident x category. Dropped first: f.* takes in a column
-- added to the incident view before the category's, which CREATE OR REPLACE
-- cannot do; nothing depends on the view but dynamic SQL.
DROP VIEW IF EXISTS aggregate_category_fact;
CREATE VIEW aggregate_category_fact AS
SELECT f.*, c.category, g.category_group
FROM aggregate_incident_fact f
CROSS JOIN LATERAL unnest(f.categories) AS c (category)
JOIN aggregate_category g USING (category);

-- One row per incident x involved volunteer.
CREATE OR REPLACE VIEW aggregate_volunteer_fact AS
SELECT iv.organization, iv.incident_id, iv.volunteer_id, v.gender, v.nationality, v.cell_key AS volunteer_key
FROM incident_volunteer iv
JOIN volunteer v ON v.organization = iv.organization AND v.id = iv.volunteer_id;


-- The door. Dimension names and their SQL come from this fixed list only;
-- filter values are bound parameters ($1 .. $7, in aggregate_source's order).
CREATE OR REPLACE FUNCTION aggregate_dimension_sql(dimension text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE dimension
        WHEN 'organization' THEN 'f.organization'
        WHEN 'commune' THEN 'f.commune'
        WHEN 'day' THEN 'to_char(f.local_day, ''YYYY-MM-DD'')'
        WHEN 'week' THEN 'to_char(f.local_day, ''IYYY-"W"IW'')'
        WHEN 'month' THEN 'to_char(f.local_day, ''YYYY-MM'')'
        WHEN 'complaintStatus' THEN 'f.complaint_status'
        WHEN 'complaintBody' THEN 'f.complaint_body'
        WHEN 'category' THEN 'f.category'
        WHEN 'categoryGroup' THEN 'f.category_group'
        WHEN 'force' THEN 'fo.force'
        WHEN 'gender' THEN 'v.gender'
        WHEN 'nationality' THEN 'v.nationality::text'
    END
$$;

-- FROM and WHERE over the fact views for the given dimensions. The counted set:
-- not deleted, status in $7, occurred on a reporting-zone day in [$1, $2], organisation
-- in $3, a category in $4, a force in $5, commune in $6 (a null array: no filter).
-- When a multi-valued dimension is grouped on, its filter also selects the rows
-- (grouping by category with category=a,b shows rows a and b only).
CREATE OR REPLACE FUNCTION aggregate_source(dimensions text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    by_category boolean := dimensions && ARRAY['category', 'categoryGroup'];
    by_force boolean := 'force' = ANY (dimensions);
    sql text;
BEGIN
    IF EXISTS (SELECT FROM unnest(dimensions) d WHERE aggregate_dimension_sql(d) IS NULL) THEN
        RAISE EXCEPTION 'unknown aggregate dimension in %', dimensions USING ERRCODE = '22023';
    END IF;
    sql := CASE WHEN by_category THEN 'aggregate_category_fact f' ELSE 'aggregate_incident_fact f' END
        || CASE WHEN by_force THEN ' LEFT JOIN LATERAL unnest(f.forces) AS fo (force) ON true' ELSE '' END
        || ' LEFT JOIN aggregate_volunteer_fact v'
        || ' ON v.organization = f.organization AND v.incident_id = f.incident_id'
        || ' WHERE f.status = ANY ($7)'
        || ' AND ($1 IS NULL OR f.occurred_at >= ($1::timestamp AT TIME ZONE ''${reporting_zone}''))'
        || ' AND ($2 IS NULL OR f.occurred_at < (($2 + 1)::timestamp AT TIME ZONE ''${reporting_zone}''))'
        || ' AND ($3 IS NULL OR f.organization = ANY ($3))'
        || ' AND ($4 IS NULL OR f.categories && $4)'
        || ' AND ($5 IS NULL OR f.forces && $5)'
        || ' AND ($6 IS NULL OR f.commune = ANY ($6))';
    IF by_category THEN
        sql := sql || ' AND ($4 IS NULL OR f.category = ANY ($4))';
    END IF;
    IF by_force THEN
        sql := sql || ' AND ($5 IS NULL OR fo.force = ANY ($5))';
    END IF;
    RETURN sql;
END $$;

-- Distinct counts: ids are unique per organisation only, so incidents and
-- volunteers are counted distinct within each organisation (by a hashable
-- uuid) and the organisations' counts added up, which is exact because an
-- incident or volunteer belongs to one organisation. The scans get enough
-- memory not to spill to disk at a million incidents.
-- Beside them, the sums of the keys (V100) of the cell's incidents and
-- volunteers per organisation, added up the same way and reduced by
-- aggregate_cell_key: a function of the set of contributors alone, which is
-- all the perturbation needs.
-- The incidents' keys are summed only when asked for: only the figures of a
-- breakdown by a volunteer attribute are perturbed by them (README). Both
-- are summed once per incident and volunteer, not once per distinct key,
-- because the rollups keep a cell's sums of its incidents' and members' keys
-- (V140), which cannot tell two contributors of equal keys from one: each key
-- is added to 2^32 times 56 random bits of its contributor's id (the first 15
-- hex digits of a version-4 UUID), which makes the summands of distinct
-- contributors distinct (but for a chance of about n^2 / 2^57 in a cell of n)
-- and vanishes modulo 2^32.
DROP FUNCTION IF EXISTS aggregate_counted();
CREATE OR REPLACE FUNCTION aggregate_counted(incident_keys boolean) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'count(DISTINCT f.incident_id) AS incidents, count(DISTINCT v.volunteer_id) AS volunteers, '
        || CASE WHEN incident_keys THEN 'sum(DISTINCT f.incident_key + 4294967296::numeric * (''x'' || '
                || 'left(replace(f.incident_id::text, ''-'', ''''), 15))::bit(60)::bigint)' ELSE 'NULL::numeric' END
        || ' AS incident_keys, sum(DISTINCT v.volunteer_key + 4294967296::numeric * (''x'' || '
        || 'left(replace(v.volunteer_id::text, ''-'', ''''), 15))::bit(60)::bigint) AS volunteer_keys'
$$;

-- A cell's key: the sum of its contributors' keys modulo 2^32 (0 for none).
CREATE OR REPLACE FUNCTION aggregate_cell_key(keys numeric) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT (coalesce(keys, 0) % 4294967296)::bigint
$$;

-- One row per combination of the dimensions' values (key in the dimensions'
-- order, null for "not recorded") and one total row (is_total) that counts
-- each incident and volunteer once, by scanning the fact views. (The service
-- calls aggregate_counts, which reads rollups when they can answer.) With
-- each, the cell keys of its volunteers and, in a breakdown by gender or
-- nationality, of its incidents (null otherwise).
DROP FUNCTION IF EXISTS aggregate_scan_counts(text[], date, date, text[], text[], text[], text[], text[]);
CREATE FUNCTION aggregate_scan_counts(dimensions text[], day_from date, day_to date, organizations text[],
        categories text[], forces text[], communes text[], statuses text[])
RETURNS TABLE (is_total boolean, key text[], incident_count bigint, volunteer_count bigint, incident_key bigint,
        volunteer_key bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp
    SET work_mem = '64MB' AS $$
DECLARE
    exprs text;
    by_volunteer boolean := dimensions && ARRAY['gender', 'nationality'];
BEGIN
    IF coalesce(cardinality(dimensions), 0) = 0 THEN
        RAISE EXCEPTION 'aggregate counts need at least one dimension' USING ERRCODE = '22023';
    END IF;
    exprs := (SELECT string_agg(aggregate_dimension_sql(d), ', ' ORDER BY n)
              FROM unnest(dimensions) WITH ORDINALITY AS x (d, n));
    -- Per organisation, then added up. The organisation key is written as an
    -- expression of its own so that GROUPING still tells rows from totals when
    -- organization is also a dimension.
    RETURN QUERY EXECUTE format('SELECT total, key, sum(incidents)::bigint, sum(volunteers)::bigint, '
            || 'CASE WHEN %4$L THEN aggregate_cell_key(sum(incident_keys)) END, '
            || 'aggregate_cell_key(sum(volunteer_keys)) FROM ('
            || 'SELECT GROUPING(%1$s) <> 0 AS total, ARRAY[%1$s]::text[] AS key, %2$s FROM %3$s '
            || 'GROUP BY GROUPING SETS ((f.organization || '''', %1$s), (f.organization || ''''))) AS per_organization '
            || 'GROUP BY total, key', exprs, aggregate_counted(by_volunteer), aggregate_source(dimensions),
            by_volunteer)
        USING day_from, day_to, organizations, categories, forces, communes, statuses;
END $$;

-- The summary of the counted set: incidents and volunteers once each, by
-- scanning (the service calls aggregate_summary), and the volunteers' cell key.
DROP FUNCTION IF EXISTS aggregate_scan_summary(date, date, text[], text[], text[], text[], text[]);
CREATE FUNCTION aggregate_scan_summary(day_from date, day_to date, organizations text[],
        categories text[], forces text[], communes text[], statuses text[])
RETURNS TABLE (incident_count bigint, volunteer_count bigint, organization_count bigint, first_occurred_at timestamptz,
        last_occurred_at timestamptz, complaint_count bigint, volunteer_key bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp
    SET work_mem = '64MB' AS $$
BEGIN
    RETURN QUERY EXECUTE 'SELECT coalesce(sum(incidents), 0)::bigint, coalesce(sum(volunteers), 0)::bigint, '
            || 'count(*), min(first_at), max(last_at), coalesce(sum(complaints), 0)::bigint, '
            || 'aggregate_cell_key(sum(volunteer_keys)) FROM ('
            || 'SELECT ' || aggregate_counted(false) || ', min(f.occurred_at) AS first_at, '
            || 'max(f.occurred_at) AS last_at, count(DISTINCT f.incident_id) '
            || 'FILTER (WHERE f.complaint_status = ANY ($8)) AS complaints '
            || 'FROM ' || aggregate_source('{}') || ' GROUP BY f.organization) AS per_organization'
        USING day_from, day_to, organizations, categories, forces, communes, statuses,
            ARRAY[${complaint_lodged_statuses}];
END $$;

-- Functions are executable by PUBLIC by default. The service role gets the
-- entry points (aggregate_counts and aggregate_summary, R__aggregate_rollup.sql)
-- and nothing else.
REVOKE ALL ON FUNCTION aggregate_dimension_sql(text), aggregate_source(text[]), aggregate_counted(boolean),
    aggregate_cell_key(numeric),
    aggregate_scan_counts(text[], date, date, text[], text[], text[], text[], text[]),
    aggregate_scan_summary(date, date, text[], text[], text[], text[], text[]) FROM PUBLIC;
