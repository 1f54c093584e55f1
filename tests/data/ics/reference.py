"""Reference expansion for the ics conformance check and benchmark.

Runs python-recurring-ical-events (with icalendar and x-wr-timezone) over
one calendar and prints what `waras ics expand` prints: UID, START, END per
occurrence overlapping [from, to), sorted bytewise. The library does not
know STATUS:CANCELLED, so cancelled occurrences are dropped here, as
docs/ics.md says waras does.

usage: /usr/bin/python3 reference.py FILE YYYY-MM-DD YYYY-MM-DD
       /usr/bin/python3 reference.py --batch < JOBS
where each line of JOBS is "FILE<TAB>FROM<TAB>TO<TAB>OUTPUT": one process for many
expansions, since importing the libraries costs more than expanding.
"""
import datetime
import sys

import icalendar
import recurring_ical_events


def fmt(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value.strftime("%Y%m%dT%H%M%S")
        return value.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def expand(path, start, stop, out):
    with open(path, "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())
    span = [tuple(int(x) for x in d.split("-")) for d in (start, stop)]
    lines = []
    for event in recurring_ical_events.of(calendar).between(span[0], span[1]):
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        end = event.get("DTEND")
        end = end.dt if end is not None else event["DTSTART"].dt
        lines.append("%s\t%s\t%s" % (event.get("UID"), fmt(event["DTSTART"].dt), fmt(end)))
    lines.sort(key=lambda s: s.encode("utf-8"))
    out.write("".join(line + "\n" for line in lines))


def main():
    if sys.argv[1] == "--batch":
        for job in sys.stdin:
            path, start, stop, output = job.rstrip("\n").split("\t")
            with open(output, "w", encoding="utf-8", newline="\n") as out:
                try:
                    expand(path, start, stop, out)
                except Exception as e:  # reported in the output, compared by the caller
                    out.write("reference failed: %r\n" % (e,))
    else:
        expand(sys.argv[1], sys.argv[2], sys.argv[3], sys.stdout)


if __name__ == "__main__":
    main()
