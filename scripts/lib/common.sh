# Shared by scripts/up and scripts/test: repository paths and the package install step.
# Sourced, not run; the caller has `set -euo pipefail`.

SS_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SS_BUILD_DIR="${STREAMSPACE_BUILD_DIR:-${SS_REPO_ROOT}/build}"

ss_log() { printf '==> %s\n' "$*" >&2; }
ss_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# The packages of scripts/packages.txt that are not installed yet.
ss_missing_packages() {
  local package status
  while read -r package; do
    [[ -z "${package}" || "${package}" == \#* ]] && continue
    status="$(dpkg-query -W -f='${Status}' "${package}" 2>/dev/null || true)"
    [[ "${status}" == "install ok installed" ]] || printf '%s\n' "${package}"
  done <"${SS_REPO_ROOT}/scripts/packages.txt"
}

# Installs what is missing, non-interactively; `apt-get update` only when something is missing.
ss_install_packages() {
  local missing=()
  mapfile -t missing < <(ss_missing_packages)
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  ss_log "installing ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
}

# Configures the build tree (Ninja, ccache through the top-level CMakeLists.txt) once.
ss_configure() {
  if [[ ! -f "${SS_BUILD_DIR}/CMakeCache.txt" ]]; then
    cmake -S "${SS_REPO_ROOT}" -B "${SS_BUILD_DIR}" -G Ninja
  fi
}

# Builds the given targets (all when none) on two cores.
ss_build() {
  ss_configure
  if (($# == 0)); then
    cmake --build "${SS_BUILD_DIR}" -j2
  else
    cmake --build "${SS_BUILD_DIR}" -j2 --target "$@"
  fi
}
