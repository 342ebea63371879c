#!/usr/bin/env bash
# Two agents, alternately, on one loopback rig: the miss path (every query a new name) and the
# cached path (12,000 hot names). This machine's figures move by a third between runs, so a change
# shows only against its own "before", run in turns with it. NSD and dnsperf on core 0, the agent
# alone on core 1 with the memory rule's flags for 150,000 entries and the agent's process
# environment, as in dns-bench.sh (without the class archive).
# Loopback only: upstream 127.0.15.1:5300, agent 127.0.15.2:5301.
#
#   bench/jar-ab.sh JAR_A JAR_B [ROUNDS]   (default 2: A B A B)
#   AGENT_JAVA_OPTS_A / AGENT_JAVA_OPTS_B: extra JVM flags per side (e.g. -XX:MaxNewSize=8m, with
#   the same jar twice)
#
# Prints, per agent run: the misses per second of four 8 s runs of 400,000 new names each (the
# first two warm the JIT up; compare the last two) and the cached answers per second (with the
# agent's CPU share) of four 8 s runs of the hot names; also written to
# bench/results/jar-ab-<date>.md. Needs nsd, dnsperf, dig.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[[ $# -ge 2 ]] || { sed -n 2,16p "$0"; exit 2; }
jar_a="$(realpath "$1")" jar_b="$(realpath "$2")" rounds="${3:-2}"
results="${BENCH_RESULTS_DIR:-$root/bench/results}"
report="$results/jar-ab-$(date -u +%Y%m%d-%H%M%S).md"
readonly AUTH=127.0.15.1 CACHE=127.0.15.2

# shellcheck source=loopback-upstream.sh
. "$root/bench/loopback-upstream.sh"
start_wildcard_nsd $AUTH ab
taskset -p -c 0 "$NSD_PID" >/dev/null
cat >"$work/agent.json" <<CONF
{"listen": {"addresses": ["$CACHE"], "port": 5301, "threads": 1},
 "upstreams": [{"zones": ["."], "servers": ["$AUTH:5300"], "transport": "udp"}],
 "cache": {"maxEntries": 150000, "maxTtl": "1h"}}
CONF
awk 'BEGIN { for (i = 0; i < 12000; i++) printf "h%d.ab.bench.test A\n", i }' >"$work/hot.txt"
client() { taskset -c 0 dnsperf -s $CACHE -p 5301 -c 4 -q 100 -t 2 "$@" 2>&1; }
qps() { awk '/Queries per second/ { printf "%d", $4 }'; }

run() { # label jar opts
  local label=$1 jar=$2 opts=$3 agent flags misses="" hits="" t0 q r
  flags=$(java -cp "$jar" "$root/bench/MemoryFlags.java" 150000)
  # shellcheck disable=SC2086
  MALLOC_ARENA_MAX=2 _JAVA_SR_SIGNUM=34 taskset -c 1 java $flags -XX:ActiveProcessorCount=1 $opts \
    -jar "$jar" --config "$work/agent.json" >"$work/agent-$label.log" 2>&1 &
  agent=$!
  pids+=("$agent")
  until dig +short +tries=1 +time=1 "@$CACHE" -p 5301 x.ab.bench.test A | grep -q 192.0.2.1; do
    sleep 0.1
  done
  for r in 1 2 3 4; do
    awk -v p="$label$r" 'BEGIN { for (j = 0; j < 400000; j++) printf "%s-%d.ab.bench.test A\n", p, j }' \
      >"$work/miss.txt"
    misses+="$(client -d "$work/miss.txt" -n 1 -l 8 | qps) "
  done
  client -d "$work/hot.txt" -n 1 >/dev/null
  for r in 1 2 3 4; do
    t0=$(cpu_ticks "$agent")
    q=$(client -d "$work/hot.txt" -l 8 | qps)
    hits+="$q ($(cpu_share $(($(cpu_ticks "$agent") - t0)) 8)) "
  done
  kill "$agent"
  wait "$agent" 2>/dev/null || true
  printf '| %s | %s| %s|\n' "$label" "$misses" "$hits"
}

jar_id() { printf '%s (sha256 %s, %s)' "$1" "$(sha256sum "$1" | cut -c1-16)" "$(date -r "$1" '+%Y-%m-%d %H:%M')"; }
mkdir -p "$results"
{
  echo "# Two agents in turns, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r), $(java -version 2>&1 | head -1)."
  echo "Command: bench/jar-ab.sh $* (A_OPTS '${AGENT_JAVA_OPTS_A:-}', B_OPTS '${AGENT_JAVA_OPTS_B:-}')"
  echo
  echo "- A: $(jar_id "$jar_a")"
  echo "- B: $(jar_id "$jar_b")"
  echo
  echo "| run | misses/s, four 8 s runs (the last two warm) | cached answers/s (agent CPU), four 8 s runs |"
  echo "| --- | --- | --- |"
} | tee "$report"
for ((i = 1; i <= rounds; i++)); do
  run "a$i" "$jar_a" "${AGENT_JAVA_OPTS_A:-}" | tee -a "$report"
  run "b$i" "$jar_b" "${AGENT_JAVA_OPTS_B:-}" | tee -a "$report"
done
echo "written to $report"
