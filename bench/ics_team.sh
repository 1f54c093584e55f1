#!/usr/bin/env bash
# Benchmark of `waras ics expand` against python-recurring-ical-events on a
# calendar shaped like a big shared team calendar: 2,000 events in four
# zones, each with its own VTIMEZONE block (Europe/Berlin and
# America/New_York with DST rules, Asia/Jakarta and Asia/Kolkata without),
# weekly and daily rules with COUNT, UNTIL, INTERVAL and EXDATE, 10 %
# all-day events, many series starting years before the window, expanded
# over two years (about 140,000 occurrences). The outputs must be
# identical. Each side runs several times; the report gives the median and
# the spread (min..max) of CPU seconds, and the ratio of the medians: on a
# shared machine the ratio, measured here side by side, is what counts.
#
# usage: bench/ics_team.sh [WARAS_BINARY]   (default: build/waras)
#        ICS_TEAM_RUNS=5 ICS_TEAM_REF_RUNS=3 ICS_TEAM_EVENTS=2000
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
WARAS=${1:-$root/build/waras}
. "$root/bench/lib.sh"
bench_scratch
EVENTS=${ICS_TEAM_EVENTS:-2000}
RUNS=${ICS_TEAM_RUNS:-5}
REF_RUNS=${ICS_TEAM_REF_RUNS:-3}

"$PY" - "$tmp/team.ics" "$EVENTS" <<'PYEOF'
import datetime, random, sys
path, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261201)
def dst_zone(tzid, std, dst, std_name, dst_name, dst_from, dst_rule, std_from, std_rule):
    return ["BEGIN:VTIMEZONE", "TZID:" + tzid,
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:" + std, "TZOFFSETTO:" + dst, "TZNAME:" + dst_name,
        "DTSTART:" + dst_from, "RRULE:FREQ=YEARLY;" + dst_rule, "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:" + dst, "TZOFFSETTO:" + std, "TZNAME:" + std_name,
        "DTSTART:" + std_from, "RRULE:FREQ=YEARLY;" + std_rule, "END:STANDARD",
        "END:VTIMEZONE"]
def fixed_zone(tzid, off, name):
    return ["BEGIN:VTIMEZONE", "TZID:" + tzid,
        "BEGIN:STANDARD", "TZOFFSETFROM:" + off, "TZOFFSETTO:" + off, "TZNAME:" + name,
        "DTSTART:19700101T000000", "END:STANDARD", "END:VTIMEZONE"]
vtz = {
    "Europe/Berlin": dst_zone("Europe/Berlin", "+0100", "+0200", "CET", "CEST",
        "19700329T020000", "BYMONTH=3;BYDAY=-1SU", "19701025T030000", "BYMONTH=10;BYDAY=-1SU"),
    "America/New_York": dst_zone("America/New_York", "-0500", "-0400", "EST", "EDT",
        "20070311T020000", "BYMONTH=3;BYDAY=2SU", "20071104T020000", "BYMONTH=11;BYDAY=1SU"),
    "Asia/Jakarta": fixed_zone("Asia/Jakarta", "+0700", "WIB"),
    "Asia/Kolkata": fixed_zone("Asia/Kolkata", "+0530", "IST"),
}
zones = list(vtz)
days = ["MO", "TU", "WE", "TH", "FR"]
out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//waras//bench team//EN", "CALSCALE:GREGORIAN"]
for z in zones:
    out += vtz[z]
def ical(dt, allday):
    return dt.strftime("%Y%m%d") if allday else dt.strftime("%Y%m%dT%H%M%S")
def prop(name, dt, allday, zone):
    if allday:
        return "%s;VALUE=DATE:%s" % (name, ical(dt, True))
    return "%s;TZID=%s:%s" % (name, zone, ical(dt, False))
for i in range(n):
    zone = rng.choice(zones)
    allday = rng.random() < 0.10
    # Series start up to three years before the window.
    day = datetime.date(2023, 1, 2) + datetime.timedelta(days=rng.randrange(0, 3 * 365 + 300))
    # 07:00-19:45: clear of DST gaps and overlaps.
    start = datetime.datetime(day.year, day.month, day.day, rng.randrange(7, 20), rng.choice([0, 15, 30, 45]))
    length = datetime.timedelta(minutes=rng.choice([15, 30, 45, 60, 90]))
    if allday:
        start = datetime.datetime(day.year, day.month, day.day)
        length = datetime.timedelta(days=1)
    shape = rng.random()
    step = 7
    if shape < 0.40:
        by = sorted(set(rng.sample(days, rng.randrange(1, 3)) + ([days[start.weekday()]] if start.weekday() < 5 else [])), key=days.index)
        rule = "FREQ=WEEKLY;BYDAY=%s" % ",".join(by)
        if start.weekday() >= 5:
            rule = "FREQ=WEEKLY"
    elif shape < 0.55:
        rule = "FREQ=WEEKLY;INTERVAL=%d" % rng.choice([2, 3])
        step = 7 * int(rule[-1])
    elif shape < 0.75:
        rule = "FREQ=DAILY;COUNT=%d" % rng.randrange(5, 150)
        step = 1
    elif shape < 0.85:
        rule = "FREQ=DAILY;INTERVAL=%d;COUNT=%d" % (rng.choice([2, 3]), rng.randrange(5, 200))
        step = 0
    else:
        rule = "FREQ=WEEKLY;COUNT=%d" % rng.randrange(10, 150)
    if "COUNT" not in rule and rng.random() < 0.5:
        # Three days before an instance: clear of the reference's UNTIL quirk.
        k = rng.randrange(20, 250)
        until = start + datetime.timedelta(days=step * k - 3)
        rule += ";UNTIL=" + (until.strftime("%Y%m%d") if allday else until.strftime("%Y%m%dT%H%M%SZ"))
    uid = "team-%05d@example.org" % i
    ev = ["BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20261201T000000Z", prop("DTSTART", start, allday, zone),
          prop("DTEND", start + length, allday, zone), "RRULE:" + rule, "SUMMARY:team event %d" % i]
    if step == 7 and rule.startswith("FREQ=WEEKLY") and "BYDAY" not in rule and rng.random() < 0.6:
        picks = sorted(rng.sample(range(1, 150), rng.randrange(1, 5)))
        exd = [start + datetime.timedelta(days=7 * k) for k in picks]
        ev.append(prop("EXDATE", exd[0], allday, zone).replace(ical(exd[0], allday), ",".join(ical(e, allday) for e in exd)))
    out += ev + ["END:VEVENT"]
out.append("END:VCALENDAR")
with open(path, "w", newline="") as f:
    f.write("\r\n".join(out) + "\r\n")
PYEOF

from=2026-01-01 to=2028-01-01
# CPU seconds (user + system) of one run.
cpu() {
  bench_time "$@"
  awk '{ printf "%.3f\n", $2 + $3 }' "$1.time"
}
: >"$tmp/w.times"; : >"$tmp/p.times"
for _ in $(seq "$RUNS"); do
  cpu "$tmp/waras" "$WARAS" ics expand "$tmp/team.ics" --from $from --to $to >>"$tmp/w.times"
done
for _ in $(seq "$REF_RUNS"); do
  cpu "$tmp/ref" "$PY" "$root/tests/data/ics/reference.py" "$tmp/team.ics" $from $to >>"$tmp/p.times"
done
bench_same "$tmp/ref" "$tmp/waras"
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.3f %.3f %.3f\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
read -r wmed wmin wmax < <(stats "$tmp/w.times")
read -r pmed pmin pmax < <(stats "$tmp/p.times")
awk -v wmed="$wmed" -v wmin="$wmin" -v wmax="$wmax" -v pmed="$pmed" -v pmin="$pmin" \
    -v pmax="$pmax" -v n="$(wc -l <"$tmp/waras")" -v e="$EVENTS" -v r="$RUNS" -v pr="$REF_RUNS" 'BEGIN {
  if (wmed < 0.01) wmed = 0.01; if (wmin < 0.01) wmin = 0.01;
  printf "ics expand, team calendar: %d events, %d occurrences over two years, outputs identical\n", e, n;
  printf "          runs  cpu s median  (min..max)\n";
  printf "  waras  %5d  %12.3f  (%.3f..%.3f)\n", r, wmed, wmin, wmax;
  printf "  python %5d  %12.3f  (%.3f..%.3f)\n", pr, pmed, pmin, pmax;
  printf "  ratio of medians %.1fx (worst case %.1fx)\n", pmed / wmed, pmin / wmax }'
