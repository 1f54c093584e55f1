# Sourced by the scripts that run the service (tests/e2e/serve_api.sh,
# serve_limits.sh and browser.sh through lib/serve_test.sh, bench/serve.sh):
# start `$WARAS serve` on a free loopback port, wait until /api/v1/health
# answers, and stop it with SIGTERM on exit, even when a check fails.
#
#   serve_start [SERVE ARGS...]  starts it with its log in ${SERVE_LOG:-serve.log};
#                                sets serve_pid, port and base (http://127.0.0.1:PORT)
#   serve_stop                   SIGTERM, then waits; returns the server's status
#   serve_exit_hook              define it for more to do on exit (called after the stop)
#
# Environment given to serve_start's caller (WARAS_DB, WARAS_NOW, ...) reaches
# the server. Needs $WARAS, the binary.
serve_pid=
port=
base=

serve_stop() {
  local rc=0
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid"
    wait "$serve_pid" || rc=$?
  fi
  serve_pid=
  return $rc
}

serve_on_exit() {
  local rc=$?
  serve_stop || true
  if declare -F serve_exit_hook > /dev/null; then serve_exit_hook || true; fi
  exit $rc
}
trap serve_on_exit EXIT

serve_fail_() {
  echo "FAIL: $*" >&2
  [ -f "${SERVE_LOG:-serve.log}" ] && tail -20 "${SERVE_LOG:-serve.log}" >&2
  exit 1
}

# serve_health: 0 when GET /api/v1/health answers {"status":"ok"}.
serve_health() {
  local reply
  # (in braces: a bare exec with 2> would silence the caller's stderr for good)
  { exec 9<> "/dev/tcp/127.0.0.1/$port"; } 2> /dev/null || return 1
  printf 'GET /api/v1/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&9
  reply=$(timeout 5 cat <&9 || true)
  exec 9<&-
  [[ $reply == *'"status":"ok"'* ]]
}

serve_start() {
  local log=${SERVE_LOG:-serve.log}
  : > "$log" # before the child opens it: the loop below may read it first
  "$WARAS" serve --listen 127.0.0.1:0 "$@" 2> "$log" &
  serve_pid=$!
  port=
  for _ in $(seq 200); do
    kill -0 "$serve_pid" 2>/dev/null || serve_fail_ "the server did not start"
    port=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' "$log")
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || serve_fail_ "no port in the server's log"
  for _ in $(seq 200); do
    serve_health && break
    sleep 0.05
  done
  serve_health || serve_fail_ "GET /api/v1/health does not answer"
  base="http://127.0.0.1:$port"
}
