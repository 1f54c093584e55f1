# Sourced by tests/e2e/browser.sh after lib/serve_test.sh, and by
# tests/e2e/html_report.sh after lib/scratch.sh: runs the playwright-core
# scripts of tests/browser/, or Chromium itself, so that no node or chromium
# process outlives the test, whether a script fails, runs out of time, or the
# test itself is killed.
#
#   browser_exec SECONDS PROG ARGS...   PROG ARGS in its own process group
#                                       (setsid), killed after SECONDS;
#                                       returns its status (124 on timeout,
#                                       1 when a process of it survives)
#   browser_run SECONDS SCRIPT ARGS...  browser_exec SECONDS node SCRIPT ARGS
#   browser_stop                        kills every process a run started;
#                                       called on exit, before $tmp goes
#
# Killing node's process group is not enough: playwright starts chromium
# detached (a new session) and chromium starts its crash handlers in yet
# other sessions, so all of them are also found by a mark in their
# environment, which every process a run starts inherits. TMPDIR is $tmp, so
# the browser profiles are removed with it even when chromium is killed.
browser_pgid=
browser_mark="WARAS_BROWSER_RUN=$tmp"

browser_exec() {
  local seconds=$1 rc=0
  shift
  # In a script (no job control) a background job does not lead a process
  # group, so setsid makes the program a group leader without forking: $! is
  # the group's id.
  env "$browser_mark" TMPDIR="$tmp" setsid timeout "$seconds" "$@" &
  browser_pgid=$!
  wait "$browser_pgid" || rc=$?
  browser_stop || { [ "$rc" -ne 0 ] || rc=1; }
  return $rc
}

browser_run() { browser_exec "$1" node "${@:2}"; }

# The processes whose environment holds the mark, one pid a line.
browser_marked_() {
  local e
  for e in /proc/[0-9]*/environ; do
    if grep -qzxF "$browser_mark" "$e" 2> /dev/null; then
      e=${e#/proc/}
      echo "${e%/environ}"
    fi
  done
}

browser_stop() {
  local pids
  if [ -n "$browser_pgid" ]; then
    kill -KILL -- "-$browser_pgid" 2> /dev/null || true
    browser_pgid=
  fi
  # A process may still be starting others: repeat until none is left.
  for _ in $(seq 50); do
    pids=$(browser_marked_)
    [ -z "$pids" ] && return 0
    # shellcheck disable=SC2086 # one word per pid
    kill -KILL $pids 2> /dev/null || true
    sleep 0.1
  done
  echo "FAIL: browser processes survive: $pids" >&2
  return 1
}

serve_exit_hook() {
  browser_stop || true
  rm -rf "$tmp"
}
