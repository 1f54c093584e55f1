#!/usr/bin/env bash
# The service under load: a 50-person team with 12 weeks of timesheets is
# ingested through the ordinary commands, a lead account and an API token
# are made, `waras serve` listens on a free loopback port, and wrk asks for
# the team report (GET /api/v1/report?team=core&weeks=12) at 1, 16 and 64
# connections (the server runs with --max-per-address 128, since 64 from one
# address is past the default limit of 32, docs/service.md "Limits"). Prints
# requests/s, p50 and p99 latency of each run, the spread over the runs,
# checks that no request failed, and compares the
# API's p50 with the median time of the CLI's `waras report --format json
# --team core --weeks 12` for the same answer (target: at most 1.2x), and
# the time of the first answer after a write to the store (when the
# service's report cache cannot answer) with the same CLI time.
# With --soak [SECONDS] (default 600) it instead runs 16 connections that
# mix report reads with survey answers (every 100th request, a write by one
# of 10 members to an open round) and sign-ins (every 500th, a write that
# hashes with 64 MiB), and compares the server's RSS after a warm-up with the RSS at
# the end (within 10 %).
# BENCH_SAMPLE=FILE (with --soak) writes one line a second to FILE: seconds
# since the soak began, phase, the server's VmRSS, RssAnon, RssFile and
# threads (KiB), and requests logged so far.
# Usage: [BENCH_KEEP=DIR] [BENCH_SAMPLE=FILE] bench/serve.sh [--runs N] [--duration SECONDS] [--soak [SECONDS]]
#        [--warmup SECONDS] (the soak's warm-up before the first RSS reading; default 60)
# (BENCH_KEEP keeps the server's log and wrk's outputs in DIR.)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
WARAS=${WARAS:-$here/build/waras}
runs=3
duration=10
soak=
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --soak)
      if [ $# -gt 1 ] && [[ $2 =~ ^[0-9]+$ ]]; then soak=$2; shift 2; else soak=600; shift; fi ;;
    *) echo "usage: bench/serve.sh [--runs N] [--duration SECONDS] [--soak [SECONDS]] [--warmup SECONDS]" >&2; exit 2 ;;
  esac
done
[ -x "$WARAS" ] || { echo "build first: $WARAS is missing" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (scripts/install-deps)" >&2; exit 1; }
export LC_ALL=C
tmp=$(mktemp -d)
# BENCH_KEEP=DIR keeps the server's log and wrk's outputs there.
sampler=
serve_exit_hook() {
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; fi
  if [ -n "${BENCH_KEEP:-}" ]; then mkdir -p "$BENCH_KEEP" && cp "$tmp"/*.log "$tmp"/*.out "$BENCH_KEEP"/ 2>/dev/null; fi
  rm -rf "$tmp"
}
. "$here/tests/e2e/lib/serve.sh"
cd "$tmp"

# A fixed clock, so that the weeks the server and the CLI pick are the same
# and hold the generated history: the last complete week is 2026-11-23.
export WARAS_NOW=2026-12-01T12:00:00Z
export WARAS_DB="$tmp/w.db"
team=core
people=50
weeks=12

# 50 people in one team; 12 weeks (from Monday 2026-09-07) of five or six
# worked days, each of six blocks with short breaks, some evenings late.
awk -v n="$people" -v team="$team" 'BEGIN {
  split("Europe/Berlin Asia/Jakarta America/Los_Angeles Europe/London", z, " ");
  print "id,name,email,team,timezone";
  for (i = 1; i <= n; i++)
    printf "p%03d,Person %d,p%03d@bench.example,%s,%s\n", i, i, i, team, z[(i % 4) + 1];
}' > people.csv
awk -v n="$people" -v weeks="$weeks" 'BEGIN {
  print "person,date,start,end";
  srand(11);
  for (i = 1; i <= n; i++) {
    heavy = (i % 7 == 0);
    for (d = 0; d < weeks * 7; d++) {
      dow = d % 7;
      if (dow == 6 || (dow == 5 && !heavy)) continue;
      y = 2026; m = 9; dd = 7 + d;
      while (1) {
        md = (m == 9 || m == 11) ? 30 : 31;
        if (dd <= md) break;
        dd -= md; m++;
      }
      t = 8 * 60 + int(rand() * 60);
      blocks = heavy ? 8 : 6;
      for (k = 0; k < blocks; k++) {
        len = 60 + int(rand() * 40);
        if (t + len >= 23 * 60) break;
        printf "p%03d,%04d-%02d-%02d,%02d:%02d,%02d:%02d\n", i, y, m, dd, int(t / 60), t % 60, int((t + len) / 60), (t + len) % 60;
        t += len + 5 + int(rand() * 15);
      }
    }
  }
}' > timesheet.csv
"$WARAS" -q people import people.csv
"$WARAS" -q ingest timesheet timesheet.csv
printf '%s\n' 'bench-lead-password' | "$WARAS" -q user add lead --role lead --person p001 --teams "$team" --password-stdin
token=$("$WARAS" token create lead --name bench 2>/dev/null)
[ -n "$token" ] || { echo "no API token" >&2; exit 1; }
# Ten members with API tokens, who answer the survey in the soak.
members=
for i in $(seq 2 11); do
  m=$(printf 'p%03d' "$i")
  printf '%s\n' "bench-$m-password" | "$WARAS" -q user add "$m" --role member --person "$m" --password-stdin
  members="$members $("$WARAS" token create "$m" --name bench 2>/dev/null)"
done
rows=$(($(wc -l < timesheet.csv) - 1))

# 64 connections from one address need more than the default per-address
# limit of 32 (docs/service.md "Limits").
serve_start --max-per-address 128
path="/api/v1/report?team=$team&weeks=$weeks"

# The API must give the CLI's document, byte for byte.
"$WARAS" report --format json --team "$team" --weeks "$weeks" > cli.json
/usr/bin/python3 - "$port" "$path" "$token" > api.json <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
c.request("GET", sys.argv[2], headers={"Authorization": "Bearer " + sys.argv[3]})
r = c.getresponse()
body = r.read()
if r.status != 200:
    sys.exit(f"GET {sys.argv[2]}: {r.status} {body[:200]!r}")
sys.stdout.buffer.write(body)
PY
cmp -s cli.json api.json || { echo "the API's document differs from the CLI's" >&2; diff <(head -c 2000 cli.json) <(head -c 2000 api.json) | head >&2; exit 1; }

# rss_kib: the server's resident set in KiB, once the requests still in
# flight when wrk stopped (a sign-in hashes with 64 MiB) have ended.
rss_kib() { sleep 3; awk '/^VmRSS:/ { print $2 }' "/proc/$serve_pid/status"; }

# wrk_run OUT CONNS SECONDS [LUA]: one wrk run; fails on any error.
wrk_run() {
  local out=$1 c=$2 s=$3 lua=${4:-}
  local t=$((c < 2 ? 1 : 2))
  local args=(-t"$t" -c"$c" -d"${s}s" --timeout 10s --latency -H "Authorization: Bearer $token")
  [ -n "$lua" ] && args+=(-s "$lua")
  wrk "${args[@]}" "$base$path" > "$out"
  if grep -q -e 'Non-2xx or 3xx' -e 'Socket errors' "$out"; then
    echo "errors in a run at $c connections:" >&2; cat "$out" >&2; exit 1
  fi
}
# to_ms VALUE: wrk's "812.00us", "1.52ms" or "1.02s" in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0;
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000;
    printf "%.3f", n }'
}
# field OUT: "req/s p50_ms p99_ms requests" of a wrk output.
fields() {
  local rps p50 p99 n
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$1")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$1")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$1")")
  n=$(awk '/requests in/ { print $1 }' "$1")
  echo "$rps $p50 $p99 $n"
}
# spread: "min median max" of the numbers on stdin.
spread() { sort -g | awk '{ v[NR] = $1 } END { printf "%s %s %s", v[1], v[int((NR + 1) / 2)], v[NR] }'; }

echo "service benchmark: $people people in team $team, $weeks weeks, $rows timesheet rows; $(nproc) cores"

if [ -n "$soak" ]; then
  # The lead opens a survey round of the team, open for the whole run.
  round=$(/usr/bin/python3 - "$port" "$token" <<'PY'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
c.request("POST", "/api/v1/surveys", json.dumps({"teams": ["core"], "opens": "2026-12-01",
          "closes": "2026-12-31"}), {"Authorization": "Bearer " + sys.argv[2],
          "Content-Type": "application/json"})
r = c.getresponse()
body = r.read()
if r.status != 201:
    sys.exit(f"opening a round: {r.status} {body[:200]!r}")
print(json.loads(body)["id"])
PY
)
  cat > soak.lua <<'LUA'
-- Report reads; every 100th request a survey answer (PUT, by one of the ten
-- members in turn, each a store write that also ends the cached reports);
-- every 250th a step of a sign-in (GET /login for the form's CSRF cookie,
-- then at the next step POST /login), each one a new session row.
local n, cookie, token = 0, nil, os.getenv("BENCH_TOKEN")
local read = nil
local members, round = {}, os.getenv("BENCH_ROUND")
for t in string.gmatch(os.getenv("BENCH_MEMBERS"), "%S+") do members[#members + 1] = t end
function init(args)
  read = wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token })
end
function request()
  n = n + 1
  if n % 100 == 0 and n % 250 ~= 0 then
    local k = n / 100
    local t = members[k % #members + 1]
    local a = {}
    for i = 1, 19 do a[i] = tostring(((k + i) % 5) * 25) end
    return wrk.format("PUT", "/api/v1/surveys/" .. round .. "/response", {
      ["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json" },
      '{"answers":[' .. table.concat(a, ",") .. ']}')
  end
  if n % 250 ~= 0 then return read end
  if cookie then
    local c = cookie
    cookie = nil
    return wrk.format("POST", "/login", {
      ["Content-Type"] = "application/json", ["Cookie"] = "waras_login=" .. c },
      '{"login":"lead","password":"bench-lead-password","csrf":"' .. c .. '"}')
  end
  return wrk.format("GET", "/login")
end
function response(status, headers, body)
  local sc = headers["Set-Cookie"]
  if sc then
    local v = sc:match("^waras_login=([0-9a-f]+)")
    if v then cookie = v end
  end
end
LUA
  export BENCH_TOKEN=$token BENCH_MEMBERS=$members BENCH_ROUND=$round
  warm=${warmup:-60}
  echo "soak: 16 connections, reads, survey answers and sign-ins; warm-up ${warm}s, then ${soak}s"
  if [ -n "${BENCH_SAMPLE:-}" ]; then
    echo warm-up > phase
    (
      t0=$(date +%s)
      echo "s phase rss_kib anon_kib file_kib threads requests"
      while kill -0 "$serve_pid" 2>/dev/null; do
        echo "$(($(date +%s) - t0)) $(cat phase) $(awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 }
          /^RssFile:/ { f = $2 } /^Threads:/ { t = $2 } END { print r, a, f, t }' "/proc/$serve_pid/status") $(wc -l < serve.log)"
        sleep 1
      done
    ) > "$BENCH_SAMPLE" 2>/dev/null &
    sampler=$!
  fi
  wrk_run warm.out 16 "$warm" soak.lua
  echo idle > phase
  rss_warm=$(rss_kib)
  echo soak > phase
  wrk_run soak.out 16 "$soak" soak.lua
  echo idle > phase
  rss_end=$(rss_kib)
  read -r rps p50 p99 n <<< "$(fields soak.out)"
  sessions=$(sqlite3 w.db "SELECT count(*) FROM sessions" 2>/dev/null || echo '?')
  answers=$(grep -c '^PUT /api/v1/surveys/[0-9]*/response 200 ' serve.log || true)
  echo "soak: $n requests, $rps req/s, p50 ${p50} ms, p99 ${p99} ms, 0 errors; $sessions sessions made, $answers survey answers"
  within=$(awk -v a="$rss_warm" -v b="$rss_end" 'BEGIN { d = (b - a) / a; print (d <= 0.10 && d >= -0.10) ? "yes" : "no" }')
  echo "soak: RSS after warm-up ${rss_warm} KiB, at the end ${rss_end} KiB; within 10 %: $within"
  [ "$within" = yes ] || exit 1
  exit 0
fi

# The CLI's time for the same answer: the median of 9 runs.
for i in $(seq 9); do
  a=$(date +%s%N)
  "$WARAS" report --format json --team "$team" --weeks "$weeks" > /dev/null
  b=$(date +%s%N)
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f\n", (b - a) / 1e6 }'
done > cli.ms
read -r cmin cmed cmax <<< "$(spread < cli.ms)"
echo "CLI report --format json --team $team --weeks $weeks: median $cmed ms (min $cmin, max $cmax; 9 runs)"

# The first answer after a write to the store (nothing cached can be used):
# a token made with the CLI changes the store, then one GET is timed.
for i in $(seq 9); do
  "$WARAS" token create lead --name "bump$i" > /dev/null 2>&1
  /usr/bin/python3 - "$port" "$path" "$token" <<'PY'
import http.client, sys, time
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
c.connect()
t = time.perf_counter()
c.request("GET", sys.argv[2], headers={"Authorization": "Bearer " + sys.argv[3]})
r = c.getresponse()
r.read()
ms = (time.perf_counter() - t) * 1000
if r.status != 200:
    sys.exit(f"status {r.status}")
print(f"{ms:.3f}")
PY
done > cold.ms
read -r kmin kmed kmax <<< "$(spread < cold.ms)"
cold_ratio=$(awk -v p="$kmed" -v c="$cmed" 'BEGIN { printf "%.2f", p / c }')
echo "API first answer after a store change: median $kmed ms (min $kmin, max $kmax; 9 runs), ${cold_ratio}x the CLI"

printf '%-6s %-28s %-28s %-28s %s\n' conns "req/s (min med max)" "p50 ms (min med max)" "p99 ms (min med max)" "p50/CLI"
status=0
for c in 1 16 64; do
  : > "r$c"
  for r in $(seq "$runs"); do
    wrk_run "w$c.$r" "$c" "$duration"
    fields "w$c.$r" >> "r$c"
  done
  read -r rmin rmed rmax <<< "$(awk '{ print $1 }' "r$c" | spread)"
  read -r pmin pmed pmax <<< "$(awk '{ print $2 }' "r$c" | spread)"
  read -r qmin qmed qmax <<< "$(awk '{ print $3 }' "r$c" | spread)"
  ratio=$(awk -v p="$pmed" -v c="$cmed" 'BEGIN { printf "%.3f", p / c }')
  printf '%-6s %-28s %-28s %-28s %s\n' "$c" "$rmin $rmed $rmax" "$pmin $pmed $pmax" "$qmin $qmed $qmax" "$ratio"
  [ "$c" = 1 ] && one=$ratio
done
echo "errors: 0 (no non-2xx responses, no socket errors in any run)"
verdict=$(awk -v r="$one" -v k="$cold_ratio" 'BEGIN { print (r <= 1.2 && k <= 1.2) ? "within" : "above" }')
echo "API p50 at 1 connection / CLI median: ${one}x; first answer after a change: ${cold_ratio}x ($verdict the target of 1.2x)"
[ "$verdict" = within ] || status=1
exit $status
