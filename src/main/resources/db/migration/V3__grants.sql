-- What the service role (${app_role}) may do with the tables: nothing more
-- than the API needs. It owns nothing, so row-level security (V2) binds it.
-- Grants on functions are with each function, in the R__ files, because
-- recreating a function drops them. The rollups and the category lookup are
-- not granted at all: only the aggregate door reads them.
GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO ${app_role};
GRANT SELECT ON organization TO ${app_role};
-- Organisations are registered from a token's claims, never renamed or removed.
GRANT INSERT (alias, name) ON organization TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON volunteer, incident_volunteer, idempotency_key TO ${app_role};
-- Incidents are tombstoned, never deleted by the service.
GRANT SELECT, INSERT, UPDATE ON incident TO ${app_role};
-- History and report snapshots are append-only evidence.
GRANT SELECT, INSERT ON incident_revision, report_snapshot TO ${app_role};
-- The change-feed trigger numbers revisions in the writing (service) transaction.
GRANT USAGE ON SEQUENCE incident_change_seq TO ${app_role};
-- Shared events: codes and events are issued, never changed by the service
-- (a code is marked used by the redeeming function); failure counts come and go.
GRANT SELECT, INSERT ON shared_event, event_link_code TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON event_link_failure TO ${app_role};
