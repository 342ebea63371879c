#!/usr/bin/env bash
# Cluster names follow the API: lag from a Service write to 1,000 agents having its names, at 50
# changes/s for 60 s, in a burst of 1,000 and with 10,000 Services at once; then 50,000
# EndpointSlices (no invalidation) and the operator's heap after GC. The operator jar runs as its
# own process against the fabric8 mock API on loopback; the agents are 1,000 loopback addresses
# (127.0.70.1-127.0.73.250) answered by one HTTP server in the benchmark process.
#
#   bench/invalidation-bench.sh [AGENTS [SLICES_PER_SERVICE]]   results printed and written to
#                                                               bench/results/ (defaults 1000 5)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
agents="${1:-1000}"
slices="${2:-5}"
results="${BENCH_RESULTS_DIR:-$root/bench/results}"
mvn -B -q -DskipTests install -pl operator -am
mvn -B -q -pl operator dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >/dev/null
mvn -B -q -pl operator test-compile
cp="operator/target/test-classes:operator/target/classes:$(cat operator/target/bench.classpath)"
jul=-Djava.util.logging.config.file=operator/src/test/resources/logging.properties
mkdir -p "$results"
out="$results/invalidation-bench-$(date +%Y%m%d-%H%M%S).md"
{
  echo "# Invalidation to $agents agents ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r)."
  echo "Command: bench/invalidation-bench.sh $agents $slices"
  echo
  echo '```'
  java -Xmx2g -Drepo.root="$root" "$jul" -cp "$cp" dev.nodecache.operator.bench.InvalidationBench \
    "$agents" operator/target/nodecache-operator.jar "$slices" 2>&1
  echo '```'
} | tee "$out"
echo "written to $out"
