# Checks a recovery plan against its rules, independently of waras: every
# member N consecutive working days inside the window, at most K away on any
# day, nobody away during an on-call turn (from the recorded plan's SQL or an
# on-call plan's JSON); and reads the calendar with python-icalendar.
import json, re, sys, datetime as dt, icalendar
plan = json.load(open(sys.argv[1]))
start = dt.date.fromisoformat(plan["window_start"])
end = start + dt.timedelta(weeks=plan["window_weeks"])
away = {}
for l in plan["leave"]:
    a, b = dt.date.fromisoformat(l["first_day"]), dt.date.fromisoformat(l["last_day"])
    assert start <= a <= b < end, l
    days = [a + dt.timedelta(i) for i in range((b - a).days + 1)]
    work = [d for d in days if d.weekday() < 5]
    assert len(work) == plan["days"] and days[0].weekday() < 5 and days[-1].weekday() < 5, l
    for d in work:
        away.setdefault(d, []).append(l["person"])
assert max(len(v) for v in away.values()) <= plan["max_away"], away
berlin = dt.timezone(dt.timedelta(hours=1))
turns = []
if sys.argv[3].endswith(".sql"):
    for p, a, b in re.findall(r"VALUES \(900, '(\w+)', '\w+', (\d+), (\d+)\)", open(sys.argv[3]).read()):
        turns.append((p, dt.datetime.fromtimestamp(int(a), berlin), dt.datetime.fromtimestamp(int(b), berlin)))
else:
    for t in json.load(open(sys.argv[3]))["turns"]:
        f = lambda s: dt.datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(berlin)
        turns.append((t["person"], f(t["start"]), f(t["end"])))
for p, a, b in turns:   # the handover morning belongs to the next turn
    d = a.date()
    while d < (b - dt.timedelta(hours=12)).date() + dt.timedelta(1):
        assert p not in away.get(d, []), ("away while on call", p, d)
        d += dt.timedelta(1)
cal = icalendar.Calendar.from_ical(open(sys.argv[2], "rb").read())
evs = {str(e["ATTENDEE"]).replace("mailto:", "").split("@")[0]: e for e in cal.walk("VEVENT")}
for l in plan["leave"]:
    e = evs[l["person"]]
    assert e.decoded("DTSTART") == dt.date.fromisoformat(l["first_day"])
    assert e.decoded("DTEND") == dt.date.fromisoformat(l["last_day"]) + dt.timedelta(1)
order = " ".join("%s:%s" % (l["person"], l["first_day"]) for l in plan["leave"])
print("ok: %d people, at most %d away, %d on-call turns kept; %s" % (len(plan["leave"]), plan["max_away"], len(turns), order))
