#!/usr/bin/env bash
# The flush + migration flow (FlushAndMigrationTest: full, named and removed-names flushes in a
# row, an unreachable node, an operator restart mid-flush, a migration through its cutover) run
# RUNS times in a row while both cores are kept busy, counting the runs that failed.
#
#   bench/flush-stress.sh [RUNS]      (default 20; as root, nothing else running)
#
# The busy loops are two `sha256sum /dev/zero` processes at the same priority as the tests, so
# the operator, the agents and the mock API get about half the CPU they would get on a quiet
# machine. Results go to bench/results/flush-stress-<date>.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-20}"
mvn -B -q -DskipTests install >/dev/null
burners=()
for _ in 1 2; do
  timeout 7200 sha256sum /dev/zero >/dev/null 2>&1 &
  burners+=($!)
done
trap 'kill "${burners[@]}" 2>/dev/null || true' EXIT
out="bench/results/flush-stress-$(date -u +%Y%m%d-%H%M%S).md"
failed=0
{
  echo "# Flush + migration flow under CPU stress"
  echo
  echo "- machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -n 1)"
  echo "- command: bench/flush-stress.sh $runs (two busy loops on the $(nproc) cores)"
  echo
  echo "| run | result | seconds |"
  echo "|---|---|---|"
} > "$out"
for ((r = 1; r <= runs; r++)); do
  t0=$(date +%s)
  if mvn -B -q -o -pl local-cluster surefire:test -Dtest=FlushAndMigrationTest \
      > "/tmp/flush-stress-$r.log" 2>&1; then
    result=passed
  else
    result="FAILED (/tmp/flush-stress-$r.log)"
    failed=$((failed + 1))
  fi
  echo "| $r | $result | $(( $(date +%s) - t0 )) |" | tee -a "$out"
done
echo >> "$out"
echo "$((runs - failed)) passed, $failed failed" | tee -a "$out"
[ "$failed" = 0 ]
