-- Flyway callback, run after every migrate (versioned and repeatable files
-- applied): backfills that need the current functions.
--
-- The rollups (R__aggregate_rollup.sql) hold figures computed by the rollup
-- functions from the incidents, the category lookup and the rules fed as
-- placeholders (aggregate.SchemaPlaceholders). When any of these changed since
-- the last rebuild, the rollups are rebuilt from the tables in this migrate's
-- transaction; otherwise this costs one fingerprint of a few catalogue rows,
-- so it may run at every start. The fingerprint and the time of the last
-- rebuild are kept in aggregate_rollup_state (V4).
DO $$
DECLARE
    current_fingerprint text;
BEGIN
    SELECT md5(concat_ws(E'\n',
            (SELECT string_agg(pg_get_functiondef(p.oid), E'\n'
                               ORDER BY p.proname, pg_get_function_identity_arguments(p.oid))
             FROM pg_proc p
             WHERE p.pronamespace = '${flyway:defaultSchema}'::regnamespace
               AND p.proname LIKE 'aggregate\_rollup\_%'),
            (SELECT string_agg(category || '=' || category_group, ',' ORDER BY category)
             FROM ${flyway:defaultSchema}.aggregate_category),
            '${reporting_zone}',
            ARRAY[${counted_statuses}]::text))
        INTO current_fingerprint;
    IF current_fingerprint IS DISTINCT FROM
            (SELECT fingerprint FROM ${flyway:defaultSchema}.aggregate_rollup_state) THEN
        PERFORM ${flyway:defaultSchema}.aggregate_rollup_rebuild();
        INSERT INTO ${flyway:defaultSchema}.aggregate_rollup_state (fingerprint, rebuilt_at)
            VALUES (current_fingerprint, clock_timestamp())
            ON CONFLICT (singleton) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
                                                  rebuilt_at = EXCLUDED.rebuilt_at;
    END IF;
END $$;
