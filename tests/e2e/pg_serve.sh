#!/usr/bin/env bash
# Two `waras serve` processes on one PostgreSQL store, as behind a load
# balancer: an API token made by the CLI works on both; both answer the
# same report as `waras report --format json`; after an ingest from the
# CLI, each server's report cache sees the change (the store's data
# version) and both answer the new report. Both servers are stopped in
# the EXIT trap. Needs PostgreSQL (tests/pg/cluster.sh).
source "$(dirname "$0")/lib/pg.sh"
pids=()
pg_exit_hook() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
}
fail() { echo "FAIL: $*"; tail -5 s1.log s2.log 2>/dev/null; exit 1; }
export WARAS_DB=$(pg_newdb pg_serve)
cat > people.csv <<'CSV'
id,name,email,team,timezone
a1,A One,a1@x.example,alpha,UTC
a2,A Two,a2@x.example,alpha,UTC
CSV
printf 'person,date,start,end,project\na1,2026-11-23,09:00,17:00,x\na1,2026-11-24,09:00,17:00,x\n' > t1.csv
printf 'person,date,start,end,project\na1,2026-11-25,08:00,20:00,x\n' > t2.csv
"$WARAS" people import people.csv >/dev/null
"$WARAS" ingest timesheet t1.csv >/dev/null
echo 'a-long-enough-password' | "$WARAS" user add lead --role lead --person a1 --teams alpha \
  --password-stdin >/dev/null 2>&1
tok=$("$WARAS" token create lead --name lb 2>/dev/null | grep -o 'wr[a-z]_[0-9a-f]*' | head -1)
[ -n "$tok" ] || fail "no token"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
p1=$(free_port); p2=$(free_port)
"$WARAS" serve --listen "127.0.0.1:$p1" >s1.log 2>&1 & pids+=($!)
"$WARAS" serve --listen "127.0.0.1:$p2" >s2.log 2>&1 & pids+=($!)
for port in "$p1" "$p2"; do
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break
    sleep 0.1
  done
done
get() { curl -sf -H "Authorization: Bearer $tok" "http://127.0.0.1:$1/api/v1/report?person=a1&weeks=2&to=2026-11-30"; }
want=$("$WARAS" report --person a1 --self --weeks 2 --to 2026-11-30 --format json)
for port in "$p1" "$p2" "$p1" "$p2"; do   # the second round answers from the caches
  [ "$(get "$port")" = "$want" ] || { diff <(echo "$want") <(get "$port") | head; fail "port $port differs"; }
done
"$WARAS" ingest timesheet t2.csv >/dev/null
new=$("$WARAS" report --person a1 --self --weeks 2 --to 2026-11-30 --format json)
[ "$new" != "$want" ] || fail "the ingest did not change the report"
for port in "$p1" "$p2"; do
  [ "$(get "$port")" = "$new" ] || fail "port $port answers from before the ingest"
done
echo "ok: two servers on one PostgreSQL store, caches invalidated by a CLI ingest"
