#!/usr/bin/env bash
# The service's connection limits on loopback: a client that sends half a
# request and stalls is disconnected after the idle timeout (here
# `--timeout 5`) while other clients are answered at once, and a client
# address holding `--max-per-address` connections gets no more until it
# closes one. Bad values of both options are usage errors. The server is
# stopped even when a check fails.
. "$(dirname "$0")/lib/serve_test.sh"

"$WARAS" -q init > /dev/null

for bad in "--timeout 0" "--timeout 3601" "--timeout x" "--max-per-address 0" \
           "--max-per-address 257"; do
  set +e
  # shellcheck disable=SC2086
  "$WARAS" serve --listen 127.0.0.1:0 $bad > /dev/null 2> bad.err
  rc=$?
  set -e
  [ "$rc" = 2 ] || fail "serve $bad: exit $rc, want 2"
  grep -qe "${bad%% *}" bad.err || fail "serve $bad: the message does not name the option"
done
"$WARAS" serve --help | grep -q -- '--timeout SECONDS' || fail "--help lacks --timeout"
"$WARAS" serve --help | grep -q -- '--max-per-address N' || fail "--help lacks --max-per-address"

serve_start --timeout 5 --max-per-address 6
grep -q 'idle timeout 5 s, 6 connections per address' serve.log \
  || fail "the log does not show the limits"

PORT=$port /usr/bin/python3 - <<'PY' || fail "slow-client checks failed"
import http.client, os, socket, sys, time
port = int(os.environ["PORT"])
failures = []

def check(cond, what):
    if not cond:
        failures.append(what)
        print("  not ok:", what)

def health(c=None):
    """GET /api/v1/health on c (kept open), or on a connection of its own."""
    own = c is None
    if own:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    t = time.monotonic()
    c.request("GET", "/api/v1/health")
    r = c.getresponse()
    r.read()
    if own:
        c.close()
    return r.status, time.monotonic() - t

def closed_after(s, limit):
    """Seconds until the server closes s (reading nothing), or None."""
    t = time.monotonic()
    s.settimeout(limit)
    try:
        data = s.recv(4096)
    except socket.timeout:
        return None
    except ConnectionResetError:
        data = b""
    return time.monotonic() - t if not data else -1

# Three slow clients: half a request line and headers, then nothing.
print("slow clients")
slow = []
for i in range(3):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    slow.append(s)
t0 = time.monotonic()
# Meanwhile everyone else is answered at once: 20 requests on one kept
# connection, and one on a new connection. (Twenty connections one after
# another would count against --max-per-address until the server has
# noticed each one closed, which on a loaded machine can take longer than
# the next one takes to open.)
live = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
for i in range(21):
    st, secs = health(live if i < 20 else None)
    # Half the timeout: a request that waited for a stalled client would take 5 s.
    check(st == 200 and secs < 2.5, f"request {i} beside the stalled clients: {st} in {secs:.2f}s")
live.close()
# A body that stops half way is the same.
b = socket.create_connection(("127.0.0.1", port))
b.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          b"Content-Length: 100\r\n\r\n{\"login\":")
slow.append(b)
for s in slow:
    left = 16 - (time.monotonic() - t0)
    secs = closed_after(s, max(left, 0.1))
    check(secs is not None and secs != -1, "a stalled client is disconnected")
    s.close()
elapsed = time.monotonic() - t0
check(4 <= elapsed <= 14, f"the stalled clients were closed after {elapsed:.1f}s (timeout 5s)")
st, secs = health()
check(st == 200, "the service answers after the timeouts")

# The per-address limit: 6 open connections, a 7th gets nothing; closing one
# lets the next in.
print("connections per address")
time.sleep(2)  # the closed connections above are gone from the count
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(6)]
time.sleep(0.3)
extra = socket.create_connection(("127.0.0.1", port))
extra.sendall(b"GET /api/v1/health HTTP/1.0\r\n\r\n")
extra.settimeout(1)
try:
    got = extra.recv(100)
except (socket.timeout, ConnectionResetError):
    got = b""
check(got == b"", f"a 7th connection from one address is refused: {got[:40]!r}")
extra.close()
held.pop().close()
time.sleep(0.3)
st, _ = health()
check(st == 200, "with one closed, the address is answered again")
for s in held:
    s.close()

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("all checks passed")
PY
grep -q 'request ended early (timeout)' serve.log || fail "the log does not show a timeout"
serve_stop || fail "the server did not stop cleanly"
echo "serve limits: ok"
