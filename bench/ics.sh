#!/usr/bin/env bash
# Benchmark of `waras ics expand` against python-recurring-ical-events on a
# generated calendar: 2,400 recurring events over two years in eight zones
# (plus UTC, floating and all-day), with weekly, daily, monthly and
# interval rules, COUNT and UNTIL, EXDATEs and moved or cancelled
# instances. Both expand the same two years; the outputs must be identical
# (the generator avoids the cases where the reference departs from RFC 5545,
# listed in tests/e2e/ics_conformance.sh). Prints the speed ratio.
#
# usage: bench/ics.sh [WARAS_BINARY]   (default: build/waras)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
WARAS=${1:-$root/build/waras}
. "$root/bench/lib.sh"
bench_scratch
EVENTS=${ICS_BENCH_EVENTS:-2400}

"$PY" - "$tmp/bench.ics" "$EVENTS" <<'PYEOF'
import datetime, random, sys
path, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(20260301)
zones = ["Europe/Berlin", "America/Los_Angeles", "Asia/Jakarta", "America/New_York",
         "Europe/London", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo"]
days = ["MO", "TU", "WE", "TH", "FR"]
out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//waras//bench//EN"]
def ical(dt, kind):
    if kind == "date":
        return dt.strftime("%Y%m%d")
    return dt.strftime("%Y%m%dT%H%M%S") + ("Z" if kind == "utc" else "")
def prop(name, dt, kind, zone):
    if kind == "date":
        return "%s;VALUE=DATE:%s" % (name, ical(dt, kind))
    if kind == "zoned":
        return "%s;TZID=%s:%s" % (name, zone, ical(dt, kind))
    return "%s:%s" % (name, ical(dt, kind))
for i in range(n):
    r = rng.random()
    kind = "zoned" if r < 0.8 else "utc" if r < 0.88 else "floating" if r < 0.94 else "date"
    zone = rng.choice(zones)
    day = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(0, 60))
    # 07:00-19:45: clear of DST gaps and overlaps in every zone used.
    start = datetime.datetime(day.year, day.month, day.day, rng.randrange(7, 20), rng.choice([0, 15, 30, 45]))
    length = datetime.timedelta(minutes=rng.choice([15, 30, 45, 60, 90, 120]))
    if kind == "date":
        start = datetime.datetime(day.year, day.month, day.day)
        length = datetime.timedelta(days=rng.choice([1, 1, 2]))
    shape = rng.random()
    step = 7
    if shape < 0.45:
        by = sorted(rng.sample(days, rng.randrange(1, 3)), key=days.index)
        rule = "FREQ=WEEKLY;BYDAY=%s" % ",".join(by)
        wd = days[start.weekday()] if start.weekday() < 5 else None
        if wd not in by:
            rule = "FREQ=WEEKLY"
    elif shape < 0.6:
        rule = "FREQ=WEEKLY;INTERVAL=2"
        step = 14
    elif shape < 0.75:
        rule = "FREQ=DAILY;COUNT=%d" % rng.randrange(5, 200)
        step = 1
    elif shape < 0.9:
        rule = "FREQ=MONTHLY;BYDAY=%d%s" % (rng.choice([1, 2, 3, -1]), rng.choice(days))
        step = 0
    else:
        rule = "FREQ=WEEKLY"
    if rng.random() < 0.3 and rule in ("FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2"):
        # Three days before an instance: the reference compares UNTIL with
        # DTSTART's UTC offset, not the instance's, so near DST it would
        # cut an instance RFC 5545 keeps.
        until = start + datetime.timedelta(days=step * rng.randrange(5, 80) - 3)
        rule += ";UNTIL=" + ical(until, "date" if kind == "date" else "floating" if kind == "floating" else "utc")
    uid = "bench-%05d@example.org" % i
    ev = ["BEGIN:VEVENT", "UID:" + uid, prop("DTSTART", start, kind, zone),
          prop("DTEND", start + length, kind, zone), "RRULE:" + rule, "SUMMARY:event %d" % i]
    overrides = []
    if step == 7 and rule == "FREQ=WEEKLY":
        picks = rng.sample(range(1, 90), rng.randrange(0, 4))
        exd = [start + datetime.timedelta(days=7 * k) for k in picks[:2]]
        if exd:
            ev.append(prop("EXDATE", exd[0], kind, zone).replace(ical(exd[0], kind), ",".join(ical(e, kind) for e in exd)))
        for k in picks[2:]:
            rid = start + datetime.timedelta(days=7 * k)
            moved = rid + datetime.timedelta(hours=rng.choice([-2, -1, 1, 2])) if kind != "date" else rid
            o = ["BEGIN:VEVENT", "UID:" + uid, prop("RECURRENCE-ID", rid, kind, zone),
                 prop("DTSTART", moved, kind, zone), prop("DTEND", moved + length, kind, zone)]
            if rng.random() < 0.3:
                o.append("STATUS:CANCELLED")
            overrides.append(o + ["END:VEVENT"])
    out += ev + ["END:VEVENT"]
    for o in overrides:
        out += o
out.append("END:VCALENDAR")
with open(path, "w", newline="") as f:
    f.write("\r\n".join(out) + "\r\n")
PYEOF

from=2026-01-01 to=2028-01-01
# Wall and CPU (user + system) seconds of each run: on a busy machine the
# CPU ratio is the steadier of the two.
bench_time "$tmp/waras" "$WARAS" ics expand "$tmp/bench.ics" --from $from --to $to
bench_time "$tmp/ref" "$PY" "$root/tests/data/ics/reference.py" "$tmp/bench.ics" $from $to
bench_same "$tmp/ref" "$tmp/waras"
read -r ww wu ws <"$tmp/waras.time"
read -r pw pu ps <"$tmp/ref.time"
awk -v ww="$ww" -v wc="$(echo "$wu $ws" | awk '{print $1 + $2}')" \
    -v pw="$pw" -v pc="$(echo "$pu $ps" | awk '{print $1 + $2}')" \
    -v n="$(wc -l <"$tmp/waras")" -v e="$EVENTS" 'BEGIN {
  if (ww < 0.01) ww = 0.01; if (wc < 0.01) wc = 0.01;
  printf "ics expand: %d events, %d occurrences over two years, outputs identical\n", e, n;
  printf "          wall s   cpu s\n";
  printf "  waras  %7.2f %7.2f\n", ww, wc;
  printf "  python %7.2f %7.2f\n", pw, pc;
  printf "  ratio  %6.1fx %6.1fx\n", pw / ww, pc / wc }'
