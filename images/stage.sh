#!/usr/bin/env bash
# Runs in the image build stage (images/Dockerfile): lays out, under /out/<image>/, exactly what
# that image adds to the base: its binaries, stripped, in /usr/local/bin, and every shared library
# they load that the base image does not have (listed in /base-files before the toolchain was
# installed), as a file named as the loader looks for it (its soname) in its directory. Directories
# are resolved, so /lib (a link to /usr/lib) is never copied over.
#
#   stage.sh BUILD_DIR
set -euo pipefail

build_dir="$1"

# image: the binaries it runs (targets, found in the build tree), then files it also needs.
IMAGES=(
  "gateway: gateway streamspace-probe"
  "auth: auth-service streamspace-probe /etc/ssl/certs/ca-certificates.crt"
  "session: session-service streamspace-probe"
  "tracker: tracker-service streamspace-probe"
  "catalog: catalog-service streamspace-probe /etc/ssl/certs/ca-certificates.crt"
  "nodes: nodes-service streamspace-probe"
  "kube-emulator: kube-emulator"
)

copy_file() {
  local source dest="$2"
  source="$(readlink -f "$1")"
  mkdir -p "$(dirname "${dest}")"
  cp "${source}" "${dest}"
}

# Every shared library a binary loads, by the name the loader looks for, in its resolved
# directory: one per line.
libraries() {
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
    while read -r library; do
      printf '%s/%s\n' "$(readlink -f "$(dirname "${library}")")" "$(basename "${library}")"
    done
}

for line in "${IMAGES[@]}"; do
  image="${line%%:*}"
  out="/out/${image}"
  rm -rf "${out}"
  for item in ${line#*:}; do
    if [[ "${item}" == /* ]]; then
      copy_file "${item}" "${out}${item}"
      continue
    fi
    binary="$(find "${build_dir}" -type f -name "${item}" -perm -u+x | head -n 1)"
    [[ -n "${binary}" ]] || { echo "stage.sh: ${item} not built" >&2; exit 1; }
    install -D -m 0755 "${binary}" "${out}/usr/local/bin/${item}"
    strip --strip-unneeded "${out}/usr/local/bin/${item}"
    while read -r library; do
      if ! grep -qxF "${library}" /base-files && [[ ! -e "${out}${library}" ]]; then
        copy_file "${library}" "${out}${library}"
      fi
    done < <(libraries "${binary}")
  done
done
