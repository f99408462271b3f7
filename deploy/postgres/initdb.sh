#!/bin/sh
# Run once, by the postgres image, when its volume is new (/docker-entrypoint-initdb.d): the two roles and the
# database of docs/audit-log.md. openehcp_owner owns the database and runs the migrations; openehcp_app is what the
# service runs as, given its rights after the migrations by grant-app-role.sh.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$OPENEHCP_OWNER_PASSWORD" -v app_password="$OPENEHCP_APP_PASSWORD" <<'SQL'
CREATE ROLE openehcp_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE openehcp_app LOGIN PASSWORD :'app_password';
CREATE DATABASE openehcp OWNER openehcp_owner;
REVOKE ALL ON DATABASE openehcp FROM PUBLIC;
SQL
