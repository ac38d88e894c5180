#!/bin/sh
# One-shot (compose service temporal-schema, admin-tools image): creates Temporal's two PostgreSQL databases and
# brings their schemas to this server version. Safe to run on every `docker compose up`: an existing database or
# schema is kept and only upgraded.
set -eu

tool() {
  temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS}" -p "${DB_PORT}" -u "${POSTGRES_USER}" "$@"
}

until nc -z -w 5 "${POSTGRES_SEEDS}" "${DB_PORT}"; do
  echo "waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}"
  sleep 2
done

for db in temporal temporal_visibility; do
  case "${db}" in
    temporal) schema=temporal ;;
    *) schema=visibility ;;
  esac
  tool --db "${db}" create || echo "database ${db} exists: kept"
  # setup-schema refuses a database that already has one; update-schema then applies what is new.
  tool --db "${db}" setup-schema -v 0.0 || echo "schema of ${db} exists: upgrading it"
  tool --db "${db}" update-schema -d "/etc/temporal/schema/postgresql/v12/${schema}/versioned"
done
echo "PostgreSQL schemas ready"
