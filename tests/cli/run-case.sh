#!/usr/bin/env bash
# Runs one golden CLI case: tests/cli/NAME/ holds
#   cmd        - a shell snippet; $WARAS is the binary, $CASE the case dir,
#                and it runs in a fresh temporary directory
#   expected   - expected stdout (optional; compared byte for byte)
#   stderr     - a fixed string that stderr must contain (optional)
#   rc         - expected exit code (optional, default 0)
# cmd runs under bash -e -o pipefail: a waras that fails inside a pipeline
# fails the case. WARAS_NOW fixes waras's clock, so that no case depends on
# the day it runs (a case may set its own).
#
# With a third argument, the cluster directory of tests/pg/cluster.sh, the
# case runs on PostgreSQL: a fresh database per case, named for the case,
# is the default store (WARAS_DB), and the same expected output must come
# out. There, `sqlite3 waras.db "SELECT ..."` runs the query on that
# database through psql, in sqlite3's output form (values joined by |), with
# SQLite's datetime(N, 'unixepoch') and date(N, 'unixepoch', MOD) defined.
# A case that writes SQL into the store, reads another SQLite file or checks
# the file's bytes is SQLite's alone: it is not registered for PostgreSQL
# (CMakeLists.txt).
set -u
WARAS=$1
CASE=$2
PGDIR=${3:-}
export WARAS CASE
export WARAS_DB=
export WARAS_NOW=2026-11-30T12:00:00Z
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "$PGDIR" ]; then
  here=$(cd "$(dirname "$0")" && pwd)
  WARAS_DB=$("$here/../pg/cluster.sh" createdb "$PGDIR" "case_$(basename "$CASE")") || {
    echo "cannot create the case's PostgreSQL database (is the cluster up?)"; exit 1; }
  psql_case() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -A -t -F'|' -v ON_ERROR_STOP=1 "$WARAS_DB" "$@"; }
  psql_case >/dev/null <<'SQL'
CREATE FUNCTION datetime(bigint, text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT to_char(to_timestamp($1) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') $$;
CREATE FUNCTION date(bigint, text, text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT to_char(to_timestamp($1) AT TIME ZONE 'UTC' + $3::interval, 'YYYY-MM-DD') $$;
SQL
  sqlite3() {
    if [ "${1:-}" != waras.db ] || [ $# -ne 2 ]; then
      echo "run-case.sh: on PostgreSQL only sqlite3 waras.db \"QUERY\" is supported" >&2
      return 2
    fi
    psql_case -c "$2"
  }
  export -f psql_case sqlite3
fi
cd "$tmp"
bash -e -o pipefail "$CASE/cmd" >"$tmp/.out" 2>"$tmp/.err"
rc=$?
want_rc=0
[ -f "$CASE/rc" ] && want_rc=$(cat "$CASE/rc")
fail=0
if [ "$rc" != "$want_rc" ]; then
  echo "exit code $rc, expected $want_rc"; fail=1
fi
if [ -f "$CASE/expected" ] && ! diff -u "$CASE/expected" "$tmp/.out"; then
  echo "stdout differs from $CASE/expected"; fail=1
fi
if [ -f "$CASE/stderr" ] && ! grep -qF -- "$(cat "$CASE/stderr")" "$tmp/.err"; then
  echo "stderr lacks: $(cat "$CASE/stderr")"; fail=1
fi
if [ $fail -ne 0 ]; then
  echo "--- stderr ---"; cat "$tmp/.err"
fi
exit $fail
