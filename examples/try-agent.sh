#!/usr/bin/env bash
# Try the agent on this machine: a loopback upstream (dnsmasq answering *.example.test), the agent
# in front of it, and a few dig queries. Nothing leaves the machine. Stops both on exit.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/node-cache-agent/target/node-cache-agent.jar"
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
command -v dnsmasq >/dev/null || apt-get install -y -qq dnsmasq-base dnsutils >/dev/null
command -v dig >/dev/null || apt-get install -y -qq dnsutils >/dev/null

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
dnsmasq --no-daemon --port=5300 --listen-address=127.0.0.2 --bind-interfaces --no-resolv \
  --no-hosts --address=/example.test/192.0.2.1 --local-ttl=300 2>/dev/null &
pids+=($!)
java -jar "$jar" --config "$root/examples/agent.json" &
pids+=($!)
for _ in $(seq 50); do dig @127.0.0.20 -p 5353 +time=1 +tries=1 www.example.test >/dev/null 2>&1 && break; sleep 0.2; done

set -x
dig @127.0.0.20 -p 5353 www.example.test +noall +answer      # a miss: forwarded
sleep 2
dig @127.0.0.20 -p 5353 WWW.Example.Test +noall +answer      # a hit: TTL counted down, case kept
dig @127.0.0.20 -p 5353 www.example.test +tcp +noall +answer # over TCP
{ set +x; } 2>/dev/null
echo "The agent is at 127.0.0.20:5353 (UDP and TCP). Ctrl-C stops it."
wait "${pids[1]}"
