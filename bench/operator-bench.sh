#!/usr/bin/env bash
# Reconcile latency and operator heap: POLICIES policies (default 50) and NODES nodes' worth of
# DaemonSet status (default 5000) against the fabric8 mock API server on loopback; the operator
# runs as its own process (its heap is measured with jcmd GC.run, then its /metrics).
#
#   bench/operator-bench.sh [POLICIES] [NODES]     reconcile latency and heap
#   bench/operator-bench.sh flush [REPEATS]         annotation -> flush Completed, 10/100/1000 agents
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -DskipTests install -pl operator -am
mvn -B -q -pl operator dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >/dev/null
mvn -B -q -pl operator test-compile
cp="operator/target/test-classes:operator/target/classes:$(cat operator/target/bench.classpath)"
jul=-Djava.util.logging.config.file=operator/src/test/resources/logging.properties
if [ "${1:-}" = flush ]; then
  exec java -Drepo.root="$root" "$jul" -cp "$cp" dev.nodecache.operator.bench.FlushBench "${2:-5}"
fi
java -Drepo.root="$root" "$jul" -cp "$cp" dev.nodecache.operator.bench.ReconcileBench \
  "${1:-50}" "${2:-5000}" operator/target/nodecache-operator.jar
