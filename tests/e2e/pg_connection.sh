#!/usr/bin/env bash
# Connection problems on PostgreSQL, each a one-line error that names the
# host and database (never the password) and a non-zero exit, with the
# store unchanged: a wrong password, a missing database, the server down,
# and the connection dropped in the middle of an ingest (the server ends
# the session while the file's transaction is open: none of the file is
# stored). Starts its own cluster, stopped in the EXIT trap.
PG_PRIVATE=1
source "$(dirname "$0")/lib/pg.sh"
sock="$PGDIR/sock"
db=$(pg_newdb conn)
printf 'id,name,email,team,timezone\np1,P,p1@x.example,t,UTC\n' > people.csv
"$WARAS" --db "$db" people import people.csv >/dev/null

# expect NAME RC-NONZERO ERR-FILE TEXT...: one line, the texts, no password.
expect() {
  local name=$1 rc=$2 err=$3; shift 3
  [ "$rc" -ne 0 ] || fail "$name: exit 0"
  [ "$(wc -l < "$err")" -eq 1 ] || { cat "$err"; fail "$name: not one line"; }
  for t in "$@"; do grep -qF -- "$t" "$err" || { cat "$err"; fail "$name: no '$t'"; }; done
  ! grep -q "s3cret" "$err" || fail "$name: the password is in the message"
}

rc=0; "$WARAS" --db "postgresql://pwuser:s3cret@/waras?host=$sock" report 2>err || rc=$?
expect "wrong password" $rc err "pwuser@/waras" "password authentication failed"
rc=0; "$WARAS" --db "postgresql://waras:s3cret@/nosuch?host=$sock" report 2>err || rc=$?
expect "missing database" $rc err "/nosuch" 'database "nosuch" does not exist'

# Dropped mid-ingest: a big file, the session terminated while it writes.
awk 'BEGIN { print "person,date,start,end,project"
  for (d = 0; d < 40000; d++) printf "p1,%s,09:00,17:30,x\n", strftime("%Y-%m-%d", 946684800 + d * 86400, 1) }' > big.csv
before=$(pg_sql "$db" "SELECT count(*) FROM events"),$(pg_sql "$db" "SELECT count(*) FROM sources")
"$WARAS" --db "$db" ingest timesheet big.csv >/dev/null 2>err & pid=$!
done_=
for _ in $(seq 1 600); do
  n=$(pg_sql "$db" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE application_name = 'waras' AND datname = current_database()
                    AND xact_start IS NOT NULL AND query ILIKE '%events%'")
  if [ -n "$n" ]; then done_=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
rc=0; wait "$pid" || rc=$?
pid=
[ -n "$done_" ] || fail "the ingest's session was never seen writing"
expect "dropped connection" $rc err "postgresql://waras@/conn?host=$sock"
after=$(pg_sql "$db" "SELECT count(*) FROM events"),$(pg_sql "$db" "SELECT count(*) FROM sources")
[ "$before" = "$after" ] || fail "dropped connection: the store changed ($before -> $after)"

# The server down.
bash "$CLUSTER" stop "$PGDIR"
rc=0; "$WARAS" --db "postgresql://waras:s3cret@/conn?host=$sock" report 2>err || rc=$?
expect "server down" $rc err "postgresql://waras@/conn?host=$sock" "cannot connect"
rc=0; "$WARAS" --db "postgresql://waras:s3cret@127.0.0.1:9/conn" ingest timesheet big.csv 2>err || rc=$?
expect "nothing listening" $rc err "postgresql://waras@127.0.0.1:9/conn" "cannot connect"
bash "$CLUSTER" start "$PGDIR"
after=$(pg_sql "$db" "SELECT count(*) FROM events"),$(pg_sql "$db" "SELECT count(*) FROM sources")
[ "$before" = "$after" ] || fail "the store changed"
echo "ok: wrong password, missing database, dropped connection, server down"
