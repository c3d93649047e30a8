#!/usr/bin/env bash
# Keeps the chart's values.yaml, values.schema.json and README.md in step:
#   - every value of values.yaml has a comment line above it;
#   - every leaf value of values.yaml is declared in the schema, and every value the schema
#     declares is in values.yaml (a map the schema passes through as it is, such as resources or
#     podSecurityContext, counts as one value);
#   - the README's values table names every value, and names none that does not exist. A row
#     `<component>.x` stands for gateway.x, auth.x, session.x, tracker.x, catalog.x and nodes.x;
#   - a default written as code in the table (`"info"`, `1`, `[]`) is values.yaml's, as JSON.
# values.yaml is read by helm itself (a throw-away chart prints .Values as JSON), so no YAML tool
# is needed: bash, helm and jq (scripts/packages.txt).
#
#   tests/helm/values_doc_check.sh [chart-dir]      (default: helm/streamspace)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
chart="${1:-${repo}/helm/streamspace}"
helm="${HELM:-$(command -v helm || echo "${repo}/.tools/bin/helm")}"
for tool in "${helm}" jq awk; do
  command -v "${tool}" >/dev/null || { echo "values_doc_check: ${tool} is missing" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# 1. A comment line above every key of values.yaml (keys inside a list value are the value's own
#    content, not values of the chart).
while IFS= read -r line; do
  fail "values.yaml: ${line}"
done < <(awk '
  { sub(/\r$/, "") }
  /^[[:space:]]*$/ { next }
  {
    match($0, /^ */); indent = RLENGTH; text = substr($0, indent + 1)
    if (text ~ /^#/) { previous = "comment"; next }
    if (text ~ /^- /) {
      if (list_indent < 0 || indent < list_indent) list_indent = indent
      previous = "item"; next
    }
    if (text ~ /^[A-Za-z_][A-Za-z0-9_.-]*:/) {
      if (list_indent >= 0 && indent > list_indent) { previous = "key"; next }
      list_indent = -1
      key = text; sub(/:.*/, "", key)
      if (previous != "comment") printf "line %d: no comment above %s\n", NR, key
      previous = "key"; next
    }
    previous = "other"
  }
  BEGIN { list_indent = -1 }
' "${chart}/values.yaml")

# 2. values.yaml as JSON, through helm's own YAML reader.
mkdir -p "${work}/dump/templates"
printf 'apiVersion: v2\nname: dump\nversion: 0.0.0\n' >"${work}/dump/Chart.yaml"
printf '{{ toJson .Values }}\n' >"${work}/dump/templates/values.json"
"${helm}" template dump "${work}/dump" -f "${chart}/values.yaml" \
  --show-only templates/values.json | grep -v -e '^---' -e '^# Source' >"${work}/values.json"

# 3. The README's values table: the rows between the two markers.
readme="${chart}/README.md"
# One line per row: the value's name, a tab, its default when the cell is code (else nothing).
awk -F'|' '/<!-- values:start -->/ { on = 1; next } /<!-- values:end -->/ { on = 0 }
     on && /^\| `/ {
       name = $2; gsub(/^ *`|` *$/, "", name)
       default = $3
       if (default ~ /^ *`.*` *$/) gsub(/^ *`|` *$/, "", default); else default = ""
       printf "%s\t%s\n", name, default
     }' "${readme}" >"${work}/readme-rows"
[[ -s "${work}/readme-rows" ]] || fail "README.md: no values table between <!-- values:start --> and <!-- values:end -->"
components='["gateway","auth","session","tracker","catalog","nodes"]'

jq -r -n \
  --slurpfile values "${work}/values.json" \
  --slurpfile schema "${chart}/values.schema.json" \
  --rawfile rows "${work}/readme-rows" \
  --argjson components "${components}" '
  $schema[0] as $root
  # A schema node with its $ref followed.
  | def deref: if type == "object" and has("$ref")
        then (.["$ref"] | ltrimstr("#/") | split("/")) as $p | $root | getpath($p) | deref
        else . end;
  # Leaf paths of a value: scalars, lists and empty maps end a path.
  def leaves: if type == "object" and length > 0
      then to_entries[] | .key as $k | .value | leaves | [$k] + .
      else [] end;
  # The schema paths that name one value: a property whose node declares no properties of its own.
  def units: deref | if (.properties // null) != null
      then .properties | to_entries[] | .key as $k | .value | units | [$k] + .
      else [] end;
  # The unit that documents a value path: itself, or its longest prefix that is a unit.
  def unit_of($units): . as $path
      | [$units[] | select(. == $path[0:length])] | max_by(length) // null;
  ([$root | units]) as $units
  | [$values[0] | leaves] as $leaves
  | ($rows | split("\n") | map(select(length > 0) | split("\t") | {name: .[0], default: .[1]})
      | map(. as $row | if $row.name | startswith("<component>.")
              then ($row.name | ltrimstr("<component>.")) as $rest
                | $components[] | {name: (. + "." + $rest), default: $row.default}
              else $row end)
      | map(.path = (.name | split(".")))) as $rows
  | [$rows[].path] as $documented
  | ([$leaves[] | unit_of($units)] | map(select(. != null)) | unique) as $used
  | ( ($leaves[] | select(unit_of($units) == null)
        | "values.yaml: \(join(".")) is not declared in values.schema.json"),
      ($units[] | select(. as $u | $used | index([$u]) | not)
        | "values.schema.json: \(join(".")) is not in values.yaml"),
      ($used[] | select(. as $u | $documented | index([$u]) | not)
        | "README.md: the values table lacks \(join("."))"),
      ($documented | unique[] | select(. as $d | $used | index([$d]) | not)
        | "README.md: the values table names \(join(".")), which is no value of values.yaml"),
      ($rows[] | select(.default != "") | . as $row
        | ($values[0] | getpath($row.path)) as $actual
        | (try ($row.default | fromjson) catch "\u0000not json") as $written
        | select($written != $actual)
        | "README.md: the default of \($row.name) reads \($row.default), values.yaml has \($actual | tojson)") )
' >"${work}/problems"
while IFS= read -r problem; do
  fail "${problem}"
done <"${work}/problems"

if ((failures > 0)); then
  echo "values_doc_check: ${failures} problem(s)"
  exit 1
fi
echo "values_doc_check: values.yaml, values.schema.json and README.md agree ($(wc -l <"${work}/readme-rows") table rows)"
