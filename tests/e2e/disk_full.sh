#!/usr/bin/env bash
# A full disk: ingests run with a file-size limit (ulimit -f in a subshell
# that ignores SIGXFSZ, so a write past the limit fails with EFBIG), so the
# store cannot grow. Each must fail with one "disk full: ... (store
# unchanged)" line and exit 1, and leave the store intact (integrity_check
# ok) with the same sources and events as before. Then, without the limit,
# the same ingests go through. Also: a backup that cannot be written is
# "disk full" too, and leaves no partial file behind.
#
#   tests/e2e/disk_full.sh path/to/waras
source "$(dirname "$0")/lib/full_disk.sh"
source "$(dirname "$0")/lib/scratch.sh"
export WARAS_NOW=2026-11-30T12:00:00Z LC_ALL=C
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed"

people_csv > people.csv
timesheet 3000 0 > small.csv
timesheet 60000 200 > big.csv
git init -q --bare repo
awk 'BEGIN { for (i = 1; i <= 3000; i++) {
  t = 1767225600 + i * 600
  printf "commit refs/heads/main\nmark :%d\nauthor P <p%d@lab.example> %d +0000\n", i, i % 30, t
  printf "committer P <p%d@lab.example> %d +0000\ndata 2\nc\n", i % 30, t
  if (i > 1) printf "from :%d\n", i - 1
  printf "\n" } }' | git -C repo fast-import --quiet
git -C repo symbolic-ref HEAD refs/heads/main
"$WARAS" --db s.db people import people.csv >/dev/null
"$WARAS" --db s.db ingest timesheet small.csv >/dev/null
state s.db > before.txt

# limited BLOCKS ARGS...: waras --db s.db ARGS with files limited to BLOCKS
# KiB; its exit code in $rc, its stderr in err.txt.
limited() {
  local blocks=$1
  shift
  rc=0
  ( trap '' XFSZ; ulimit -f "$blocks"; exec "$WARAS" --db s.db "$@" ) >out.txt 2>err.txt || rc=$?
}
# The -wal may grow to 1 MiB: far less than the big timesheet needs.
limited 1024 ingest timesheet big.csv
expect_full "timesheet under a 1 MiB limit" s.db
limited 64 ingest git repo
expect_full "git under a 64 KiB limit" s.db
# A limit of exactly the store's own size: the store may not grow by one
# page, and its -wal not past that size (a checkpoint that cannot grow the
# store is no error: the committed pages stay in the -wal). The ingest
# fails when its -wal reaches the limit.
size_kib=$(( $(stat -c %s s.db) / 1024 ))
limited "$size_kib" ingest timesheet big.csv
expect_full "timesheet under a limit of the store's own size" s.db

# A backup onto a full disk: an error, and no file, partial or whole.
limited 64 store backup copy.db
[ "$rc" -eq 1 ] && grep -q "disk full" err.txt || { cat err.txt; fail "backup: no 'disk full' error"; }
[ ! -e copy.db ] && [ ! -e copy.db.tmp ] || fail "backup: a partial copy was left"

# With room again, everything goes in.
"$WARAS" --db s.db ingest timesheet big.csv >/dev/null || fail "the timesheet failed with room"
"$WARAS" --db s.db ingest git repo >/dev/null || fail "the git ingest failed with room"
[ "$(sqlite3 s.db "SELECT count(*) FROM events WHERE kind = 'timesheet'")" = 63000 ] ||
  fail "the timesheets are not all in"
[ "$(sqlite3 s.db 'PRAGMA integrity_check')" = ok ] || fail "the store fails integrity_check at the end"
echo "disk_full: ok"
