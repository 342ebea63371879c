#!/usr/bin/env bash
# Hit rate against cache size: bench/hit-rate-bench.sh once per size in MIB (same trace each
# time: same seed, same Zipf stream), the agent, Unbound and an LRU of the agent's entry count, as
# a table and a plot.
#
#   bench/hit-rate-curve.sh [MIB...]   (default 2 4 8 16; about 2 minutes a size)
#
# Writes bench/results/hit-rate-curve-<date>.{md,csv,png}. Needs what hit-rate-bench.sh needs, and
# gnuplot.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sizes=("$@")
((${#sizes[@]})) || sizes=(2 4 8 16)
results="${BENCH_RESULTS_DIR:-$root/bench/results}"
runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT

echo "mib,agent,unbound,lru" >"$runs/curve.csv"
for mib in "${sizes[@]}"; do
  BENCH_RESULTS_DIR="$runs/$mib" "$root/bench/hit-rate-bench.sh" 400000 1000000 0.9 "$mib" >/dev/null
  report=$(ls "$runs/$mib"/hit-rate-bench-*.md)
  # The last column of the three table rows, in order: agent, Unbound, LRU.
  rates=$(awk -F'|' '/^\| (agent|Unbound|LRU)/ { gsub(/[ %*]/, "", $5); printf ",%s", $5 }' "$report")
  echo "$mib$rates" >>"$runs/curve.csv"
  echo "$mib MiB: $rates"
done

stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
base="$results/hit-rate-curve-$stamp"
cp "$runs/curve.csv" "$base.csv"
gnuplot <<EOF
set terminal pngcairo size 800,480 font ',11'
set output '$base.png'
set datafile separator ','
set title "Hit rate against cache size\\n400,000 queries, Zipf s = 0.9 over 1,000,000 names"
set xlabel 'memory for the cache (MiB)'
set ylabel 'hit rate (%)'
set logscale x 2
set xrange [${sizes[0]} * 0.8:${sizes[-1]} * 1.25]
set xtics ($(IFS=,; echo "${sizes[*]}"))
set key bottom right
set grid
plot '$base.csv' using 1:2 with linespoints lw 2 pt 7 title 'agent (W-TinyLFU, cache.maxBytes)', \
     '' using 1:3 with linespoints lw 2 pt 5 title 'Unbound (msg + rrset caches, half each)', \
     '' using 1:4 with linespoints lw 2 pt 9 dt 2 title 'LRU, as many entries as the agent held'
EOF
{
  echo "# Hit rate against cache size ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r)."
  echo "Command: bench/hit-rate-curve.sh ${sizes[*]} (bench/hit-rate-bench.sh 400000 1000000 0.9 MIB"
  echo "for each size; the same seeded trace every time)."
  echo
  echo "| MiB | agent | Unbound | LRU |"
  echo "| --- | --- | --- | --- |"
  awk -F, 'NR > 1 { printf "| %s | %s %% | %s %% | %s %% |\n", $1, $2, $3, $4 }' "$base.csv"
  echo
  echo "![hit rate against cache size]($(basename "$base").png)"
} | tee "$base.md"
echo "written to $base.md"
