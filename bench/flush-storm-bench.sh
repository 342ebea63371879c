#!/usr/bin/env bash
# The storm a flush sends upstream, with and without the per-server bound (maxConcurrent).
# A slow cluster DNS (bench/SlowUpstream.java: every name answered after DELAY_MS, as a loaded
# CoreDNS) counts what it receives per 100 ms. The agent caches NAMES names; clients then ask
# them at QPS queries/s, all hits, until the whole cache is flushed through the admin API: every
# name misses at once. Run once per bound in BOUNDS (4096 is the resolver's own ceiling, i.e.
# no per-server bound). Loopback only: upstream 127.0.13.1:5300, agent 127.0.13.2:5301.
#
#   bench/flush-storm-bench.sh [NAMES [QPS [DELAY_MS]]]   (defaults 20000 20000 20)
#   BOUNDS="4096 150 50" by default.
#
# Writes bench/results/flush-storm-bench-<date>.{md,csv,png}. Needs dnsperf, curl, gnuplot.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
names="${1:-20000}"
qps="${2:-20000}"
delay="${3:-20}"
bounds="${BOUNDS:-4096 150 50}"
results="${BENCH_RESULTS_DIR:-$root/bench/results}"
jar="$root/node-cache-agent/target/node-cache-agent.jar"
readonly UP=127.0.13.1 CACHE=127.0.13.2 ADMIN=9256 STEADY=4 AFTER=8
[[ -f $jar ]] || (cd "$root" && mvn -B -q -DskipTests package -pl node-cache-agent -am)

# shellcheck source=loopback-upstream.sh
. "$root/bench/loopback-upstream.sh"
echo "flush-storm-bench-token" >"$work/token"
awk -v n="$names" 'BEGIN { for (i = 0; i < n; i++) printf "s%d.storm.bench.test A\n", i }' \
  >"$work/names.txt"
opts=$(java -cp "$jar" "$root/bench/MemoryFlags.java" 100000)
ms() { echo $(($(date +%s%N) / 1000000)); }
queue_timeouts() {
  curl -s "http://$CACHE:$ADMIN/metrics" |
    awk '/reason="upstream_queue_timeout"/ { s += $2 } END { printf "%d", s }'
}

# run BOUND: one warm cache, one flush; appends "bound,ms after flush,queries,outstanding" rows
# to $work/storm.csv and one summary line to $work/summary.md.
run() {
  local bound=$1 t0 flushed
  java "$root/bench/SlowUpstream.java" $UP 5300 "$delay" 60 "$work/up-$bound.csv" \
    >"$work/up-$bound.log" 2>&1 &
  local up=$!
  pids+=("$up")
  until grep -q listening "$work/up-$bound.log" 2>/dev/null; do sleep 0.1; done
  t0=$(awk '/listening/ { print $NF }' "$work/up-$bound.log")
  cat >"$work/agent.json" <<EOF
{"listen": {"addresses": ["$CACHE"], "port": 5301, "threads": 1},
 "upstreams": [{"zones": ["."], "servers": ["$UP:5300"], "transport": "udp", "timeout": "2s",
                "maxConcurrent": $bound}],
 "cache": {"maxEntries": 100000, "servfailTtl": "0s"},
 "admin": {"address": "$CACHE", "port": $ADMIN, "tokenFile": "$work/token"}}
EOF
  # shellcheck disable=SC2086
  MALLOC_ARENA_MAX=2 java $opts -jar "$jar" --config "$work/agent.json" >"$work/agent-$bound.log" 2>&1 &
  local agent=$!
  pids+=("$agent")
  until curl -sf "http://$CACHE:$ADMIN/readyz" >/dev/null 2>&1; do sleep 0.1; done
  # Warm: every name once, twice over (the second pass proves they are cached).
  dnsperf -s $CACHE -p 5301 -d "$work/names.txt" -n 2 -c 4 -q 2000 -t 5 >"$work/warm-$bound.txt" 2>&1
  dnsperf -s $CACHE -p 5301 -d "$work/names.txt" -c 4 -q 20000 -Q "$qps" -t 5 \
    -l $((STEADY + AFTER)) >"$work/load-$bound.txt" 2>&1 &
  local load=$!
  sleep "$STEADY"
  local queued0 late0
  queued0=$(agent_metric "$CACHE:$ADMIN" nodecache_upstream_queued_total)
  late0=$(queue_timeouts)
  flushed=$(($(ms) - t0))
  curl -sf -H "Authorization: Bearer flush-storm-bench-token" \
    -d "{\"id\": \"storm-$bound\", \"names\": []}" "http://$CACHE:$ADMIN/flush" >/dev/null
  wait "$load" || true
  local queued late
  queued=$(($(agent_metric "$CACHE:$ADMIN" nodecache_upstream_queued_total) - queued0))
  late=$(($(queue_timeouts) - late0))
  kill "$agent" "$up" 2>/dev/null || true
  wait "$agent" "$up" 2>/dev/null || true
  awk -F, -v b="$bound" -v f="$flushed" -v a=$((AFTER * 1000)) \
    'NR > 1 && $1 >= f - 500 && $1 < f + a { printf "%s,%d,%d,%d\n", b, $1 - f, $2 * 10, $3 }' \
    "$work/up-$bound.csv" >>"$work/storm.csv"
  local peak total most secs
  peak=$(awk -F, -v b="$bound" '$1 == b && $2 >= 0 && $3 > p { p = $3 } END { print p + 0 }' "$work/storm.csv")
  most=$(awk -F, -v b="$bound" '$1 == b && $2 >= 0 && $4 > p { p = $4 } END { print p + 0 }' "$work/storm.csv")
  total=$(awk -F, -v b="$bound" '$1 == b && $2 >= 0 { s += $3 / 10 } END { print s + 0 }' "$work/storm.csv")
  secs=$(awk -F, -v b="$bound" '$1 == b && $2 >= 0 && $3 > 0 { t = $2 } END { printf "%.1f", (t + 100) / 1000 }' "$work/storm.csv")
  local lat maxlat sent done sf
  sent=$(awk '/Queries sent/ { print $3 }' "$work/load-$bound.txt")
  done=$(awk '/Queries completed/ { print $3 }' "$work/load-$bound.txt")
  lat=$(awk '/Average Latency/ { printf "%.2f", $4 * 1000 }' "$work/load-$bound.txt")
  maxlat=$(awk '/Average Latency/ { gsub(/[),]/, "", $8); printf "%.0f", $8 * 1000 }' "$work/load-$bound.txt")
  sf=$(awk '/Response codes/ { for (i = 1; i <= NF; i++) if ($i ~ /^SERVFAIL/) { gsub(/[^0-9]/, "", $(i + 1)); print $(i + 1) } }' "$work/load-$bound.txt")
  echo "| $bound | $peak | $most | $total | $secs s | $queued | $late | $sent | $done | ${sf:-0} | $lat ms | $maxlat ms |" >>"$work/summary.md"
}

echo "bound,ms_after_flush,upstream_qps,outstanding" >"$work/storm.csv"
: >"$work/summary.md"
for b in $bounds; do
  echo "maxConcurrent $b ..."
  run "$b"
done

stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
base="$results/flush-storm-bench-$stamp"
cp "$work/storm.csv" "$base.csv"
plots=""
for b in $bounds; do
  [[ -n $plots ]] && plots+=", "
  label="maxConcurrent $b"
  [[ $b == 4096 ]] && label="no per-server bound (4096)"
  plots+="'$base.csv' using (\$1 == $b ? \$2 / 1000.0 : 1/0):3 with steps lw 2 title '$label'"
done
gnuplot <<EOF
set terminal pngcairo size 900,500 font ',11'
set output '$base.png'
set datafile separator ','
set key autotitle columnhead
set title "Upstream queries/s after a whole-cache flush (100 ms windows)\\n$names names asked at $qps/s, upstream latency $delay ms"
set xlabel 'seconds after the flush'
set ylabel 'queries/s at the upstream'
set grid
plot $plots
EOF
{
  echo "# The storm after a flush, with and without the per-server bound ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r)."
  echo "Command: bench/flush-storm-bench.sh $names $qps $delay (BOUNDS=\"$bounds\")"
  echo "Agent: one event loop, $opts; upstream: bench/SlowUpstream.java answering every name after"
  echo "$delay ms. $names names cached, then asked at $qps queries/s by dnsperf (at most 20,000"
  echo "outstanding, 5 s timeout) for ${STEADY} s before and ${AFTER} s after a whole-cache flush."
  echo "Rates are counted at the upstream in 100 ms windows, from the flush on; the agent's"
  echo "counters (queued, no turn in time) from the flush on too."
  echo
  echo "| maxConcurrent | peak upstream queries/s | most outstanding at the upstream | upstream queries | storm lasted | queued for a turn | no turn in time | client queries sent | answered | SERVFAIL | client average latency | client max latency |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  cat "$work/summary.md"
  echo
  echo "![upstream rate after a flush]($(basename "$base").png)"
} | tee "$base.md"
echo "written to $base.md"
