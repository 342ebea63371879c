#!/usr/bin/env bash
# Flush latency of the agent's admin API with 100,000 cached entries: one-name, subtree and
# whole-cache flushes, timed by curl, median of BENCH_REPEATS. Loopback only: the upstream is a
# local dnsmasq answering every name under bench.test.
#
#   bench/flush-bench.sh            # results printed and written to bench/results/flush-bench-*.md
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/node-cache-agent/target/node-cache-agent.jar"
repeats="${BENCH_REPEATS:-10}"
warmups="${BENCH_WARMUPS:-3}" # unmeasured flushes first: the JIT compiles the flush path
names="${BENCH_NAMES:-100000}"
results="${BENCH_RESULTS_DIR:-$root/bench/results}"
[ -f "$jar" ] || { echo "missing $jar: build it with mvn -B -DskipTests package" >&2; exit 1; }
for tool in dnsperf dnsmasq curl; do
  command -v "$tool" >/dev/null || apt-get install -y -qq dnsperf dnsmasq-base curl >/dev/null
done

work="$(mktemp -d /tmp/flush-bench.XXXXXX)"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM

echo "flush-bench-token" > "$work/token"
cat > "$work/agent.json" <<JSON
{"listen": {"addresses": ["127.0.11.2"], "port": 5301, "threads": 1},
 "upstreams": [{"zones": ["."], "servers": ["127.0.11.1:5300"], "transport": "udp"}],
 "cache": {"maxEntries": 200000, "maxTtl": "1h", "prefetch": {"enabled": false}},
 "admin": {"address": "127.0.11.2", "port": 9253, "tokenFile": "$work/token"},
 "log": {"level": "warn"}}
JSON
for ((i = 0; i < names; i++)); do echo "n$i.bench.test A"; done > "$work/names.txt"

taskset -c 0 dnsmasq --no-daemon --port=5300 --listen-address=127.0.11.1 --bind-interfaces \
  --no-resolv --no-hosts --address=/bench.test/192.0.2.1 --local-ttl=3600 --cache-size=0 \
  2>/dev/null &
pids+=($!)
taskset -c 1 java -Xmx96m -Xms96m -XX:+UseSerialGC -XX:ActiveProcessorCount=1 \
  -jar "$jar" --config "$work/agent.json" 2> "$work/agent.log" &
pids+=($!)
for _ in $(seq 100); do
  curl -sf http://127.0.11.2:9253/readyz >/dev/null 2>&1 && break
  sleep 0.1
done

fill() {
  taskset -c 0 timeout 120 dnsperf -s 127.0.11.2 -p 5301 -d "$work/names.txt" -n 1 -q 200 \
    > /dev/null
}
entries() {
  curl -s http://127.0.11.2:9253/metrics | awk '/^nodecache_cache_entries /{print int($2)}'
}
flush_ms() { # $1: JSON body; prints the request's wall time in ms
  curl -s -o "$work/flush.out" -w '%{time_total}\n' -H "Authorization: Bearer flush-bench-token" \
    -d "$1" http://127.0.11.2:9253/flush | awk '{printf "%.2f\n", $1 * 1000}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

fill
echo "cached entries: $(entries)"
for ((w = 1; w <= warmups; w++)); do
  flush_ms "{\"id\": \"warm-$w-$$\", \"names\": [\"*.n$((w + 90000)).bench.test\"]}" >/dev/null
done
one=(); sub=(); all=()
for ((r = 1; r <= repeats; r++)); do
  one+=("$(flush_ms "{\"id\": \"one-$r-$$\", \"names\": [\"n$((r * 7)).bench.test\"]}")")
  sub+=("$(flush_ms "{\"id\": \"sub-$r-$$\", \"names\": [\"*.n$((r * 11)).bench.test\"]}")")
done
for ((r = 1; r <= repeats; r++)); do
  fill
  before="$(entries)"
  all+=("$(flush_ms "{\"id\": \"all-$r-$$\", \"names\": []}")")
  echo "whole flush $r: $before entries, removed $(sed 's/.*"removed":\([0-9]*\).*/\1/' "$work/flush.out")"
done

mkdir -p "$results"
out="$results/flush-bench-$(date +%Y%m%d-%H%M%S).md"
{
  echo "# Flush latency with $names cached entries ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r)."
  echo "Agent: one event loop on core 1, -Xmx96m, SerialGC. Timed with curl over loopback, median of"
  echo "$repeats after $warmups unmeasured flushes; the whole-cache runs refill all names before each."
  echo
  echo "| flush | median ms | all runs (ms) |"
  echo "| --- | --- | --- |"
  echo "| one name | $(printf '%s\n' "${one[@]}" | median) | ${one[*]} |"
  echo "| one subtree (*.name) | $(printf '%s\n' "${sub[@]}" | median) | ${sub[*]} |"
  echo "| whole cache | $(printf '%s\n' "${all[@]}" | median) | ${all[*]} |"
} > "$out"
cat "$out"
echo "written to $out"
