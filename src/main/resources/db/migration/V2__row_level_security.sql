-- Wall two of tenant isolation: PostgreSQL row-level security on every tenant
-- table, keyed on the transaction-local setting app.organization that the
-- service sets at the start of each transaction (TenantSessionInterceptor).
--
-- * ENABLE turns the policies on; FORCE applies them to the table owner too,
--   so nothing but a superuser or a BYPASSRLS role reads across tenants.
-- * current_setting(..., true) is NULL (or '' once the session has used the
--   setting) when no organisation was set: the comparison is then never true,
--   so a transaction without the setting sees and writes nothing.
-- * USING filters what SELECT, UPDATE and DELETE can touch; WITH CHECK refuses
--   an INSERT or UPDATE whose row names another organisation.
-- * Foreign keys lead with the organisation, so a row can only ever reference
--   rows of its own organisation (referential checks bypass RLS by design).
-- * The policies have no TO clause: they bind every role, the service's included.
DO $$
DECLARE
    tenant_table text;
BEGIN
    FOREACH tenant_table IN ARRAY ARRAY['volunteer', 'incident', 'incident_volunteer', 'incident_revision',
                                        'idempotency_key', 'shared_event', 'event_link_code',
                                        'event_link_failure'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I '
            'USING (organization = current_setting(''app.organization'', true)) '
            'WITH CHECK (organization = current_setting(''app.organization'', true))', tenant_table);
    END LOOP;
END $$;

-- The shared aggregates' door (R__aggregate_door.sql, R__aggregate_rollup.sql)
-- runs as the owning role: this read-only policy lets it see every partner's
-- rows of the tables it reads, although RLS is forced on the owner too.
CREATE POLICY aggregate_reader ON incident FOR SELECT TO ${flyway:user} USING (true);
CREATE POLICY aggregate_reader ON volunteer FOR SELECT TO ${flyway:user} USING (true);
CREATE POLICY aggregate_reader ON incident_volunteer FOR SELECT TO ${flyway:user} USING (true);

-- Shared events (R__shared_events.sql): the redeeming function, running as
-- the owner, reads any organisation's code and marks it used, and names an
-- event's partners; nothing else of the owner's reaches these rows.
CREATE POLICY event_redeemer ON event_link_code FOR SELECT TO ${flyway:user} USING (true);
CREATE POLICY event_redeemer_use ON event_link_code FOR UPDATE TO ${flyway:user} USING (true) WITH CHECK (true);
CREATE POLICY event_reader ON shared_event FOR SELECT TO ${flyway:user} USING (true);
