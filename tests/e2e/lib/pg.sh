# Sourced by the PostgreSQL scenarios (tests/e2e/pg_*.sh) before anything
# else, with the binary under test as $1: strict mode, $WARAS, $SRC, a
# scratch directory $tmp that becomes the working directory, WARAS_NOW
# fixed, fail MESSAGE, and a cluster through tests/pg/lib.sh (the ctest
# fixture's, or a private one under $tmp/cluster; PG_PRIVATE=1 before
# sourcing asks for a private one always). The EXIT trap, even on failure:
# pg_exit_hook when the script defines one, then a background process
# still in $pid killed with $pg_kill_signal (KILL unless the script says),
# the private cluster stopped and $tmp removed.
set -euo pipefail
WARAS=$(realpath "$1")
SRC=${WARAS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
tmp=$(mktemp -d)
source "$SRC/tests/pg/lib.sh"
pid=
pg_kill_signal=KILL
pg_on_exit() {
  if declare -F pg_exit_hook > /dev/null; then pg_exit_hook || true; fi
  [ -z "$pid" ] || kill -"$pg_kill_signal" "$pid" 2>/dev/null || true
  pg_cleanup
  rm -rf "$tmp"
}
trap pg_on_exit EXIT
fail() { echo "FAIL: $*"; exit 1; }
if [ -n "${PG_PRIVATE:-}" ]; then
  WARAS_PG_DIR= pg_use "$tmp/cluster"
else
  pg_use "$tmp/cluster"
fi
cd "$tmp"
export WARAS_NOW=2026-11-30T12:00:00Z
