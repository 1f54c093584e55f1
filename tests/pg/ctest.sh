#!/usr/bin/env bash
# Runs ctest in the current build directory with the arguments given, and
# stops the build's PostgreSQL cluster (pg/start's, in ./pgcluster) when it
# ends however it ends: ctest's own pg/stop runs after failing tests, but
# not when ctest itself is interrupted or killed by a time limit, and a
# cluster left running would outlive the run. `make test` runs ctest
# through this.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ctest_pid=
stop_all() {
  [ -z "$ctest_pid" ] || kill "$ctest_pid" 2>/dev/null || true
  bash "$here/cluster.sh" stop "$PWD/pgcluster" >/dev/null 2>&1 || true
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# In the background, so that a signal reaches the trap at once rather than
# after ctest has finished.
ctest "$@" &
ctest_pid=$!
wait "$ctest_pid"
rc=$?
ctest_pid=
exit "$rc"
