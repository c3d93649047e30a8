#!/usr/bin/env bash
# The `secrets` step of docker-compose.yml: on the first start, makes every secret of the stack,
# each into the volume of the one container that needs it (mounted here at
# /var/lib/streamspace/secrets/<container>), readable by that container's user only. Later starts
# keep what exists. Nothing is printed.
#
#   postgres/postgres-password     the superuser's
#   postgres/roles                 "<service> <password>" per line, for initdb
#   <service>/db-password          the same password, for the service's DB_PASSWORD_FILE
#   <service>/service-secret       its client secret for service tokens (and gateway's)
#   auth/service-clients           auth's SERVICE_CLIENTS: every <name>=<secret>
#   auth/admin-password            the first password of the user `admin`
#   catalog/secret-key             the key the catalog seals repository secrets with
set -euo pipefail
umask 077

SECRETS=/var/lib/streamspace/secrets
SERVICES=(auth session tracker catalog nodes)

random_secret() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }

# Writes a fresh secret (or what follows) into a file unless the file exists; via a rename, so a
# reader never sees half of it.
make_secret() {
  local file="$1"
  shift
  [[ -s "${file}" ]] && return 0
  if (($# > 0)); then
    printf '%s' "$*" >"${file}.tmp"
  else
    random_secret >"${file}.tmp"
  fi
  mv "${file}.tmp" "${file}"
}

make_secret "${SECRETS}/postgres/postgres-password"
make_secret "${SECRETS}/auth/admin-password"
make_secret "${SECRETS}/catalog/secret-key"
make_secret "${SECRETS}/gateway/service-secret"
clients="gateway=$(cat "${SECRETS}/gateway/service-secret")"
for service in "${SERVICES[@]}"; do
  make_secret "${SECRETS}/${service}/db-password"
  make_secret "${SECRETS}/${service}/service-secret"
  clients+=",${service}=$(cat "${SECRETS}/${service}/service-secret")"
done
make_secret "${SECRETS}/auth/service-clients" "${clients}"
roles=""
for service in "${SERVICES[@]}"; do
  roles+="${service} $(cat "${SECRETS}/${service}/db-password")"$'\n'
done
make_secret "${SECRETS}/postgres/roles" "${roles}"
