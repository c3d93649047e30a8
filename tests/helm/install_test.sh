#!/usr/bin/env bash
# The Helm chart against the Kubernetes emulator (issue 19), with the pinned helm and kubectl:
# - `helm template` with the defaults and with every optional part on, server-side applied by
#   kubectl with strict field validation (the emulator validates the CRDs' schemas; built-in kinds
#   it stores without one: tools/kube-emulator/README.md);
# - `helm install`: every Deployment available, the Secrets made;
# - `helm upgrade`: the Secrets kept (lookup), a changed value rolled out, revision 2;
# - `kubectl auth can-i --as` each ServiceAccount agrees with the chart README's RBAC table, verb
#   by verb, and the ServiceAccounts without rules may do nothing;
# - `helm uninstall` leaves no object of the release.
# The emulator runs on a free loopback port in a temporary folder and is stopped by PID.
#
#   tests/helm/install_test.sh <kube-emulator binary>
set -euo pipefail

emulator="${1:?usage: install_test.sh <kube-emulator binary>}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
chart="${repo}/helm/streamspace"
here="${repo}/tests/helm"
for tool in helm kubectl jq; do
  command -v "${tool}" >/dev/null || { echo "install_test: ${tool} is missing" >&2; exit 1; }
done

work="$(mktemp -d)"
pid=""
cleanup() {
  [[ -z "${pid}" ]] || { kill "${pid}" 2>/dev/null; wait "${pid}" 2>/dev/null || true; }
  rm -rf "${work}"
}
trap cleanup EXIT
export HOME="${work}/home" KUBECONFIG="${work}/kubeconfig"
export HELM_CONFIG_HOME="${work}/helm/config" HELM_CACHE_HOME="${work}/helm/cache"
export HELM_DATA_HOME="${work}/helm/data"
mkdir -p "${HOME}"

fail() {
  echo "FAIL: $*"
  tail -20 "${work}/emulator.log"
  exit 1
}
step() { echo "--- $*"; }
eventually() { # eventually <what> <command...>: polls for up to 60 s
  local what="$1"
  shift
  for ((i = 0; i < 300; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  fail "timed out waiting for ${what}"
}

"${emulator}" --port 0 --state-dir "${work}/state" --kubeconfig-out "${KUBECONFIG}" \
  --pod-start-delay-ms 100 >"${work}/emulator.log" 2>&1 &
pid=$!
eventually "the emulator" kubectl get --raw /readyz

step "helm template, server-side applied with strict validation (defaults, then all on)"
kubectl apply --server-side -f - >/dev/null <<'YAML' || fail "apply the ServiceMonitor CRD"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: servicemonitors.monitoring.coreos.com}
spec:
  group: monitoring.coreos.com
  names: {kind: ServiceMonitor, listKind: ServiceMonitorList, plural: servicemonitors, singular: servicemonitor}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
YAML
for render in defaults all-on; do
  args=()
  [[ "${render}" == defaults ]] || args=(-f "${here}/values-all-on.yaml" --set sessions.namespace="${render}"
    --api-versions monitoring.coreos.com/v1/ServiceMonitor)
  kubectl create namespace "${render}" >/dev/null
  # Released as "<render>": names of their own, apart from the install below.
  helm template "${render}" "${chart}" --namespace "${render}" --include-crds "${args[@]}" \
    >"${work}/${render}.yaml" || fail "helm template (${render})"
  kubectl apply --server-side --validate=strict --namespace "${render}" -f "${work}/${render}.yaml" \
    >"${work}/${render}.applied" 2>&1 || { cat "${work}/${render}.applied"; fail "apply ${render}"; }
done
for object in servicemonitor.monitoring.coreos.com/all-on-streamspace \
  ingress.networking.k8s.io/all-on-streamspace-gateway statefulset.apps/all-on-streamspace-postgresql \
  horizontalpodautoscaler.autoscaling/all-on-streamspace-session; do
  grep -q "^${object} serverside-applied" "${work}/all-on.applied" || fail "${object} not applied with everything on"
done
eventually "the trial PostgreSQL" bash -c \
  '[[ $(kubectl -n all-on get statefulset all-on-streamspace-postgresql -o jsonpath="{.status.readyReplicas}") == 1 ]]'

step "helm install"
kubectl create namespace streamspace-system >/dev/null
helm install streamspace "${chart}" --namespace streamspace-system \
  --set sessions.namespace=streamspace >"${work}/install.out" 2>&1 ||
  { cat "${work}/install.out"; fail "helm install"; }
grep -q "kubectl port-forward" "${work}/install.out" || fail "NOTES.txt does not tell how to reach the gateway"
[[ $(helm status streamspace -n streamspace-system -o json | jq -r .info.status) == deployed ]] ||
  fail "release not deployed"
kubectl -n streamspace-system wait --for=condition=Available deployment --all --timeout=60s >/dev/null ||
  fail "Deployments not available"
[[ $(kubectl -n streamspace-system get deployments -o name | wc -l) == 6 ]] || fail "six Deployments"
secrets() { kubectl -n streamspace-system get secrets -l app.kubernetes.io/instance=streamspace \
  -o json | jq -S '[.items[] | {name: .metadata.name, data}]'; }
secrets >"${work}/secrets.before"
[[ $(jq length "${work}/secrets.before") -ge 6 ]] || fail "the components' Secrets"
admin_password=$(kubectl -n streamspace-system get secret streamspace-auth \
  -o jsonpath='{.data.admin-password}' | base64 -d)
[[ ${#admin_password} -ge 16 ]] || fail "no generated admin password in streamspace-auth"

step "helm upgrade keeps the Secrets and rolls out a change"
helm upgrade streamspace "${chart}" --namespace streamspace-system --reuse-values \
  --set gateway.replicas=2 >/dev/null || fail "helm upgrade"
secrets >"${work}/secrets.after"
diff "${work}/secrets.before" "${work}/secrets.after" >/dev/null || fail "an upgrade changed a Secret"
[[ $(helm status streamspace -n streamspace-system -o json | jq .version) == 2 ]] || fail "revision 2"
eventually "two gateway pods" bash -c \
  '[[ $(kubectl -n streamspace-system get deployment streamspace-gateway -o jsonpath="{.status.readyReplicas}") == 2 ]]'

step "kubectl auth can-i agrees with the README's RBAC table"
verbs=(get list watch create update patch delete deletecollection)
can_i() { # can_i <service> <verb> <resource> [kubectl args...]
  local account="system:serviceaccount:streamspace-system:streamspace-$1" verb="$2" resource="$3"
  shift 3
  kubectl auth can-i "${verb}" "${resource}" --as "${account}" "$@" 2>/dev/null || true
}
rows=0
kind=""
while IFS='|' read -r _ service row_kind group resources row_verbs _; do
  service=$(xargs <<<"${service}")
  [[ "${service}" =~ ^(session|catalog|nodes)$ ]] || continue
  [[ -z "$(xargs <<<"${row_kind}")" ]] || kind="${row_kind}"
  [[ "${row_kind}" != *"only with"* ]] || continue
  group=$(tr -d '` "' <<<"${group}")
  scope=(--namespace streamspace)
  [[ "${kind}" != *ClusterRole* ]] || scope=(--all-namespaces)
  name=$(grep -o '(`[a-z-]*`)' <<<"${resources}" | tr -d '(`)' || true)
  for resource in $(sed 's/([^)]*)//g' <<<"${resources}" | tr -d '`,'); do
    subresource=()
    [[ "${resource}" != */* ]] || subresource=(--subresource "${resource#*/}")
    target="${resource%%/*}${group:+.${group}}${name:+/${name}}"
    for verb in "${verbs[@]}"; do
      want=no
      [[ ",$(tr -d ' ' <<<"${row_verbs}")," != *",${verb},"* ]] || want=yes
      # A name limits the row; the same resource's other rows (create) are checked on their own.
      [[ -z "${name}" || "${want}" == yes ]] || continue
      got=$(can_i "${service}" "${verb}" "${target}" "${scope[@]}" "${subresource[@]}")
      [[ "${got}" == "${want}" ]] ||
        fail "${service} ${verb} ${target} ${subresource[*]} ${scope[*]}: can-i says ${got}, the README ${want}"
    done
  done
  rows=$((rows + 1))
done < <(sed -n '/^## RBAC/,/^## /p' "${chart}/README.md")
((rows >= 15)) || fail "only ${rows} rows of the README's RBAC table were read"
for service in gateway auth tracker; do
  for check in "get pods" "list sessions.stream.streamspace.io" "get nodes"; do
    [[ $(can_i "${service}" ${check} --namespace streamspace) == no ]] ||
      fail "${service} may ${check}"
  done
done
[[ $(can_i session get secrets --namespace streamspace) == no ]] || fail "session may read Secrets"
[[ $(can_i nodes delete pods --all-namespaces) == no ]] || fail "nodes may delete pods"

step "helm uninstall leaves nothing of the release"
helm uninstall streamspace --namespace streamspace-system >/dev/null || fail "helm uninstall"
left() {
  kubectl get all,secrets,serviceaccounts,networkpolicies,poddisruptionbudgets -n streamspace-system -o name
  kubectl get roles,rolebindings -n streamspace -o name
  kubectl get clusterroles,clusterrolebindings -o name | grep '/streamspace-' || true
}
eventually "the garbage collector" bash -c "[[ -z \"\$($(declare -f left); left)\" ]]"
echo "PASS (${rows} RBAC rows checked)"
