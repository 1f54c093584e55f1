#!/usr/bin/env bash
# The bad-input corpus (tests/data/bad/): every case of its MANIFEST runs
# against a fresh store seeded with a small valid organisation
# (tests/data/bad/seed/), and must give the expected exit code and message;
# a refused input must leave the store byte for byte as it was (SHA-256
# before and after). Cases whose file is "gen:NAME" are made here (a 10 MB
# line, deep nesting, a directory), so that the repository does not carry
# them. MANIFEST lines, tab-separated:
#   FILE  COMMAND (with {} for the file)  EXIT  EXPECTED (a part of the output)
# usage: tests/e2e/bad_inputs.sh WARAS_BINARY [CASE_PATTERN]
set -u
WARAS=$1
PATTERN=${2:-}
case $WARAS in /*) ;; *) WARAS=$PWD/$WARAS ;; esac
SRC=${WARAS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BAD=$SRC/tests/data/bad
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export WARAS_NOW=2026-11-30T12:00:00Z

# The inputs, and the generated ones, side by side in one directory, so
# that messages name them as the manifest does.
mkdir "$tmp/in"
cp -r "$BAD"/. "$tmp/in/"
cd "$tmp/in"
gen() {
  case $1 in
    ts_long_line.csv) # one 10 MB record
      { printf 'person,date,hours,project\nana,2026-03-02,8,'; head -c 10000000 /dev/zero | tr '\0' x; printf '\n'; } > "$1" ;;
    ts_many_fields.csv) # 5000 columns
      { printf 'person,date,hours'; for i in $(seq 5000); do printf ',c%d' "$i"; done; printf '\n'; } > "$1" ;;
    a_directory) mkdir -p "$1" ;;
    ics_many_events.ics) # one event past the limit of 1,000,000, 24 MB
      { printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'; yes $'BEGIN:VEVENT\r\nEND:VEVENT\r' | head -n 2000002
        printf 'END:VCALENDAR\r\n'; } > "$1" ;;
    repo_bad_mailmap) # a repository whose .mailmap has lines git ignores
      git init -q "$1" && printf 'Ana Putri <ana@x.example> <ana@old.example>\n<broken@x.example\nno address at all\n\x00\n' > "$1/.mailmap" &&
        git -C "$1" add .mailmap &&
        GIT_AUTHOR_DATE=2026-03-02T10:00:00Z GIT_COMMITTER_DATE=2026-03-02T10:00:00Z \
        git -C "$1" -c user.name=Ana -c user.email=ana@old.example commit -qm one ;;
    ts_huge.csv) # past the 256 MiB file limit, sparse (no disk used)
      truncate -s 300M "$1" ;;
    pd_deep.json) # nesting 100,000 deep
      { head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; } > "$1" ;;
    og_deep.json)
      { printf '{"data":'; head -c 5000 /dev/zero | tr '\0' '['; head -c 5000 /dev/zero | tr '\0' ']'; printf '}'; } > "$1" ;;
    policy_deep.json)
      { printf '{"signals":'; for i in $(seq 3000); do printf '{"a":'; done; printf 1; head -c 3001 /dev/zero | tr '\0' '}'; } > "$1" ;;
    ics_long_line.ics) # a 10 MB SUMMARY on one line
      { printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:long\r\nDTSTART:20260302T090000Z\r\nDTEND:20260302T100000Z\r\nSUMMARY:'
        head -c 10000000 /dev/zero | tr '\0' x; printf '\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'; } > "$1" ;;
    *) echo "bad_inputs: no generator for $1" >&2; return 1 ;;
  esac
}

# The seeded store, copied for each case.
"$WARAS" --db "$tmp/seed.db" init >/dev/null &&
  "$WARAS" --db "$tmp/seed.db" people import seed/people.csv >/dev/null &&
  "$WARAS" --db "$tmp/seed.db" ingest timesheet seed/timesheet.csv >/dev/null ||
  { echo "FAIL: cannot seed the store"; exit 1; }

fail=0 n=0
while IFS=$'\t' read -r file cmd want_rc want; do
  case $file in ''|'#'*) continue ;; esac
  [ -n "$PATTERN" ] && [[ $file != *$PATTERN* ]] && continue
  n=$((n + 1))
  if [[ $file == gen:* ]]; then
    file=${file#gen:}
    gen "$file" || { fail=1; continue; }
  fi
  if [ ! -e "$file" ]; then
    echo "FAIL $file: no such input"; fail=1; continue
  fi
  rm -f "$tmp/case.db" "$tmp/case.db-wal" "$tmp/case.db-shm"
  cp "$tmp/seed.db" "$tmp/case.db"
  before=$(sha256sum "$tmp/case.db" | cut -d' ' -f1)
  # shellcheck disable=SC2086 # the command's words split on purpose
  out=$("$WARAS" --db "$tmp/case.db" ${cmd//\{\}/$file} 2>&1)
  rc=$?
  after=$(sha256sum "$tmp/case.db" | cut -d' ' -f1)
  problems=()
  [ "$rc" = "$want_rc" ] || problems+=("exit $rc, expected $want_rc")
  [[ $out == *"$want"* ]] || problems+=("output lacks '$want'")
  [ "$want_rc" != 0 ] && [ "$before" != "$after" ] && problems+=("the store changed")
  [ ${#problems[@]} -eq 0 ] && [ "$rc" -ge 128 ] && problems+=("killed by signal $((rc - 128))")
  if [ ${#problems[@]} -gt 0 ]; then
    fail=1
    echo "FAIL $file ($cmd): $(IFS=';'; echo "${problems[*]}")"
    echo "  output: $(head -c 400 <<<"$out")"
  fi
done < "$BAD/MANIFEST"
[ "$n" -gt 0 ] || { echo "FAIL: no case matched"; exit 1; }
[ $fail -eq 0 ] && echo "bad inputs: $n cases, each refused clearly (or accepted as documented) with the store unchanged"
exit $fail
