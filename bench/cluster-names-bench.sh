#!/usr/bin/env bash
# Cluster names with invalidation on against off, in one run of the local mode: the lag from a
# Service create to each of the 3 real agents answering it, and, on a repeated in-cluster workload
# with one Service change every 2 s, the cluster DNS's query rate and the nodes' hit rate. Writes
# the results and a PNG of the lag distribution (gnuplot) to bench/results/.
#
#   bench/cluster-names-bench.sh [SAMPLES [WORKLOAD_SECONDS]]   (as root: port 53; defaults 30 90)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
samples="${1:-30}"
seconds="${2:-90}"
results="${BENCH_RESULTS_DIR:-$root/bench/results}"
command -v gnuplot >/dev/null || apt-get install -y -q gnuplot-nox >/dev/null
mvn -B -q -DskipTests install
mvn -B -q -pl local-cluster dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >/dev/null
cp="local-cluster/target/test-classes:local-cluster/target/classes:$(cat local-cluster/target/bench.classpath)"
mkdir -p "$results"
stamp="$(date +%Y%m%d-%H%M%S)"
out="$results/cluster-names-bench-$stamp.md"
csv="$results/cluster-names-lag-$stamp.csv"
png="$results/cluster-names-lag-$stamp.png"
{
  echo "# Cluster names, invalidation on against off ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r)."
  echo "Command: bench/cluster-names-bench.sh $samples $seconds"
  echo
  echo '```'
  java -Drepo.root="$root" -cp "$cp" dev.nodecache.local.bench.ClusterNamesBench "$samples" "$seconds" "$csv" 2>&1
  echo '```'
} | tee "$out"
gnuplot <<PLOT
set terminal pngcairo size 900,520 font ",11"
set output "$png"
set datafile separator ","
set title "Service created -> every one of 3 nodes answers it (local mode, $samples creates each)"
set xlabel "lag (ms, log scale)"
set ylabel "share of creates answered by every node"
set logscale x
set xrange [10:10000]
set yrange [0:1.02]
set key bottom right
set grid
plot "< grep '^on,' $csv | cut -d, -f6 | sort -n | awk '{n[NR]=\$1} END {print n[1] \",0\"; for (i=1;i<=NR;i++) print n[i] \",\" i/NR}'" \
       using 1:2 with steps lw 2 title "invalidation on", \
     "< grep '^off,' $csv | cut -d, -f6 | sort -n | awk '{n[NR]=\$1} END {print n[1] \",0\"; for (i=1;i<=NR;i++) print n[i] \",\" i/NR}'" \
       using 1:2 with steps lw 2 title "invalidation off (negative TTL cap 5 s)"
PLOT
echo "written to $out, $csv and $png"
