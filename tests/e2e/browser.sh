#!/usr/bin/env bash
# The service in a real browser: Debian's chromium driven by playwright-core
# (tests/browser/, installed by scripts/install-deps with npm ci). Fails, and
# does not skip, when node, playwright-core or chromium is missing. Each
# script runs through browser_run (lib/browser.sh): nothing it starts
# outlives the test.
. "$(dirname "$0")/lib/serve_test.sh"
. "$SRC/tests/e2e/lib/browser.sh"

command -v node > /dev/null || fail "node is not installed (scripts/install-deps installs it)"
[ -x /usr/bin/chromium ] || fail "chromium is not installed (scripts/install-deps installs it)"
[ -f "$SRC/tests/browser/node_modules/playwright-core/package.json" ] \
  || fail "playwright-core is not installed in tests/browser (scripts/install-deps runs npm ci)"

cat > people.csv <<'CSV'
id,name,email,team,timezone
a1,A One,a1@x.example,alpha,Europe/Berlin
a3,A Three,a3@x.example,alpha,Europe/Berlin
b1,B One,b1@x.example,beta,Asia/Jakarta
h1,H One,h1@x.example,hr,Europe/Berlin
CSV
cat > survey.csv <<'CSV'
team,person,date,q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,q11,q12,q13,q14,q15,q16,q17,q18,q19
alpha,a1,2026-11-10,Always,Often,Often,Sometimes,Always,Seldom,To a high degree,To a high degree,Somewhat,Always,Often,Often,Seldom,,,,,,
alpha,a3,2026-11-11,50,50,50,25,50,25,50,50,50,50,25,25,75,,,,,,
CSV
# a1 works 12 + 13.5 h on two days of W47, far into the evening.
cat > timesheet.csv <<'CSV'
person,date,start,end,hours
a1,2026-11-16,08:00,20:00,
a1,2026-11-17,08:00,21:30,
a3,2026-11-16,09:00,17:00,
CSV
"$WARAS" people import people.csv > /dev/null
"$WARAS" ingest survey survey.csv > /dev/null
"$WARAS" ingest timesheet timesheet.csv > /dev/null
printf 'ana-password\n' | "$WARAS" -q user add ana --role member --person a1 --password-stdin
printf 'lee-password\n' | "$WARAS" -q user add lee --role lead --person a3 --teams alpha --password-stdin
printf 'ops-password\n' | "$WARAS" -q user add ops --role people-ops --person h1 --password-stdin
printf 'root-password\n' | "$WARAS" -q user add root --role admin --password-stdin

serve_start
mkdir shots
browser_run 180 "$SRC/tests/browser/my_week.mjs" "http://127.0.0.1:$port" "$tmp/shots" \
  || fail "browser checks failed"
[ "$(head -c 8 shots/member.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
  || fail "the screenshot is not a PNG"
browser_run 180 "$SRC/tests/browser/rota_org.mjs" "http://127.0.0.1:$port" "$tmp/shots" \
  || fail "rota, calendar and organisation checks failed"
browser_run 180 "$SRC/tests/browser/survey.mjs" "http://127.0.0.1:$port" "$tmp/shots" \
  || fail "survey checks failed"
[ "$(head -c 8 shots/survey.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
  || fail "the survey screenshot is not a PNG"
browser_run 180 "$SRC/tests/browser/remedies.mjs" "http://127.0.0.1:$port" "$tmp/shots" \
  || fail "quiet week, recovery leave and check pages failed"
for s in quiet recovery check; do
  [ "$(head -c 8 shots/$s.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
    || fail "the $s screenshot is not a PNG"
done
browser_run 180 "$SRC/tests/browser/admin.mjs" "http://127.0.0.1:$port" "$tmp/shots" \
  || fail "admin page checks failed"
[ "$(head -c 8 shots/admin.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
  || fail "the admin screenshot is not a PNG"
if grep -qF 'wrs_' serve.log || grep -qF 'newbie-' serve.log; then fail "the log holds a secret"; fi
if grep -qE '62\.5|75\.0' serve.log; then fail "the log holds a survey score"; fi
# The downloaded plan and the subscription are valid iCalendar: waras reads
# them, and so does python3-icalendar.
for f in plan feed quiet recovery; do
  n=$("$WARAS" ics expand "shots/$f.ics" --from 2000-01-01 --to 2100-01-01 | wc -l)
  [ "$n" -ge 2 ] || fail "waras ics expand reads $n events of $f.ics"
  /usr/bin/python3 -c 'import icalendar, sys
c = icalendar.Calendar.from_ical(open(sys.argv[1]).read())
n = len(list(c.walk("VEVENT")))
sys.exit(0 if n == int(sys.argv[2]) else 1)' "shots/$f.ics" "$n" || fail "python3-icalendar and $f.ics"
done
for s in rota calendar org; do
  [ "$(head -c 8 shots/$s.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
    || fail "the $s screenshot is not a PNG"
done
if grep -qF 'wrc_' serve.log; then fail "the log holds a calendar address"; fi
if grep -qF '70.83' serve.log || grep -qF 'password' serve.log; then fail "the log leaks"; fi
echo "browser: ok (screenshot $(stat -c %s shots/member.png) bytes)"
