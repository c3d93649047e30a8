#!/usr/bin/env bash
# A machine without kubectl or helm: `./scripts/test --preflight` installs the pinned ones into a
# tools folder of the project's own, and `./scripts/up` (then --stop) works with them, through
# up_stop_test.sh in a private run directory. The PATH holds every command of this machine but
# kubectl and helm, so a machine's own kubectl cannot stand in for the pinned one.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/ss-fresh-test-XXXXXX")"
trap 'rm -rf "${work}"' EXIT

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

# The shadow PATH: one folder of links to the first command of each name on this PATH.
shadow="${work}/path"
mkdir -p "${shadow}"
IFS=: read -r -a dirs <<<"${PATH}:/usr/sbin:/sbin"
for dir in "${dirs[@]}"; do
  [[ -d "${dir}" ]] || continue
  find "${dir}" -maxdepth 1 \( -type f -o -type l \) -executable -print0 |
    xargs -0 -r ln -s -t "${shadow}" 2>/dev/null || true
done
rm -f "${shadow}/kubectl" "${shadow}/helm"
export PATH="${shadow}"
if command -v kubectl >/dev/null || command -v helm >/dev/null; then
  fail "the shadow PATH still has kubectl or helm"
fi

tools="${work}/tools"
export STREAMSPACE_TOOLS_DIR="${tools}"
"${repo}/scripts/test" --preflight >"${work}/preflight.out" 2>&1 || {
  cat "${work}/preflight.out" >&2
  fail "scripts/test --preflight failed without a kubectl on the PATH"
}
# shellcheck source=scripts/lib/common.sh
source "${repo}/scripts/lib/common.sh"
[[ "$(sha256sum "${tools}/bin/kubectl" | cut -d' ' -f1)" == "${SS_KUBECTL_SHA256}" ]] ||
  fail "the installed kubectl is not the pinned one"
[[ "$(sha256sum "${tools}/bin/helm" | cut -d' ' -f1)" == "${SS_HELM_SHA256}" ]] ||
  fail "the installed helm is not the pinned one"
grep -q "kubectl v1.32.3 from ${tools}/bin/kubectl" "${work}/preflight.out" ||
  fail "preflight did not use the pinned kubectl: $(cat "${work}/preflight.out")"

# up_stop_test.sh checks that up names the pinned kubectl as the one it used.
bash "${repo}/tests/acceptance/up_stop_test.sh" private
echo "fresh machine: ok"
