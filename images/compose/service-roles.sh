#!/usr/bin/env bash
# Run by the PostgreSQL container once, on its first start (/docker-entrypoint-initdb.d): per
# service, the login role and the schema of helm/streamspace/files/service-role.sql, with the
# password the secrets step made. PGUSER and the database come from the entry point's environment.
set -euo pipefail
while read -r role password; do
  [[ -n "${role}" ]] || continue
  {
    printf '\\set role %s\n\\set password %s\n' "${role}" "${password}"
    cat /streamspace/service-role.sql
  } | psql -X -q -v ON_ERROR_STOP=1 -d "${POSTGRES_DB}"
done </run/secrets/streamspace/roles
