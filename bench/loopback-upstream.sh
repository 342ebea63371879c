# Sourced by the bench scripts that need a loopback authority and a work dir (hit-rate-bench.sh,
# dead-upstream-bench.sh, flush-storm-bench.sh, startup-bench.sh, jar-ab.sh): defines $work, $pids
# (killed on exit), start_wildcard_nsd, unbound_forwarder_conf, agent_metric, cpu_ticks and
# cpu_share.

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# start_wildcard_nsd ADDR LABEL: NSD on ADDR:5300 answering every name under LABEL.bench.test. with
# 192.0.2.1 (TTL 3600), response rate limiting off; its pid in NSD_PID once it answers.
start_wildcard_nsd() {
  local addr=$1 label=$2
  cat >"$work/zone" <<ZONE
\$ORIGIN bench.test.
\$TTL 3600
@ IN SOA ns.bench.test. hostmaster.bench.test. 1 3600 600 86400 3600
@ IN NS ns.bench.test.
ns IN A $addr
*.$label IN A 192.0.2.1
ZONE
  cat >"$work/nsd.conf" <<CONF
server:
  ip-address: $addr@5300
  port: 5300
  server-count: 1
  username: ""
  chroot: ""
  database: ""
  zonesdir: "$work"
  zonelistfile: "$work/nsd.zonelist"
  xfrdfile: "$work/nsd.xfrd"
  pidfile: "$work/nsd.pid"
  logfile: "$work/nsd.log"
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: "bench.test."
  zonefile: "zone"
CONF
  nsd -d -c "$work/nsd.conf" >/dev/null 2>&1 &
  NSD_PID=$!
  pids+=("$NSD_PID")
  until dig +short +tries=1 +time=1 "@$addr" -p 5300 "x.$label.bench.test" A | grep -q 192.0.2.1; do
    sleep 0.2
  done
}

# cpu_ticks PID: the CPU time of PID (user and system, all its threads) in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }

# cpu_share TICKS SECONDS: TICKS of CPU time over SECONDS of wall time, in cores ("0.87").
cpu_share() { awk -v t="$1" -v s="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / s / hz }'; }

# agent_metric ADDR:PORT NAME: the agent's metric NAME summed over its series.
agent_metric() {
  curl -s "http://$1/metrics" |
    awk -v m="$2" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%d", s }'
}

# unbound_forwarder_conf LISTEN_ADDR AUTH_ADDR [SERVER_LINES [MORE_SECTIONS]]: $work/unbound.conf for
# an Unbound on LISTEN_ADDR:5301 forwarding everything to AUTH_ADDR:5300 (iterator only, bench.test.
# allowed), one thread, in the foreground; SERVER_LINES are added to its server: section.
unbound_forwarder_conf() {
  cat >"$work/unbound.conf" <<CONF
server:
  interface: $1@5301
  port: 5301
  num-threads: 1
  do-daemonize: no
  use-syslog: no
  logfile: ""
  chroot: ""
  username: ""
  directory: "$work"
  pidfile: ""
  do-ip6: no
  outgoing-interface: $1
  do-not-query-localhost: no
  module-config: "iterator"
  qname-minimisation: no
  local-zone: "test." nodefault
  access-control: 127.0.0.0/8 allow
${3:-}
forward-zone:
  name: "."
  forward-addr: $2@5300
${4:-}
CONF
}
