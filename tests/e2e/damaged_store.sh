#!/usr/bin/env bash
# A damaged or foreign store gets a clear error that says what to do (exit
# 1), never a crash or a wrong answer: a file that is not SQLite, a SQLite
# database of something else, a truncated store (mid-page, at a page
# boundary, inside the header), bytes flipped in table pages and in the
# schema page, a -wal without its database, a store from a newer schema.
# Then restore: it refuses a damaged, foreign or newer backup and leaves
# the store as it was, and it repairs a damaged store from a good backup.
# Last, a store of schema version 3 (tests/data/store/schema_v3.sql) is
# backed up before it is migrated, and the migrated store works.
#
#   tests/e2e/damaged_store.sh path/to/waras
source "$(dirname "$0")/lib/scratch.sh"
DATA=${WARAS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/data
export WARAS_NOW=2026-11-30T12:00:00Z

# expect_fail STORE MESSAGE ARGS...: waras --db STORE ARGS exits 1 with one
# line on stderr that holds MESSAGE, and no sanitizer report.
expect_fail() {
  local db=$1 msg=$2 rc=0
  shift 2
  "$WARAS" --db "$db" "$@" >out.txt 2>err.txt || rc=$?
  [ "$rc" -eq 1 ] || { cat err.txt; fail "$db: waras $*: exit $rc, not 1"; }
  grep -q "Sanitizer\|runtime error" err.txt && { cat err.txt; fail "$db: waras $*: sanitizer report"; }
  [ "$(wc -l < err.txt)" -eq 1 ] || { cat err.txt; fail "$db: waras $*: not one line on stderr"; }
  grep -qF -- "$msg" err.txt || { cat err.txt; fail "$db: waras $*: no '$msg'"; }
}
sum() { sha256sum "$1" | cut -d' ' -f1; }

# A healthy store of a few thousand events on ~40 pages of 16 KiB.
awk 'BEGIN { print "id,name,email,team,timezone"
  for (i = 0; i < 20; i++) printf "p%d,Person %d,p%d@lab.example,t%d,Europe/Berlin\n", i, i, i, i % 3 }' > people.csv
awk 'BEGIN { print "person,date,start,end,project"; t0 = 1767225600
  for (p = 0; p < 20; p++) for (d = 0; d < 300; d++)
    printf "p%d,%s,09:%02d,17:%02d,proj%d\n", p, strftime("%Y-%m-%d", t0 + d * 86400, 1), d % 60, p, d % 7 }' > ts.csv
"$WARAS" --db good.db people import people.csv >/dev/null
"$WARAS" --db good.db ingest timesheet ts.csv >/dev/null
current=$("$WARAS" --db good.db init | sed -n 's/.*schema version \([0-9]*\).*/\1/p')
[ -n "$current" ] || fail "no schema version from waras init"
report() { "$WARAS" --db "$1" report --format tsv --to 2026-10-20 --weeks 43; }
report good.db > good_report.tsv
[ "$(wc -l < good_report.tsv)" -gt 100 ] || fail "the healthy report is too short"
"$WARAS" --db good.db store backup good.bak >/dev/null
pages=$(( $(stat -c %s good.db) / 16384 ))
[ "$pages" -ge 20 ] || fail "the store has only $pages pages"

# Not SQLite at all: the store is not touched, nothing is created.
cp people.csv text.db
expect_fail text.db "not a waras store: the file is not a SQLite database" report
expect_fail text.db "not a waras store: the file is not a SQLite database" init
cmp -s text.db people.csv || fail "a text file given as the store was changed"
# A SQLite database of something else: not migrated into a waras store.
sqlite3 other.db "CREATE TABLE t (x); INSERT INTO t VALUES (1)"
before=$(sum other.db)
expect_fail other.db "not a waras store: a SQLite database of something else" init
[ "$(sum other.db)" = "$before" ] || fail "another application's database was changed"

# Truncated: mid-page, at a page boundary (no -wal), inside the header.
head -c $(( pages * 16384 / 2 + 1000 )) good.db > cut_mid.db
head -c $(( pages / 2 * 16384 )) good.db > cut_page.db
head -c 60 good.db > cut_header.db
for db in cut_mid.db cut_page.db cut_header.db; do
  expect_fail $db "the store is damaged: the file is truncated" report
  expect_fail $db "waras store restore BACKUP" people list
done

# Bytes flipped in the headers of table pages: every read that meets one
# says so, the integrity check says so, and no backup is made of it.
cp good.db flipped.db
python3 - flipped.db "$pages" <<'EOF'
import sys
f = open(sys.argv[1], "r+b")
for pg in range(3, int(sys.argv[2]), 4):
    f.seek(pg * 16384)
    f.write(bytes([0xA5] * 8))
EOF
expect_fail flipped.db "the store is damaged (" report --format tsv --to 2026-10-20 --weeks 43
expect_fail flipped.db "integrity_check finds" store check
expect_fail flipped.db "the store is damaged" store backup flipped.bak
[ ! -e flipped.bak ] || fail "a backup was kept of a damaged store"
# Bytes flipped in the schema (page 1, after the file header).
cp good.db schema.db
printf '\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff' |
  dd of=schema.db bs=1 seek=100 conv=notrunc status=none
expect_fail schema.db "the store is damaged" report

# A -wal without its database: refused, even by init, which would
# otherwise make a new store that the stale log is applied to.
sqlite3 walsrc.db >/dev/null <<'EOF'
PRAGMA journal_mode=WAL;
CREATE TABLE t (x);
INSERT INTO t VALUES (1);
.system cp walsrc.db-wal lost.db-wal
EOF
[ -s lost.db-wal ] || fail "could not make a -wal"
expect_fail lost.db "the store is missing but its write-ahead log lost.db-wal is here" report
expect_fail lost.db "the store is missing but its write-ahead log" init
[ ! -e lost.db ] || fail "a store was created next to an orphaned -wal"

# A newer schema: upgrade waras; the store is left alone.
cp good.db newer.db
sqlite3 newer.db "PRAGMA user_version = $((current + 1))"
before=$(sum newer.db)
msg="this store was written by a newer waras (schema $((current + 1))"
expect_fail newer.db "$msg" report
expect_fail newer.db "upgrade waras" init
[ "$(sum newer.db)" = "$before" ] || fail "a store of a newer schema was changed"

# Restore refuses what it cannot trust, and leaves the store as it was.
cp good.db live.db
before=$(sum live.db)
expect_fail live.db "the backup is damaged" store restore flipped.db
expect_fail live.db "this backup was written by a newer waras" store restore newer.db
expect_fail live.db "not a waras store: a SQLite database without waras's schema" store restore other.db
expect_fail live.db "not a waras store: the file is not a SQLite database" store restore text.db
expect_fail live.db "the backup is damaged: the file is truncated" store restore cut_mid.db
[ "$(sum live.db)" = "$before" ] || fail "a refused restore changed the store"
# ...and repairs a damaged store from a good backup, keeping the old file.
for db in flipped.db cut_mid.db; do
  "$WARAS" --db $db store restore good.bak > out.txt || fail "restore into $db failed"
  grep -q "kept in $db\.\(before-restore\|damaged\)-" out.txt || fail "restore into $db kept nothing"
  report $db > restored.tsv
  cmp -s restored.tsv good_report.tsv || fail "the store restored into $db reports differently"
done
ls flipped.db.before-restore-* cut_mid.db.damaged-* >/dev/null || fail "the replaced stores are gone"
# Into a store that is not there yet, and from a backup of a store of a
# different page size (4 KiB pages, in WAL mode like a live store).
"$WARAS" --db fresh.db store restore good.bak >/dev/null || fail "restore into a new file failed"
report fresh.db | cmp -s - good_report.tsv || fail "the store restored into a new file differs"
sqlite3 good.bak "VACUUM INTO 'small4k.db'" && sqlite3 small4k.db "PRAGMA page_size=4096; VACUUM"
[ "$(sqlite3 small4k.db 'PRAGMA page_size')" = 4096 ] || fail "could not make a store of 4 KiB pages"
cp good.db live2.db
"$WARAS" --db live2.db store restore small4k.db >/dev/null || fail "restore of 4 KiB pages failed"
report live2.db | cmp -s - good_report.tsv || fail "the store restored from 4 KiB pages differs"
[ "$(sqlite3 live2.db 'PRAGMA page_size')" = 4096 ] || fail "the restore kept the old page size"
[ "$(sqlite3 live2.db 'PRAGMA journal_mode')" = wal ] || fail "the restored store left WAL mode"

# A store of schema version 3 is backed up before it is migrated.
sqlite3 v3.db < "$DATA/store/schema_v3.sql"
"$WARAS" --db v3.db people list > /dev/null 2> err.txt || { cat err.txt; fail "opening the v3 store failed"; }
bak=v3.db.bak-v3-20261130T120000
grep -qF "v3.db: schema version 3 is older than this waras's $current; backed it up to $bak" err.txt ||
  { cat err.txt; fail "no word of the backup on stderr"; }
[ "$(sqlite3 $bak 'PRAGMA user_version')" = 3 ] || fail "the backup is not of schema version 3"
[ "$(sqlite3 $bak 'PRAGMA integrity_check')" = ok ] || fail "the backup fails the integrity check"
[ "$(sqlite3 $bak 'SELECT count(*) FROM events')" = 3 ] || fail "the backup lost events"
[ "$(sqlite3 v3.db 'PRAGMA user_version')" = "$current" ] || fail "the v3 store was not migrated"
"$WARAS" --db v3.db people import people.csv >/dev/null
"$WARAS" --db v3.db ingest timesheet ts.csv >/dev/null
[ "$(sqlite3 v3.db 'SELECT count(*) FROM events')" = 6003 ] || fail "the migrated store does not take events"
"$WARAS" --db v3.db people list > /dev/null 2> err.txt
[ ! -s err.txt ] || fail "a current store was backed up again"
[ "$(ls v3.db.bak-* | wc -l)" = 1 ] || fail "more than one backup of the v3 store"
echo "damaged_store: ok"
