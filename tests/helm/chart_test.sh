#!/usr/bin/env bash
# The Helm chart, rendered and checked without a cluster: lint (strict), the schema's refusals,
# then the objects themselves with the defaults, with every optional part on
# (values-all-on.yaml) and with every secret from an existingSecret (values-existing-secrets.yaml):
# names, the hardened pod and container security contexts, tokens mounted only where the
# Kubernetes API is called, RBAC without wildcards and only where the code needs it, probes,
# headless Services behind every <PEER>_ADDR, each Secret holding what its pod reads, the
# NetworkPolicies' callers as DESIGN.md draws them, and values.yaml/schema/README in step.
# The rendered YAML is turned into JSON by helm itself, so bash, helm and jq are all it needs.
#
#   tests/helm/chart_test.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
chart="${repo}/helm/streamspace"
here="${repo}/tests/helm"
helm="${HELM:-$(command -v helm || echo "${repo}/.tools/bin/helm")}"
for tool in "${helm}" jq; do
  command -v "${tool}" >/dev/null || { echo "chart_test: ${tool} is missing" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
passed=0
failed=0
check() {  # check <name> <command...>: one line per check, the command's output on failure
  local name="$1"
  shift
  local output
  if output="$("$@" 2>&1)"; then
    passed=$((passed + 1))
    echo "PASS ${name}"
  else
    failed=$((failed + 1))
    echo "FAIL ${name}"
    printf '%s\n' "${output}" | sed 's/^/    /' | head -40
  fi
}

# render <out> <helm template args...>: the manifests as one JSON array (helm's own YAML reader in
# a throw-away chart reads them back).
mkdir -p "${work}/reader/templates" "${work}/reader/files"
printf 'apiVersion: v2\nname: reader\nversion: 0.0.0\n' >"${work}/reader/Chart.yaml"
cat >"${work}/reader/templates/objects.json" <<'EOF'
{{- $objects := list }}
{{- range $doc := regexSplit "\n---\n" (.Files.Get "files/manifests.yaml") -1 }}
{{- $object := fromYaml $doc }}{{ if $object }}{{ $objects = append $objects $object }}{{ end }}
{{- end }}
{{- toJson (dict "items" $objects) }}
EOF
render() {
  local out="$1"
  shift
  "${helm}" template streamspace "${chart}" --namespace streamspace "$@" >"${work}/manifests.yaml"
  printf -- '---\n' >"${work}/reader/files/manifests.yaml"
  cat "${work}/manifests.yaml" >>"${work}/reader/files/manifests.yaml"
  "${helm}" template reader "${work}/reader" --show-only templates/objects.json |
    grep -v -e '^---' -e '^# Source' | jq -c '.items | map(select(. != null and (has("Error") | not)))' >"${out}"
  [[ "$(jq length "${out}")" -gt 0 ]]
}

# query <file> <jq program>: true when the program prints true; prints what it printed otherwise.
query() {
  local file="$1" program="$2" result
  result="$(jq -r "${program}" "${file}")"
  [[ "${result}" == "true" ]] || { printf '%s\n' "${result}"; return 1; }
}

refuses() {  # refuses <helm template args...>: the schema or a template stops the render
  if "${helm}" template streamspace "${chart}" "$@" >/dev/null 2>"${work}/refusal"; then
    echo "rendered, but should have been refused: $*"
    return 1
  fi
  cat "${work}/refusal"
}

check "lint --strict (defaults)" "${helm}" lint --strict "${chart}"
check "lint --strict (all on)" "${helm}" lint --strict "${chart}" -f "${here}/values-all-on.yaml"
check "lint --strict (existing secrets)" "${helm}" lint --strict "${chart}" \
  -f "${here}/values-existing-secrets.yaml"
check "schema refuses gateway.replicas=abc" refuses --set gateway.replicas=abc
check "schema refuses an unknown key" refuses --set nosuchkey=1
check "schema refuses an unknown component key" refuses --set session.nosuchkey=1
check "schema refuses a bad log level" refuses --set logLevel=verbose
check "schema refuses a short admin password" refuses --set auth.adminPassword=short
check "a foreign service secret without auth.existingSecret is refused" \
  refuses --set gateway.existingSecret=mine
check "values.yaml, schema and README agree" "${here}/values_doc_check.sh" "${chart}"

check "render defaults" render "${work}/default.json"
check "render all on" render "${work}/all.json" -f "${here}/values-all-on.yaml" \
  --api-versions monitoring.coreos.com/v1/ServiceMonitor
check "render existing secrets" render "${work}/existing.json" \
  -f "${here}/values-existing-secrets.yaml"

# Helpers every query below may use.
prelude='
  def components: ["gateway","auth","session","tracker","catalog","nodes"];
  def services: ["auth","session","tracker","catalog","nodes"];
  def of($kind): .[] | select(.kind == $kind);
  def named($kind; $name): of($kind) | select(.metadata.name == $name);
  def pods: (of("Deployment"), of("StatefulSet") | .spec.template.spec), (of("Pod") | .spec);
  def env($c): [.spec.template.spec.containers[0].env[] | {(.name): .value}] | add;
'

for file in default all existing; do
  check "${file}: per component Deployment, Service, ServiceAccount, PDB named streamspace-<component>" \
    query "${work}/${file}.json" "${prelude}"'
      . as $all | [components[] as $c | ("Deployment","Service","ServiceAccount","PodDisruptionBudget")
        | . as $k | select([$all | named($k; "streamspace-" + $c)] | length != 1) | "\($k) streamspace-\($c)"]
      | if length == 0 then true else "missing: \(join(", "))" end'
  check "${file}: every pod non-root 10001, fsGroup 10001, seccomp RuntimeDefault" \
    query "${work}/${file}.json" "${prelude}"'
      [pods | .securityContext | select(.runAsNonRoot != true or .runAsUser != 10001
        or .runAsGroup != 10001 or .fsGroup != 10001 or .seccompProfile.type != "RuntimeDefault")]
      | if length == 0 then true else tostring end'
  check "${file}: every container read-only root, no escalation, drop ALL, add none" \
    query "${work}/${file}.json" "${prelude}"'
      [pods | .containers[] | select(.securityContext.readOnlyRootFilesystem != true
        or .securityContext.allowPrivilegeEscalation != false
        or .securityContext.capabilities.drop != ["ALL"]
        or (.securityContext.capabilities.add // []) != []
        or .securityContext.seccompProfile.type != "RuntimeDefault") | .name]
      | if length == 0 then true else "not hardened: \(join(", "))" end'
  check "${file}: every pod has /tmp as an emptyDir" \
    query "${work}/${file}.json" "${prelude}"'
      [of("Deployment"), of("StatefulSet") | .spec.template.spec as $p
        | select(($p.containers[0].volumeMounts | map(select(.mountPath == "/tmp")) | length) != 1
          or ([$p.volumes[] | select(.name == "tmp" and has("emptyDir"))] | length) != 1)
        | .metadata.name] | if length == 0 then true else "no /tmp: \(join(", "))" end'
  check "${file}: a token only for session, catalog, nodes (ServiceAccount and pod)" \
    query "${work}/${file}.json" "${prelude}"'
      . as $all | [components[] as $c | ($c | IN("session","catalog","nodes")) as $want
        | ($all | named("ServiceAccount"; "streamspace-" + $c) | .automountServiceAccountToken) as $sa
        | ($all | named("Deployment"; "streamspace-" + $c) | .spec.template.spec) as $pod
        | select($sa != $want or $pod.automountServiceAccountToken != $want
          or $pod.serviceAccountName != "streamspace-" + $c) | $c]
      | if length == 0 then true else "wrong: \(join(", "))" end'
  check "${file}: services probe gRPC on their port; the gateway /livez and /readyz" \
    query "${work}/${file}.json" "${prelude}"'
      [of("Deployment") | .metadata.name as $n | .spec.template.spec.containers[0] as $c
        | if $n == "streamspace-gateway" then
            select($c.livenessProbe.httpGet.path != "/livez" or $c.readinessProbe.httpGet.path != "/readyz"
              or $c.startupProbe.httpGet.path != "/livez" or $c.readinessProbe.httpGet.port != "http")
          else ($c.ports[] | select(.name == "grpc") | .containerPort) as $port
            | select([$c.livenessProbe, $c.readinessProbe, $c.startupProbe][] | .grpc.port != $port)
          end | $n] | unique | if length == 0 then true else "wrong probes: \(join(", "))" end'
  check "${file}: each <PEER>_ADDR names a headless Service with that gRPC port" \
    query "${work}/${file}.json" "${prelude}"'
      . as $all | [of("Deployment") | .metadata.name as $n | .spec.template.spec.containers[0].env[]
        | select(.name | endswith("_ADDR") and . != "GRPC_ADDR") | .value | split(":") as [$host, $port]
        | ([$all | named("Service"; $host)] | first) as $svc
        | select($svc.spec.clusterIP != "None"
          or ([$svc.spec.ports[] | select(.name == "grpc" and .port == ($port | tonumber))] | length) != 1)
        | "\($n) -> \(.)"] | if length == 0 then true else "bad addresses: \(join(", "))" end'
  check "${file}: who calls whom is what DESIGN.md and the mains say" \
    query "${work}/${file}.json" "${prelude}"'
      {"streamspace-gateway": ["AUTH_ADDR","CATALOG_ADDR","NODES_ADDR","SESSION_ADDR","TRACKER_ADDR"],
       "streamspace-auth": ["SESSION_ADDR"], "streamspace-session": ["AUTH_ADDR","TRACKER_ADDR"],
       "streamspace-tracker": ["AUTH_ADDR","SESSION_ADDR"], "streamspace-catalog": ["AUTH_ADDR"],
       "streamspace-nodes": ["AUTH_ADDR","SESSION_ADDR"]} as $want
      | [of("Deployment") | {(.metadata.name): ([.spec.template.spec.containers[0].env[].name
          | select(endswith("_ADDR") and . != "GRPC_ADDR")] | sort)}] | add | if . == $want then true else tostring end'
  check "${file}: PodDisruptionBudgets allow one pod down" \
    query "${work}/${file}.json" "${prelude}"'[of("PodDisruptionBudget") | .spec.maxUnavailable] | unique == [1]'
  check "${file}: every metrics port is annotated for Prometheus" \
    query "${work}/${file}.json" "${prelude}"'
      [of("Deployment") | select(.spec.template.metadata.annotations["prometheus.io/port"]
        != (.spec.template.spec.containers[0].ports[] | select(.name == "metrics") | .containerPort | tostring)
        or .spec.template.metadata.annotations["prometheus.io/path"] != "/metrics") | .metadata.name]
      | if length == 0 then true else join(", ") end'
done

for file in default all; do
  check "${file}: RBAC has no wildcard and binds only session, catalog, nodes" \
    query "${work}/${file}.json" "${prelude}"'
      ([of("Role"), of("ClusterRole") | .rules[] | .verbs[], .resources[], .apiGroups[]
        | select(. == "*")] | length == 0)
      and ([of("RoleBinding"), of("ClusterRoleBinding") | .subjects[].name] | unique
        == ["streamspace-catalog","streamspace-nodes","streamspace-session"])'
  check "${file}: nodes is the only cluster-wide role; it never deletes pods" \
    query "${work}/${file}.json" "${prelude}"'
      ([of("ClusterRole") | .metadata.name] == ["streamspace-nodes"])
      and ([of("ClusterRole") | .rules[] | select(.resources | index("pods")) | .verbs[]
        | select(. == "delete")] | length == 0)
      and ([of("ClusterRole") | .rules[] | select(.resources == ["pods/eviction"]) | .verbs] == [["create"]])'
  check "${file}: the session Role holds what the inventory lists" \
    query "${work}/${file}.json" "${prelude}"'
      [named("Role"; "streamspace-session") | .rules[] | select(.resources != ["sessions/finalizers"])
        | {g: .apiGroups[0], r: (.resources | join(",")), v: (.verbs | join(",")), n: (.resourceNames // [] | join(","))}]
      == [{g:"stream.streamspace.io",r:"sessions",v:"get,list,watch,create,update,delete",n:""},
          {g:"stream.streamspace.io",r:"sessions/status",v:"update",n:""},
          {g:"stream.streamspace.io",r:"templates",v:"get",n:""},
          {g:"apps",r:"deployments",v:"get,list,watch,create,update,delete",n:""},
          {g:"",r:"services",v:"get,list,watch,create,update,delete",n:""},
          {g:"networking.k8s.io",r:"ingresses",v:"get,list,watch,create,update,delete",n:""},
          {g:"",r:"persistentvolumeclaims",v:"get,list,create,delete",n:""},
          {g:"",r:"pods,events",v:"list,watch",n:""},
          {g:"coordination.k8s.io",r:"leases",v:"get,update",n:"session-reconciler"},
          {g:"coordination.k8s.io",r:"leases",v:"create",n:""}]'
done
check "default: Roles live in the release namespace" \
  query "${work}/default.json" "${prelude}"'[of("Role"), of("RoleBinding") | .metadata.namespace] | unique == ["streamspace"]'
check "all on: Roles live in sessions.namespace, bound to the release's ServiceAccounts" \
  query "${work}/all.json" "${prelude}"'
    ([of("Role"), of("RoleBinding") | .metadata.namespace] | unique == ["streamspace-sessions"])
    and ([of("RoleBinding"), of("ClusterRoleBinding") | .subjects[].namespace] | unique == ["streamspace"])
    and ([of("Deployment") | env(.spec.template.spec) | .NAMESPACE // empty] | unique == ["streamspace-sessions"])'
check "all on: sessions/finalizers only with rbac.sessionFinalizers" \
  query "${work}/all.json" "${prelude}"'[named("Role"; "streamspace-session") | .rules[] | select(.resources == ["sessions/finalizers"])] | length == 1'

check "default: a gateway ClusterIP Service, headless services, no HPA, no Ingress, no ServiceMonitor" \
  query "${work}/default.json" "${prelude}"'
    (named("Service"; "streamspace-gateway") | .spec.type == "ClusterIP" and .spec.clusterIP == null)
    and ([services[] as $s | named("Service"; "streamspace-" + $s) | .spec.clusterIP] | unique == ["None"])
    and ([of("HorizontalPodAutoscaler"), of("Ingress"), of("ServiceMonitor"), of("StatefulSet")] | length == 0)'
check "default: the API Service carries no metrics port" \
  query "${work}/default.json" "${prelude}"'[named("Service"; "streamspace-gateway") | .spec.ports[].name] == ["http"]'
check "default: each Secret holds only what its pod reads (external database: no password yet)" \
  query "${work}/default.json" "${prelude}"'
    [of("Secret") | {(.metadata.name): (.data | keys)}] | add
    == {"streamspace-gateway": ["service-secret"],
        "streamspace-auth": ["admin-password","service-clients"],
        "streamspace-session": ["service-secret"], "streamspace-tracker": ["service-secret"],
        "streamspace-catalog": ["secret-key","service-secret"], "streamspace-nodes": ["service-secret"]}'
check "all on: every <VARIABLE>_FILE names a key of the Secret mounted in its pod" \
  query "${work}/all.json" "${prelude}"'
    . as $all | [of("Deployment") | .spec.template.spec as $p
      | ($p.volumes[] | select(.name == "secrets") | .secret.secretName) as $secret
      | ($all | named("Secret"; $secret) | .data | keys) as $keys
      | $p.containers[0].env[] | select(.name | endswith("_FILE")) | .value
      | ltrimstr("/run/secrets/streamspace/") | select(. as $k | $keys | index($k) | not)
      | "\($secret) lacks \(.)"] | if length == 0 then true else join(", ") end'
check "all on: auth's service-clients lists every other component's service secret" \
  query "${work}/all.json" "${prelude}"'
    . as $all | (named("Secret"; "streamspace-auth") | .data["service-clients"] | @base64d) as $clients
    | [("gateway","session","tracker","catalog","nodes") as $c
        | "\($c)=\($all | named("Secret"; "streamspace-" + $c) | .data["service-secret"] | @base64d)"]
    | join(",") == $clients'
check "all on: the trial PostgreSQL reads each role password from its service's Secret" \
  query "${work}/all.json" "${prelude}"'
    (named("StatefulSet"; "streamspace-postgresql") | .spec.template.spec.volumes[]
      | select(.name == "secrets") | [.projected.sources[].secret | "\(.name)/\(.items[0].key)"])
    == ["streamspace-postgresql/postgres-password","streamspace-auth/db-password",
        "streamspace-session/db-password","streamspace-tracker/db-password","streamspace-catalog/db-password"]'
check "all on: services use the trial PostgreSQL with their own roles" \
  query "${work}/all.json" "${prelude}"'
    [of("Deployment") | env(.spec.template.spec) | select(.DB_HOST) | "\(.DB_HOST) \(.DB_USER)"]
    == ["streamspace-postgresql auth","streamspace-postgresql session","streamspace-postgresql tracker","streamspace-postgresql catalog"]'
check "all on: an HPA (autoscaling/v2, CPU) per component, Deployments without replicas" \
  query "${work}/all.json" "${prelude}"'
    ([of("HorizontalPodAutoscaler") | select(.apiVersion == "autoscaling/v2"
      and .spec.metrics[0].resource.name == "cpu") | .spec.scaleTargetRef.name] | length == 6)
    and ([of("Deployment") | select(.spec | has("replicas"))] | length == 0)'
check "all on: Ingress with class, TLS and the gateway backend; ServiceMonitor on metrics" \
  query "${work}/all.json" "${prelude}"'
    (named("Ingress"; "streamspace-gateway") | .spec.ingressClassName == "nginx"
      and .spec.tls[0].secretName == "streamspace-tls"
      and .spec.rules[0].http.paths[0].backend.service.name == "streamspace-gateway")
    and (named("ServiceMonitor"; "streamspace") | .spec.endpoints[0].port == "metrics")
    and ([of("Deployment") | .spec.template.spec.containers[0].image | startswith("registry.example.com/streamspace-mirror/streamspace/")] | all)'
no_servicemonitor_without_its_kind() {
  render "${work}/sm.json" --set serviceMonitor.enabled=true &&
    query "${work}/sm.json" '[.[] | select(.kind == "ServiceMonitor")] | length == 0'
}
check "ServiceMonitor only where the cluster has the kind" no_servicemonitor_without_its_kind

check "default: default-deny, and each gRPC port open only to its callers" \
  query "${work}/default.json" "${prelude}"'
    (named("NetworkPolicy"; "streamspace-default-deny") | .spec.ingress == null
      and .spec.policyTypes == ["Ingress"])
    and ([of("NetworkPolicy") | select(.metadata.name != "streamspace-default-deny")
      | {(.metadata.name): [.spec.ingress[] | select(.ports[0].port != "metrics")
          | (.from // [{"anywhere": true}])[] | .podSelector.matchExpressions[0].values // "anywhere"]}] | add
    == {"streamspace-gateway": ["anywhere"],
        "streamspace-auth": [["gateway","session","tracker","catalog","nodes"]],
        "streamspace-session": [["gateway","auth","tracker","nodes"]],
        "streamspace-tracker": [["gateway","session"]],
        "streamspace-catalog": [["gateway"]], "streamspace-nodes": [["gateway"]]})'
check "all on: PostgreSQL reachable only from the services with a schema" \
  query "${work}/all.json" "${prelude}"'
    named("NetworkPolicy"; "streamspace-postgresql") | .spec.ingress
    == [{"ports": [{"port": "postgresql", "protocol": "TCP"}], "from": [{"podSelector": {
         "matchLabels": {"app.kubernetes.io/name": "streamspace", "app.kubernetes.io/instance": "streamspace"},
         "matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "In",
           "values": ["auth","session","tracker","catalog"]}]}}]}]'

check "existing secrets: no Secret made, each pod mounts its own, external database" \
  query "${work}/existing.json" "${prelude}"'
    ([of("Secret")] | length == 0)
    and ([of("Deployment") | .spec.template.spec.volumes[] | select(.name == "secrets") | .secret.secretName]
      == ["own-gateway","own-auth","own-session","own-tracker","own-catalog","own-nodes"])
    and ([of("Deployment") | env(.spec.template.spec) | select(.DB_HOST) | "\(.DB_HOST) \(.PGSSLMODE)"] | unique
      == ["db.example.com verify-full"])'

# A change of what feeds a Secret rolls its pods (the session's only); nothing else does.
checksum() {
  "${helm}" template streamspace "${chart}" --show-only templates/components.yaml "$@" |
    grep 'checksum/secret' | tr -d ' '
}
one_checksum_moves() {
  local before after
  before="$(checksum --set postgresql.enabled=true)"
  after="$(checksum --set postgresql.enabled=true --set database.passwords.session=another-one)"
  [[ "$(diff <(printf '%s\n' "${before}") <(printf '%s\n' "${after}") | grep -c '^<')" == 1 ]]
}
check "checksum/secret follows the values that feed the Secret" one_checksum_moves

echo "${passed} passed, ${failed} failed"
((failed == 0))
