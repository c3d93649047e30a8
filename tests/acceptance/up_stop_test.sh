#!/usr/bin/env bash
# ./scripts/up in a temporary run directory on free ports gives a working API (admin login with
# curl); ./scripts/up twice starts no duplicates; ./scripts/up --stop leaves no process behind.
#
#   up_stop_test.sh private   the run directory is mode 700, as a checkout under /root: as root,
#                             the cluster must go to the postgres user's home (.run/pg a link)
#   up_stop_test.sh shared    mode 755: the cluster lives in .run/pg itself
set -euo pipefail

mode="${1:-private}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/ss-up-test-XXXXXX")"
if [[ "${mode}" == shared ]]; then
  chmod 755 "${run_dir}"
fi
export STREAMSPACE_RUN_DIR="${run_dir}"
# The build is ctest's own (STREAMSPACE_BUILD_DIR from tests/CMakeLists.txt), already built.
export STREAMSPACE_NO_BUILD=1

# Fourteen distinct free ports below Linux's ephemeral range (32768 and up), where no outgoing
# connection takes one before its server binds it.
ports=()
while ((${#ports[@]} < 14)); do
  port=$((20000 + RANDOM % 12768))
  [[ " ${ports[*]} " == *" ${port} "* ]] && continue
  (: <"/dev/tcp/127.0.0.1/${port}") 2>/dev/null && continue
  ports+=("${port}")
done
export API_PORT="${ports[0]}" DB_PORT="${ports[1]}" GATEWAY_METRICS_PORT="${ports[2]}"
export KUBE_PORT="${ports[3]}"
next=4
for service in AUTH SESSION TRACKER CATALOG NODES; do
  export "${service}_ADDR=127.0.0.1:${ports[next]}" "${service}_METRICS_PORT=${ports[next + 1]}"
  next=$((next + 2))
done
unset ADMIN_PASSWORD KUBECONFIG
# The pinned kubectl that up installs (scripts/lib/common.sh), also for this test's own checks.
tools_bin="$(realpath -m "${STREAMSPACE_TOOLS_DIR:-${repo}/.tools}")/bin"
export PATH="${tools_bin}:${PATH}"

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  for log in "${run_dir}"/logs/*.log; do
    [[ -e "${log}" ]] || continue
    printf -- '--- %s ---\n' "${log}" >&2
    tail -n 30 "${log}" >&2 || true
  done
  exit 1
}

cleanup() {
  "${repo}/scripts/up" --reset >/dev/null 2>&1 || true
  rm -rf "${run_dir}"
}
trap cleanup EXIT

"${repo}/scripts/up" >"${run_dir}.out" 2>&1 || {
  cat "${run_dir}.out" >&2
  rm -f "${run_dir}.out"
  fail "scripts/up failed"
}
grep -q "http://127.0.0.1:${API_PORT}" "${run_dir}.out" || fail "up did not print the API URL"
grep -q "kubectl v1.32.3 from ${tools_bin}/kubectl" "${run_dir}.out" ||
  fail "up did not use the pinned kubectl: $(grep kubectl "${run_dir}.out")"
rm -f "${run_dir}.out"

[[ -s "${run_dir}/admin-password" ]] || fail "no generated admin password in the run directory"
[[ "$(stat -c %a "${run_dir}/admin-password")" == 600 ]] || fail "admin-password is not mode 600"
for secret in "${run_dir}"/secrets/*; do
  [[ "$(stat -c %a "${secret}")" == 600 ]] || fail "${secret} is not mode 600"
done

login="$(jq -n --arg p "$(cat "${run_dir}/admin-password")" '{username: "admin", password: $p}')"
token="$(curl -sf -H 'Content-Type: application/json' -d "${login}" \
  "http://127.0.0.1:${API_PORT}/api/v1/auth/login" | jq -r .token)" || fail "admin login failed"
[[ -n "${token}" && "${token}" != null ]] || fail "login gave no token"
me="$(curl -sf -H "Authorization: Bearer ${token}" "http://127.0.0.1:${API_PORT}/api/v1/users/me" |
  jq -r .username)" || fail "/api/v1/users/me failed"
[[ "${me}" == admin ]] || fail "/api/v1/users/me answered ${me}"

# The emulator runs with the chart's CRDs applied, and kubectl reaches it through the kubeconfig.
kubectl --kubeconfig "${run_dir}/kubeconfig" get sessions.stream.streamspace.io -A >/dev/null ||
  fail "kubectl cannot list Sessions on the emulator"
# Read whole first: `grep -q` quitting early would fail kubectl's write (pipefail).
nodes="$(kubectl --kubeconfig "${run_dir}/kubeconfig" get nodes -o name)" ||
  fail "kubectl cannot list nodes on the emulator"
grep -q '^node/' <<<"${nodes}" || fail "the emulator has no nodes"

# Everything up started, by the PIDs it recorded, plus PostgreSQL's postmaster.
pids=()
for pid_file in "${run_dir}"/pids/*.pid; do
  read -r pid _ <"${pid_file}"
  pids+=("${pid}")
done
pg_data="$(readlink -f "${run_dir}/pg")"
if ((EUID == 0)) && [[ "${mode}" == private ]]; then
  [[ -L "${run_dir}/pg" ]] || fail "a run directory postgres cannot enter must hold a link"
else
  [[ -d "${run_dir}/pg" && ! -L "${run_dir}/pg" ]] || fail "the cluster is not in .run/pg"
fi
pids+=("$(head -n 1 "${pg_data}/postmaster.pid")")
((${#pids[@]} >= 8)) || fail "expected the emulator, postgres, five services and the gateway, got ${pids[*]}"

# Running up again keeps the same processes.
"${repo}/scripts/up" >/dev/null 2>&1 || fail "second scripts/up failed"
for pid_file in "${run_dir}"/pids/*.pid; do
  read -r pid _ <"${pid_file}"
  [[ " ${pids[*]} " == *" ${pid} "* ]] || fail "second up started a new process ${pid_file}"
done

"${repo}/scripts/up" --stop >/dev/null 2>&1 || fail "scripts/up --stop failed"
# A zombie has exited already; it only waits for the process that adopted it to reap it.
running() {
  local state
  state="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1 || true)"
  [[ -n "${state}" && "${state}" != Z ]]
}
for pid in "${pids[@]}"; do
  if running "${pid}"; then
    fail "process ${pid} ($(tr '\0' ' ' <"/proc/${pid}/cmdline")) still runs after --stop"
  fi
done
if pgrep -f "${run_dir}" >/dev/null || pgrep -f "${pg_data}" >/dev/null; then
  fail "processes of the run directory remain: $(pgrep -af "${run_dir}|${pg_data}")"
fi
[[ -f "${pg_data}/PG_VERSION" ]] || fail "--stop did not keep the data"
echo "up/stop (${mode} run directory): ok"
