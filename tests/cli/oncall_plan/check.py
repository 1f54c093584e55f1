# Checks a plan's JSON against the planner's rules, independently of it.
import json, sys, datetime as dt
plan = json.load(open(sys.argv[1]))
leave = {}
for line in open(sys.argv[2]).read().split("\n")[1:]:
    if line:
        p, a, b, _ = line.split(",")
        leave.setdefault(p, []).append((dt.date.fromisoformat(a), dt.date.fromisoformat(b)))
zones = {l.split(",")[0]: l.split(",")[4] for l in open(sys.argv[3]).read().split("\n")[1:] if l}
cap = float(sys.argv[4])
def ts(s): return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
turns = plan["turns"]
slots = {}
for t in turns:
    slots.setdefault((t["start"], t["role"], t["shift"]), []).append(t["person"])
    s, e = ts(t["start"]), ts(t["end"])
    for a, b in leave.get(t["person"], []):   # nobody on leave is on call (UTC dates, with margin)
        assert not (s.date() <= b and e.date() > a), ("on leave", t)
    if "/" in t["shift"]:                     # follow the sun: 07:00-22:00 local
        from zoneinfo import ZoneInfo
        z = ZoneInfo(zones[t["person"]])
        ls, le = s.astimezone(z), (e - dt.timedelta(seconds=1)).astimezone(z)
        assert ls.date() == le.date() and ls.hour >= 7 and le.hour < 22, ("outside waking hours", t)
assert all(len(v) == 1 for v in slots.values()), "a slot has two people"
by_start = {}
for t in turns:
    by_start.setdefault(t["start"], []).append(t["person"])
for s, ps in by_start.items():                # nobody holds two roles at once
    assert len(ps) == len(set(ps)), ("two roles at once", s, ps)
horizon = plan["weeks"] * 7 * 24
for f in plan["fairness"]:
    assert f["hours"] <= cap * horizon + 1e-6, ("over the cap", f)
if plan["shape"] != "follow-the-sun":         # no back-to-back turns
    mine = {}
    for t in turns:
        mine.setdefault(t["person"], []).append((ts(t["start"]), ts(t["end"])))
    for p, v in mine.items():
        v.sort()
        for (a1, b1), (a2, b2) in zip(v, v[1:]):
            assert a2 > b1 + dt.timedelta(hours=1), ("back to back", p, a1, a2)
counts = sorted(f["turns"] for f in plan["fairness"])
assert counts[-1] - counts[0] <= 1, ("turns are not shared evenly", counts)
print("ok: %d turns, %d slots, turns per person within one of each other" % (len(turns), len(slots)))
