#!/usr/bin/env bash
# A killed ingest on PostgreSQL: `kill -9` of an ingest while its file's
# transaction is open (seen in pg_stat_activity) leaves the store as it
# was: none of the file's events, no source row, the data version
# unchanged; the same file ingested again goes in whole. Needs PostgreSQL
# (tests/pg/cluster.sh).
source "$(dirname "$0")/lib/pg.sh"
db=$(pg_newdb pg_kill)

# 40 people, 3,000 days each: 120,000 timesheet rows in one file.
{
  echo "id,name,email,team,timezone"
  for i in $(seq 1 40); do echo "p$i,P $i,p$i@x.example,t$((i % 3)),UTC"; done
} > people.csv
awk 'BEGIN {
  print "person,date,start,end,project"
  for (i = 1; i <= 40; i++)
    for (d = 0; d < 3000; d++) {
      t = 1500000000 + d * 86400
      printf "p%d,%s,09:00,17:30,x\n", i, strftime("%Y-%m-%d", t, 1)
    }
}' > big.csv
"$WARAS" --db "$db" people import people.csv >/dev/null
printf 'person,date,start,end,project\np1,2010-01-04,09:00,17:00,x\np2,2010-01-04,10:00,18:00,x\n' > small.csv
"$WARAS" --db "$db" ingest timesheet small.csv >/dev/null
before_events=$(pg_sql "$db" "SELECT count(*) FROM events")
before_sources=$(pg_sql "$db" "SELECT count(*) FROM sources")
before_version=$(pg_sql "$db" "SELECT value FROM waras_meta WHERE name = 'data_version'")

"$WARAS" --db "$db" ingest timesheet big.csv >kill.out 2>&1 & pid=$!
# Wait until the ingest's transaction is open and has written events.
open=
for _ in $(seq 1 600); do
  n=$(pg_sql "$db" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'waras'
                    AND datname = current_database() AND xact_start IS NOT NULL
                    AND query ILIKE '%events%'")
  if [ "$n" != 0 ]; then open=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
[ -n "$open" ] || fail "the ingest never showed an open transaction writing events"
kill -9 "$pid" || fail "the ingest ended before it could be killed"
{ wait "$pid"; } 2>/dev/null && fail "the killed ingest exited 0"
pid=
# The server ends the dead client's session and rolls its transaction back.
for _ in $(seq 1 100); do
  [ "$(pg_sql "$db" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'waras'
                      AND datname = current_database()")" = 0 ] && break
  sleep 0.1
done
[ "$(pg_sql "$db" "SELECT count(*) FROM events")" = "$before_events" ] ||
  fail "events changed after the kill"
[ "$(pg_sql "$db" "SELECT count(*) FROM sources")" = "$before_sources" ] ||
  fail "a source row was left"
[ "$(pg_sql "$db" "SELECT value FROM waras_meta WHERE name = 'data_version'")" = "$before_version" ] ||
  fail "the data version moved"

# Again, to the end: the whole file.
"$WARAS" --db "$db" ingest timesheet big.csv >again.out 2>&1 || fail "re-ingest: $(cat again.out)"
grep -q "120000 rows read, 120000 added" again.out || fail "re-ingest: $(cat again.out)"
[ "$(pg_sql "$db" "SELECT count(*) FROM events")" = "$((before_events + 120000))" ] ||
  fail "the file is not wholly in"
echo "ok: killed mid-transaction, store unchanged; then all 120000 rows in"
