#!/usr/bin/env bash
# Benchmark of 'waras ingest timesheet' against the sqlite3 shell's .import
# of the same CSV rows into a new table, in the same run. Generates ROWS
# timesheet rows (default 50,000: 100 people in three zones with summer
# time, 500 days each, start, end and project), runs the import and the
# ingest (each into a fresh database) one after the other RUNS times
# (default 5), and prints the ratio of each pair, wall-clock and CPU (user
# + sys), as the median with the lowest and highest. Then checks that the
# store holds one event per row. Last measured (shared 2-core machine):
# 200,000 rows 2.41 (2.28-2.53) CPU, 2.22 (1.91-2.93) wall; callgrind
# 3.64 G instructions against .import's 1.90 G (1.92x), and at 50,000
# rows 0.94 G against 0.47 G (2.01x). What was done: docs/formats.md.
#
#   bench/timesheet.sh [path/to/waras] [rows] [runs]
set -euo pipefail
WARAS=${1:-build/waras}
ROWS=${2:-50000}
RUNS=${3:-5}
case $WARAS in /*) ;; *) WARAS=$PWD/$WARAS ;; esac
[ -x "$WARAS" ] || { echo "no waras binary at $WARAS (build first)"; exit 2; }
command -v sqlite3 >/dev/null || { echo "the sqlite3 shell is needed"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export LC_ALL=C

awk 'BEGIN { print "id,name,email,team,timezone"
  split("Europe/Berlin America/Los_Angeles Asia/Jakarta", z, " ")
  for (i = 0; i < 100; i++)
    printf "p%d,Person %d,p%d@lab.example,t%d,%s\n", i, i, i, i % 5, z[1 + i % 3] }' > people.csv
awk -v rows="$ROWS" 'BEGIN { print "person,date,start,end,project"; srand(3)
  days = int(rows / 100); t0 = 1704067200  # 2024-01-01
  for (p = 0; p < 100; p++)
    for (d = 0; d < days; d++)
      printf "p%d,%s,%02d:%02d,%02d:%02d,proj%d\n", p, strftime("%Y-%m-%d", t0 + d * 86400, 1),
        8 + int(rand() * 3), int(rand() * 60), 16 + int(rand() * 4), int(rand() * 60),
        int(rand() * 10) }' > ts.csv
rows=$(($(wc -l < ts.csv) - 1))

timed() { /usr/bin/time -f '%e %U %S' -o "$1" "${@:2}" >/dev/null; }
: > pairs.txt
for _ in $(seq "$RUNS"); do
  rm -f i.db
  timed ti.txt sqlite3 i.db ".import --csv ts.csv ts"
  rm -f w.db w.db-wal w.db-shm
  "$WARAS" --db w.db people import people.csv >/dev/null
  timed tw.txt "$WARAS" --db w.db ingest timesheet ts.csv
  paste ti.txt tw.txt >> pairs.txt
done
awk '{ ic = $2 + $3; wc = $5 + $6; if ($1 == 0) $1 = 0.01; if (ic == 0) ic = 0.01
       printf "%.3f %.3f %.3f %.3f %.3f %.3f\n", $1, ic, $4, wc, $4 / $1, wc / ic }' pairs.txt > r.txt
stat() { sort -g -k"$1","$1" r.txt | awk -v c="$1" '{ v[NR] = $c }
  END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2f (%.2f-%.2f)", m, v[1], v[NR] }'; }

imported=$(sqlite3 i.db 'SELECT count(*) FROM ts')
events=$(sqlite3 w.db "SELECT count(*) FROM events WHERE kind = 'timesheet'")
printf 'rows           %d (%s), %d runs: median (lowest-highest)\n' "$rows" \
  "$(nproc) cores, $(uname -m)" "$RUNS"
printf 'sqlite3 import %s s wall, %s s cpu\n' "$(stat 1)" "$(stat 2)"
printf 'waras ingest   %s s wall, %s s cpu\n' "$(stat 3)" "$(stat 4)"
printf 'ratio          %s wall, %s cpu (aim <= 3)\n' "$(stat 5)" "$(stat 6)"
printf 'stored         %d events, %d imported rows\n' "$events" "$imported"
[ "$events" = "$rows" ] && [ "$imported" = "$rows" ]
