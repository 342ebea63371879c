#!/usr/bin/env bash
# Time from `nodecache-local.jar --nodes N` to the API answering, and from
# `kubectl apply -f examples/default-policy.yaml` to every node Ready. RUNS runs (default 3).
#
#   bench/local-bench.sh [NODES] [RUNS]      (as root: the example listens on port 53)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
nodes="${1:-3}"
runs="${2:-3}"
[ -f local-cluster/target/nodecache-local.jar ] || mvn -B -q -DskipTests package
now() { date +%s.%N; }
for ((r = 1; r <= runs; r++)); do
  dir="$(mktemp -d)"
  t0=$(now)
  java -jar local-cluster/target/nodecache-local.jar --nodes "$nodes" \
    --kubeconfig "$dir/kubeconfig" > "$dir/local.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  export KUBECONFIG="$dir/kubeconfig"
  for _ in $(seq 600); do
    [ -f "$dir/kubeconfig" ] && kubectl get dcp >/dev/null 2>&1 && break
    sleep 0.05
  done
  t1=$(now)
  kubectl apply -f examples/default-policy.yaml >/dev/null
  for _ in $(seq 1200); do
    [ "$(kubectl get dcp default -o jsonpath='{.status.nodes.summary}')" = "$nodes/$nodes" ] && break
    sleep 0.05
  done
  t2=$(now)
  printf 'run %d: API up %.1f s after start; %d/%d nodes Ready %.1f s after apply (%.1f s after start)\n' \
    "$r" "$(echo "$t1 - $t0" | bc)" "$nodes" "$nodes" "$(echo "$t2 - $t1" | bc)" "$(echo "$t2 - $t0" | bc)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  trap - EXIT
  rm -rf "$dir"
done
