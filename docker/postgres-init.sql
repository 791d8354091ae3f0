-- First start of the compose PostgreSQL: the registry's two roles and its database.
-- registry_owner owns the schema and runs the Flyway migrations; registry_app is what
-- the service connects as: it owns nothing, so row-level security applies to it.
-- Change both passwords for anything but a local trial (and in compose.yaml).
CREATE ROLE registry_owner LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD 'registry_owner';
CREATE ROLE registry_app LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD 'registry_app';
CREATE DATABASE registry OWNER registry_owner ENCODING 'UTF8';
\connect registry
ALTER SCHEMA public OWNER TO registry_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
