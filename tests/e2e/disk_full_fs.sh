#!/usr/bin/env bash
# A full disk on a real filesystem: the store lives on a tmpfs only a little
# larger than itself, so writes fail with ENOSPC (disk_full.sh covers a
# file-size limit, EFBIG). An ingest that cannot fit must fail with one
# "disk full: ... (store unchanged)" line and exit 1, and leave the store
# intact (integrity_check ok, the same sources and events). A backup onto the
# full filesystem fails the same way and leaves no file. Once the filesystem
# is made larger, the same ingest goes through.
#
# Mounting needs root (CAP_SYS_ADMIN); without it the test exits 77, which
# ctest reports as skipped, not passed.
#
#   tests/e2e/disk_full_fs.sh path/to/waras
source "$(dirname "$0")/lib/full_disk.sh"
source "$(dirname "$0")/lib/scratch.sh"
export WARAS_NOW=2026-11-30T12:00:00Z LC_ALL=C
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed"

mkdir fs
if ! mount -t tmpfs -o size=4m tmpfs fs 2>/dev/null; then
  echo "disk_full_fs: skipped: cannot mount a tmpfs here (needs root)"
  exit 77
fi
trap 'umount fs 2>/dev/null || umount -l fs; rm -rf "$tmp"' EXIT

people_csv > people.csv
timesheet 3000 0 > small.csv
timesheet 60000 200 > big.csv
db=fs/s.db
"$WARAS" --db "$db" people import people.csv >/dev/null
"$WARAS" --db "$db" ingest timesheet small.csv >/dev/null
state "$db" > before.txt
# Leave 256 KiB of room beside the store and its -wal: far less than the big
# timesheet needs.
used_kib=$(du -sk fs | cut -f1)
mount -o remount,size=$(( used_kib + 256 ))k fs

run() { rc=0; "$WARAS" --db "$db" "$@" >out.txt 2>err.txt || rc=$?; }
run ingest timesheet big.csv
expect_full "timesheet on a full filesystem" "$db"

# A backup onto the full filesystem: an error, and no file, partial or whole.
dd if=/dev/zero of=fs/filler bs=4k 2>/dev/null || true
run store backup fs/copy.db
[ "$rc" -eq 1 ] && grep -q "disk full" err.txt || { cat err.txt; fail "backup: no 'disk full' error"; }
[ ! -e fs/copy.db ] && [ ! -e fs/copy.db.tmp ] || fail "backup: a partial copy was left"
rm -f fs/filler

# With room again, the same ingest goes through.
mount -o remount,size=64m fs
"$WARAS" --db "$db" ingest timesheet big.csv >/dev/null || fail "the timesheet failed with room"
[ "$(sqlite3 "$db" "SELECT count(*) FROM events WHERE kind = 'timesheet'")" = 63000 ] ||
  fail "the timesheets are not all in"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "the store fails integrity_check at the end"
echo "disk_full_fs: ok"
