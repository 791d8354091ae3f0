#!/bin/sh
# First start of compose.yaml's PostgreSQL: postgres-init.sql with the passwords
# the registry will use, from this container's environment.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$REGISTRY_DB_OWNER_PASSWORD" -v app_password="$REGISTRY_DB_APP_PASSWORD" \
  -f /registry-init/postgres-init.sql
