-- First start of the compose PostgreSQL: the registry's two roles and its database.
-- registry_owner owns the schema and runs the Flyway migrations; registry_app is what
-- the service connects as: it owns nothing, so row-level security applies to it.
-- The passwords come from the environment (REGISTRY_DB_OWNER_PASSWORD,
-- REGISTRY_DB_APP_PASSWORD), passed as psql variables by postgres-init.sh and by
-- compose.ha.yaml's db-init: the service's production profile refuses weak ones.
CREATE ROLE registry_owner LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD :'owner_password';
CREATE ROLE registry_app LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD :'app_password';
CREATE DATABASE registry OWNER registry_owner ENCODING 'UTF8';
\connect registry
ALTER SCHEMA public OWNER TO registry_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
