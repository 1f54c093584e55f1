#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests: no TCP, one Unix socket
# directory under DIR, trust for the role "waras" and a password for the
# role "pwuser" (for the wrong-password check).
#   cluster.sh start DIR      initdb (when new) and start; prints nothing
#   cluster.sh stop DIR       pg_ctl stop (fast); a missing cluster is fine
#   cluster.sh url DIR [DB]   the URL of database DB (default waras)
#   cluster.sh createdb DIR DB   a new, empty database DB (dropped first)
# PostgreSQL refuses to run as root: as root, the server runs as the
# "postgres" user, which owns DIR. Without PostgreSQL's binaries this exits
# non-zero: a test that needs the server fails, never skips.
set -euo pipefail
cmd=${1:?usage: cluster.sh start|stop|url|createdb DIR}
dir=${2:?usage: cluster.sh start|stop|url|createdb DIR}
bin=${WARAS_PG_BIN:-}
if [ -z "$bin" ]; then
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bin=$d; done
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "cluster.sh: PostgreSQL server binaries not found (install Debian's postgresql;" \
       "scripts/install-deps does)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

sock="$dir/sock"
url() { echo "postgresql://waras@/${1:-waras}?host=$sock"; }

case $cmd in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd); sock="$dir/sock"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data" "$sock"
    mkdir -p "$dir/data" "$sock"
    [ "$(id -u)" -eq 0 ] && chown -R postgres "$dir"
    chmod 755 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U waras --auth=trust -E UTF8 --locale=C \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # The password role first: pg_hba.conf is read top-down.
    { echo "local all pwuser scram-sha-256"; echo "local all all trust"; } >"$dir/data/pg_hba.conf"
  fi
  # A server left running by an interrupted run is stopped first.
  as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 &&
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$sock' -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" start \
    >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  psql -X -q -v ON_ERROR_STOP=1 "$(url postgres)" >/dev/null <<'SQL'
SELECT 'CREATE ROLE pwuser LOGIN PASSWORD ''right-password'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pwuser') \gexec
SELECT 'CREATE DATABASE waras'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'waras') \gexec
SQL
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  ;;
url)
  url "${3:-waras}"
  ;;
createdb)
  db=${3:?usage: cluster.sh createdb DIR DB}
  PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$(url postgres)" \
    -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\"" >/dev/null
  url "$db"
  ;;
*)
  echo "cluster.sh: unknown command $cmd" >&2; exit 2
  ;;
esac
