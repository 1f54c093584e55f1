# Sourced by end-to-end scripts before anything else: strict mode, the
# binary under test as $WARAS (the script's first argument), a scratch
# directory $tmp that becomes the working directory and is removed on exit,
# and fail MESSAGE, which ends the script with "FAIL: MESSAGE".
set -euo pipefail
WARAS=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }
