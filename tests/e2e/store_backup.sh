#!/usr/bin/env bash
# 'waras store backup' while the store is being written: a loop ingests 30
# timesheets one after the other while backups are taken one after the
# other. Every backup passes integrity_check and holds a consistent state:
# the sources are the first k files of the loop, in order, and each source
# has exactly its file's rows as events. At least one backup falls between
# the first file and the last. A backup restored into a new store reports
# like the live store did with the same files; backup refuses to overwrite
# a file and to copy a store that is not there. Last, a restore while the
# store is read: each read sees the store before the restore or after it.
#
#   tests/e2e/store_backup.sh path/to/waras
source "$(dirname "$0")/lib/scratch.sh"
export WARAS_NOW=2026-11-30T12:00:00Z LC_ALL=C
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed"
FILES=30 ROWS=4000
grep -qa AddressSanitizer "$WARAS" && ROWS=1500

awk 'BEGIN { print "id,name,email,team,timezone"
  for (i = 0; i < 40; i++) printf "p%d,Person %d,p%d@lab.example,t%d,Europe/Berlin\n", i, i, i, i % 4 }' > people.csv
for f in $(seq -w 1 $FILES); do
  awk -v rows=$ROWS -v f="$f" 'BEGIN { print "person,date,start,end,project"; t0 = 1735689600
    for (i = 0; i < rows; i++)
      printf "p%d,%s,09:%02d,17:%02d,proj%d\n", i % 40, strftime("%Y-%m-%d", t0 + ((f - 1) * 100 + int(i / 40)) * 86400, 1),
        i % 60, i % 50, i % 9 }' > "ts_$f.csv"
done
"$WARAS" --db live.db people import people.csv >/dev/null

( for f in $(seq -w 1 $FILES); do "$WARAS" --db live.db ingest timesheet "ts_$f.csv" >/dev/null || exit 1; done
  touch loop.done ) &
loop=$!
n=0
while [ ! -e loop.done ] && kill -0 $loop 2>/dev/null; do
  n=$((n + 1))
  "$WARAS" --db live.db store backup "b$n.db" > /dev/null || fail "backup $n failed"
done
wait $loop || fail "the ingest loop failed"
[ "$n" -ge 2 ] || fail "only $n backups were taken during the loop"

middle=0
for i in $(seq 1 $n); do
  b=b$i.db
  [ "$(sqlite3 $b 'PRAGMA integrity_check')" = ok ] || fail "$b fails integrity_check"
  k=$(sqlite3 $b "SELECT count(*) FROM sources WHERE kind = 'timesheet'")
  want=$(for ((j = 1; j <= k; j++)); do printf 'ts_%02d.csv\n' $j; done)
  [ "$(sqlite3 $b "SELECT path FROM sources WHERE kind = 'timesheet' ORDER BY id")" = "$want" ] ||
    fail "$b: its sources are not the first $k files in order"
  bad=$(sqlite3 $b "SELECT count(*) FROM sources s WHERE kind = 'timesheet' AND (rows <> $ROWS OR
                    rows <> (SELECT count(*) FROM events e WHERE e.source = s.id))")
  [ "$bad" = 0 ] || fail "$b: $bad sources without exactly their rows as events"
  [ "$(sqlite3 $b 'SELECT count(*) FROM events')" = $((k * ROWS)) ] || fail "$b: stray events"
  if [ "$k" -gt 0 ] && [ "$k" -lt "$FILES" ]; then middle=$((middle + 1)) midb=$b; fi
done
[ "$middle" -gt 0 ] || fail "no backup fell between the first file and the last ($n backups)"
echo "store_backup: $n backups during the ingests, $middle between the first file and the last"

# The last state, backed up and restored into a new store, reports the same.
"$WARAS" --db live.db store backup final.db | grep -q "^backed up live.db to final.db (schema version [0-9]*, integrity ok)$" ||
  fail "backup says something else"
"$WARAS" --db new.db store restore final.db >/dev/null || fail "restore into a new store failed"
"$WARAS" --db live.db report --format json --to 2026-03-01 --weeks 20 > live.json
"$WARAS" --db new.db report --format json --to 2026-03-01 --weeks 20 > new.json
cmp -s live.json new.json || fail "the restored store reports differently"
rc=0; "$WARAS" --db live.db store backup final.db 2>err.txt || rc=$?
[ $rc -eq 1 ] && grep -q "final.db: already exists" err.txt || fail "backup overwrote a file"
rc=0; "$WARAS" --db nothing.db store backup x.db 2>err.txt || rc=$?
[ $rc -eq 1 ] && grep -q "nothing.db: no store here" err.txt || fail "backup of a missing store: exit $rc"
[ ! -e nothing.db ] || fail "backup created the store it was to copy"

# A restore while the store is read: every read taken meanwhile (one query,
# one read transaction) sees the store before the restore or after it,
# whole, and none fails.
# Readers wait for a lock as waras does (its busy timeout is 5 s).
last() { "$WARAS" --db "$1" report --format json --to 2033-03-31 --weeks 12; }
state() { sqlite3 -cmd ".timeout 10000" "$1" "SELECT (SELECT count(*) FROM sources), count(*), sum(start), sum(\"end\") FROM events"; }
last live.db > before.json
state live.db > before.txt
"$WARAS" --db mid.db store restore "$midb" >/dev/null || fail "restore of $midb into a new store failed"
last mid.db > after.json
state mid.db > after.txt
cmp -s before.txt after.txt && fail "the stores before and after cannot be told apart"
( i=0; while [ ! -e restore.done ]; do i=$((i + 1)); state live.db > "r_$i.txt" || exit 1; done ) &
readers=$!
sleep 0.5
"$WARAS" --db live.db store restore "$midb" > restore.txt || fail "restore under readers failed"
sleep 0.5
touch restore.done
wait $readers || fail "a read failed while the store was restored"
olds=0 news=0
for r in r_*.txt; do
  if cmp -s "$r" before.txt; then olds=$((olds + 1))
  elif cmp -s "$r" after.txt; then news=$((news + 1))
  else fail "$r is neither the store before the restore nor after it"; fi
done
[ "$olds" -gt 0 ] && [ "$news" -gt 0 ] || fail "the reads saw $olds times the store before, $news after"
last live.db | cmp -s - after.json || fail "the restored store reports differently"
grep -q "^the store as it was is kept in live.db.before-restore-" restore.txt || fail "restore kept nothing"
last live.db.before-restore-* | cmp -s - before.json || fail "the kept store is not the store before"
echo "store_backup: restore under readers: $olds reads before, $news after"
echo "store_backup: ok"
