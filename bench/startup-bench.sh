#!/usr/bin/env bash
# Start to first answer: milliseconds from exec of the server to the first answer it serves to a
# client that asks every 2 ms from the start (bench/first_answer.py; the answer is a miss
# forwarded to a loopback NSD, so the whole path is up). The agent with the operator's flags for
# the default policy on the agent image's runtime, without and with the class-data archive (AppCDS)
# that the image builds; Unbound and dnsmasq as peers. Loopback only: NSD 127.0.14.1:5300, servers
# 127.0.14.2:5301.
#
#   bench/startup-bench.sh [RUNS]   (default 10)
#
# Writes bench/results/startup-bench-<date>.md. Needs nsd, unbound, dnsmasq, python3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-10}"
results="${BENCH_RESULTS_DIR:-$root/bench/results}"
jar="$root/node-cache-agent/target/node-cache-agent.jar"
readonly AUTH=127.0.14.1 CACHE=127.0.14.2
[[ -f $jar ]] || (cd "$root" && mvn -B -q -DskipTests package -pl node-cache-agent -am)

# shellcheck source=loopback-upstream.sh
. "$root/bench/loopback-upstream.sh"
start_wildcard_nsd $AUTH up

cat >"$work/agent.json" <<EOF
{"listen": {"addresses": ["$CACHE"], "port": 5301},
 "upstreams": [{"zones": ["."], "servers": ["$AUTH:5300"], "transport": "udp"}],
 "admin": {"address": "$CACHE", "port": 9257}}
EOF
unbound_forwarder_conf $CACHE $AUTH
opts=$(java -cp "$jar" "$root/bench/MemoryFlags.java" 100000)
archive="$work/agent.jsa"
# The runtime, native library and archive as images/agent/Dockerfile makes them (the archive: one
# training run that starts, answers and stops).
"$root/images/agent/make-runtime.sh" "$jar" "$work/agent" >"$work/train.log" 2>&1
JAVA_HOME="$work/agent/jre" "$root/images/agent/make-class-archive.sh" "$jar" "$archive" \
  -Djava.library.path="$work/agent/lib" >>"$work/train.log" 2>&1
java_cmd=("$work/agent/jre/bin/java" -Djava.library.path="$work/agent/lib")

measure() { # label command...: the median and range of $runs runs
  local label=$1 t=()
  shift
  for ((i = 0; i < runs; i++)); do
    t+=("$(python3 "$root/bench/first_answer.py" $CACHE 5301 "q$i.up.bench.test" -- "$@")")
    sleep 0.3
  done
  printf '%s\n' "${t[@]}" | sort -n |
    awk -v l="$label" '{ v[NR] = $1 } END { printf "| %s | %.0f | %.0f | %.0f |\n", l, v[int((NR + 1) / 2)], v[1], v[NR] }'
}

{
  echo "# Start to first answer ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r), $(java -version 2>&1 | head -1)."
  echo "Command: bench/startup-bench.sh $runs. Milliseconds from exec to the first answer served"
  echo "(a forwarded miss), $runs runs each, median (min–max)."
  echo "Agent flags: $opts, MALLOC_ARENA_MAX=2, on the image's runtime (images/agent/make-runtime.sh:"
  echo "java.base, jdk.jfr and jdk.unsupported, Netty's epoll library on -Djava.library.path)."
  echo
  echo "| server | median ms | min | max |"
  echo "| --- | --- | --- | --- |"
  # shellcheck disable=SC2086
  measure "agent" env MALLOC_ARENA_MAX=2 "${java_cmd[@]}" $opts -jar "$jar" --config "$work/agent.json"
  # shellcheck disable=SC2086
  measure "agent + AppCDS archive" env MALLOC_ARENA_MAX=2 "${java_cmd[@]}" $opts \
    -XX:SharedArchiveFile="$archive" -jar "$jar" --config "$work/agent.json"
  measure "Unbound $(unbound -V | awk '/Version/ { print $2 }')" unbound -d -c "$work/unbound.conf"
  measure "dnsmasq $(dnsmasq --version | awk 'NR == 1 { print $3 }')" dnsmasq -k --no-resolv \
    --no-hosts --listen-address=$CACHE --bind-interfaces --port=5301 --server=$AUTH#5300 \
    --pid-file= --user=root
} | tee "$work/out.md"
mkdir -p "$results"
out="$results/startup-bench-$(date +%Y%m%d-%H%M%S).md"
cp "$work/out.md" "$out"
echo "written to $out"
