#!/usr/bin/env bash
# waras store copy between the backends: the demo organisation (with a
# lead's account, its teams and an API token), copied
# SQLite -> PostgreSQL -> SQLite, gives byte-identical `waras report`
# (table, JSON and HTML), `waras risk` and `waras check`; copying again
# adds and changes nothing; copying into a store that holds part of the
# rows merges them; a missing source is an error that copies nothing.
# Needs PostgreSQL (tests/pg/cluster.sh).
source "$(dirname "$0")/lib/pg.sh"
"$WARAS" --db orig.db demo --dir demo --seed 42 >/dev/null 2>&1
echo 'a-long-enough-password' | "$WARAS" --db orig.db user add lead1 --role lead \
  --person "$(sed -n 2p demo/people.csv | cut -d, -f1)" --teams inference,research --password-stdin >/dev/null 2>&1
"$WARAS" --db orig.db token create lead1 --name ci >/dev/null 2>&1

# Through WARAS_DB rather than --db: the text views' suggested commands
# name a store only when it is not the one a plain "waras" opens.
views() {
  export WARAS_DB="$1"
  "$WARAS" report --weeks 12
  "$WARAS" report --weeks 12 --format json
  "$WARAS" report --weeks 12 --format html
  "$WARAS" risk
  "$WARAS" check --preset eu-wtd --weeks 12 || true
  "$WARAS" user list
  unset WARAS_DB
}
views orig.db > orig.txt

pg=$(pg_newdb pg_store_copy)
"$WARAS" store copy --from orig.db --to "$pg" > to-pg.out
"$WARAS" store copy --from "$pg" --to back.db > to-sqlite.out
grep -q "^events: [1-9][0-9]* rows checked, [1-9][0-9]* added, 0 updated, 0 unchanged$" to-pg.out ||
  fail "counts: $(cat to-pg.out)"
views "$pg" > pg.txt
views back.db > back.txt
cmp orig.txt pg.txt || { diff orig.txt pg.txt | head; fail "PostgreSQL's views differ"; }
cmp orig.txt back.txt || { diff orig.txt back.txt | head; fail "the round trip's views differ"; }

# Again: every row checked, nothing added or changed.
"$WARAS" store copy --from orig.db --to "$pg" > again.out
if grep -v "^copied" again.out | grep -v " 0 added, 0 updated, "; then fail "the second copy changed rows"; fi

# A partial store merges: people and one file in it already, one changed.
part=$(pg_newdb pg_store_copy_part)
"$WARAS" --db "$part" people import demo/people.csv >/dev/null
"$WARAS" --db "$part" ingest timesheet demo/timesheets.csv >/dev/null
pg_sql "$part" "UPDATE people SET name = 'Changed' WHERE id = (SELECT min(id) FROM people)"
"$WARAS" store copy --from orig.db --to "$part" > part.out
grep -q "^people: 26 rows checked, 0 added, 1 updated, 25 unchanged$" part.out || fail "merge: $(cat part.out)"
views "$part" > part.txt
cmp orig.txt part.txt || { diff orig.txt part.txt | head; fail "the merged store's views differ"; }

# A missing source: an error, the destination untouched.
before=$(pg_sql "$pg" "SELECT value FROM waras_meta WHERE name = 'data_version'")
rc=0; "$WARAS" store copy --from nowhere.db --to "$pg" 2>err || rc=$?
[ "$rc" -eq 1 ] && grep -q "nowhere.db" err || fail "missing source: rc $rc, $(cat err)"
[ "$(pg_sql "$pg" "SELECT value FROM waras_meta WHERE name = 'data_version'")" = "$before" ] ||
  fail "missing source: the destination changed"
echo "ok: SQLite -> PostgreSQL -> SQLite gives the same views; copies merge idempotently"
