#!/usr/bin/env bash
# Benchmark of waras at the size of an organisation, on SQLite and on
# PostgreSQL, each against its own reference in the same run:
#
#  - ingest: people, timesheets, calendars (one ICS export per team),
#    PagerDuty incidents and a git repository, each kind timed on its own,
#    against the same rows (one per event waras stores) loaded into a bare
#    table by the sqlite3 shell's .import (aim <= 3x) or by psql's \copy
#    (aim <= 2x);
#  - one team's report (--team, 12 weeks, JSON) from the whole
#    organisation's store against the same report from a store holding
#    only that team's rows (aim <= 1.5x); the two documents must be equal;
#  - the full recompute (every person-week metric and risk of everyone,
#    'report --weeks W --format json') at several sizes, in seconds per
#    million events (aim: flat, i.e. linear in events);
#  - the disk use of each store.
#
# The organisation comes from bench/scale_gen.c (built here with cc): teams
# of 50 in five sites and zones, 52 weeks by default, about 1,650 events a
# person (timesheets, meetings, pages); commits only for the first team
# (a repository of 10,000 people's history takes longer to build than to
# ingest). Ratios are of wall-clock and of CPU times, as the median
# (lowest-highest) of RUNS side-by-side pairs: on a shared machine the ratio
# holds up better than either time, and CPU better than wall. CPU is the
# measured process's, and on PostgreSQL also that of the server backends
# that served it (the postmaster's reaped children: the server's own
# background writers are not counted, for waras or for the reference).
#
# PostgreSQL: a private cluster (initdb in a temporary directory, a Unix
# socket only, as the 'postgres' user when run as root, default durability
# settings) started here and stopped by the EXIT trap. Should the waras
# build have no PostgreSQL backend, that half prints the reference alone,
# says the backend is unavailable, and the script exits 1; it never prints
# a figure it did not measure.
#
#   bench/scale.sh [--full] [--people N] [--weeks W] [--runs R] [--sizes "N1 N2"]
#                  [--seed S] [--backend sqlite|postgres|both] [--waras PATH]
#
# Default: 500 people, 52 weeks, 3 runs, recompute at 125, 250 and 500
# people. --full: 10,000 people, 1 run, recompute at 2,500, 5,000 and
# 10,000. Figures and what they mean: docs/performance.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
WARAS=$root/build/waras
PEOPLE=500 WEEKS=52 RUNS=3 SEED=1 SIZES="" BACKEND=both TEAM=0
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
while [ $# -gt 0 ]; do
  case $1 in
    --full) PEOPLE=10000 RUNS=1 ;;
    --people) PEOPLE=$2; shift ;;
    --weeks) WEEKS=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --sizes) SIZES=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --backend) BACKEND=$2; shift ;;
    --waras) WARAS=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "scale.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$SIZES" ] || SIZES="$((PEOPLE / 4)) $((PEOPLE / 2)) $PEOPLE"
case $BACKEND in sqlite|postgres|both) ;; *) echo "scale.sh: --backend sqlite|postgres|both" >&2; exit 2 ;; esac
case $WARAS in /*) ;; *) WARAS=$PWD/$WARAS ;; esac
[ -x "$WARAS" ] || { echo "no waras binary at $WARAS (build first)"; exit 2; }
for tool in sqlite3 jq git cc; do
  command -v $tool >/dev/null || { echo "scale.sh needs $tool"; exit 2; }
done
. "$root/bench/lib.sh"

tmp=$(mktemp -d)
pgroot=""
cleanup() {
  if [ -n "$pgroot" ] && [ -f "$pgroot/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$pgroot/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp" ${pgroot:+"$pgroot"}
}
trap cleanup EXIT
cd "$tmp"
export LC_ALL=C HOME=$tmp GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export WARAS_NOW=2026-11-30T12:00:00Z # the generated weeks end on this Monday
KINDS="timesheet ics pagerduty git"
TEAM_ID=$(printf 't%04d' "$TEAM")

cc -O2 -o scale_gen "$root/bench/scale_gen.c"

# gen DIR PEOPLE [--team T]: the organisation (or one team of it) and its
# git repository.
gen() {
  local dir=$1 n=$2; shift 2
  nice ./scale_gen --people "$n" --weeks "$WEEKS" --seed "$SEED" --out "$dir" "$@"
  git init -q --bare "$dir/repo.git"
  git -C "$dir/repo.git" fast-import --quiet < "$dir/git.fi"
  git -C "$dir/repo.git" symbolic-ref HEAD refs/heads/main
  rm -f "$dir/git.fi"
}

# The input files of a kind, and the reference rows of a kind.
inputs() {
  case $2 in
    timesheet) echo "$1/timesheets.csv" ;;
    ics) ls "$1"/meetings/*.ics ;;
    pagerduty) echo "$1/pages.csv" ;;
    git) echo "$1/repo.git" ;;
  esac
}
refcsv() { if [ "$2" = timesheet ]; then echo "$1/timesheets.csv"; else echo "$1/ref/$2.csv"; fi; }

# timed OUT CMD...: wall, user and system seconds of CMD in OUT; its output
# is dropped, its errors kept in OUT.err and shown if it fails.
timed() {
  local out=$1; shift
  if ! /usr/bin/time -f '%e %U %S' -o "$out" "$@" >/dev/null 2>"$out.err"; then
    echo "failed: $*" >&2; cat "$out.err" >&2; return 1
  fi
}

# note BACKEND METRIC VALUE: one measured figure, for the summary.
note() { echo "$1 $2 $3" >> results.txt; }
: > results.txt

# server_cpu: on PostgreSQL, the CPU seconds of the server's ended
# backends (the postmaster's children, reaped: a connection's backend is
# counted once it has ended); 0 on SQLite, whose work is all in waras.
server_cpu() {
  if [ -n "$pgroot" ] && [ -f "$pgroot/data/postmaster.pid" ]; then
    sleep 0.3 # the backend of the connection just closed is reaped
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($16 + $17) / hz }' \
      "/proc/$(head -1 "$pgroot/data/postmaster.pid")/stat"
  else
    echo 0
  fi
}

# timed_cpu OUT CMD...: as timed, and the CPU seconds of CMD and of the
# server's backends on its behalf (PostgreSQL) as a fourth figure.
timed_cpu() {
  local out=$1 before after; shift
  before=$(server_cpu)
  timed "$out" "$@"
  after=$(server_cpu)
  awk -v s="$before" -v e="$after" '{ printf "%s %s %s %.2f\n", $1, $2, $3, $2 + $3 + e - s }' \
    "$out" > "$out.cpu" && mv "$out.cpu" "$out"
}

# ingest_all DB DIR BACKEND TAG: a fresh store from DIR, kind by kind; the
# times of each kind are noted as TAG.KIND (wall) and TAG.KIND.cpu (waras
# and, on PostgreSQL, the server).
ingest_all() {
  local db=$1 dir=$2 be=$3 tag=$4 k
  "$WARAS" --db "$db" people import "$dir/people.csv" >/dev/null
  for k in $KINDS; do
    case $k in
      git) timed_cpu t.txt nice "$WARAS" --db "$db" ingest git "$dir/repo.git" ;;
      *) # shellcheck disable=SC2046
         timed_cpu t.txt nice "$WARAS" --db "$db" ingest "$k" $(inputs "$dir" "$k") ;;
    esac
    [ -z "$tag" ] || { note "$be" "$tag.$k" "$(awk '{ print $1 }' t.txt)"
                       note "$be" "$tag.$k.cpu" "$(awk '{ print $4 }' t.txt)"; }
  done
}

echo "generating $PEOPLE people x $WEEKS weeks (seed $SEED) ..."
gen org "$PEOPLE"
gen team "$PEOPLE" --team "$TEAM"
rows_of() { echo $(($(wc -l < "$(refcsv "$1" "$2")") - 1)); }
total_rows=0
for k in $KINDS; do total_rows=$((total_rows + $(rows_of org "$k"))); done
echo "$total_rows events to store; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- SQLite
sqlite_half() {
  local r k refdisk=0
  for r in $(seq "$RUNS"); do
    for k in $KINDS; do
      rm -f ref.db
      timed t.txt nice sqlite3 ref.db ".import --csv $(refcsv org "$k") $k"
      note sqlite "ref.$k" "$(awk '{ print $1 }' t.txt)"
      note sqlite "ref.$k.cpu" "$(awk '{ print $2 + $3 }' t.txt)"
      [ "$r" -gt 1 ] || refdisk=$((refdisk + $(stat -c %s ref.db)))
    done
    rm -f org.db org.db-wal org.db-shm
    ingest_all org.db org sqlite waras
    echo "  sqlite run $r: ingested"
  done
  note sqlite refdisk "$refdisk"
  local events
  events=$(sqlite3 org.db 'SELECT count(*) FROM events')
  [ "$events" = "$total_rows" ] || echo "  WARNING: $events events stored, $total_rows reference rows"
  note sqlite events "$events"
  note sqlite disk "$(du -cb org.db* | tail -1 | cut -f1)"
  rm -f team.db team.db-wal team.db-shm
  ingest_all team.db team sqlite ""
  report_pair sqlite org.db team.db
  recompute sqlite org.db "$PEOPLE" "$events"
  for n in $SIZES; do
    [ "$n" != "$PEOPLE" ] || continue
    rm -rf size; gen size "$n"
    rm -f size.db size.db-wal size.db-shm
    ingest_all size.db size sqlite ""
    recompute sqlite size.db "$n" "$(sqlite3 size.db 'SELECT count(*) FROM events')"
  done
  rm -rf size size.db*
}

# report_pair BACKEND ORG_DB TEAM_DB: the team's report from both stores,
# RUNS pairs; the documents must be the same. Each store's report runs once
# untimed first, so that both are timed warm (from the page cache and the
# server's buffers): timing the organisation's first, cold, measured its
# reads from disk (on PostgreSQL 1.39 s cold against 0.77 s warm for the
# same 1,052 statements), not what the queries touch. A report that
# scanned the organisation would still be slower warm, by the CPU it spends.
report_pair() {
  local be=$1 r
  nice "$WARAS" --db "$2" report --team "$TEAM_ID" --weeks 12 --format json --out org.json
  nice "$WARAS" --db "$3" report --team "$TEAM_ID" --weeks 12 --format json --out team.json
  for r in $(seq "$RUNS"); do
    timed t1.txt nice "$WARAS" --db "$2" report --team "$TEAM_ID" --weeks 12 --format json --out org.json
    timed t2.txt nice "$WARAS" --db "$3" report --team "$TEAM_ID" --weeks 12 --format json --out team.json
    note "$be" report.org "$(awk '{ print $1 }' t1.txt)"
    note "$be" report.team "$(awk '{ print $1 }' t2.txt)"
    note "$be" report.ratio "$(paste t1.txt t2.txt | awk '{ printf "%.3f", $1 / ($4 > 0 ? $4 : 0.01) }')"
  done
  # The organisation's head count is the one field that differs by design.
  if ! cmp -s <(jq -S 'del(.organisation.people)' org.json) <(jq -S 'del(.organisation.people)' team.json); then
    echo "  the team's report differs between the two $be stores:"
    diff <(tr ',' '\n' < team.json) <(tr ',' '\n' < org.json) | head -10
    note "$be" report.same 0
  else
    note "$be" report.same 1
  fi
}

# recompute BACKEND DB PEOPLE EVENTS: every person-week of everyone.
recompute() {
  timed_cpu t.txt nice "$WARAS" --db "$2" report --weeks "$WEEKS" --format json --out all.json
  note "$1" "recompute.$3" "$(awk -v e="$4" '{ printf "%.3f", $1 / (e / 1e6) }' t.txt)"
  note "$1" "recompute.$3.cpu" "$(awk -v e="$4" '{ printf "%.3f", $4 / (e / 1e6) }' t.txt)"
  note "$1" "recompute.$3.events" "$4"
  note "$1" "recompute.$3.s" "$(awk '{ print $1 }' t.txt)"
  rm -f all.json
}

# ------------------------------------------------------------ PostgreSQL
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
pg_start() {
  [ -x "$PGBIN/initdb" ] || { echo "  no PostgreSQL binaries in $PGBIN"; return 1; }
  chmod 755 "$pgroot"
  [ "$(id -u)" != 0 ] || chown postgres "$pgroot"
  as_pg "$PGBIN/initdb" -D "$pgroot/data" -A trust -U postgres -E UTF8 --no-sync >"$pgroot/initdb.log" 2>&1 ||
    { cat "$pgroot/initdb.log"; return 1; }
  as_pg "$PGBIN/pg_ctl" -D "$pgroot/data" -l "$pgroot/server.log" -w \
    -o "-c listen_addresses='' -k $pgroot -c shared_buffers=256MB -c max_wal_size=4GB" start >/dev/null ||
    { cat "$pgroot/server.log"; return 1; }
}
psql_do() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$pgroot" -U postgres "$@"; }
pg_url() { echo "postgres://postgres@/$1?host=$pgroot"; }
pg_fresh() { psql_do -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

postgres_half() {
  local r k cols
  pg_start || { echo "  PostgreSQL: cannot start the private cluster"; return 1; }
  pg_fresh ref
  for r in $(seq "$RUNS"); do
    for k in $KINDS; do
      cols=$(head -1 "$(refcsv org "$k")" | sed 's/,/ text, /g; s/$/ text/; s/\bend text/"end" text/')
      psql_do -d ref -c "DROP TABLE IF EXISTS $k" -c "CREATE TABLE $k ($cols)"
      timed_cpu t.txt nice psql -X -q -v ON_ERROR_STOP=1 -h "$pgroot" -U postgres -d ref \
        -c "\\copy $k FROM '$(refcsv org "$k")' CSV HEADER"
      note postgres "ref.$k" "$(awk '{ print $1 }' t.txt)"
      note postgres "ref.$k.cpu" "$(awk '{ print $4 }' t.txt)"
    done
    echo "  postgres run $r: reference copied"
  done
  note postgres refdisk "$(psql_do -d ref -At -c "SELECT pg_database_size('ref')")"
  # Is there a backend at all? Its own words when not.
  pg_fresh probe
  if ! "$WARAS" --db "$(pg_url probe)" init >probe.out 2>&1; then
    echo "  PostgreSQL: the waras PostgreSQL backend is unavailable: $(head -1 probe.out)"
    note postgres unavailable 1
    return 1
  fi
  for r in $(seq "$RUNS"); do
    pg_fresh org
    ingest_all "$(pg_url org)" org postgres waras
    echo "  postgres run $r: ingested"
  done
  local events
  events=$(psql_do -d org -At -c 'SELECT count(*) FROM events')
  [ "$events" = "$total_rows" ] || echo "  WARNING: $events events stored, $total_rows reference rows"
  note postgres events "$events"
  note postgres disk "$(psql_do -d org -At -c "SELECT pg_database_size('org')")"
  pg_fresh team
  ingest_all "$(pg_url team)" team postgres ""
  report_pair postgres "$(pg_url org)" "$(pg_url team)"
  recompute postgres "$(pg_url org)" "$PEOPLE" "$events"
  for n in $SIZES; do
    [ "$n" != "$PEOPLE" ] || continue
    rm -rf size; gen size "$n"
    pg_fresh size
    ingest_all "$(pg_url size)" size postgres ""
    recompute postgres "$(pg_url size)" "$n" "$(psql_do -d size -At -c 'SELECT count(*) FROM events')"
  done
  rm -rf size
}

# Each half runs in a subshell with -e in force (a function called as
# 'f || x' runs without it), so that a failed step ends the half instead
# of leaving a figure it did not measure; the cluster's directory is named
# here, so that the EXIT trap stops the server whatever the half did.
status=0
half() {
  set +e
  (set -e; "$1")
  local rc=$?
  set -e
  [ "$rc" = 0 ] || { echo "  ($2 half stopped: exit $rc)"; status=1; }
}
if [ "$BACKEND" != postgres ]; then echo "SQLite:"; half sqlite_half SQLite; fi
if [ "$BACKEND" != sqlite ]; then
  echo "PostgreSQL:"
  pgroot=$(mktemp -d /tmp/waras-pg.XXXXXX)
  half postgres_half PostgreSQL
fi

# ---------------------------------------------------------------- summary
# stat BACKEND METRIC: median (lowest-highest) of its values; "-" if none.
stat() {
  awk -v b="$1" -v m="$2" '$1 == b && $2 == m { print $3 }' results.txt | sort -g |
    awk '{ v[NR] = $1 } END { if (!NR) { printf "-"; exit }
      md = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      if (NR == 1) printf "%.2f", md; else printf "%.2f (%.2f-%.2f)", md, v[1], v[NR] }'
}
# ratio BACKEND A B [CPU]: per run, A's time over B's (".cpu" for CPU).
ratio() {
  awk -v b="$1" -v x="$2${4:-}" -v y="$3${4:-}" '$1 == b && $2 == x { a[++na] = $3 }
      $1 == b && $2 == y { c[++nc] = $3 }
      END { for (i = 1; i <= na && i <= nc; i++) printf "%s ratio %.4f\n", b, a[i] / (c[i] > 0 ? c[i] : 0.01) }' \
    results.txt > ratio.txt
  awk '{ print $3 }' ratio.txt | sort -g | awk '{ v[NR] = $1 } END { if (!NR) { printf "-"; exit }
      md = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      if (NR == 1) printf "%.2f", md; else printf "%.2f (%.2f-%.2f)", md, v[1], v[NR] }'
}
# The totals of each run: the sum over the kinds.
for be in sqlite postgres; do
  for side in ref waras; do
    for suf in "" .cpu; do
      awk -v b="$be" -v s="$side" -v suf="$suf" -v kinds="$KINDS" '
        BEGIN { n = split(kinds, k, " "); for (i = 1; i <= n; i++) want[s "." k[i] suf] = 1 }
        $1 == b && ($2 in want) { cnt[$2]++; tot[cnt[$2]] += $3; runs = cnt[$2] > runs ? cnt[$2] : runs }
        END { for (r = 1; r <= runs; r++) printf "%s %s.total%s %.3f\n", b, s, suf, tot[r] }' results.txt
    done
  done
done > totals.txt
cat totals.txt >> results.txt
mb() { local v; v=$(stat "$1" "$2"); [ "$v" = - ] && echo - || awk -v v="$v" 'BEGIN { printf "%.0f MB", v / 1e6 }'; }
pgcell() {
  if grep -q '^postgres unavailable' results.txt; then echo "backend unavailable"; else echo "$1"; fi
}

echo
printf 'waras at scale: %d people x %d weeks, %s events; %d run(s); %s cores, load %s\n' \
  "$PEOPLE" "$WEEKS" "$total_rows" "$RUNS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %-34s %s\n' "median (lowest-highest)" "SQLite (ref: sqlite3 .import)" "PostgreSQL (ref: psql \\copy)"
for k in $KINDS total; do
  printf '%-28s %-34s %s\n' "ingest $k: x ref, wall" "$(ratio sqlite waras.$k ref.$k)" \
    "$(pgcell "$(ratio postgres waras.$k ref.$k)")"
  printf '%-28s %-34s %s\n' "ingest $k: x ref, CPU" "$(ratio sqlite waras.$k ref.$k .cpu)" \
    "$(pgcell "$(ratio postgres waras.$k ref.$k .cpu)")"
done
for k in $KINDS total; do
  printf '%-28s %-34s %s\n' "  $k: s waras / s ref" "$(stat sqlite waras.$k) / $(stat sqlite ref.$k)" \
    "$(pgcell "$(stat postgres waras.$k)") / $(stat postgres ref.$k)"
done
printf '%-28s %-34s %s\n' "team report: org / team" "$(stat sqlite report.ratio)" "$(pgcell "$(stat postgres report.ratio)")"
printf '%-28s %-34s %s\n' "  s org / s team" "$(stat sqlite report.org) / $(stat sqlite report.team)" \
  "$(pgcell "$(stat postgres report.org) / $(stat postgres report.team)")"
for n in $SIZES; do
  printf '%-28s %-34s %s\n' "recompute $n people: s/M ev" \
    "$(stat sqlite recompute.$n) wall, $(stat sqlite recompute.$n.cpu) CPU" \
    "$(pgcell "$(stat postgres recompute.$n) wall, $(stat postgres recompute.$n.cpu) CPU")"
  printf '%-28s %-34s %s\n' "  events; s wall" \
    "$(stat sqlite recompute.$n.events | cut -d. -f1); $(stat sqlite recompute.$n.s)" \
    "$(pgcell "$(stat postgres recompute.$n.events | cut -d. -f1); $(stat postgres recompute.$n.s)")"
done
printf '%-28s %-34s %s\n' "disk: store / reference" "$(mb sqlite disk) / $(mb sqlite refdisk)" \
  "$(pgcell "$(mb postgres disk)") / $(mb postgres refdisk)"
if grep -q 'report.same 0' results.txt; then echo "the team's report DIFFERS between stores"; status=1; fi
if grep -q '^postgres unavailable' results.txt; then
  echo "PostgreSQL: the waras backend is unavailable in this build; only the reference was measured"
fi
exit $status
