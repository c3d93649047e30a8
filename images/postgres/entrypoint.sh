#!/usr/bin/env bash
# The entry point of streamspace/postgres (images/postgres/Dockerfile). On an empty PGDATA: initdb
# with the superuser password of POSTGRES_PASSWORD_FILE (waiting a while for it, since compose may
# start this before the secrets are made), POSTGRES_DB created, then each script of
# /docker-entrypoint-initdb.d run with a server reachable only through its socket. Then PostgreSQL
# itself, listening on every address, password (SCRAM) required over TCP.
set -euo pipefail

if [[ "${1:-}" == postgres && ! -s "${PGDATA}/PG_VERSION" ]]; then
  password_file="${POSTGRES_PASSWORD_FILE:?POSTGRES_PASSWORD_FILE must name the superuser password}"
  for _ in $(seq 60); do
    [[ -s "${password_file}" ]] && break
    sleep 1
  done
  [[ -s "${password_file}" ]] || { echo "no password in ${password_file}" >&2; exit 1; }
  initdb -D "${PGDATA}" -U "${POSTGRES_USER:-postgres}" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --pwfile="${password_file}" >/dev/null
  echo "host all all all scram-sha-256" >>"${PGDATA}/pg_hba.conf"
  pg_ctl -D "${PGDATA}" -o "-c listen_addresses=''" -w start >/dev/null
  export PGUSER="${POSTGRES_USER:-postgres}"
  if [[ -n "${POSTGRES_DB:-}" ]]; then
    createdb "${POSTGRES_DB}"
  fi
  for script in /docker-entrypoint-initdb.d/*.sh; do
    [[ -e "${script}" ]] || continue
    echo "running ${script}"
    bash "${script}"
  done
  pg_ctl -D "${PGDATA}" -m fast -w stop >/dev/null
fi
if [[ "${1:-}" == postgres ]]; then
  exec "$@" -c listen_addresses='*'
fi
exec "$@"
