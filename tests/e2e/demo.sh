#!/usr/bin/env bash
# The demo end to end: generate, ingest through the real commands, print the
# table; then check the organisation's shape, determinism, idempotent
# re-ingest, and that the overloaded people show up as such.
. "$(dirname "$0")/lib/scratch.sh"

"$WARAS" --db a.db demo --dir a --seed 7 --end 2026-11-22 > out.txt
grep -q '^Generated 26 people in 3 teams across 4 time zones' out.txt || fail "summary line"
grep -q 'commits, [0-9]* incidents with [0-9]* notifications' out.txt || fail "no paging or git history"
# Everything went through the real ingest commands.
for c in "people import" "ingest ics" "ingest timesheet" "ingest leave" "ingest git" \
         "ingest pagerduty" "ingest oncall" "oncall plan --team research"; do
  grep -q "^\$ waras $c" out.txt || fail "the demo did not run 'waras $c'"
done
# Public holidays of the three sites, through the real command.
for site in jakarta berlin san-francisco; do
  grep -q "^\$ waras ingest holidays a/holidays-$site.ics --site $site" out.txt || fail "no holidays for $site"
done
grep -q 'DTSTART;VALUE=DATE:20261225' a/holidays-berlin.ics || fail "no Christmas in Berlin"
# Recovery leave never spends a public holiday as a leave day: each planned
# block holds exactly 5 of its person's working days that are not holidays.
/usr/bin/python3 - <<'PY' || fail "recovery leave spends a holiday"
import sqlite3, datetime
from zoneinfo import ZoneInfo
db = sqlite3.connect("a.db")
zone = dict(db.execute("SELECT id, timezone FROM people"))
hol = {}
for who, start in db.execute("SELECT person, start FROM events WHERE kind = 'holiday'"):
    hol.setdefault(who, set()).add(datetime.datetime.fromtimestamp(start, ZoneInfo(zone[who])).date())
n = spanned = 0
for who, start, end in db.execute("SELECT person, start, \"end\" FROM events WHERE source_kind = 'plan-recovery'"):
    z = ZoneInfo(zone[who])
    a = datetime.datetime.fromtimestamp(start, z).date()
    b = datetime.datetime.fromtimestamp(end, z).date()
    days = [a + datetime.timedelta(d) for d in range((b - a).days)]
    work = [d for d in days if d.weekday() < 5 and d not in hol.get(who, set())]
    assert len(work) == 5, (who, a, b, work)
    spanned += any(d in hol.get(who, set()) and d.weekday() < 5 for d in days)
    n += 1
assert n > 0, "no recovery leave recorded"
print("recovery blocks:", n, "stepping over a holiday:", spanned)
PY
# Night-skewed paging: training-infra's interruptions are mostly in sleep hours.
awk '$1 == "training-infra" && $5 > $3 && $5 > $4 {ok = 1} END {exit !ok}' out.txt || fail "training pages are not night-heavy"
# Each team gets next quarter's rota with a fairness table, written as iCalendar.
[ "$(grep -c '^On-call plan for' out.txt)" -eq 3 ] || fail "not every team got a rota"
for t in training-infra inference research; do
  grep -q '^BEGIN:VEVENT' "a/oncall-$t.ics" || fail "no rota calendar for $t"
done
[ "$(tail -n +2 a/people.csv | wc -l)" -ge 24 ] || fail "fewer than 24 people"
[ "$(cut -d, -f4 a/people.csv | tail -n +2 | sort -u | wc -l)" -ge 3 ] || fail "fewer than 3 teams"
grep -q 'Asia/Jakarta' a/people.csv || fail "nobody in Jakarta"
[ "$(cut -d, -f5 a/people.csv | tail -n +2 | sort -u | wc -l)" -ge 3 ] || fail "fewer than 3 zones"
[ "$(ls a/calendars/*.ics | wc -l)" -eq 26 ] || fail "one calendar per person"
grep -q '^RRULE:' a/calendars/ayu.ics || fail "no recurring meetings"
grep -q '^EXDATE' a/calendars/ayu.ics || fail "no exceptions"
grep -q '^RECURRENCE-ID' a/calendars/ayu.ics || fail "no moved occurrences"
grep -rq 'PARTSTAT=DECLINED' a/calendars || fail "no declines"
# 26 weeks of history ending on the given Sunday.
first=$(tail -n +2 a/timesheets.csv | cut -d, -f2 | sort | sed -n 1p)
last=$(tail -n +2 a/timesheets.csv | cut -d, -f2 | sort -r | sed -n 1p)
[[ "$first" > "2026-05-24" && "$last" < "2026-11-23" ]] || fail "history $first..$last"

# The table: a header and one row per person.
grep -q 'W40   W41   W42   W43   W44   W45   W46   W47   avg' out.txt || fail "table header"
# The hours table is the first block that starts with a 'person' header.
awk '/^person  / {n++} n == 1 && NF == 0 {exit} n == 1' out.txt > hours.txt
rows=$(grep -vc '^person  ' hours.txt)
[ "$rows" -eq 26 ] || fail "table has $rows rows"
# The extreme case averages over 55 h; the typical engineer is near 40.
budi=$(awk '$1 == "budi" {print $(NF-1)}' hours.txt)
awk -v h="$budi" 'BEGIN { exit !(h > 55) }' || fail "budi averages $budi h"
median=$(grep -v '^person  ' hours.txt | awk '{print $(NF-1)}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR/2)+1]}')
awk -v h="$median" 'BEGIN { exit !(h > 30 && h < 50) }' || fail "median average $median h"

# Same seed, same bytes.
"$WARAS" --db b.db demo --dir b --seed 7 --end 2026-11-22 > /dev/null
# (The repository is compared by its history: pack files and reflogs carry
# write times; rotas are planned under a time limit and stamped when made.)
diff -r --exclude=repo --exclude='oncall-*.ics' --exclude='quiet-*.ics' --exclude='recovery-*.ics' a b > /dev/null || fail "the same seed gave different files"
[ "$(git -C a/repo rev-parse HEAD)" = "$(git -C b/repo rev-parse HEAD)" ] || fail "the same seed gave another history"
# Re-ingesting the same files adds nothing.
# (To a file first: grep -q closing the pipe early could end waras by SIGPIPE.)
"$WARAS" --db a.db ingest timesheet a/timesheets.csv > again.txt
grep -q 'already ingested' again.txt || fail "re-ingest timesheet"
"$WARAS" --db a.db ingest ics a/calendars/ayu.ics --person ayu > again.txt
grep -q 'already ingested' again.txt || fail "re-ingest ics"
before=$("$WARAS" --db a.db report --format tsv --weeks 26 --to 2026-11-23 | sha256sum)
# A changed calendar replaces its earlier version: drop one series, hours go down or stay.
grep -v 'X-WR-CALNAME' a/calendars/ayu.ics > ayu2.ics
"$WARAS" --db a.db ingest ics ayu2.ics --person ayu > /dev/null
after=$("$WARAS" --db a.db report --format tsv --weeks 26 --to 2026-11-23 | sha256sum)
[ "$before" = "$after" ] || fail "an equivalent calendar under a new path changed the numbers"
echo "demo e2e: ok ($rows people, budi $budi h/week, median $median h/week)"
# The risk view names the overloaded people first, with reasons in numbers.
"$WARAS" --db a.db risk --to 2026-11-23 > risk.txt
sed -n 4p risk.txt | grep -q ' critical ' || fail "the first person listed is not critical"
grep -q '^budi .* critical' risk.txt || fail "budi is not critical"
grep -q '^katrin .* critical' risk.txt || fail "katrin (the crunch) is not critical"
grep -q '^budi .*of the last 4 weeks >= 55 h' risk.txt || fail "no long-week reason for budi"
# The planted overloads (a/PLANTED.md) are exactly the high and critical
# people, each flagged for its planted signal; the generator's noise flags
# nobody else.
[ -s a/PLANTED.md ] || fail "no PLANTED.md"
grep -q '^| budi | training-infra | long_weeks |' out.txt || fail "the demo does not print the planted table"
"$WARAS" --db a.db risk --to 2026-11-23 --format json > risk.json
/usr/bin/python3 - <<'PY' || fail "the red list is not the planted list"
import json
planted = {}
for line in open("a/PLANTED.md"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if line.startswith("| ") and len(cells) == 4 and cells[0] not in ("person", "---"):
        planted.setdefault(cells[0], set()).add(cells[2])
r = json.load(open("risk.json"))
red = {}
for p in r["people"]:
    k = p["weeks"][-1]["risk"]
    assert k["trend"] in (None, "rising", "steady", "falling"), k
    if k["level"] in ("high", "critical"):
        red[p["id"]] = {s["signal"] for s in k["signals"] if s["level"] >= 50}
assert set(red) == set(planted), ("red", sorted(red), "planted", sorted(planted))
for who, sigs in planted.items():
    assert sigs <= red[who], (who, "planted", sigs, "flagged", red[who])
print("red = planted:", sorted(red))
PY
"$WARAS" --db a.db report --format json --weeks 4 --to 2026-11-23 > report.json
/usr/bin/python3 - <<'PY' || fail "report json"
import json
r = json.load(open("report.json"))
assert len(r["people"]) == 26 and len(r["teams"]) == 3
w = r["people"][0]["weeks"][-1]
for k in ("week", "worked_hours", "after_hours_share", "weekend_hours", "meeting_hours",
          "focus_hours", "oncall_hours", "interruptions", "incidents", "longest_streak_days",
          "min_daily_rest_hours", "days_since_break", "risk", "wellbeing"):
    assert k in w, k
assert w["risk"]["level"] in ("low", "moderate", "high", "critical")
assert w["wellbeing"] is None and w["wellbeing_suppressed"]
budi = [p for p in r["people"] if p["id"] == "budi"][0]
assert budi["weeks"][-1]["risk"]["level"] == "critical"
PY
echo "risk e2e: ok"
# The planted release crunch breaks the EU daily rest rule, and check says so.
set +e
"$WARAS" --db a.db check --preset eu-wtd --to 2026-11-23 --weeks 4 > check.txt
rc=$?
set -e
[ "$rc" = 3 ] || fail "check exited $rc, expected 3 (violations)"
grep -q '^  katrin .*8.5 h of rest' check.txt || fail "the planted rest violation was not found"
[ -s a/report.html ] || fail "the demo wrote no report.html"
echo "check e2e: ok"
# Recovery leave after the planted launch, then a quiet week per team that
# avoids the planted milestones; all written as calendars.
grep -q '^Recovery leave after Inference v2 for inference' out.txt || fail "no recovery plan"
[ "$(grep -c '^Quiet week for' out.txt)" -eq 3 ] || fail "not every team got a quiet week"
grep -q 'milestone "Training run 7 kickoff"' out.txt || fail "the quiet week ignored the milestone"
for t in training-infra inference research; do
  grep -q 'METHOD:PUBLISH' "a/quiet-$t.ics" || fail "no quiet-week calendar for $t"
done
grep -q '^BEGIN:VEVENT' a/recovery-inference.ics || fail "no recovery leave calendar"
echo "plans e2e: ok"
