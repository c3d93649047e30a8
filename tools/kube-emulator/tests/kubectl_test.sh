#!/usr/bin/env bash
# Drives the kube-emulator with kubectl (the pinned one that scripts/test puts first on the PATH),
# over HTTPS with kubectl's defaults, and checks that it behaves like a real API server.
# Usage: kubectl_test.sh <kube-emulator> <crd dir>
set -u

EMULATOR=${1:?usage: kubectl_test.sh <kube-emulator binary> <crd dir>}
CRDS=${2:?usage: kubectl_test.sh <kube-emulator binary> <crd dir>}

command -v kubectl >/dev/null || { echo "FAIL: kubectl is not installed"; exit 1; }
command -v jq >/dev/null || { echo "FAIL: jq is not installed"; exit 1; }

WORK=$(mktemp -d)
export HOME=$WORK/home KUBECONFIG=$WORK/kubeconfig
mkdir -p "$HOME"
EMULATOR_PID=""
BACKGROUND_PIDS=()

cleanup() {
  for pid in "${BACKGROUND_PIDS[@]}"; do
    kill "$pid" 2>/dev/null
  done
  if [[ -n $EMULATOR_PID ]]; then
    kill "$EMULATOR_PID" 2>/dev/null
    wait "$EMULATOR_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  [[ -f $WORK/emulator.log ]] && tail -20 "$WORK/emulator.log"
  exit 1
}
step() { echo "--- $*"; }

# wait_for <seconds> <description> <command...>: polls the command until it succeeds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  for ((i = 0; i < seconds * 5; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  fail "timed out waiting for $what"
}

start_emulator() { # [extra flags...]
  rm -f "$KUBECONFIG"
  "$EMULATOR" "$@" --port 0 --state-dir "$WORK/state" --kubeconfig-out "$KUBECONFIG" \
    --pod-start-delay-ms 300 --log-interval-ms 200 --bookmark-interval-ms 500 \
    >>"$WORK/emulator.log" 2>&1 &
  EMULATOR_PID=$!
  wait_for 15 "the emulator's kubeconfig" test -s "$KUBECONFIG"
  wait_for 15 "the API server" kubectl get --raw /readyz
}

stop_emulator() {
  kill "$EMULATOR_PID"
  wait "$EMULATOR_PID" 2>/dev/null
  EMULATOR_PID=""
}

pods_running() { # <selector> <count>
  [[ $(kubectl get pods -l "$1" -o json | jq '[.items[] | select(.status.phase == "Running")] | length') == "$2" ]]
}

start_emulator

step "get nodes -o json"
kubectl get nodes -o json >"$WORK/nodes.json" || fail "get nodes"
[[ $(jq '.items | length' "$WORK/nodes.json") -ge 3 ]] || fail "expected at least 3 nodes"
jq -e '.items[] | select(.metadata.labels["nvidia.com/gpu.present"] == "true") | .status.capacity["nvidia.com/gpu"]' "$WORK/nodes.json" >/dev/null || fail "no GPU node"
jq -e 'all(.items[]; .spec.providerID | startswith("aws://"))' "$WORK/nodes.json" >/dev/null || fail "providerID missing"
[[ $(kubectl version -o json | jq -r .serverVersion.gitVersion) == v1.32.* ]] || fail "server version is not v1.32"

step "apply -f helm/streamspace/crds/"
kubectl apply -f "$CRDS" || fail "apply CRDs"
kubectl wait --for condition=established --timeout=10s crd/sessions.stream.streamspace.io crd/templates.stream.streamspace.io || fail "CRDs not established"
kubectl apply -f "$CRDS" | grep -q unchanged || fail "re-applying the CRDs is not idempotent"

step "create, get, patch and delete Sessions by name and short name"
kubectl get namespace streamspace >/dev/null || fail "the default cluster has no streamspace namespace"
session() { # <name> <user>
  cat <<YAML
apiVersion: stream.streamspace.io/v1alpha1
kind: Session
metadata: {name: $1, namespace: streamspace}
spec: {user: $2, template: firefox, state: running, resources: {cpu: "1", memory: 2Gi}, persistentHome: true}
YAML
}
session alice-firefox-0a1b2c3d alice | kubectl apply -f - || fail "create session"
session bob-firefox-1a2b3c4d bob | kubectl create -f - || fail "create second session"
[[ $(kubectl get session alice-firefox-0a1b2c3d -n streamspace -o jsonpath='{.spec.user}') == alice ]] || fail "get session by name"
[[ $(kubectl get ss bob-firefox-1a2b3c4d -n streamspace -o jsonpath='{.spec.user}') == bob ]] || fail "get session by short name"
kubectl patch ss alice-firefox-0a1b2c3d -n streamspace --type merge -p '{"spec":{"state":"hibernated"}}' || fail "patch --type merge"
[[ $(kubectl get ss alice-firefox-0a1b2c3d -n streamspace -o jsonpath='{.spec.state}') == hibernated ]] || fail "patch not applied"
kubectl patch ss alice-firefox-0a1b2c3d -n streamspace --subresource status --type merge -p '{"status":{"phase":"Hibernated"}}' || fail "patch status"
kubectl get sessions -n streamspace >"$WORK/sessions.txt" || fail "get sessions"
head -1 "$WORK/sessions.txt" | grep -Eq '^NAME +USER +TEMPLATE +STATE +PHASE +AGE' || fail "printer columns missing: $(head -1 "$WORK/sessions.txt")"
grep -Eq '^alice-firefox-0a1b2c3d +alice +firefox +hibernated +Hibernated' "$WORK/sessions.txt" || fail "session row: $(cat "$WORK/sessions.txt")"
out=$(session carol-firefox-2b3c4d5e carol | sed 's/persistentHome: true/bogus: 1/' | kubectl apply -f - 2>&1) && fail "unknown field accepted"
grep -q 'unknown field "spec.bogus"' <<<"$out" || fail "strict validation message: $out"
out=$(session dave-firefox-3c4d5e6f dave | sed 's/state: running/state: sleeping/' | kubectl apply -f - 2>&1) && fail "bad enum accepted"
grep -q 'Unsupported value: "sleeping"' <<<"$out" || fail "enum validation message: $out"

session frank-firefox-5e6f7081 frank | kubectl apply --server-side -f - || fail "server-side apply (create)"
session frank-firefox-5e6f7081 frank | sed 's/state: running/state: hibernated/' | kubectl apply --server-side -f - || fail "server-side apply (update)"
[[ $(kubectl get ss frank-firefox-5e6f7081 -n streamspace -o jsonpath='{.spec.state}') == hibernated ]] || fail "server-side apply not merged"
kubectl delete ss frank-firefox-5e6f7081 -n streamspace >/dev/null || fail "delete frank"

step "get sessions -w sees a change"
kubectl get sessions -n streamspace -w >"$WORK/watch.txt" 2>&1 &
BACKGROUND_PIDS+=($!)
wait_for 10 "the watch's first rows" grep -q bob-firefox "$WORK/watch.txt"
kubectl patch ss bob-firefox-1a2b3c4d -n streamspace --type merge -p '{"spec":{"state":"terminated"}}' >/dev/null || fail "patch for watch"
wait_for 10 "the watch to show the change" grep -Eq 'bob-firefox-1a2b3c4d +bob +firefox +terminated' "$WORK/watch.txt"
kill "${BACKGROUND_PIDS[-1]}"

kubectl delete session alice-firefox-0a1b2c3d -n streamspace || fail "delete by name"
kubectl delete ss bob-firefox-1a2b3c4d -n streamspace || fail "delete by short name"
[[ -z $(kubectl get ss -n streamspace -o name) ]] || fail "sessions left after delete"

step "cordon and uncordon"
kubectl cordon node-b || fail "cordon"
[[ $(kubectl get node node-b -o jsonpath='{.spec.unschedulable}') == true ]] || fail "node not unschedulable"
kubectl get nodes | grep -Eq '^node-b +Ready,SchedulingDisabled' || fail "cordoned status column"
kubectl uncordon node-b || fail "uncordon"
[[ -z $(kubectl get node node-b -o jsonpath='{.spec.unschedulable}') ]] || fail "node still unschedulable"

step "drain --ignore-daemonsets --delete-emptydir-data"
wait_for 20 "coredns to run" bash -c "[[ \$(kubectl get pods -n kube-system -l k8s-app=kube-dns -o json | jq '[.items[] | select(.status.phase == \"Running\")] | length') == 2 ]]"
node=$(kubectl get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].spec.nodeName}')
timeout 60 kubectl drain "$node" --ignore-daemonsets --delete-emptydir-data || fail "drain did not finish"
[[ -z $(kubectl get pods -A --field-selector "spec.nodeName=$node" -o json | jq -r '.items[] | select(.metadata.ownerReferences[0].kind != "DaemonSet") | .metadata.name') ]] || fail "pods left on drained node"
kubectl uncordon "$node" || fail "uncordon after drain"

step "scale deployment, logs -f, top node"
cat <<YAML | kubectl apply -f - || fail "create deployment"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27", resources: {requests: {cpu: 200m, memory: 128Mi}}}
YAML
wait_for 20 "2 web pods running" pods_running app=web 2
kubectl scale deployment web --replicas=3 || fail "scale up"
wait_for 20 "3 web pods running" pods_running app=web 3
wait_for 10 "deployment columns" bash -c "kubectl get deployment web | grep -Eq '^web +3/3 +3 +3 '"
pod=$(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
kubectl logs -f "$pod" >"$WORK/follow.txt" 2>&1 &
BACKGROUND_PIDS+=($!)
sleep 1.5
first=$(wc -l <"$WORK/follow.txt")
sleep 1.5
kill "${BACKGROUND_PIDS[-1]}"
second=$(wc -l <"$WORK/follow.txt")
((first >= 1 && second > first)) || fail "logs -f did not follow ($first then $second lines)"
[[ $(kubectl logs "$pod" --tail=2 | wc -l) == 2 ]] || fail "logs --tail"
kubectl logs "$pod" --tail=1 --timestamps | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' || fail "logs --timestamps"
kubectl top node >"$WORK/top.txt" || fail "top node: $(cat "$WORK/top.txt")"
head -1 "$WORK/top.txt" | grep -q 'CPU(cores)' || fail "top node header"
[[ $(tail -n +2 "$WORK/top.txt" | wc -l) -ge 3 ]] || fail "top node rows"
kubectl scale deployment web --replicas=0 || fail "scale to 0"
wait_for 20 "web pods to go" bash -c "[[ -z \$(kubectl get pods -l app=web -o name) ]]"

step "drain blocked by a disruption budget"
kubectl scale deployment web --replicas=2 || fail "scale up again"
wait_for 20 "2 web pods running" pods_running app=web 2
cat <<YAML | kubectl apply -f - || fail "create pdb"
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: default}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
YAML
wait_for 10 "the budget's status" bash -c "[[ \$(kubectl get pdb web -o jsonpath='{.status.currentHealthy}') == 2 ]]"
[[ $(kubectl get pdb web -o jsonpath='{.status.disruptionsAllowed}') == 0 ]] || fail "disruptionsAllowed"
node=$(kubectl get pods -l app=web -o jsonpath='{.items[0].spec.nodeName}')
blocked=$(kubectl get pods -l app=web --field-selector "spec.nodeName=$node" -o jsonpath='{.items[0].metadata.name}')
out=$(kubectl drain "$node" --ignore-daemonsets --delete-emptydir-data --timeout=20s 2>&1) && fail "drain finished despite the budget"
grep -q "$blocked" <<<"$out" || fail "drain output does not name $blocked: $out"
grep -q "disruption budget" <<<"$out" || fail "drain output does not mention the budget: $out"
kubectl uncordon "$node" >/dev/null || fail "uncordon"
kubectl delete pdb web || fail "delete pdb"

step "deleting a Deployment removes its pods"
kubectl delete deployment web || fail "delete deployment"
wait_for 20 "the deployment's pods to go" bash -c "[[ -z \$(kubectl get pods -l app=web -o name) && -z \$(kubectl get rs -l app=web -o name) ]]"

step "kubectl's generators (protobuf bodies) and namespace deletion"
kubectl create namespace gen || fail "create namespace"
kubectl create deployment gen --image=nginx:1.27 --replicas=2 -n gen || fail "create deployment"
kubectl create configmap gen --from-literal=a=b -n gen || fail "create configmap"
wait_for 20 "2 generated pods running" bash -c "[[ \$(kubectl get pods -n gen -l app=gen -o json | jq '[.items[] | select(.status.phase == \"Running\")] | length') == 2 ]]"
[[ $(kubectl get configmap gen -n gen -o jsonpath='{.data.a}') == b ]] || fail "configmap data"
kubectl delete namespace gen --wait=false || fail "delete namespace"
wait_for 20 "the namespace to go" bash -c "! kubectl get namespace gen"
[[ -z $(kubectl get pods -n gen -o name) ]] || fail "pods left in a deleted namespace"

step "an invalid-image pod ends in ImagePullBackOff"
kubectl apply -f - <<YAML || fail "create broken pod"
apiVersion: v1
kind: Pod
metadata: {name: broken, namespace: default}
spec:
  containers:
  - {name: app, image: "example.com/invalid-image:1.0"}
YAML
wait_for 20 "ImagePullBackOff" bash -c "kubectl get pod broken | grep -q ImagePullBackOff"
kubectl get events --field-selector involvedObject.name=broken | grep -q "Back-off pulling image" || fail "BackOff event"
kubectl delete pod broken >/dev/null || fail "delete broken pod"

step "bad input gets Status errors shaped like a real API server's"
server=$(kubectl config view --raw -o jsonpath='{.clusters[0].cluster.server}')
token=$(kubectl config view --raw -o jsonpath='{.users[0].user.token}')
kubectl config view --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d >"$WORK/ca.crt"
api() { # <method> <path> [body]: prints the HTTP code, then the body
  curl -s --cacert "$WORK/ca.crt" -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -X "$1" "$server$2" ${3:+-d "$3"} -w '\n%{http_code}'
}
expect_status() { # <code> <reason> <message regex> <method> <path> [body]
  local response code body
  response=$(api "$4" "$5" "${6:-}")
  code=$(tail -1 <<<"$response")
  body=$(sed '$d' <<<"$response")
  [[ $code == "$1" ]] || fail "$4 $5: HTTP $code, want $1: $body"
  jq -e --arg reason "$2" --argjson code "$1" --arg message "$3" \
    '.kind == "Status" and .apiVersion == "v1" and .status == "Failure" and .reason == $reason and
     .code == $code and (.metadata | type == "object") and (.message | test($message))' \
    <<<"$body" >/dev/null || fail "$4 $5: unexpected Status $body"
}
pods=/api/v1/namespaces/default/pods
expect_status 400 BadRequest "json parse error" POST $pods '{"apiVersion":'
expect_status 400 BadRequest 'Service in version "v1" cannot be handled as a Pod' POST $pods \
  '{"apiVersion":"v1","kind":"Service","metadata":{"name":"x"}}'
expect_status 422 Invalid 'name or generateName is required' POST $pods \
  '{"apiVersion":"v1","kind":"Pod","metadata":{},"spec":{"containers":[{"name":"a","image":"b"}]}}'
expect_status 404 NotFound 'pods "missing" not found' GET $pods/missing
expect_status 409 AlreadyExists 'namespaces "default" already exists' POST /api/v1/namespaces \
  '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}'
expect_status 409 Conflict 'the object has been modified' PUT /api/v1/nodes/node-a \
  '{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-a","resourceVersion":"1"}}'
expect_status 400 BadRequest 'cannot unmarshal' POST $pods \
  '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":1}},"spec":{"containers":[]}}'
[[ $(api POST /api/v1/nodes '{"apiVersion":"v1","kind":"Node","metadata":{"name":"bare"}}' | tail -1) == 201 ]] || fail "create a bare node"
kubectl get nodes bare >/dev/null || fail "a node without status breaks kubectl get nodes"
kubectl delete node bare >/dev/null || fail "delete bare node"
response=$(curl -s --cacert "$WORK/ca.crt" -w '\n%{http_code}' "$server$pods")
[[ $(tail -1 <<<"$response") == 401 ]] || fail "no token accepted"

step "paging with limit and continue"
page=$(kubectl get --raw "/api/v1/pods?limit=2")
[[ $(jq '.items | length' <<<"$page") == 2 ]] || fail "limit=2 answered $(jq '.items | length' <<<"$page") items"
[[ $(jq -r '.metadata.continue // ""' <<<"$page") != "" ]] || fail "no continue token"
all=$(kubectl get pods -A -o name | sort)
[[ $(kubectl get pods -A -o name --chunk-size=1 | sort) == "$all" ]] || fail "paging with --chunk-size=1 differs"

step "watch bookmarks"
rv=$(kubectl get --raw /api/v1/namespaces/default/configmaps | jq -r .metadata.resourceVersion)
curl -s -N --max-time 2 --cacert "$WORK/ca.crt" -H "Authorization: Bearer $token" \
  "$server/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=$rv" \
  >"$WORK/bookmarks.txt"
jq -e --slurp 'any(.[]; .type == "BOOKMARK" and (.object.metadata.resourceVersion | length > 0))' \
  "$WORK/bookmarks.txt" >/dev/null || fail "no bookmark: $(cat "$WORK/bookmarks.txt")"

step "RBAC: a ServiceAccount token gets what its bindings grant, and no more"
kubectl create namespace rbac-a >/dev/null && kubectl create namespace rbac-b >/dev/null ||
  fail "create RBAC namespaces"
kubectl -n rbac-a create serviceaccount reader >/dev/null && kubectl -n rbac-a create serviceaccount idle >/dev/null ||
  fail "create service accounts"
kubectl -n rbac-a create role pod-reader --verb=get,list,watch --resource=pods,pods/log >/dev/null &&
  kubectl -n rbac-a create rolebinding reader --role=pod-reader --serviceaccount=rbac-a:reader >/dev/null &&
  kubectl create clusterrole node-a-reader --verb=get --resource=nodes --resource-name=node-a >/dev/null &&
  kubectl create clusterrolebinding reader-node-a --clusterrole=node-a-reader --serviceaccount=rbac-a:reader >/dev/null &&
  kubectl create clusterrole configmap-writer --verb=create,get --resource=configmaps >/dev/null &&
  kubectl -n rbac-b create rolebinding reader-configmaps --clusterrole=configmap-writer --serviceaccount=rbac-a:reader >/dev/null ||
  fail "create roles and bindings (protobuf bodies)"
reader=$(kubectl -n rbac-a create token reader) || fail "kubectl create token"
idle=$(kubectl -n rbac-a create token idle --duration=20m) || fail "kubectl create token --duration"
kubectl -n rbac-a create token reader --duration=5m 2>&1 | grep -q "less than 10 minutes" ||
  fail "a token shorter than 10 minutes was issued"
as_reader() { kubectl --token="$reader" "$@"; }
as_reader -n rbac-a get pods >/dev/null || fail "reader cannot list pods in its namespace"
as_reader get node node-a >/dev/null || fail "reader cannot get node-a (resourceNames)"
as_reader -n rbac-b create configmap granted >/dev/null || fail "ClusterRole through a RoleBinding"
as_reader -n rbac-a create configmap denied 2>&1 | grep -q "is forbidden" || fail "RoleBinding leaked out of its namespace"
as_reader get node node-b 2>&1 | grep -q "is forbidden" || fail "resourceNames not enforced"
as_reader get nodes 2>&1 | grep -q "is forbidden" || fail "list with resourceNames allowed"
as_reader api-resources >/dev/null || fail "discovery refused to an authenticated user"
token=$reader expect_status 403 Forbidden \
  '^pods is forbidden: User "system:serviceaccount:rbac-a:reader" cannot list resource "pods" in API group "" in the namespace "rbac-b"$' \
  GET /api/v1/namespaces/rbac-b/pods
token=$reader expect_status 403 Forbidden \
  '^pods "x" is forbidden: User "system:serviceaccount:rbac-a:reader" cannot create resource "pods/eviction" in API group "" in the namespace "rbac-a"$' \
  POST /api/v1/namespaces/rbac-a/pods/x/eviction '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"x"}}'
token=$reader expect_status 403 Forbidden \
  'cannot list resource "customresourcedefinitions" in API group "apiextensions.k8s.io" at the cluster scope' \
  GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions
token=$idle expect_status 403 Forbidden 'cannot get resource "pods"' GET /api/v1/namespaces/rbac-a/pods/x
as_reader -n rbac-a get pods --as system:serviceaccount:rbac-a:idle 2>&1 |
  grep -q 'cannot impersonate resource "serviceaccounts"' || fail "a ServiceAccount impersonated another"
can_i() { kubectl auth can-i "$@" --as system:serviceaccount:rbac-a:reader 2>/dev/null; }
[[ $(can_i get pods -n rbac-a) == yes && $(can_i get pods/log -n rbac-a) == yes &&
  $(can_i delete pods -n rbac-a) == no && $(can_i get pods -n rbac-b) == no &&
  $(can_i get nodes/node-a) == yes && $(can_i get nodes/node-b) == no &&
  $(can_i create configmaps -n rbac-b) == yes && $(can_i '*' '*') == no ]] ||
  fail "kubectl auth can-i --as disagrees with the bindings"
[[ $(kubectl --token="$idle" auth whoami -o jsonpath='{.status.userInfo.username}') == system:serviceaccount:rbac-a:idle ]] ||
  fail "auth whoami"
as_reader auth can-i --list -n rbac-a | grep -q '^pods/log ' || fail "auth can-i --list"
kubectl -n rbac-a delete serviceaccount idle >/dev/null || fail "delete service account"
kubectl --token="$idle" -n rbac-a get pods 2>&1 | grep -q Unauthorized || fail "a deleted ServiceAccount's token still works"
kubectl --token="${reader}x" -n rbac-a get pods 2>&1 | grep -q Unauthorized || fail "a tampered token works"
vault=$(kubectl -n rbac-a create token reader --audience vault) || fail "kubectl create token --audience"
kubectl --token="$vault" -n rbac-a get pods 2>&1 | grep -q Unauthorized || fail "a token for another audience works"

step "StatefulSets, autoscalers and network policies"
kubectl apply -f - >/dev/null <<'YAML' || fail "apply a StatefulSet, an HPA and a NetworkPolicy"
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: rbac-a}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:15}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: db, namespace: rbac-a}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}
  minReplicas: 1
  maxReplicas: 3
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: rbac-a}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
YAML
wait_for 20 "the StatefulSet's pods" bash -c "[[ \$(kubectl -n rbac-a get statefulset db -o jsonpath='{.status.readyReplicas}') == 2 ]]"
[[ $(kubectl -n rbac-a get pods -l app=db -o jsonpath='{.items[*].metadata.name}') == "db-0 db-1" ]] || fail "StatefulSet pod names"
[[ $(kubectl -n rbac-a get pvc -o jsonpath='{.items[*].metadata.name}') == "data-db-0 data-db-1" ]] || fail "StatefulSet claims"
kubectl -n rbac-a scale statefulset db --replicas=1 >/dev/null || fail "scale statefulset"
wait_for 20 "db-1 to go" bash -c "! kubectl -n rbac-a get pod db-1"
kubectl -n rbac-a get hpa db >/dev/null && kubectl -n rbac-a get netpol db >/dev/null || fail "get hpa, netpol"

step "state survives a restart"
session erin-firefox-4d5e6f70 erin | kubectl apply -f - >/dev/null || fail "create session before restart"
stop_emulator
start_emulator
[[ $(kubectl get ss erin-firefox-4d5e6f70 -n streamspace -o jsonpath='{.spec.user}') == erin ]] || fail "session lost across restart"
as_reader -n rbac-a get pods >/dev/null || fail "a ServiceAccount token lost across restart"
server=$(kubectl config view --raw -o jsonpath='{.clusters[0].cluster.server}')
expect_status 410 Expired "too old resource version" GET "/api/v1/pods?watch=true&resourceVersion=$rv"
stop_emulator
start_emulator --gone-as-event
server=$(kubectl config view --raw -o jsonpath='{.clusters[0].cluster.server}')
event=$(curl -s --max-time 5 --cacert "$WORK/ca.crt" -H "Authorization: Bearer $token" \
  "$server/api/v1/pods?watch=true&resourceVersion=$rv")
jq -e '.type == "ERROR" and .object.kind == "Status" and .object.code == 410 and .object.reason == "Expired"' \
  <<<"$event" >/dev/null || fail "--gone-as-event: $event"

step "--tls-host: the certificate is issued again by the same CA with the name a compose network gives"
ca_before=$(kubectl config view --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
stop_emulator
start_emulator --tls-host kube-emulator --kubeconfig-host localhost
[[ $(kubectl config view --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}') == "$ca_before" ]] ||
  fail "the CA changed"
[[ $(kubectl config view --raw -o jsonpath='{.clusters[0].cluster.server}') == https://localhost:* ]] ||
  fail "--kubeconfig-host not in the kubeconfig"
kubectl --tls-server-name kube-emulator get --raw /readyz >/dev/null || fail "the certificate lacks kube-emulator"
kubectl --tls-server-name not-the-emulator get --raw /readyz >/dev/null 2>&1 &&
  fail "the certificate accepts any name"
[[ $(kubectl get ss erin-firefox-4d5e6f70 -n streamspace -o jsonpath='{.spec.user}') == erin ]] ||
  fail "session lost across the new certificate"

step "two fresh emulators name and place their pods alike"
for twin in twin1 twin2; do
  "$EMULATOR" --port 0 --state-dir "$WORK/$twin" --kubeconfig-out "$WORK/$twin.kubeconfig" \
    --pod-start-delay-ms 100 >>"$WORK/emulator.log" 2>&1 &
  BACKGROUND_PIDS+=($!)
done
for twin in twin1 twin2; do
  wait_for 15 "$twin to run its pods" bash -c "[[ \$(KUBECONFIG=$WORK/$twin.kubeconfig kubectl get pods -A -o json | jq '[.items[] | select(.status.phase == \"Running\")] | length') == 6 ]]"
  KUBECONFIG=$WORK/$twin.kubeconfig kubectl get pods -A --no-headers \
    -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName | sort >"$WORK/$twin.pods"
done
diff "$WORK/twin1.pods" "$WORK/twin2.pods" || fail "twin clusters differ"

step "--seed-file: a new cluster starts with the chart's CRDs served, as the emulator image does"
"$EMULATOR" --port 0 --state-dir "$WORK/seeded" --kubeconfig-out "$WORK/seeded.kubeconfig" \
  --seed-file "$CRDS/sessions.yaml" --seed-file "$CRDS/templates.yaml" >>"$WORK/emulator.log" 2>&1 &
BACKGROUND_PIDS+=($!)
wait_for 15 "the seeded emulator" test -s "$WORK/seeded.kubeconfig"
KUBECONFIG=$WORK/seeded.kubeconfig kubectl get crd -o name | sort >"$WORK/seeded.crds"
[[ $(cat "$WORK/seeded.crds") == $'customresourcedefinition.apiextensions.k8s.io/sessions.stream.streamspace.io\ncustomresourcedefinition.apiextensions.k8s.io/templates.stream.streamspace.io' ]] ||
  fail "seeded CRDs: $(cat "$WORK/seeded.crds")"
KUBECONFIG=$WORK/seeded.kubeconfig kubectl get ss -A >/dev/null || fail "the seeded Session kind is not served"

echo "PASS"
