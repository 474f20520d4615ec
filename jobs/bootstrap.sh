#!/bin/sh
# Database bootstrap of the memory store (R-DATA-0, R-WL-8). Runs as the master (admin)
# user, once per change, before migrations; every statement is idempotent.
#   - APP_ROLE owns the memory-store database and its public schema, and nothing else:
#     LOGIN, no SUPERUSER, CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS.
#   - BACKUP_ROLE reads everything (pg_read_all_data) for the export, and writes nothing.
#   - The admin user becomes a member of APP_ROLE, so a restore can create a database
#     owned by it (PostgreSQL 16 no longer grants that to a role's creator).
#   - grants.sql: the database and its schema belong to APP_ROLE, BACKUP_ROLE may connect;
#     every restore applies the same file to the database it restores (R-DATA-6).
# Passwords are read from files (the mounted Secret) and never appear on a command line:
# the admin URL's goes into a pgpass file (lib.sh), the roles' into psql variables.
#
# Environment: WORK_DIR, ADMIN_DATABASE_URL_FILE, APP_ROLE_PASSWORD_FILE,
#   BACKUP_ROLE_PASSWORD_FILE, DATABASE_NAME, APP_ROLE, BACKUP_ROLE.
set -eu

fail() { echo "bootstrap: $*" >&2; exit 1; }
for v in WORK_DIR ADMIN_DATABASE_URL_FILE APP_ROLE_PASSWORD_FILE BACKUP_ROLE_PASSWORD_FILE DATABASE_NAME APP_ROLE BACKUP_ROLE; do
  eval "val=\${$v:-}"
  [ -n "$val" ] || fail "$v is not set"
done
for f in "$ADMIN_DATABASE_URL_FILE" "$APP_ROLE_PASSWORD_FILE" "$BACKUP_ROLE_PASSWORD_FILE"; do
  [ -r "$f" ] || fail "cannot read $f"
done

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
admin_url=$(pg_url "$ADMIN_DATABASE_URL_FILE")

psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 --dbname "$admin_url" \
  --set db="$DATABASE_NAME" --set app_role="$APP_ROLE" --set backup_role="$BACKUP_ROLE" \
  --set grants="$(dirname "$0")/grants.sql" <<'SQL'
SET client_min_messages = warning;
\set app_password `cat "$APP_ROLE_PASSWORD_FILE"`
\set backup_password `cat "$BACKUP_ROLE_PASSWORD_FILE"`

SELECT format('CREATE ROLE %I', :'app_role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_role') \gexec
ALTER ROLE :"app_role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';

SELECT format('CREATE ROLE %I', :'backup_role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'backup_role') \gexec
ALTER ROLE :"backup_role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'backup_password';
GRANT pg_read_all_data TO :"backup_role";

GRANT :"app_role" TO CURRENT_USER;

SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'app_role') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
\i :grants
SQL

echo "bootstrap: database $DATABASE_NAME owned by $APP_ROLE; $BACKUP_ROLE reads it"
