#!/usr/bin/env bash
# A dead upstream under a flood of unique names: the agent's memory and its cached answers.
# The agent warms 10,000 names from NSD; then the upstream goes silent (NSD is replaced on the same
# address by a sink that reads every query and answers none) and a flood of never-seen names runs
# for MINUTES minutes. Every minute: the agent's RSS, its heap after a full GC, what it shed, its
# cached names asked at a fixed rate (answered share, latency) and then as fast as it answers them
# (QPS per agent core). The agent owns core 1; the flood, the sink and the samplers share core 0.
# Loopback only: upstream 127.0.12.1:5300, agent 127.0.12.2:5301.
#
#   bench/dead-upstream-bench.sh [MINUTES [FLOOD_QPS]]   (defaults 10 5000)
#
# Writes bench/results/dead-upstream-bench-<date>.md. Needs nsd, dnsperf, python3, jcmd.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
minutes="${1:-10}"
flood_qps="${2:-5000}"
results="${BENCH_RESULTS_DIR:-$root/bench/results}"
jar="$root/node-cache-agent/target/node-cache-agent.jar"
readonly AUTH=127.0.12.1 CACHE=127.0.12.2 ADMIN=9255 HOT=10000
[[ -f $jar ]] || (cd "$root" && mvn -B -q -DskipTests package -pl node-cache-agent -am)

# shellcheck source=loopback-upstream.sh
. "$root/bench/loopback-upstream.sh"
start_wildcard_nsd $AUTH hot

# The agent as the operator runs it for the default policy (the memory rule's flags for 100,000
# entries, the agent's process environment), on one core of its own; serve-stale off so that
# nothing hides the dead upstream.
opts=$(java -cp "$jar" "$root/bench/MemoryFlags.java" 100000)
cat >"$work/agent.json" <<EOF
{"listen": {"addresses": ["$CACHE"], "port": 5301, "threads": 1},
 "upstreams": [{"zones": ["."], "servers": ["$AUTH:5300"], "transport": "udp", "timeout": "2s"}],
 "cache": {"maxEntries": 100000, "serveStale": {"enabled": false}, "servfailTtl": "0s"},
 "admin": {"address": "$CACHE", "port": $ADMIN}}
EOF
# shellcheck disable=SC2086
MALLOC_ARENA_MAX=2 _JAVA_SR_SIGNUM=34 taskset -c 1 java $opts -XX:ActiveProcessorCount=1 ${AGENT_JAVA_OPTS:-} -jar "$jar" \
  --config "$work/agent.json" >"$work/agent.log" 2>&1 &
agent=$!
client() { taskset -c 0 dnsperf "$@"; }
pids+=("$agent")
until curl -sf "http://$CACHE:$ADMIN/readyz" >/dev/null 2>&1; do sleep 0.1; done
awk -v n=$HOT 'BEGIN { for (i = 0; i < n; i++) printf "h%d.hot.bench.test A\n", i }' >"$work/hot.txt"
client -s $CACHE -p 5301 -d "$work/hot.txt" -n 1 -c 1 -q 50 >/dev/null 2>&1

# The upstream dies silently: the same address, nothing ever answered.
kill "$NSD_PID"
wait "$NSD_PID" 2>/dev/null || true
taskset -c 0 python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('$AUTH', 5300))
while True:
    s.recv(4096)
" &
pids+=($!)

python3 -c "
import random
r = random.Random(1)
with open('$work/flood.txt', 'w') as f:
    for i in range(2_000_000):
        f.write('u%d-%d.flood.bench.test A\n' % (i, r.randrange(1 << 30)))
"
metric() { agent_metric "$CACHE:$ADMIN" "$1"; }
heap() {
  jcmd "$agent" GC.run >/dev/null
  jcmd "$agent" GC.heap_info | grep -o 'used [0-9]*K' | awk '{ s += $2 } END { printf "%.1f", s / 1024 }'
}
sample() { # minute label
  local rss hot ans p99 t0 t1 qps idle
  # The agent's CPU share in the 5 s before the samplers start: what the flood alone costs it.
  t0=$(cpu_ticks "$agent")
  sleep 5
  idle=$(cpu_share $(($(cpu_ticks "$agent") - t0)) 5)
  rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$agent/status")
  client -s $CACHE -p 5301 -d "$work/hot.txt" -l 3 -c 1 -q 20 -Q 2000 -t 1 >"$work/hot-$1.txt" 2>&1 || true
  ans=$(awk '/Queries completed/ { print $3, $4 }' "$work/hot-$1.txt")
  hot=$(awk '/Average Latency/ { printf "%.3f", $4 * 1000 }' "$work/hot-$1.txt")
  p99=$(awk '/Average Latency/ { gsub(/[),]/, "", $8); printf "%.3f", $8 * 1000 }' "$work/hot-$1.txt")
  # Then as fast as the agent answers them: QPS and the agent's CPU over the same 3 s.
  t0=$(cpu_ticks "$agent")
  client -s $CACHE -p 5301 -d "$work/hot.txt" -l 3 -c 4 -q 100 -t 1 >"$work/max-$1.txt" 2>&1 || true
  t1=$(cpu_ticks "$agent")
  qps=$(awk '/Queries per second/ { printf "%d", $4 }' "$work/max-$1.txt")
  printf '| %s | %s | %s | %s | %s | %s ms | %s ms | %s | %s | %s | %s |\n' "$1" "$rss" "$(heap)" \
    "$idle" "$ans" "$hot" "$p99" "$qps" "$(awk -v q="$qps" -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%d (CPU %.2f)", t ? q * 3 * hz / t : 0, t / 3 / hz }')" \
    "$(metric nodecache_upstream_in_flight)" "$(metric nodecache_dropped_total)"
}

{
  echo "# A dead upstream under a flood of unique names ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r)."
  echo "Command: bench/dead-upstream-bench.sh $minutes $flood_qps"
  echo "Agent: $opts -XX:ActiveProcessorCount=1, MALLOC_ARENA_MAX=2, _JAVA_SR_SIGNUM=34, on core 1;"
  echo "$HOT names cached before the upstream went silent; a flood of unique names at $flood_qps"
  echo "queries/s; each minute the cached names asked at 2,000 queries/s for 3 s, then as fast as"
  echo "they are answered for 3 s (dnsperf -c 4 -q 100). Flood, sink and samplers on core 0."
  echo
  echo "| minute | RSS (MiB) | heap after GC (MiB) | agent CPU before the samplers | cached names answered | average latency | max latency | cached QPS flat out | cached QPS per agent core | upstream queries in flight | dropped or shed (total) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  sample 0
  client -s $CACHE -p 5301 -d "$work/flood.txt" -c 4 -q 5000 -Q "$flood_qps" -l $((minutes * 60)) -t 2 \
    >"$work/flood-out.txt" 2>&1 &
  flood=$!
  for ((m = 1; m <= minutes; m++)); do
    sleep 50
    sample "$m"
  done
  wait "$flood" || true
  echo
  echo '```'
  grep -E 'Queries (sent|completed|lost)|Response codes' "$work/flood-out.txt"
  echo '```'
} | tee "$work/out.md"
mkdir -p "$results"
out="$results/dead-upstream-bench-$(date +%Y%m%d-%H%M%S).md"
cp "$work/out.md" "$out"
echo "written to $out"
