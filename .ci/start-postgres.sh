#!/usr/bin/env bash
# Start Debian's PostgreSQL cluster on loopback, create role/db "cita" and print DATABASE_URL.
# Works as root or with sudo; idempotent.
set -euo pipefail
if [ "$(id -u)" -eq 0 ]; then SUDO=""; AS_PG="runuser -u postgres --"; else SUDO="sudo"; AS_PG="sudo -u postgres"; fi
PGVER=$(ls /usr/lib/postgresql | sort -V | tail -1)
PGPORT=${PGPORT:-5432}
if ! pg_lsclusters -h | awk -v v="$PGVER" '$1==v && $2=="main"' | grep -q .; then
  $SUDO pg_createcluster "$PGVER" main -p "$PGPORT" >/dev/null
fi
pg_lsclusters -h | awk -v v="$PGVER" '$1==v && $2=="main"' | grep -q online || $SUDO pg_ctlcluster "$PGVER" main start
PGPORT=$(pg_lsclusters -h | awk -v v="$PGVER" '$1==v && $2=="main"{print $3}')
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PGPORT" && break; sleep 0.5; done
pg_isready -q -h 127.0.0.1 -p "$PGPORT"
$AS_PG psql -p "$PGPORT" -v ON_ERROR_STOP=1 -q <<'SQL' >/dev/null
SELECT 'CREATE ROLE cita LOGIN PASSWORD ''cita''' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cita') \gexec
SELECT 'CREATE DATABASE cita OWNER cita' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'cita') \gexec
SQL
$AS_PG psql -p "$PGPORT" -d cita -v ON_ERROR_STOP=1 -qc 'CREATE EXTENSION IF NOT EXISTS btree_gist' >/dev/null
echo "DATABASE_URL=postgres://cita:cita@127.0.0.1:${PGPORT}/cita"
