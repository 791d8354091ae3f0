-- Shared events: the only two cross-organisation steps of linking (contract
-- §8), as narrow SECURITY DEFINER functions owned by the owning role. The
-- acting organisation is the transaction's app.organization, never an
-- argument, so the service cannot act for another tenant through them; they
-- return no incident id, external id, field or version of another
-- organisation. Tables: V1__baseline_tables.sql (policies V2, grants V3).

-- Redeems a link code (given as its SHA-256) for the caller's incident
-- `joining` at `redeemed_at`. Outcomes:
-- * 'joined' with the code's event: the code is now used (by this
--   transaction: if it rolls back, the code is unused again);
-- * 'invalid': no such code, or used, or expired (one answer for all three);
-- * 'issuer': the code was issued for `joining` itself (the code stays unused).
-- The row lock makes concurrent redemptions of one code take turns: the
-- second sees the first's used_at and gets 'invalid'.
CREATE OR REPLACE FUNCTION shared_event_redeem(hash bytea, joining uuid, redeemed_at timestamptz)
RETURNS TABLE (outcome text, event_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    acting text := nullif(current_setting('app.organization', true), '');
    code event_link_code;
BEGIN
    IF acting IS NULL THEN
        RAISE EXCEPTION 'no active organisation' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO code FROM event_link_code c WHERE c.code_sha256 = hash FOR UPDATE;
    IF NOT FOUND OR code.used_at IS NOT NULL OR code.expires_at <= redeemed_at THEN
        RETURN QUERY SELECT 'invalid'::text, NULL::uuid;
    ELSIF code.organization = acting AND code.incident_id = joining THEN
        RETURN QUERY SELECT 'issuer'::text, NULL::uuid;
    ELSE
        UPDATE event_link_code c SET used_at = redeemed_at, used_by = acting
        WHERE c.code_sha256 = hash;
        RETURN QUERY SELECT 'joined'::text, code.event_id;
    END IF;
END $$;

-- The partners (aliases, sorted) with live reports in an event and how many
-- live reports it has, for an organisation that has a live report in it
-- itself; no row for anyone else.
CREATE OR REPLACE FUNCTION shared_event_partners(of_event uuid)
RETURNS TABLE (organizations text[], reports bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    acting text := nullif(current_setting('app.organization', true), '');
BEGIN
    IF NOT EXISTS (SELECT FROM incident i
                   WHERE i.organization = acting AND i.event_id = of_event AND i.deleted_at IS NULL) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT array_agg(DISTINCT i.organization ORDER BY i.organization), count(*)
    FROM incident i
    WHERE i.event_id = of_event AND i.deleted_at IS NULL;
END $$;

REVOKE ALL ON FUNCTION shared_event_redeem(bytea, uuid, timestamptz), shared_event_partners(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION shared_event_redeem(bytea, uuid, timestamptz), shared_event_partners(uuid)
    TO ${app_role};

-- Counting occurrences (contract §8, "Counting"). Filters select reports as
-- before; the selected reports of one event form one occurrence and an
-- unlinked report is an occurrence of its own. So a row's events are its
-- reports minus its linked reports plus the events those linked reports form:
--     events = incidents - linked incidents + linked events
-- and only linked reports need the occurrence rule. Where the rollups answer
-- (and no organisation filter narrows an event's reports), the last two terms
-- are maintained per cell (aggregate_event_cell, R__aggregate_rollup.sql);
-- otherwise aggregate_linked_counts counts them, scanning linked reports only
-- (the partial index incident_event_idx). The reports' own figures stay exact
-- through links and unlinks, which change no counted field of a report.
--
-- The fact views (R__aggregate_door.sql) carry the event of each report.

-- A dimension's value for an event: multi-valued dimensions from each
-- selected report (their union, once grouped), day, week, month and commune
-- from the event's earliest selected report (window `earliest`: by
-- occurred_at, ties by id).
CREATE OR REPLACE FUNCTION aggregate_event_dimension_sql(dimension text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN dimension IN ('day', 'week', 'month')
                THEN replace(aggregate_dimension_sql(dimension), 'f.local_day', 'first_value(f.local_day) OVER earliest')
                WHEN dimension = 'commune' THEN 'first_value(f.commune) OVER earliest'
                ELSE aggregate_dimension_sql(dimension) END
$$;

-- The linked reports' side of the counts, with aggregate_source's filters:
-- per key, the linked reports (by the reports' own values) and the events
-- (by the events' values); in the total row (is_total), the linked reports,
-- the events, and the shared events (selected reports from two or more
-- organisations). With no dimensions, the total row only.
CREATE OR REPLACE FUNCTION aggregate_linked_counts(dimensions text[], day_from date, day_to date,
        organizations text[], categories text[], forces text[], communes text[], statuses text[])
RETURNS TABLE (is_total boolean, key text[], incident_count bigint, event_count bigint, shared_count bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp
    SET work_mem = '64MB' AS $$
DECLARE
    report_key text := coalesce((SELECT string_agg(aggregate_dimension_sql(d), ', ' ORDER BY n)
                                 FROM unnest(dimensions) WITH ORDINALITY AS x (d, n)), '');
    event_key text := coalesce((SELECT string_agg(aggregate_event_dimension_sql(d), ', ' ORDER BY n)
                                FROM unnest(dimensions) WITH ORDINALITY AS x (d, n)), '');
BEGIN
    RETURN QUERY EXECUTE format('WITH s AS MATERIALIZED ('
            || 'SELECT ARRAY[%1$s]::text[] AS report_key, ARRAY[%2$s]::text[] AS event_key, '
            || 'f.organization, f.incident_id, f.event_id FROM %3$s AND f.event_id IS NOT NULL '
            || 'WINDOW earliest AS (PARTITION BY f.event_id ORDER BY f.occurred_at, f.incident_id, f.organization)) '
            || 'SELECT false, k, sum(i)::bigint, sum(e)::bigint, NULL::bigint FROM ('
            || 'SELECT report_key, count(DISTINCT (organization, incident_id)), 0 FROM s GROUP BY 1 '
            || 'UNION ALL SELECT event_key, 0, count(DISTINCT event_id) FROM s GROUP BY 1) AS t (k, i, e) '
            || 'WHERE cardinality(k) > 0 GROUP BY k '
            || 'UNION ALL SELECT true, NULL, count(DISTINCT (organization, incident_id)), count(DISTINCT event_id), '
            || '(SELECT count(*) FROM (SELECT FROM s GROUP BY event_id HAVING count(DISTINCT organization) > 1) '
            || 'AS shared) FROM s', report_key, event_key, aggregate_source(dimensions))
        USING day_from, day_to, organizations, categories, forces, communes, statuses;
END $$;

-- The doors the service calls: aggregate_counts and aggregate_summary
-- (reports, from the rollups or the scan) with events beside them. When the
-- rollups answer and no organisation filter narrows the events' reports, the
-- events are the reports plus the maintained corrections (aggregate_event_cell,
-- R__aggregate_rollup.sql); otherwise the linked reports are scanned.
-- Rows meet by key, the total rows (whose key says nothing) by being totals;
-- a key can have events and no report of its own (an event of January counts
-- its February report's category in January).
DROP FUNCTION IF EXISTS aggregate_event_counts(text[], date, date, text[], text[], text[], text[], text[]);
CREATE FUNCTION aggregate_event_counts(dimensions text[], day_from date, day_to date, organizations text[],
        categories text[], forces text[], communes text[], statuses text[])
RETURNS TABLE (is_total boolean, key text[], incident_count bigint, volunteer_count bigint, event_count bigint,
        incident_key bigint, volunteer_key bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    maintained boolean := organizations IS NULL AND coalesce(cardinality(dimensions), 0) > 0
        AND aggregate_rollup_answers(dimensions, day_from, day_to, categories, forces, communes, statuses);
    linked text := CASE WHEN maintained
        THEN '(' || aggregate_rollup_sql(dimensions, true) || ') AS e (is_total, key, correction)'
        ELSE 'aggregate_linked_counts($8, $1, $2, $3, $4, $5, $6, $7) AS e' END;
BEGIN
    RETURN QUERY EXECUTE 'SELECT coalesce(r.is_total, l.is_total), coalesce(r.key, l.key), '
            || 'coalesce(r.incident_count, 0), coalesce(r.volunteer_count, 0), coalesce(r.incident_count, 0) '
            || CASE WHEN maintained THEN '+ coalesce(l.correction, 0) '
                    ELSE '- coalesce(l.incident_count, 0) + coalesce(l.event_count, 0) ' END
            || ', r.incident_key, coalesce(r.volunteer_key, 0) '
            || 'FROM (SELECT c.*, CASE WHEN c.is_total THEN ''{}'' ELSE c.key END AS meet '
            || 'FROM aggregate_counts($8, $1, $2, $3, $4, $5, $6, $7) AS c) AS r '
            || 'FULL JOIN (SELECT e.*, CASE WHEN e.is_total THEN ''{}'' ELSE e.key END AS meet FROM ' || linked
            || ') AS l ON l.is_total = r.is_total AND l.meet = r.meet'
        USING day_from, day_to, organizations, categories, forces, communes, statuses, dimensions;
END $$;

DROP FUNCTION IF EXISTS aggregate_event_summary(date, date, text[], text[], text[], text[], text[]);
CREATE FUNCTION aggregate_event_summary(day_from date, day_to date, organizations text[],
        categories text[], forces text[], communes text[], statuses text[])
RETURNS TABLE (incident_count bigint, volunteer_count bigint, organization_count bigint,
        first_occurred_at timestamptz, last_occurred_at timestamptz, complaint_count bigint, event_count bigint,
        shared_event_count bigint, volunteer_key bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
BEGIN
    IF organizations IS NULL
            AND aggregate_rollup_answers('{}', day_from, day_to, categories, forces, communes, statuses) THEN
        RETURN QUERY
        SELECT s.incident_count, s.volunteer_count, s.organization_count, s.first_occurred_at, s.last_occurred_at,
               s.complaint_count, s.incident_count + e.correction, e.shared, s.volunteer_key
        FROM aggregate_summary(day_from, day_to, organizations, categories, forces, communes, statuses) s
        CROSS JOIN (SELECT coalesce(sum(c.correction) FILTER (WHERE c.family = '*'), 0)::bigint AS correction,
                           coalesce(sum(c.correction) FILTER (WHERE c.family = 'sharedEvents'), 0)::bigint AS shared
                    FROM aggregate_event_cell c
                    WHERE c.organization IS NULL AND c.period = 'all' AND c.family IN ('*', 'sharedEvents')) e;
        RETURN;
    END IF;
    RETURN QUERY
    SELECT s.incident_count, s.volunteer_count, s.organization_count, s.first_occurred_at, s.last_occurred_at,
           s.complaint_count, s.incident_count - l.incident_count + l.event_count, l.shared_count, s.volunteer_key
    FROM aggregate_summary(day_from, day_to, organizations, categories, forces, communes, statuses) s
    CROSS JOIN aggregate_linked_counts('{}', day_from, day_to, organizations, categories, forces, communes,
            statuses) l
    WHERE l.is_total;
END $$;

REVOKE ALL ON FUNCTION aggregate_event_dimension_sql(text),
    aggregate_linked_counts(text[], date, date, text[], text[], text[], text[], text[]),
    aggregate_event_counts(text[], date, date, text[], text[], text[], text[], text[]),
    aggregate_event_summary(date, date, text[], text[], text[], text[], text[]) FROM PUBLIC;
-- The service reads reports and events together, through these two only.
GRANT EXECUTE ON FUNCTION aggregate_event_counts(text[], date, date, text[], text[], text[], text[], text[]),
    aggregate_event_summary(date, date, text[], text[], text[], text[], text[]) TO ${app_role};
