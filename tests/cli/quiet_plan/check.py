# Reads the quiet-week output and calendars back, independently of waras.
import json, sys, datetime as dt, icalendar
out, oncall, pub, cancel = sys.argv[1:5]
text = open(out).read()
plan = json.load(open(oncall))
week = (dt.datetime(2027, 4, 19, tzinfo=dt.timezone.utc), dt.datetime(2027, 4, 26, tzinfo=dt.timezone.utc))
def ts(s): return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
who = sorted("%s (%s)" % (t["person"], t["role"]) for t in plan["turns"]
             if ts(t["start"]) < week[1] and ts(t["end"]) > week[0])
line = [l for l in text.split("\n") if "on call" in l][0]
assert line.split(": ", 1)[1].split(", ") == who, (line, who)
cal = icalendar.Calendar.from_ical(open(pub, "rb").read())
assert str(cal["METHOD"]) == "PUBLISH"
evs = list(cal.walk("VEVENT"))
assert len(evs) == 4, len(evs)
for e in evs:
    assert e.decoded("DTSTART") == dt.date(2027, 4, 19) and e.decoded("DTEND") == dt.date(2027, 4, 26), e
    assert str(e["SUMMARY"]).startswith("Quiet week")
cal = icalendar.Calendar.from_ical(open(cancel, "rb").read())
assert str(cal["METHOD"]) == "CANCEL"
uids = []
for e in cal.walk("VEVENT"):
    rid = e.decoded("RECURRENCE-ID")
    assert week[0] <= rid < week[1], rid
    assert e.decoded("DTSTART") == rid and int(e["SEQUENCE"]) >= 1
    assert str(e["STATUS"]) == "CANCELLED" and str(e["ORGANIZER"]).startswith("mailto:")
    uids.append(str(e["UID"]))
assert sorted(uids) == ["planning@q.example", "standup@q.example"], uids
print("ok: on call %s; %d quiet-week events; cancels %s" % (", ".join(who), len(evs), " ".join(sorted(uids))))
