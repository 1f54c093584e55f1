#!/usr/bin/env bash
# A deadlock on PostgreSQL, replayed: another session holds the events
# table (SHARE) and then waits for the store's write lock, which an ingest
# holds while it waits to write events. The server ends the ingest's statement
# with SQLSTATE 40P01 (the ingest's deadlock_timeout is the shorter); the
# ingest rolls its transaction back, runs it again from its start once the
# other session is through, and stores the whole file once: the same
# events and one source row, as an ingest without the deadlock. Needs
# PostgreSQL (tests/pg/cluster.sh).
source "$(dirname "$0")/lib/pg.sh"
pg_kill_signal=TERM
printf 'id,name,email,team,timezone\np1,P,p1@x.example,t,UTC\n' > people.csv
awk 'BEGIN { print "person,date,start,end,project"
  for (d = 0; d < 500; d++) printf "p1,%s,09:00,17:30,x\n", strftime("%Y-%m-%d", 1500000000 + d * 86400, 1) }' > ts.csv
events() { pg_sql "$1" "SELECT person, kind, start, \"end\", source_kind, source_key FROM events ORDER BY 5, 6"; }

ref=$(pg_newdb pg_deadlock_ref)
"$WARAS" --db "$ref" people import people.csv >/dev/null
"$WARAS" --db "$ref" ingest timesheet ts.csv >/dev/null
db=$(pg_newdb pg_deadlock)
"$WARAS" --db "$db" people import people.csv >/dev/null

deadlocks=$(grep -c "deadlock detected" "$PGDIR/server.log" || true)
# The other session: the table first, the write lock after the ingest took it.
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$db" >other.out 2>&1 <<'SQL' &
SET deadlock_timeout = '60s';
BEGIN;
LOCK TABLE events IN SHARE MODE;
SELECT pg_sleep(1.5);
SELECT pg_advisory_xact_lock(x'7761726132'::bigint);
COMMIT;
SQL
pid=$!
sleep 0.5
PGOPTIONS="-c deadlock_timeout=3s" "$WARAS" --db "$db" ingest timesheet ts.csv >ingest.out 2>&1 ||
  fail "the ingest failed: $(cat ingest.out)"
wait "$pid" || fail "the other session failed: $(cat other.out)"
pid=
[ "$(grep -c "deadlock detected" "$PGDIR/server.log")" -gt "$deadlocks" ] || fail "no deadlock happened"
[ "$(events "$db")" = "$(events "$ref")" ] || fail "the events differ from an ingest without a deadlock"
[ "$(pg_sql "$db" "SELECT count(*) FROM sources WHERE kind = 'timesheet'")" = 1 ] || fail "sources"
grep -q "500 rows read, 500 added" ingest.out || fail "$(cat ingest.out)"
echo "ok: a deadlocked ingest was replayed and stored its file once"
