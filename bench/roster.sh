#!/usr/bin/env bash
# Runs `waras roster solve` on the 24 Curtois & Qu instances and prints, per
# instance, the objective, the best-known upper bound (from the README table
# beside the instances), the gap in percent, feasibility and seconds.
#   bench/roster.sh [SECONDS] [INSTANCE-NUMBERS...]     (default 60, all 24)
# Environment: WARAS (binary, default build/waras), WARAS_CURTOIS (instances),
# THREADS (default 2), SEED (default 1), ITERATIONS (a work budget per search
# instead of the time limit: with THREADS=1 every run repeats exactly).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
secs=${1:-60}
[ $# -gt 0 ] && shift
dir=${WARAS_CURTOIS:-$root/../shared/bench/rostering/curtois}
[ -d "$dir" ] || dir=$here/../../shared/bench/rostering/curtois
waras=${WARAS:-$root/build/waras}
threads=${THREADS:-2}
seed=${SEED:-1}
iters=${ITERATIONS:-}
if [ -n "$iters" ]; then budget="--iterations $iters"; else budget="--time-limit $secs"; fi
if [ ! -x "$waras" ]; then
  echo "roster.sh: no binary at $waras (build first, or set WARAS)" >&2; exit 2
fi
if [ ! -f "$dir/README.md" ]; then
  echo "roster.sh: no instances in $dir (set WARAS_CURTOIS)" >&2; exit 2
fi
if [ $# -gt 0 ]; then list="$*"; else list=$(seq 1 24); fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A private copy, so that a rebuild during the long run cannot pull the binary away.
cp "$waras" "$tmp/waras"
waras=$tmp/waras
# Best-known UB: the "Best known UB" column of the README's bounds table.
ub() { awk -F'|' -v n="Instance$1" '{ g=$2; gsub(/ /,"",g); if (g==n && $4 ~ /[0-9]/) { u=$4; gsub(/ /,"",u); print u; exit } }' "$dir/README.md"; }
printf '%-11s %10s %10s %8s %-8s %8s\n' instance objective best_ub gap_% feasible seconds
nfeas=0; n=0
for i in $list; do
  inst=$dir/Instance$i.txt
  # shellcheck disable=SC2086 # $budget is two words
  out=$("$waras" roster solve "$inst" $budget --threads "$threads" --seed "$seed" --out "$tmp/r$i.tsv")
  obj=$(printf '%s' "$out" | sed 's/.*"objective":\([0-9-]*\).*/\1/')
  feas=$(printf '%s' "$out" | sed 's/.*"feasible":\([a-z]*\).*/\1/')
  sec=$(printf '%s' "$out" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
  best=$(ub "$i")
  gap=$(awk -v o="$obj" -v b="$best" 'BEGIN { if (b > 0) printf "%.2f", 100 * (o - b) / b; else print "-" }')
  printf '%-11s %10s %10s %8s %-8s %8s\n' "Instance$i" "$obj" "$best" "$gap" "$feas" "$sec"
  n=$((n + 1)); [ "$feas" = true ] && nfeas=$((nfeas + 1))
done
if [ -n "$iters" ]; then limit="budget $iters"; else limit="time limit ${secs}s"; fi
echo "feasible: $nfeas of $n ($limit, $threads threads, seed $seed)"
