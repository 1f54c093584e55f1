# Sourced by disk_full.sh and disk_full_fs.sh: the inputs both write (30
# people, timesheets of any size) and the checks of a run that could not
# write (one "disk full" line, exit 1, the store intact and unchanged).

# people_csv: 30 people in 3 teams, on stdout.
people_csv() {
  awk 'BEGIN { print "id,name,email,team,timezone"
    for (i = 0; i < 30; i++) printf "p%d,Person %d,p%d@lab.example,t%d,Europe/Berlin\n", i, i, i, i % 3 }'
}

# timesheet ROWS FIRST_DAY: ROWS rows, 30 a day from FIRST_DAY days after
# 2026-01-01, on stdout.
timesheet() {
  awk -v rows="$1" -v first="$2" 'BEGIN { print "person,date,start,end,project"; t0 = 1767225600
    for (i = 0; i < rows; i++)
      printf "p%d,%s,09:%02d,17:%02d,proj%d\n", i % 30, strftime("%Y-%m-%d", t0 + (first + int(i / 30)) * 86400, 1),
        i % 60, i % 50, i % 9 }'
}

# state DB: the sources and a digest of the events of the SQLite store DB.
state() { sqlite3 "$1" "SELECT kind, path, sha256, rows FROM sources ORDER BY id;
                        SELECT kind, count(*), sum(start), sum(\"end\") FROM events GROUP BY kind"; }

# expect_full WHAT DB: the last run ($rc, err.txt) failed as a full disk and
# left DB as before.txt describes it.
expect_full() {
  [ "$rc" -eq 1 ] || { cat err.txt; fail "$1: exit $rc, not 1"; }
  grep -q "Sanitizer\|runtime error" err.txt && { cat err.txt; fail "$1: sanitizer report"; }
  [ "$(wc -l < err.txt)" -eq 1 ] || { cat err.txt; fail "$1: not one line on stderr"; }
  [ -n "${VERBOSE:-}" ] && cat err.txt
  grep -q "^waras: $2: disk full: .* (store unchanged)\$" err.txt || { cat err.txt; fail "$1: no 'disk full' message"; }
  [ "$(sqlite3 "$2" 'PRAGMA integrity_check')" = ok ] || fail "$1: the store fails integrity_check"
  state "$2" | cmp -s - before.txt || { state "$2" | diff before.txt -; fail "$1: the store changed"; }
}
