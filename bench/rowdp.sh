#!/usr/bin/env bash
# Speed of the roster engine's row dynamic programme against a reference
# binary, in the same run. Construction and its repair alone (--iterations 1)
# are almost all row re-plans (whole rows, in a band on the one-year
# instances), and they are fixed work: the same seed gives the same roster,
# so the script also checks that both binaries agree on every objective.
# Prints the best of 3 runs of each binary per instance, and the ratio.
#
#   REF=path/to/reference/waras bench/rowdp.sh [path/to/waras] [INSTANCE-NUMBERS...]
# (default instances 15 21 22 23 24; REF is required: build an older commit)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
WARAS=${1:-$root/build/waras}
[ $# -gt 0 ] && shift
list=${*:-15 21 22 23 24}
dir=${WARAS_CURTOIS:-$root/../shared/bench/rostering/curtois}
[ -x "$WARAS" ] || { echo "rowdp.sh: no waras binary at $WARAS (build first)" >&2; exit 2; }
[ -n "${REF:-}" ] && [ -x "$REF" ] || { echo "rowdp.sh: set REF to a reference waras binary" >&2; exit 2; }
[ -f "$dir/Instance1.txt" ] || { echo "rowdp.sh: no instances in $dir (set WARAS_CURTOIS)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$WARAS" "$tmp/new"
cp "$REF" "$tmp/ref"
# best of 3 wall-clock seconds; prints "seconds objective"
run() {
  local bin=$1 inst=$2 best= obj=
  for _ in 1 2 3; do
    local t0 t1 out
    t0=$(date +%s.%N)
    out=$("$bin" roster solve "$inst" --iterations 1 --time-limit 600 --threads 1 --seed 1 --out "$tmp/r.tsv")
    t1=$(date +%s.%N)
    obj=$(printf '%s' "$out" | sed 's/.*"objective":\([0-9-]*\).*/\1/')
    best=$(awk -v a="$best" -v b="$(awk -v x="$t0" -v y="$t1" 'BEGIN { print y - x }')" \
      'BEGIN { if (a == "" || b < a) print b; else print a }')
  done
  echo "$best $obj"
}
printf '%-11s %10s %10s %8s %12s\n' instance ref_s new_s ratio objective
status=0
for i in $list; do
  inst=$dir/Instance$i.txt
  read -r rs ro < <(run "$tmp/ref" "$inst")
  read -r ns no < <(run "$tmp/new" "$inst")
  ratio=$(awk -v a="$ns" -v b="$rs" 'BEGIN { printf "%.2f", a / b }')
  printf '%-11s %10.2f %10.2f %8s %12s\n' "Instance$i" "$rs" "$ns" "$ratio" "$no"
  if [ "$ro" != "$no" ]; then
    echo "rowdp.sh: Instance$i: objectives differ (reference $ro, new $no)" >&2
    status=1
  fi
done
exit $status
