#!/usr/bin/env bash
# The calendar corpus: tests/data/ics/corpus/NAME.ics are calendars shaped
# the way Google, Outlook/Exchange, Nextcloud/SabreDAV, Apple, Fastmail and
# a web-site plugin export them (their PRODIDs, X- properties, VTIMEZONE
# styles, folding and CRLF), each with the problems seen in real exports:
# superseded copies, stale or cancelled overrides, missing UIDs, broken
# components, malformed recurrence values and time zones an hour off.
# For each: `waras ics expand NAME.ics $(cat NAME.args)` must print exactly
# NAME.expected on stdout and NAME.warnings on stderr; with --strict a file
# with warnings about its content must be refused (exit 1); and
# `waras ingest ics` must read the same number of occurrences into a store
# and leave the store unchanged when --strict refuses the file.
set -u
WARAS=$1
SRC=${WARAS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORPUS=$SRC/tests/data/ics/corpus
export LC_ALL=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
cd "$CORPUS" || exit 1
printf 'id,name,email,team,timezone\nana,Ana Lima,ana@x.example,t,Europe/Lisbon\n' >"$tmp/people.csv"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:seed\r\nDTSTART:20260302T100000Z\r\nDTEND:20260302T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$tmp/seed.ics"
for ics in *.ics; do
  name=${ics%.ics}
  read -r -a args <"$name.args"
  "$WARAS" ics expand "$ics" "${args[@]}" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL $name: exit $rc: $(cat "$tmp/err")"; fail=1; continue
  fi
  if ! diff -u "$name.expected" "$tmp/out"; then
    echo "FAIL $name: stdout differs from $name.expected"; fail=1
  fi
  if ! diff -u "$name.warnings" "$tmp/err"; then
    echo "FAIL $name: stderr differs from $name.warnings"; fail=1
  fi
  # --strict: all or nothing, as before the lenient reading.
  strict_fatal=$(grep -vc 'unknown time zone' "$name.warnings")
  "$WARAS" ics expand "$ics" "${args[@]}" --strict >"$tmp/sout" 2>"$tmp/serr"
  src=$?
  if [ "$strict_fatal" -gt 0 ] && [ $src -ne 1 ]; then
    echo "FAIL $name: --strict accepted a file with warnings (exit $src)"; fail=1
  elif [ "$strict_fatal" -eq 0 ] && ! diff -q "$name.expected" "$tmp/sout" >/dev/null; then
    echo "FAIL $name: --strict changed the output of a clean file"; fail=1
  fi
  # The ingest reads the same occurrences (one code path), and a refused
  # file leaves the store as it was.
  db=$tmp/$name.db
  WARAS_DB=$db "$WARAS" people import "$tmp/people.csv" >/dev/null 2>&1
  # Something in the store already, so that "unchanged" means something.
  WARAS_DB=$db "$WARAS" ingest ics "$tmp/seed.ics" --person ana --from 2026-03-01 --to 2026-04-01 >/dev/null 2>&1
  if [ "$strict_fatal" -gt 0 ]; then
    before=$(sqlite3 "$db" 'select count(*) from events')
    if WARAS_DB=$db "$WARAS" ingest ics "$ics" --person ana "${args[@]}" --strict >/dev/null 2>&1; then
      echo "FAIL $name: ingest --strict accepted the file"; fail=1
    fi
    after=$(sqlite3 "$db" 'select count(*) from events')
    [ "$before" = "$after" ] || { echo "FAIL $name: refused ingest changed the store"; fail=1; }
  fi
  WARAS_DB=$db "$WARAS" ingest ics "$ics" --person ana "${args[@]}" >"$tmp/iout" 2>"$tmp/ierr"
  want=$(wc -l <"$name.expected")
  if ! grep -qE "^$ics: $want occurrences? read" "$tmp/iout"; then
    echo "FAIL $name: ingest read other than $want occurrences: $(cat "$tmp/iout" "$tmp/ierr")"; fail=1
  fi
  # Its warnings are the same lines (the summary line differs in form).
  grep '^waras: warning: ' "$name.warnings" >"$tmp/w1"
  grep '^waras: warning: ' "$tmp/ierr" >"$tmp/w2"
  if ! diff -u "$tmp/w1" "$tmp/w2"; then
    echo "FAIL $name: ingest warnings differ from ics expand's"; fail=1
  fi
  skipped=$(grep -c 'skipped$' "$name.warnings")
  if [ "$skipped" -gt 0 ] && ! grep -q "$skipped calendar components\? skipped" "$tmp/iout"; then
    echo "FAIL $name: ingest does not count $skipped skipped components: $(cat "$tmp/iout")"; fail=1
  fi
  n=$((n + want))
done
[ $fail -eq 0 ] && echo "ok: $n occurrences as expected over $(ls *.ics | wc -l) calendars"
exit $fail
