# Sourced first by the end-to-end scripts that run the service
# (serve_api.sh, serve_limits.sh, browser.sh), with the binary under test
# as $1: strict mode, $WARAS, $SRC, lib/serve.sh (serve_start, serve_stop,
# the server stopped on exit), a scratch directory $tmp that becomes the
# working directory and is removed after the server stops, the store
# WARAS_DB in it, and fail MESSAGE, which also shows the server log's end.
set -euo pipefail
WARAS=$(realpath "$1")
SRC=${WARAS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
tmp=$(mktemp -d)
serve_exit_hook() { rm -rf "$tmp"; }
. "$SRC/tests/e2e/lib/serve.sh"
cd "$tmp"
fail() { echo "FAIL: $*"; [ -f serve.log ] && tail -20 serve.log; exit 1; }
export WARAS_DB="$tmp/w.db"
