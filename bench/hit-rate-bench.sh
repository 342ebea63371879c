#!/usr/bin/env bash
# Hit rate on a skewed (Zipf) query stream whose working set is larger than the cache, at equal
# memory: the agent (W-TinyLFU, Caffeine) against Unbound (LRU per slab), and an LRU of the size
# the agent's cache reached, all replaying the same trace. Everything on loopback: NSD answers
# every name under hr.bench.test. (a wildcard) at 127.0.11.1:5300; the cache under test listens
# at 127.0.11.2:5301.
#
#   bench/hit-rate-bench.sh [QUERIES [NAMES [ZIPF_S [CACHE_MIB]]]]   (defaults 400000 1000000 0.9 8)
#
# Writes bench/results/hit-rate-bench-<date>.md. Needs nsd, unbound, dnsperf (installed if missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
queries="${1:-400000}"
names="${2:-1000000}"
zipf="${3:-0.9}"
cache_mib="${4:-8}"
rate="${BENCH_RATE:-8000}"
results="${BENCH_RESULTS_DIR:-$root/bench/results}"
jar="$root/node-cache-agent/target/node-cache-agent.jar"
readonly AUTH=127.0.11.1 CACHE=127.0.11.2 ADMIN=9254

need=()
for c in nsd unbound dnsperf dig; do command -v "$c" >/dev/null || need+=("$c"); done
if ((${#need[@]})); then
  pkgs=("${need[@]/dig/dnsutils}")
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -q "${pkgs[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
[[ -f $jar ]] || (cd "$root" && mvn -B -q -DskipTests package -pl node-cache-agent -am)

# shellcheck source=loopback-upstream.sh
. "$root/bench/loopback-upstream.sh"
start_wildcard_nsd $AUTH hr

# The trace: ranks drawn from Zipf(s) over NAMES names (rank r -> name r<r>), seeded.
python3 - "$queries" "$names" "$zipf" "$work/trace.txt" <<'PY'
import bisect, itertools, random, sys
q, n, s, out = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
cdf = list(itertools.accumulate(1.0 / (r ** s) for r in range(1, n + 1)))
rnd = random.Random(20261206)
with open(out, "w") as f:
    for _ in range(q):
        r = bisect.bisect_left(cdf, rnd.random() * cdf[-1]) + 1
        f.write(f"r{r}.hr.bench.test A\n")
PY
distinct=$(sort -u "$work/trace.txt" | wc -l)

replay() { # the trace once, in order, at a rate the miss path of both caches sustains
  dnsperf -s $CACHE -p 5301 -d "$work/trace.txt" -n 1 -c 1 -q 20 -Q "$rate" -t 5 >"$work/dnsperf-$1.txt" 2>&1
  grep -E 'Queries (sent|completed|lost)' "$work/dnsperf-$1.txt" | sed 's/^ */  /'
}

# The agent: its cache bounded by CACHE_MIB in bytes (maxEntries out of the way), prefetch and
# serve-stale off, as Unbound runs here.
cat >"$work/agent.json" <<EOF
{"listen": {"addresses": ["$CACHE"], "port": 5301, "threads": 1},
 "upstreams": [{"zones": ["."], "servers": ["$AUTH:5300"], "transport": "udp"}],
 "cache": {"maxEntries": 10000000, "maxBytes": "${cache_mib}Mi",
           "prefetch": {"enabled": false}, "serveStale": {"enabled": false}},
 "admin": {"address": "$CACHE", "port": $ADMIN}}
EOF
java -Xmx256m -XX:+UseSerialGC -jar "$jar" --config "$work/agent.json" >"$work/agent.log" 2>&1 &
pids+=($!)
until curl -sf "http://$CACHE:$ADMIN/readyz" >/dev/null 2>&1; do sleep 0.1; done
echo "agent:" >"$work/out.txt"
replay agent >>"$work/out.txt"
metric() { agent_metric "$CACHE:$ADMIN" "$1"; }
a_req=$(metric nodecache_requests_total)
a_hit=$(metric nodecache_cache_hits_total)
a_entries=$(metric nodecache_cache_entries)
a_bytes=$(metric nodecache_cache_bytes)
kill "${pids[-1]}"
wait "${pids[-1]}" 2>/dev/null || true
unset 'pids[-1]'

# Unbound: the same bytes split between its message and RRset caches, one slab each.
half=$((cache_mib * 1024 / 2))
unbound_forwarder_conf $CACHE $AUTH "  verbosity: 0
  prefetch: no
  serve-expired: no
  extended-statistics: yes
  msg-cache-size: ${half}k
  rrset-cache-size: ${half}k
  msg-cache-slabs: 1
  rrset-cache-slabs: 1
  infra-cache-slabs: 1
  key-cache-slabs: 1" "remote-control:
  control-enable: yes
  control-interface: $CACHE
  control-port: 8954
  control-use-cert: no"
unbound -d -c "$work/unbound.conf" >"$work/unbound.log" 2>&1 &
pids+=($!)
until dig +short +tries=1 +time=1 @$CACHE -p 5301 warm.hr.bench.test A | grep -q 192.0.2.1; do sleep 0.2; done
unbound-control -c "$work/unbound.conf" stats >/dev/null # reset: the warm-up query is not counted
echo "unbound:" >>"$work/out.txt"
replay unbound >>"$work/out.txt"
unbound-control -c "$work/unbound.conf" stats_noreset >"$work/unbound-stats.txt"
stat() { awk -F= -v k="$1" '$1 == k { print $2 }' "$work/unbound-stats.txt"; }
u_req=$(stat total.num.queries)
u_hit=$(stat total.num.cachehits)
u_msg=$(stat msg.cache.count)
u_rrset=$(stat rrset.cache.count)

# LRU of as many entries as the agent's cache held at the end, on the same trace.
lru=$(python3 - "$work/trace.txt" "$a_entries" <<'PY'
import collections, sys
cap = int(sys.argv[2]); lru = collections.OrderedDict(); hits = total = 0
for line in open(sys.argv[1]):
    total += 1
    if line in lru:
        hits += 1
        lru.move_to_end(line)
    else:
        lru[line] = True
        if len(lru) > cap:
            lru.popitem(last=False)
print(f"{hits} {total}")
PY
)
l_hit=${lru% *}
l_req=${lru#* }

mkdir -p "$results"
out="$results/hit-rate-bench-$(date +%Y%m%d-%H%M%S).md"
pct() { python3 -c "print(f'{100 * $1 / $2:.2f} %')"; }
{
  echo "# Hit rate on a Zipf stream larger than the cache ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r); $(unbound -V | head -1)."
  echo "Command: bench/hit-rate-bench.sh $queries $names $zipf $cache_mib (BENCH_RATE=$rate)"
  echo
  echo "Trace: $queries queries, Zipf s=$zipf over $names names ($distinct distinct asked), one TTL of"
  echo "3600 s (nothing expires); every cache replays it once, in order, at $rate queries/s."
  echo
  echo "| cache | memory for the cache | entries held at the end | hit rate |"
  echo "| --- | --- | --- | --- |"
  echo "| agent (W-TinyLFU) | cache.maxBytes ${cache_mib} MiB | $a_entries ($a_bytes bytes) | $(pct "$a_hit" "$a_req") |"
  echo "| Unbound (LRU) | msg-cache ${half} KiB + rrset-cache ${half} KiB | $u_msg messages, $u_rrset RRsets | $(pct "$u_hit" "$u_req") |"
  echo "| LRU, as many entries as the agent held | | $a_entries | $(pct "$l_hit" "$l_req") |"
  echo
  echo '```'
  cat "$work/out.txt"
  echo '```'
} | tee "$out"
echo "written to $out"
