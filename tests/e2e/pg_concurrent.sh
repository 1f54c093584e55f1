#!/usr/bin/env bash
# Two writers at once on PostgreSQL: two ingests of overlapping PagerDuty
# exports (the log entries and the incidents of the same incidents) run
# concurrently, again and again, and each time the store holds exactly the
# events that the two files ingested one after the other give, no
# duplicate, no lost file; two ingests of the same file at once store it
# once. Needs PostgreSQL (tests/pg/cluster.sh).
source "$(dirname "$0")/lib/pg.sh"
"$WARAS" --db demo.db demo --dir demo --seed 42 --weeks 8 >/dev/null 2>&1
a=demo/pagerduty_log_entries.json b=demo/pagerduty_incidents.json

events() { pg_sql "$1" "SELECT person, kind, start, \"end\", source_kind, source_key, attrs
                        FROM events ORDER BY person, source_kind, source_key"; }

ref=$(pg_newdb pg_conc_ref)
"$WARAS" --db "$ref" people import demo/people.csv >/dev/null
"$WARAS" --db "$ref" ingest pagerduty "$a" >/dev/null
"$WARAS" --db "$ref" ingest pagerduty "$b" >/dev/null
want=$(events "$ref")
n=$(printf '%s\n' "$want" | wc -l)
[ "$n" -gt 100 ] || fail "the reference has only $n events"

for round in 1 2 3; do
  db=$(pg_newdb "pg_conc_$round")
  "$WARAS" --db "$db" people import demo/people.csv >/dev/null
  "$WARAS" --db "$db" ingest pagerduty "$a" >a.out 2>a.err & p1=$!
  "$WARAS" --db "$db" ingest pagerduty "$b" >b.out 2>b.err & p2=$!
  wait $p1 || fail "round $round: the first ingest failed: $(cat a.err)"
  wait $p2 || fail "round $round: the second ingest failed: $(cat b.err)"
  got=$(events "$db")
  [ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got") | head; fail "round $round: events differ"; }
  dup=$(pg_sql "$db" "SELECT count(*) - count(DISTINCT (person, source_kind, source_key)) FROM events")
  [ "$dup" = 0 ] || fail "round $round: $dup duplicate events"
  [ "$(pg_sql "$db" "SELECT count(*) FROM sources WHERE kind = 'pagerduty'")" = 2 ] || fail "round $round: sources"
done

# The same file twice at once: stored once, one source row.
db=$(pg_newdb pg_conc_same)
"$WARAS" --db "$db" people import demo/people.csv >/dev/null
"$WARAS" --db "$db" ingest pagerduty "$a" >s1.out 2>&1 & p1=$!
"$WARAS" --db "$db" ingest pagerduty "$a" >s2.out 2>&1 & p2=$!
wait $p1 || fail "same file: $(cat s1.out)"
wait $p2 || fail "same file: $(cat s2.out)"
[ "$(pg_sql "$db" "SELECT count(*) FROM sources WHERE kind = 'pagerduty'")" = 1 ] || fail "same file: two sources"
one=$(pg_newdb pg_conc_one)
"$WARAS" --db "$one" people import demo/people.csv >/dev/null
"$WARAS" --db "$one" ingest pagerduty "$a" >/dev/null
[ "$(events "$db")" = "$(events "$one")" ] || fail "same file: events differ from one ingest"
echo "ok: $n events, 3 concurrent rounds and one double ingest without a duplicate"
