#!/usr/bin/env bash
# Metrics at scale: a synthetic organisation (default 2,000 people x 52 weeks,
# about ten million timesheet events) ingested and computed at four sizes.
# Prints the time per million events for ingest and for computing every
# person-week metric and the risk, and compares each with a reference run
# over the same data in the same script:
#   ingest  vs. sqlite3's own CSV import of the same rows into a bare table
#   compute vs. one SQL GROUP BY summing durations per person and week
# Usage: bench/metrics.sh [MAX_PEOPLE] [BLOCKS_PER_DAY]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
WARAS=${WARAS:-$here/build/waras}
max=${1:-2000}
blocks=${2:-14}       # timesheet rows per worked day: 14 x 6 days x 52 weeks ~ 4,400 a person
weeks=52
[ -x "$WARAS" ] || { echo "build first: make build" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

zones=(Asia/Jakarta Europe/Berlin America/Los_Angeles Europe/London)
gen_people() { # N -> people.csv
  awk -v n="$1" 'BEGIN {
    split("Asia/Jakarta Europe/Berlin America/Los_Angeles Europe/London", z, " ");
    print "id,name,email,team,timezone";
    for (i = 1; i <= n; i++)
      printf "p%05d,Person %d,p%05d@bench.example,team%03d,%s\n", i, i, i, int((i-1)/8), z[(i%4)+1];
  }'
}
gen_timesheets() { # FIRST LAST START_DAY -> CSV rows (deterministic)
  awk -v a="$1" -v b="$2" -v weeks="$weeks" -v blocks="$blocks" 'BEGIN {
    print "person,date,start,end";
    srand(7);
    for (i = a; i <= b; i++) {
      heavy = (i % 10 == 0);
      for (d = 0; d < weeks * 7; d++) {
        dow = d % 7;                               # day 0 is a Monday
        if (dow == 6 || (dow == 5 && !heavy)) continue;
        t = 8 * 60 + int(rand() * 60);
        for (k = 0; k < blocks; k++) {
          len = 30 + int(rand() * 20);
          if (t + len >= 23 * 60) break;
          # day number -> date, from 2025-11-24 (a Monday)
          jd = d; y = 2025; m = 11; dd = 24 + jd;
          while (1) {
            mdays = (m == 2) ? ((y % 4 == 0) ? 29 : 28) : ((m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31);
            if (dd <= mdays) break;
            dd -= mdays; m++; if (m > 12) { m = 1; y++ }
          }
          printf "p%05d,%04d-%02d-%02d,%02d:%02d,%02d:%02d\n", i, y, m, dd, int(t/60), t%60, int((t+len)/60), (t+len)%60;
          t += len + 5 + int(rand() * 10);
        }
      }
    }
  }'
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

printf '%-8s %10s %10s %10s %12s %10s %10s %12s %9s\n' people events ingest_s "s/M_ev" "vs_sqlite3" compute_s "s/M_ev" "vs_groupby" people/s
for n in $((max / 8)) $((max / 4)) $((max / 2)) "$max"; do
  d="$tmp/$n"; mkdir -p "$d"
  gen_people "$n" > "$d/people.csv"
  # One file per 100 people: each is one transaction, as a user would ingest exports.
  files=()
  for ((a = 1; a <= n; a += 100)); do
    b=$((a + 99)); [ $b -gt "$n" ] && b=$n
    gen_timesheets "$a" "$b" > "$d/ts_$a.csv"
    files+=("$d/ts_$a.csv")
  done
  events=$(cat "${files[@]}" | grep -vc '^person,')
  "$WARAS" --db "$d/w.db" -q people import "$d/people.csv"
  t0=$(now)
  "$WARAS" --db "$d/w.db" -q ingest timesheet "${files[@]}"
  t1=$(now)
  # Reference: sqlite3's own import of the same rows into a bare table.
  {
    echo "CREATE TABLE t(person TEXT, date TEXT, start TEXT, \"end\" TEXT);"
    echo ".mode csv"
    for f in "${files[@]}"; do echo ".import --skip 1 $f t"; done
  } > "$d/import.sql"
  r0=$(now)
  sqlite3 "$d/ref.db" < "$d/import.sql"
  r1=$(now)
  t2=$(now)
  "$WARAS" --db "$d/w.db" -q report --format tsv --weeks "$weeks" --to 2026-11-30 > "$d/report.tsv"
  t3=$(now)
  # Reference: the simplest aggregate over the same stored events.
  g0=$(now)
  sqlite3 "$d/w.db" "SELECT person, start / 604800, sum(\"end\" - start) FROM events GROUP BY 1, 2" > /dev/null
  g1=$(now)
  rows=$(($(wc -l < "$d/report.tsv") - 1))
  [ "$rows" -eq $((n * weeks)) ] || { echo "report has $rows rows, expected $((n * weeks))" >&2; exit 1; }
  ing=$(secs "$t0" "$t1"); ref=$(secs "$r0" "$r1"); comp=$(secs "$t2" "$t3"); grp=$(secs "$g0" "$g1")
  awk -v n="$n" -v e="$events" -v i="$ing" -v r="$ref" -v c="$comp" -v g="$grp" 'BEGIN {
    printf "%-8d %10d %10.2f %10.2f %11.1fx %10.2f %10.2f %11.1fx %9.0f\n",
      n, e, i, i / (e / 1e6), i / (r > 0 ? r : 0.01), c, c / (e / 1e6), c / (g > 0 ? g : 0.01), n / c }'
  rm -f "$d"/ts_*.csv "$d/ref.db"
done
