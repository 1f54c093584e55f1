# Shared by the PostgreSQL scenarios (tests/e2e/pg_*.sh), sourced after
# WARAS is set: the test cluster of ctest's pg fixture (WARAS_PG_DIR), or
# a private one this script starts and stops in its EXIT trap.
PG_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLUSTER="$PG_LIB_DIR/cluster.sh"
PG_OWN=

# Uses WARAS_PG_DIR when its server answers, else starts a private cluster
# under $1 (stopped by pg_cleanup).
pg_use() {
  if [ -n "${WARAS_PG_DIR:-}" ] && [ -S "$WARAS_PG_DIR/sock/.s.PGSQL.5432" ]; then
    PGDIR=$WARAS_PG_DIR
  else
    PGDIR=$1
    PG_OWN=1
    # The server runs as "postgres" when we are root: it must reach DIR.
    chmod a+x "$(dirname "$PGDIR")"
    bash "$CLUSTER" start "$PGDIR"
  fi
}

pg_cleanup() {
  [ -z "$PG_OWN" ] || bash "$CLUSTER" stop "$PGDIR" || true
}

# A fresh database: prints its URL.
pg_newdb() { bash "$CLUSTER" createdb "$PGDIR" "$1"; }

# Runs SQL on a database (URL first); unaligned rows, no headers.
pg_sql() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -A -t -v ON_ERROR_STOP=1 "$1" -c "$2"; }
