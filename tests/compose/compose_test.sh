#!/usr/bin/env bash
# Issue 18: the images and docker-compose.yml, end to end. Builds the images (scripts/images),
# starts the stack under a project name of its own on a free port, and checks through the
# published gateway (compose_api_test, by tag): a new stack works; every container is healthy and
# runs as a non-root user; no secret is in an image, a container's configuration or a log; a
# service killed with SIGKILL answers 503 and comes back by the restart policy; `down` then `up`
# keeps the data. Exits 77 (skipped) with a loud message when no container engine works and none
# can be installed, unless CI=true, where that fails.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
API_TEST="${COMPOSE_API_TEST:?COMPOSE_API_TEST names the compose_api_test binary}"
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-300}"

if ! ENGINE="$(ss_container_engine)"; then
  if [[ "${CI:-}" == true ]]; then
    ss_die "no container engine works here and podman could not be installed (CI=true)"
  fi
  printf '\n*** SKIPPED acceptance.compose: no container engine works here and podman could not be installed ***\n\n' >&2
  exit 77
fi

work="$(mktemp -d)"
built="$("${SS_REPO_ROOT}/scripts/images" 2>"${work}/images.log")" ||
  { cat "${work}/images.log" >&2; ss_die "scripts/images failed"; }
eval "${built}"
grep -E '^==> images built|streamspace/[a-z-]+:' "${work}/images.log" >&2 || true
export STREAMSPACE_VERSION POSTGRES_IMAGE
API_PORT="$(ss_free_port)"
export API_PORT
PROJECT="streamspacetest$$"
read -r -a compose <<<"$(ss_compose_command "${ENGINE}")"
compose+=(-p "${PROJECT}" -f "${SS_REPO_ROOT}/docker-compose.yml")

engine() { "${ENGINE}" "$@"; }

containers() {
  engine ps -a --filter "label=com.docker.compose.project=${PROJECT}" --format '{{.Names}}'
}

cleanup() {
  local status=$?
  if ((status != 0)); then
    for container in $(containers); do
      printf -- '--- %s ---\n' "${container}" >&2
      engine logs --tail 30 "${container}" >&2 2>&1 || true
    done
  fi
  "${compose[@]}" down -v >/dev/null 2>&1 || true
  rm -rf "${work}"
}
trap cleanup EXIT

# Healthy by the compose file's own health check. podman runs health checks only when asked (no
# systemd timers here), so this asks.
healthy() {
  if [[ "${ENGINE}" == podman ]]; then
    engine healthcheck run "$1" >/dev/null 2>&1
  else
    [[ "$(engine inspect -f '{{.State.Health.Status}}' "$1")" == healthy ]]
  fi
}

# Waits until the gateway answers /health and every long-running container is healthy; says how
# long after `up` began (second $1).
wait_healthy() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT)) started="$1" pending
  while :; do
    pending=""
    for container in $(containers); do
      [[ "$(engine inspect -f '{{.State.Status}}' "${container}")" == exited &&
        "$(engine inspect -f '{{.State.ExitCode}}' "${container}")" == 0 &&
        "${container}" == *secrets* ]] && continue
      healthy "${container}" || pending+=" ${container}"
    done
    if [[ -z "${pending}" ]] &&
      [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
        "http://127.0.0.1:${API_PORT}/health" || true)" == 200 ]]; then
      ss_log "stack healthy $((SECONDS - started)) s after up"
      return 0
    fi
    ((SECONDS < deadline)) || ss_die "not healthy within ${HEALTH_TIMEOUT} s:${pending}"
    sleep 2
  done
}

container_of() { containers | grep -E "[_-]$1[_-][0-9]+$" | head -n 1; }

api_test() {
  STREAMSPACE_API_PORT="${API_PORT}" ADMIN_PASSWORD="${admin_password}" "${API_TEST}" "$@"
}

ss_log "compose up (${compose[*]})"
up_started=${SECONDS}
"${compose[@]}" up -d >"${work}/up.log" 2>&1 || { cat "${work}/up.log" >&2; ss_die "up failed"; }
wait_healthy "${up_started}"
admin_password="$(engine exec "$(container_of auth)" cat /run/secrets/streamspace/admin-password)"

ss_log "every container runs as a non-root user"
for container in $(containers); do
  user="$(engine inspect -f '{{.Config.User}}' "${container}")"
  [[ -n "${user}" && "${user%%:*}" != 0 && "${user%%:*}" != root ]] ||
    ss_die "${container} runs as '${user}'"
  if [[ "$(engine inspect -f '{{.State.Status}}' "${container}")" == running ]]; then
    uid="$(engine exec "${container}" sh -c 'id -u')"
    [[ "${uid}" != 0 ]] || ss_die "${container} runs as root"
  fi
done

ss_log "a new stack: sign in, template, session Running over the WebSocket, hibernate, delete"
api_test "[first]"

ss_log "no secret in an image, its layers, a container's configuration or a log"
secrets="${work}/secrets"
for container in postgres auth catalog gateway session tracker nodes; do
  engine exec "$(container_of "${container}")" sh -c \
    'for f in /run/secrets/streamspace/*; do cat "$f"; echo; done'
done | tr ',= ' '\n\n\n' | awk 'length($0) >= 16' | sort -u >"${secrets}"
(($(wc -l <"${secrets}") >= 10)) || ss_die "found only $(wc -l <"${secrets}") secrets to look for"
for image in $(engine images --format '{{.Repository}}:{{.Tag}}' | grep -E 'streamspace/' | sort -u); do
  engine image inspect "${image}" >"${work}/inspect"
  engine history --no-trunc "${image}" >>"${work}/inspect"
  ! grep -q -F -f "${secrets}" "${work}/inspect" || ss_die "a secret is in the metadata of ${image}"
  engine save -o "${work}/image.tar" "${image}" >/dev/null 2>&1
  ! grep -a -q -F -f "${secrets}" "${work}/image.tar" || ss_die "a secret is in a layer of ${image}"
  rm -f "${work}/image.tar"
done
for container in $(containers); do
  { engine inspect "${container}" && engine logs "${container}" 2>&1; } >"${work}/container"
  ! grep -q -F -f "${secrets}" "${work}/container" ||
    ss_die "a secret is in the configuration or the log of ${container}"
done

ss_log "SIGKILL of the catalog under load: 503 for its routes, then back by the restart policy"
api_test "[catalog-down]" &
load=$!
sleep 3
kill -9 "$(engine inspect -f '{{.State.Pid}}' "$(container_of catalog)")"
wait "${load}" || ss_die "the catalog's routes did not answer 503 then 200"
wait_healthy "${SECONDS}"

ss_log "down, then up: the data stays"
"${compose[@]}" down >"${work}/down.log" 2>&1 || { cat "${work}/down.log" >&2; ss_die "down failed"; }
up_started=${SECONDS}
"${compose[@]}" up -d >"${work}/up.log" 2>&1 || { cat "${work}/up.log" >&2; ss_die "up failed"; }
wait_healthy "${up_started}"
api_test "[again]"
ss_log "compose stack: all checks passed"
