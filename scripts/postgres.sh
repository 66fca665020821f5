#!/usr/bin/env bash
# Starts the local PostgreSQL 15 cluster if it is down and makes sure the test role exists.
# Fails loudly when the server cannot be reached: the PostgreSQL tests never skip.
set -euo pipefail
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster 15 main start || true
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }
su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"DO \\\$\\\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'beheer') THEN
    CREATE ROLE beheer LOGIN CREATEDB PASSWORD 'beheer';
  END IF; END \\\$\\\$; SET client_min_messages = warning; GRANT pg_checkpoint TO beheer;\""
# Databases left behind by earlier test and benchmark runs that were cut off.
for db in $(su postgres -c "psql -qtAc \"SELECT datname FROM pg_database WHERE datname LIKE 't\\_%' OR datname LIKE 'bench\\_%'\""); do
  su postgres -c "dropdb --if-exists '$db'" || true
done
