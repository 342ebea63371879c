#!/usr/bin/env bash
# dns-bench.sh - reproducible DNS cache benchmark for NodeCache and its peers.
#
#   bench/dns-bench.sh [unbound] [dnsmasq] [dnsdist] [agent]     (default: all four)
#
# One run: installs what is missing (Debian packages), generates the bench.test.
# zone, starts NSD as the local authoritative upstream, then benchmarks each
# cache in turn (cached QPS, CPU share, latency at a fixed rate, miss-path QPS,
# RSS with 100k names) and writes bench/results/dns-bench-<date>.md.
# See bench/README.md for what is measured and how to read it.
#
# All traffic stays on loopback (127.0.10.1 = authoritative, 127.0.10.2 = cache
# under test). No cache ever talks to the system resolver or to root servers.
#
# Tunables (environment; defaults are the "real" benchmark settings):
#   BENCH_SECONDS=10          length of each measured dnsperf run (>= 2)
#   BENCH_REPEATS=3           measured runs per test; the median is reported
#   BENCH_WARMUP_SECONDS=     unmeasured warm-up run on the cached set (default BENCH_SECONDS)
#   BENCH_LATENCY_QPS=20000   fixed query rate for the latency test
#   BENCH_CLIENTS=4           dnsperf -c (client sockets)
#   BENCH_OUTSTANDING=100     dnsperf -q (max outstanding queries)
#   BENCH_MISS_NAMES=         unique names per miss run (default 250000 * BENCH_SECONDS)
#   BENCH_RESULTS_DIR=        where the .md goes (default bench/results)
#   BENCH_SKIP_INSTALL=1      never call apt-get, just fail if something is missing
#   BENCH_KEEP_WORK=1         keep the temporary work dir (configs, logs) on success
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
AGENT_JAR="$REPO_ROOT/node-cache-agent/target/node-cache-agent.jar"

BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_REPEATS=${BENCH_REPEATS:-3}
BENCH_WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-$BENCH_SECONDS}
BENCH_LATENCY_QPS=${BENCH_LATENCY_QPS:-20000}
BENCH_CLIENTS=${BENCH_CLIENTS:-4}
BENCH_OUTSTANDING=${BENCH_OUTSTANDING:-100}
BENCH_MISS_NAMES=${BENCH_MISS_NAMES:-$((250000 * BENCH_SECONDS))}
BENCH_RESULTS_DIR=${BENCH_RESULTS_DIR:-$SCRIPT_DIR/results}
BENCH_SKIP_INSTALL=${BENCH_SKIP_INSTALL:-0}
BENCH_KEEP_WORK=${BENCH_KEEP_WORK:-0}

# Fixed on purpose (not tunable): everything stays on loopback.
readonly AUTH_ADDR=127.0.10.1 AUTH_PORT=5300
readonly CACHE_ADDR=127.0.10.2 CACHE_PORT=5301
# 2-core layout: the cache under test owns core 1; dnsperf and the
# authoritative server share core 0 (the authoritative server is idle during
# the cached tests, and on the miss path its CPU is reported separately).
readonly CLIENT_CPU=0 AUTH_CPU=0 SERVER_CPU=1

readonly ZONE_NAMES=100000 HOT_NAMES=12000
readonly ALL_SERVERS=(unbound dnsmasq dnsdist agent)
CLK_TCK=$(getconf CLK_TCK)

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --------------------------------------------------------------------------
# Arguments and sanity checks
# --------------------------------------------------------------------------
SERVERS=("$@")
[[ ${#SERVERS[@]} -gt 0 ]] || SERVERS=("${ALL_SERVERS[@]}")
for s in "${SERVERS[@]}"; do
  [[ " ${ALL_SERVERS[*]} " == *" $s "* ]] || die "unknown server '$s' (choose from: ${ALL_SERVERS[*]})"
done
for v in BENCH_SECONDS BENCH_REPEATS BENCH_WARMUP_SECONDS BENCH_LATENCY_QPS \
         BENCH_CLIENTS BENCH_OUTSTANDING BENCH_MISS_NAMES; do
  [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || die "$v must be a positive integer (got '${!v}')"
done
((BENCH_SECONDS >= 2)) || die "BENCH_SECONDS must be >= 2 (the CPU window skips 0.5 s at each end)"
[[ $(nproc) -ge 2 ]] || die "needs at least 2 CPUs (core $CLIENT_CPU for dnsperf, core $SERVER_CPU for the cache)"
[[ $EUID -eq 0 ]] || die "run as root (it may apt-get install, and the server configs assume root)"
if [[ " ${SERVERS[*]} " == *" agent "* && ! -f $AGENT_JAR ]]; then
  die "agent jar not found: $AGENT_JAR - build it with mvn -B -DskipTests package (in $REPO_ROOT)"
fi

# --------------------------------------------------------------------------
# Cleanup: every server is started in its own session (setsid), so its process
# group id equals its pid and one kill reaches its children too (NSD forks).
# --------------------------------------------------------------------------
PGIDS=()
CLIENT_PID=""   # the running dnsperf (its timeout wrapper), if any
WORK=""
POLICY_RC_CREATED=0
RUN_OK=0

stop_group() {  # stop_group PGID: TERM, wait up to 10 s, then KILL
  local pgid=$1 i
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "process group $pgid did not stop on TERM; sending KILL"
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n ${NAP_PID:-} ]]; then kill "$NAP_PID" 2>/dev/null || true; fi
  if [[ -n ${CLIENT_PID:-} ]]; then
    kill -TERM "$CLIENT_PID" 2>/dev/null || true
    wait "$CLIENT_PID" 2>/dev/null || true
  fi
  local g
  for g in "${PGIDS[@]}"; do stop_group "$g"; done
  if ((POLICY_RC_CREATED)); then rm -f /usr/sbin/policy-rc.d; fi
  if [[ -n $WORK && -d $WORK ]]; then
    if ((RUN_OK)) && ! ((BENCH_KEEP_WORK)); then
      rm -rf "$WORK"
    else
      log "work dir (configs, server logs) kept: $WORK"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

forget_group() {  # drop a stopped group from the cleanup list
  local g keep=()
  for g in "${PGIDS[@]}"; do [[ $g == "$1" ]] || keep+=("$g"); done
  PGIDS=("${keep[@]}")
}

# start_daemon NAME CPU CMD...  -> sets DAEMON_PID (= its process group id)
start_daemon() {
  local name=$1 cpu=$2; shift 2
  # setsid does not fork here (a non-interactive script's background job is not
  # a process group leader), and taskset execs too: $! is the server itself.
  setsid taskset -c "$cpu" "$@" >"$WORK/$name.log" 2>&1 </dev/null &
  DAEMON_PID=$!
  PGIDS+=("$DAEMON_PID")
  sleep 0.3
  local pgid
  pgid=$(ps -o pgid= -p "$DAEMON_PID" 2>/dev/null | tr -d ' ') ||
    { tail -n 20 "$WORK/$name.log" >&2; die "$name exited at once (log above)"; }
  [[ $pgid == "$DAEMON_PID" ]] || die "$name: unexpected process group ($pgid != $DAEMON_PID)"
}

stop_daemon() { stop_group "$1"; forget_group "$1"; }

# wait_answer ADDR PORT NAME TIMEOUT_S: poll with dig until a NOERROR answer.
wait_answer() {
  local addr=$1 port=$2 label=$3 limit=$4 i
  for ((i = 0; i < limit; i++)); do
    if dig +tries=1 +time=1 +short "@$addr" -p "$port" n0.bench.test A 2>/dev/null | grep -q '^198\.18\.'; then
      return 0
    fi
    kill -0 -- "-${PGIDS[-1]}" 2>/dev/null || break
    sleep 1
  done
  tail -n 30 "$WORK/$label.log" >&2 || true
  die "$label did not answer on $addr:$port (log above)"
}

port_free() {  # fail clearly instead of killing someone else's process
  if ss -Hlun "sport = :$2" 2>/dev/null | awk '{ print $4 }' | grep -qE "^($1|0\.0\.0\.0|\*|\[::\]):$2\$"; then
    die "something already listens on $1:$2 (udp); stop it first"
  fi
}

# Share of the whole machine busy (all cores, 0..1) over 2 s, from /proc/stat
# (user..steal; guest time is already inside user);
# taken before anything starts, to flag a run on a machine that is not idle.
machine_busy() {
  local a b
  a=$(head -n 1 /proc/stat); sleep 2; b=$(head -n 1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {
    n = split(a, x, " "); split(b, y, " ")
    for (i = 2; i <= 9 && i <= n; i++) { d = y[i] - x[i]; tot += d; if (i == 5 || i == 6) idle += d }
    printf "%.2f", (tot > 0) ? 1 - idle / tot : 0 }'
}

# --------------------------------------------------------------------------
# Packages
# --------------------------------------------------------------------------
ensure_packages() {
  local -A need=([dnsperf]=dnsperf [nsd]=nsd [dig]=bind9-dnsutils [ss]=iproute2 [taskset]=util-linux)
  local s
  for s in "${SERVERS[@]}"; do
    case $s in
      unbound) need[unbound]=unbound ;;
      dnsmasq) need[dnsmasq]=dnsmasq-base ;;  # -base: the binary without the system service
      dnsdist) need[dnsdist]=dnsdist ;;
      agent) command -v jlink >/dev/null || die "jlink not found (a JDK makes the agent's runtime)" ;;
    esac
  done
  local missing=() cmd
  for cmd in "${!need[@]}"; do
    command -v "$cmd" >/dev/null || missing+=("${need[$cmd]}")
  done
  ((${#missing[@]})) || return 0
  ((BENCH_SKIP_INSTALL == 0)) || die "missing packages: ${missing[*]} (BENCH_SKIP_INSTALL=1)"

  # Packages may still be installing in the background from machine setup:
  # wait (bounded) for that log to end with "done" before using apt ourselves.
  local apt_log=/tmp/apt.log i
  if [[ -f $apt_log ]]; then
    for ((i = 0; i < 180; i++)); do
      [[ $(tail -n 1 "$apt_log") == done ]] && break
      ((i % 6)) || log "waiting for the background apt run ($apt_log) to finish"
      sleep 5
    done
  fi
  # Keep package postinst scripts from starting system services (an unbound or
  # dnsmasq service would resolve via root hints or resolv.conf on port 53).
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
  fi
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q >"$WORK/apt.log" 2>&1 ||
    { tail -n 20 "$WORK/apt.log" >&2; die "apt-get update failed"; }
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >>"$WORK/apt.log" 2>&1 ||
    { tail -n 20 "$WORK/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
  if ((POLICY_RC_CREATED)); then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi
}

# --------------------------------------------------------------------------
# Zone, query files, authoritative server
# --------------------------------------------------------------------------
make_zone_and_queries() {
  {
    printf '$ORIGIN bench.test.\n$TTL 3600\n'
    printf '@ IN SOA ns.bench.test. hostmaster.bench.test. 1 3600 600 86400 3600\n'
    printf '@ IN NS ns.bench.test.\nns IN A %s\n' "$AUTH_ADDR"
    printf '*.miss IN A 192.0.2.1\n'
    # n<i> -> 198.18.x.y (benchmarking range, RFC 2544); never contacted.
    awk -v n="$ZONE_NAMES" 'BEGIN { for (i = 0; i < n; i++) printf "n%d IN A 198.18.%d.%d\n", i, int(i / 256) % 256, i % 256 }'
  } >"$WORK/bench.test.zone"
  awk -v n="$HOT_NAMES" 'BEGIN { for (i = 0; i < n; i++) printf "n%d.bench.test A\n", i }' >"$WORK/q-hot.txt"
  awk -v n="$ZONE_NAMES" 'BEGIN { for (i = 0; i < n; i++) printf "n%d.bench.test A\n", i }' >"$WORK/q-all.txt"
}

start_auth() {
  cat >"$WORK/nsd.conf" <<EOF
server:
  ip-address: $AUTH_ADDR@$AUTH_PORT
  port: $AUTH_PORT
  server-count: 1
  username: ""
  chroot: ""
  database: ""
  zonesdir: "$WORK"
  zonelistfile: "$WORK/nsd.zonelist"
  xfrdfile: "$WORK/nsd.xfrd"
  pidfile: "$WORK/nsd.pid"
  logfile: "$WORK/nsd.server.log"
  verbosity: 1
  hide-version: yes
  # Response rate limiting is on by default and would throttle the wildcard
  # answers of the miss test to ~200/s per source: switch it off.
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: "bench.test."
  zonefile: "bench.test.zone"
EOF
  nsd-checkconf "$WORK/nsd.conf" || die "nsd.conf rejected"
  port_free "$AUTH_ADDR" "$AUTH_PORT"
  start_daemon nsd "$AUTH_CPU" nsd -d -c "$WORK/nsd.conf"
  AUTH_PGID=$DAEMON_PID
  wait_answer "$AUTH_ADDR" "$AUTH_PORT" nsd 30
  log "nsd answering on $AUTH_ADDR:$AUTH_PORT (core $AUTH_CPU)"
}

# --------------------------------------------------------------------------
# The caches under test. Each start_<name> writes its config and starts it on
# CACHE_ADDR:CACHE_PORT, pinned to SERVER_CPU, forwarding only to the local
# authoritative server.
# --------------------------------------------------------------------------
start_unbound() {
  cat >"$WORK/unbound.conf" <<EOF
server:
  interface: $CACHE_ADDR@$CACHE_PORT
  port: $CACHE_PORT
  num-threads: 1
  do-daemonize: no
  use-syslog: no
  logfile: ""
  verbosity: 1
  chroot: ""
  username: ""
  directory: "$WORK"
  pidfile: ""
  do-ip6: no
  outgoing-interface: $CACHE_ADDR
  # The upstream lives on loopback, which unbound refuses by default.
  do-not-query-localhost: no
  # Iterator only: no validator, so no trust anchor and no root key fetch.
  module-config: "iterator"
  qname-minimisation: no
  prefetch: no
  # "test." is one of unbound's built-in blocked local zones.
  local-zone: "test." nodefault
  access-control: 127.0.0.0/8 allow
  # Room for far more than 100k names (defaults are 4m/4m).
  msg-cache-size: 256m
  rrset-cache-size: 256m
  msg-cache-slabs: 1
  rrset-cache-slabs: 1
  infra-cache-slabs: 1
  key-cache-slabs: 1
# Forward everything to the local authoritative: no root hints, no priming.
forward-zone:
  name: "."
  forward-addr: $AUTH_ADDR@$AUTH_PORT
remote-control:
  control-enable: no
EOF
  unbound-checkconf "$WORK/unbound.conf" >/dev/null || die "unbound.conf rejected"
  start_daemon unbound "$SERVER_CPU" unbound -d -c "$WORK/unbound.conf"
}

start_dnsmasq() {
  # --conf-file=/dev/null: ignore /etc/dnsmasq.conf; --no-resolv: never read
  # /etc/resolv.conf; --no-hosts: no /etc/hosts answers.
  # --dns-forward-max: default 150 concurrent forwards would cap the miss test.
  start_daemon dnsmasq "$SERVER_CPU" dnsmasq --keep-in-foreground --conf-file=/dev/null \
    --no-resolv --no-hosts --no-poll --server="$AUTH_ADDR#$AUTH_PORT" \
    --listen-address="$CACHE_ADDR" --port="$CACHE_PORT" --bind-interfaces \
    --cache-size=100000 --dns-forward-max=1000 \
    --user=root --group=root --pid-file= --log-facility=-
}

start_dnsdist() {
  cat >"$WORK/dnsdist.conf" <<EOF
-- No security-status polling (it would query a public zone via the system resolver).
setSecurityPollSuffix("")
-- Exactly one UDP listener, hence one UDP worker thread (no reusePort copies).
setLocal("$CACHE_ADDR:$CACHE_PORT", {reusePort=false})
setMaxTCPClientThreads(1)
setACL({"127.0.0.0/8"})
-- Health check against our own zone instead of the default a.root-servers.net.
newServer({address="$AUTH_ADDR:$AUTH_PORT", name="auth", checkName="bench.test.", checkType="SOA"})
pc = newPacketCache(200000, {maxTTL=86400})
getPool(""):setCache(pc)
EOF
  dnsdist --check-config -C "$WORK/dnsdist.conf" >/dev/null || die "dnsdist.conf rejected"
  start_daemon dnsdist "$SERVER_CPU" dnsdist --supervised --disable-syslog -C "$WORK/dnsdist.conf"
}

start_agent() {
  cat >"$WORK/agent.json" <<EOF
{"listen": {"addresses": ["$CACHE_ADDR"], "port": $CACHE_PORT, "threads": 1},
 "upstreams": [{"zones": ["."], "servers": ["$AUTH_ADDR:$AUTH_PORT"], "transport": "udp"}],
 "cache": {"maxEntries": 150000, "maxTtl": "1h"}}
EOF
  # As the operator and the agent image run it: the memory rule's flags for maxEntries, and the
  # image's runtime, native library and class-data archive, made by the scripts that
  # images/agent/Dockerfile runs.
  if [[ ! -f $WORK/agent.jsa ]]; then
    "$REPO_ROOT/images/agent/make-runtime.sh" "$AGENT_JAR" "$WORK/agent" >"$WORK/training.log" 2>&1
    JAVA_HOME="$WORK/agent/jre" "$REPO_ROOT/images/agent/make-class-archive.sh" "$AGENT_JAR" \
      "$WORK/agent.jsa" -Djava.library.path="$WORK/agent/lib" >>"$WORK/training.log" 2>&1
    # Files written a moment ago sit in the page cache in large folios, and a fault maps a whole
    # folio: the agent would map several MiB more of them than of the same files installed and read
    # back, as the peers' are. Evict them, so that they are read back the same way.
    find "$WORK/agent" "$WORK/agent.jsa" -type f -exec sync {} + \
      -exec sh -c 'for f; do dd if="$f" iflag=nocache count=0 status=none; done' sh {} +
  fi
  # shellcheck disable=SC2046
  start_daemon agent "$SERVER_CPU" env MALLOC_ARENA_MAX=2 "$WORK/agent/jre/bin/java" $(agent_flags) \
    -XX:ActiveProcessorCount=1 -XX:SharedArchiveFile="$WORK/agent.jsa" \
    -Djava.library.path="$WORK/agent/lib" ${AGENT_JAVA_OPTS:-} -jar "$AGENT_JAR" --config "$WORK/agent.json"
}

agent_flags() { java -cp "$AGENT_JAR" "$SCRIPT_DIR/MemoryFlags.java" 150000; }

# --------------------------------------------------------------------------
# Measurement helpers
# --------------------------------------------------------------------------
# CPU ticks (utime+stime) of all live processes in a process group.
cpu_ticks() {
  local pgid=$1 total=0 pid rest f
  for pid in $(pgrep -g "$pgid" || true); do
    # comm (field 2) may contain spaces ("nsd: server 1"): cut after the last ')'.
    rest=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    rest=${rest##*) }
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))  # fields 14 and 15 of /proc/PID/stat
  done
  echo "$total"
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# dnsperf_field FILE LABEL -> first number after "LABEL:" in a dnsperf summary
dnsperf_field() {
  awk -v l="$2:" '(i = index($0, l)) { split(substr($0, i + length(l)), a, " "); print a[1] + 0; exit }' "$1"
}

# dnsperf against the cache, pinned to the client core and bounded by -l (and
# -n where given). It always runs in the background and is waited for, so
# that a Ctrl-C or TERM reaches the trap at once and cleanup() can stop it.
# timeout(1) is a safety net on top of -l (dnsperf waits up to -t for
# stragglers); --foreground keeps it in our process group, so a terminal's
# Ctrl-C reaches dnsperf directly, and timeout forwards a TERM to it.
#   dp_start OUTFILE TIMELIMIT ARGS...  /  dp_wait OUTFILE  /  dp (both)
dp_start() {
  local out=$1 secs=$2; shift 2
  taskset -c "$CLIENT_CPU" timeout --foreground --kill-after=5 $((secs + 30)) \
    dnsperf -s "$CACHE_ADDR" -p "$CACHE_PORT" -l "$secs" -t 2 "$@" >"$out" 2>&1 &
  CLIENT_PID=$!
}
dp_wait() {
  local rc=0
  wait "$CLIENT_PID" || rc=$?
  CLIENT_PID=""
  ((rc == 0)) || { tail -n 20 "$1" >&2; die "dnsperf failed with status $rc ($1)"; }
}
dp() { dp_start "$@"; dp_wait "$1"; }

# sleep that a TERM interrupts at once (the builtin wait returns on a trapped
# signal; a foreground sleep would first run to its end).
NAP_PID=""
nap() { sleep "$1" & NAP_PID=$!; wait "$NAP_PID" || true; NAP_PID=""; }

# Load the cache with every name of FILE; repeat (max 3 passes) until a pass
# loses nothing, so each name got its answer cached at least once.
warm() {
  local file=$1 pass lost
  for ((pass = 1; pass <= 3; pass++)); do
    dp "$WORK/warm.out" 120 -d "$file" -n 1 -c 1 -q 20
    lost=$(dnsperf_field "$WORK/warm.out" "Queries lost")
    [[ $lost == 0 ]] && return 0
    log "  warm pass $pass of $(basename "$file") lost $lost queries; repeating"
  done
  log "  WARNING: warm-up still lost queries after 3 passes"
}

# Measured dnsperf run: dnsperf in the background while the CPU time of the
# server's process group is sampled over [start+0.5 s, end-0.5 s], the
# steady-state part of the run. Sets RUN_CPU (cores) and RUN_AUTH_CPU.
#   measured_run OUTFILE PGID ARGS...   (ARGS without -l)
measured_run() {
  local out=$1 pgid=$2; shift 2
  dp_start "$out" "$BENCH_SECONDS" "$@"
  nap 0.5
  local t0=$EPOCHREALTIME c0 a0 t1 c1 a1
  c0=$(cpu_ticks "$pgid"); a0=$(cpu_ticks "$AUTH_PGID")
  nap $((BENCH_SECONDS - 1))
  t1=$EPOCHREALTIME
  c1=$(cpu_ticks "$pgid"); a1=$(cpu_ticks "$AUTH_PGID")
  dp_wait "$out"
  RUN_CPU=$(awk -v d=$((c1 - c0)) -v a="$t0" -v b="$t1" -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", d / hz / (b - a) }')
  RUN_AUTH_CPU=$(awk -v d=$((a1 - a0)) -v a="$t0" -v b="$t1" -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", d / hz / (b - a) }')
}

# p99 latency in ms from a dnsperf -v log ("> NOERROR name A 0.000123"). Lost
# queries count as slower than everything, so p99 is "lost" if > 1 % were lost.
p99_ms() {
  local out=$1 sent
  sent=$(dnsperf_field "$out" "Queries sent")
  awk '$1 == ">" && $NF ~ /^[0-9.]+$/ { print $NF }' "$out" | sort -g |
    awk -v sent="$sent" '{ v[NR] = $1 } END {
      k = int(0.99 * sent); if (k < 0.99 * sent) k++
      if (k < 1 || k > NR) print "lost"; else printf "%.3f\n", v[k] * 1000 }'
}

latency_cdf() { # one run's answered queries: "latency_ms fraction" at every 0.1 % of them
  awk '$1 == ">" && $NF ~ /^[0-9.]+$/ { print $NF }' "$1" | sort -g |
    awk '{ v[NR] = $1 } END { for (p = 1; p <= 1000; p++) { k = int(p * NR / 1000); if (k < 1) k = 1
      printf "%.4f %.3f\n", v[k] * 1000, p / 1000 } }'
}

# plots BASE: BASE-latency.png (the latency distribution of each server's first latency run) and
# BASE-rss.png (RSS against cached names).
plots() {
  local base=$1 s latency="" rss=""
  for s in "${SERVERS[@]}"; do
    [[ -s $WORK/$s.cdf ]] && latency+="${latency:+, }'$WORK/$s.cdf' using 1:2 with lines lw 2 title '$s'"
    printf '%s 0 %s\n%s %s %s\n%s %s %s\n' "$s" "$(mib "${R[$s,rss_idle]}")" "$s" "$HOT_NAMES" \
      "$(mib "${R[$s,rss_hot]}")" "$s" "$ZONE_NAMES" "$(mib "${R[$s,rss100k]}")" >"$WORK/$s.rss"
    rss+="${rss:+, }'$WORK/$s.rss' using 2:3 with linespoints lw 2 pt 7 title '$s'"
  done
  command -v gnuplot >/dev/null || { log "gnuplot not found: no plots"; return 0; }
  gnuplot <<EOF
set terminal pngcairo size 800,480 font ',11'
set output '$base-latency.png'
set title "Latency of cached answers at ${BENCH_LATENCY_QPS} queries/s (first latency run of each server)"
set xlabel 'latency (ms)'
set ylabel 'share of answers at or below'
set logscale x
set key bottom right
set grid
plot $latency
set output '$base-rss.png'
unset logscale x
set title 'Resident memory against cached names'
set xlabel 'names cached'
set ylabel 'RSS (MiB)'
set xrange [0:$((ZONE_NAMES * 11 / 10))]
set format x '%.0f'
set yrange [0:*]
set key top left
plot $rss
EOF
}

median() {  # median of the arguments (mean of the middle two for an even count)
  printf '%s\n' "$@" | { grep -v '^lost$' || true; } | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    print m }'
}

fmt() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "n/a" || v == "lost" || v == "") print v; else printf f, v }'; }
# KiB to MiB with one decimal: whole MiB would hide which side of a target a reading is on.
mib() { awk -v v="$1" 'BEGIN { if (v == "n/a" || v == "") print v; else printf "%.1f", v / 1024 }'; }

# dnsmasq logs "cache size N, X/Y cache insertions re-used unexpired cache
# entries" on SIGUSR1: X > 0 means live entries were evicted (cache too small).
dnsmasq_stats() {
  kill -USR1 "$1"; sleep 0.5
  DETAILS+="- dnsmasq cache stats $2: $(grep -Eo 'cache size [0-9]+,.*' "$WORK/dnsmasq.log" | tail -n 1 || true)"$'\n'
}

# --------------------------------------------------------------------------
# The per-server suite
# --------------------------------------------------------------------------
declare -A R       # R[server,key] = formatted result
DETAILS=""         # per-run lines for the results file

bench_server() {
  local s=$1 pid i out qps cpu lost
  log "=== $s: starting on $CACHE_ADDR:$CACHE_PORT (core $SERVER_CPU)"
  port_free "$CACHE_ADDR" "$CACHE_PORT"
  "start_$s"
  pid=$DAEMON_PID
  wait_answer "$CACHE_ADDR" "$CACHE_PORT" "$s" 60
  R[$s,rss_idle]=$(rss_kib "$pid")

  log "$s: warming ${HOT_NAMES} names, then one unmeasured ${BENCH_WARMUP_SECONDS} s run"
  warm "$WORK/q-hot.txt"
  dp "$WORK/$s-warmup.out" "$BENCH_WARMUP_SECONDS" -d "$WORK/q-hot.txt" -c "$BENCH_CLIENTS" -q "$BENCH_OUTSTANDING"
  DETAILS+="- $s warm-up (unmeasured): $(fmt "$(dnsperf_field "$WORK/$s-warmup.out" "Queries per second")" %.0f) QPS"$'\n'

  # 1. Cached QPS at saturation, with the server's CPU share.
  local qpss=() cpus=() percore=()
  for ((i = 1; i <= BENCH_REPEATS; i++)); do
    out="$WORK/$s-cached-$i.out"
    measured_run "$out" "$pid" -d "$WORK/q-hot.txt" -c "$BENCH_CLIENTS" -q "$BENCH_OUTSTANDING"
    qps=$(dnsperf_field "$out" "Queries per second"); lost=$(dnsperf_field "$out" "Queries lost")
    cpu=$RUN_CPU
    qpss+=("$qps"); cpus+=("$cpu")
    percore+=("$(awk -v q="$qps" -v c="$cpu" 'BEGIN { if (c > 0) print q / c; else print "n/a" }')")
    DETAILS+="- $s cached run $i: $(fmt "$qps" %.0f) QPS, server CPU $cpu cores, lost $lost, $(grep -m1 'Response codes' "$out" | tr -s ' ' | sed 's/^ //')"$'\n'
    log "$s: cached run $i: $(fmt "$qps" %.0f) QPS, CPU $cpu"
  done
  R[$s,qps]=$(median "${qpss[@]}")
  R[$s,cpu]=$(median "${cpus[@]}")
  R[$s,percore]=$(median "${percore[@]}")

  # 2. Latency at a fixed rate (well below saturation); -v logs every answer.
  local avgs=() p99s=() avg p99
  for ((i = 1; i <= BENCH_REPEATS; i++)); do
    out="$WORK/$s-latency-$i.out"
    dp "$out" "$BENCH_SECONDS" -d "$WORK/q-hot.txt" -c "$BENCH_CLIENTS" -q "$BENCH_OUTSTANDING" -Q "$BENCH_LATENCY_QPS" -v
    avg=$(awk -v v="$(dnsperf_field "$out" "Average Latency (s)")" 'BEGIN { printf "%.3f", v * 1000 }')
    p99=$(p99_ms "$out")
    ((i > 1)) || latency_cdf "$out" >"$WORK/$s.cdf"
    avgs+=("$avg"); p99s+=("$p99")
    DETAILS+="- $s latency run $i @ ${BENCH_LATENCY_QPS} QPS: $(fmt "$(dnsperf_field "$out" "Queries per second")" %.0f) QPS achieved, avg $avg ms, p99 $p99 ms, stddev $(awk -v v="$(dnsperf_field "$out" "Latency StdDev (s)")" 'BEGIN { printf "%.3f", v * 1000 }') ms, lost $(dnsperf_field "$out" "Queries lost")"$'\n'
    log "$s: latency run $i: avg $avg ms, p99 $p99 ms"
    # Keep only the summary: the per-query log is ~BENCH_LATENCY_QPS*BENCH_SECONDS lines.
    grep -v '^> ' "$out" >"$out.summary" || true
    rm -f "$out"
  done
  R[$s,avg]=$(median "${avgs[@]}")
  R[$s,p99]=$(median "${p99s[@]}")
  R[$s,p99_lost]=$(printf '%s\n' "${p99s[@]}" | grep -c '^lost$' || true)

  # 3. RSS with the hot names cached, after the load; then with all 100k names (before the miss
  # test adds more entries). 6 s after the load, for every server: the agent trims its native heap
  # every 5 s.
  sleep 6
  R[$s,rss_hot]=$(rss_kib "$pid")
  log "$s: warming all ${ZONE_NAMES} names for the RSS reading"
  warm "$WORK/q-all.txt"
  sleep 6
  R[$s,rss100k]=$(rss_kib "$pid")
  DETAILS+="- $s: server process has $(ls "/proc/$pid/task" | wc -l) thread(s) (all pinned to core $SERVER_CPU), RSS with 100k names $(mib "${R[$s,rss100k]}") MiB"$'\n'
  [[ $s != dnsmasq ]] || dnsmasq_stats "$pid" "with all ${ZONE_NAMES} names warmed"

  # 4. Miss path: every query is a fresh name under the wildcard, so every
  # query goes to the authoritative server. A new prefix per run and per server
  # keeps anything from being answered from cache.
  local mqpss=() mcpus=() macpus=() rt
  for ((i = 1; i <= BENCH_REPEATS; i++)); do
    out="$WORK/$s-miss-$i.out"
    awk -v n="$BENCH_MISS_NAMES" -v p="$s-$i-$RANDOM" \
      'BEGIN { for (j = 0; j < n; j++) printf "%s-%d.miss.bench.test A\n", p, j }' >"$WORK/q-miss.txt"
    measured_run "$out" "$pid" -d "$WORK/q-miss.txt" -n 1 -c "$BENCH_CLIENTS" -q "$BENCH_OUTSTANDING"
    qps=$(dnsperf_field "$out" "Queries per second"); rt=$(dnsperf_field "$out" "Run time (s)")
    mqpss+=("$qps"); mcpus+=("$RUN_CPU"); macpus+=("$RUN_AUTH_CPU")
    DETAILS+="- $s miss run $i: $(fmt "$qps" %.0f) QPS, server CPU $RUN_CPU, nsd CPU $RUN_AUTH_CPU (shares core $AUTH_CPU with dnsperf), lost $(dnsperf_field "$out" "Queries lost"), run time ${rt} s"
    if awk -v r="$rt" -v s="$BENCH_SECONDS" 'BEGIN { exit !(r < s - 0.5) }'; then
      DETAILS+=" (ran out of names: raise BENCH_MISS_NAMES)"
    fi
    DETAILS+=$'\n'
    log "$s: miss run $i: $(fmt "$qps" %.0f) QPS, server CPU $RUN_CPU, nsd CPU $RUN_AUTH_CPU"
  done
  rm -f "$WORK/q-miss.txt"
  R[$s,mqps]=$(median "${mqpss[@]}")
  R[$s,mcpu]=$(median "${mcpus[@]}")
  R[$s,macpu]=$(median "${macpus[@]}")

  [[ $s != dnsmasq ]] || dnsmasq_stats "$pid" "after the miss runs"

  stop_daemon "$pid"
  log "=== $s: done"
}

# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------
versions() {
  dpkg-query -W -f '${Package} ${Version}\n' nsd dnsperf unbound dnsmasq-base dnsdist 2>/dev/null | sed 's/^/- /' || true
  printf -- '- %s\n' "$(java -version 2>&1 | head -n 1)"
  if [[ " ${SERVERS[*]} " == *" agent "* ]]; then
    printf -- '- node-cache-agent.jar sha256 %s (%s)\n' "$(sha256sum "$AGENT_JAR" | cut -c1-16)" \
      "$(date -r "$AGENT_JAR" '+%Y-%m-%d %H:%M')"
  fi
  local rev
  rev=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null) || rev="(no commit)"
  printf -- '- repo HEAD: %s\n' "$rev"
}

write_report() {
  local file=$1 s short=""
  if ((BENCH_SECONDS != 10 || BENCH_REPEATS != 3)); then
    short="**SHORT/CUSTOM RUN** (BENCH_SECONDS=$BENCH_SECONDS, BENCH_REPEATS=$BENCH_REPEATS): not comparable with the standard 10 s x 3 runs."
  fi
  {
    echo "# DNS cache benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
    echo
    [[ -z $short ]] || { echo "$short"; echo; }
    echo "| server | cached QPS (median) | server CPU share | QPS / server core | avg latency @${BENCH_LATENCY_QPS} QPS (ms) | p99 @${BENCH_LATENCY_QPS} QPS (ms) | miss QPS (median) | nsd CPU on miss | RSS idle (MiB) | RSS ${HOT_NAMES} names (MiB) | RSS 100k names (MiB) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for s in "${SERVERS[@]}"; do
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$s" \
        "$(fmt "${R[$s,qps]}" %.0f)" "$(fmt "${R[$s,cpu]}" %.2f)" "$(fmt "${R[$s,percore]}" %.0f)" \
        "$(fmt "${R[$s,avg]}" %.3f)" "$(fmt "${R[$s,p99]}" %.3f)$( ((R[$s,p99_lost] > 0)) && echo " (${R[$s,p99_lost]} run(s) >1% lost)")" \
        "$(fmt "${R[$s,mqps]}" %.0f)" "$(fmt "${R[$s,macpu]}" %.2f)" \
        "$(mib "${R[$s,rss_idle]}")" "$(mib "${R[$s,rss_hot]}")" "$(mib "${R[$s,rss100k]}")"
    done
    echo
    [[ ! -f ${file%.md}-latency.png ]] ||
      printf '![latency distribution](%s-latency.png)\n![RSS against cached names](%s-rss.png)\n\n' \
        "$(basename "${file%.md}")" "$(basename "${file%.md}")"
    cat <<EOF
How to read it (details in bench/README.md):
- Each figure is the median of $BENCH_REPEATS run(s) of $BENCH_SECONDS s. Every server got one extra unmeasured
  $BENCH_WARMUP_SECONDS s run on the cached set first (JVM warm-up; done for all servers for fairness).
- Cached: the ${HOT_NAMES} names n0..n$((HOT_NAMES - 1)) are warmed first, then dnsperf (-c $BENCH_CLIENTS -q $BENCH_OUTSTANDING) saturates.
- CPU share = (utime+stime of the server's processes) / wall time over the run, 1.00 = one full core.
  The server is pinned to core $SERVER_CPU, so 1.00 is its ceiling. A share well below 1.00 means the
  client (dnsperf on core $CLIENT_CPU) was the limit; QPS / server core then estimates the server's capacity.
- Latency: dnsperf -Q $BENCH_LATENCY_QPS; p99 from dnsperf -v per-query times (lost queries count as slowest).
- Miss: every query is a new name under *.miss.bench.test, so each one goes to nsd, which shares core
  $CLIENT_CPU with dnsperf: "nsd CPU on miss" near the free half of core $CLIENT_CPU means the upstream side limited it.
- RSS: VmRSS of the server process after the idle start, 6 s after the cached and latency runs on the
  ${HOT_NAMES} hot names, and 6 s after all ${ZONE_NAMES} names were queried once.

## Machine
- nproc: $(nproc)
- CPU: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
- kernel: $(uname -r)
- machine busy before the run (all cores, 2 s sample): $(awk -v b="$IDLE_BUSY" 'BEGIN { printf "%d%%", b * 100 }') (should be ~0%)
$(versions)

## Settings
- cores: dnsperf on $CLIENT_CPU, nsd on $AUTH_CPU, cache under test on $SERVER_CPU (taskset)
- dnsperf: -c $BENCH_CLIENTS -q $BENCH_OUTSTANDING -t 2, -l $BENCH_SECONDS; miss runs: $BENCH_MISS_NAMES unique names, -n 1
- unbound: num-threads 1, msg-cache 256m, rrset-cache 256m, forward-zone "." to nsd, iterator only
- dnsmasq: cache-size 100000, dns-forward-max 1000, no-resolv, server=nsd
- dnsdist: 1 UDP listener (reusePort off, so 1 UDP worker thread; plus its responder/housekeeping threads,
  all on core $SERVER_CPU), packet cache 200000 entries
- agent: MALLOC_ARENA_MAX=2 jre/bin/java $(agent_flags) -XX:ActiveProcessorCount=1 -XX:SharedArchiveFile=(images/agent/make-class-archive.sh) -Djava.library.path=lib${AGENT_JAVA_OPTS:+ $AGENT_JAVA_OPTS}, on the image's runtime (jre, lib: images/agent/make-runtime.sh; its files evicted from the page cache after they are written), listen threads 1, maxEntries 150000 (the memory rule's flags for it, as the operator sets them${AGENT_JAVA_OPTS:+; then AGENT_JAVA_OPTS})

## Per-run details
$DETAILS
EOF
  } >"$file"
}

# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/dns-bench.XXXXXX)
log "servers: ${SERVERS[*]}; ${BENCH_REPEATS} x ${BENCH_SECONDS} s per test; work dir $WORK"
ensure_packages
IDLE_BUSY=$(machine_busy)
if awk -v b="$IDLE_BUSY" 'BEGIN { exit !(b > 0.05) }'; then
  log "WARNING: the machine is $(awk -v b="$IDLE_BUSY" 'BEGIN { printf "%d", b * 100 }')% busy before the benchmark starts; figures will be noisy"
fi
make_zone_and_queries
start_auth
for s in "${SERVERS[@]}"; do bench_server "$s"; done

mkdir -p "$BENCH_RESULTS_DIR"
RESULT_FILE="$BENCH_RESULTS_DIR/dns-bench-$(date '+%Y%m%d-%H%M%S').md"
plots "${RESULT_FILE%.md}"
write_report "$RESULT_FILE"
cat "$RESULT_FILE"
log "results written to $RESULT_FILE"
RUN_OK=1
