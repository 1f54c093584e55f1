#!/usr/bin/env bash
# The admin page's upload form (POST /admin/ingest, multipart/form-data):
# an admin's session loads a people file and a timesheet as `waras people
# import` and `waras ingest timesheet` would (the same store rows), the same
# file again changes nothing, a bad file shows the CLI's message (NAME:LINE:
# field: message) with the store unchanged; without or with a wrong CSRF
# token, from a member, with an API token, with an unknown or repeated
# field, as an ordinary form or past 32 MiB it is refused and nothing
# changes. The server is stopped even when a check fails.
. "$(dirname "$0")/lib/serve_test.sh"

printf 'root-password\n' | "$WARAS" -q user add root --role admin --password-stdin
printf 'id,name,email,team,timezone\nm1,M One,m1@x.example,alpha,Europe/Berlin\n' > m.csv
"$WARAS" -q people import m.csv
printf 'mem-password\n' | "$WARAS" -q user add mem --role member --person m1 --password-stdin
token=$("$WARAS" token create root --name form 2>/dev/null)

cat > people.csv <<'CSV'
id,name,email,team,timezone
a1,A One,a1@x.example,alpha,Europe/Berlin
a2,A Two,a2@x.example,alpha,Asia/Jakarta
CSV
cat > timesheet.csv <<'CSV'
person,date,start,end,hours
a1,2026-11-16,08:00,17:00,
a2,2026-11-17,09:00,18:30,
CSV
printf 'person,date,start,end,hours\na1,2026-13-01,08:00,17:00,\n' > bad.csv
# The CLI's store for comparison: the same files, the same order.
cp w.db cli.db
WARAS_DB=cli.db "$WARAS" -q people import people.csv
WARAS_DB=cli.db "$WARAS" -q ingest timesheet timesheet.csv
set +e
WARAS_DB=cli.db "$WARAS" -q ingest timesheet bad.csv 2> bad.err
set -e
[ -s bad.err ] || fail "the CLI accepted bad.csv"

serve_start
PORT=$port TOKEN=$token /usr/bin/python3 - <<'PY' || fail "upload form checks failed"
import html, http.client, os, re, sqlite3, sys

port = int(os.environ["PORT"])
failures = []

def check(cond, what):
    if not cond:
        failures.append(what)
        print("  not ok:", what)

def req(method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read().decode("utf-8", "replace")
    hs = r.getheaders()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in hs), hs, data

def login(user, password):
    s, _, hs, page = req("GET", "/login")
    pre = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
    s, _, hs, _ = req("POST", "/login", f"csrf={pre}&login={user}&password={password}",
                      {"Content-Type": "application/x-www-form-urlencoded",
                       "Cookie": f"waras_login={pre}"})
    check(s == 303, f"sign-in of {user}: {s}")
    sess = [v.split(";")[0].split("=", 1)[1] for k, v in hs
            if k.lower() == "set-cookie" and v.startswith("waras_session=")][0]
    return sess

def multipart(parts, boundary="----waras-form-7d3a"):
    """parts: (name, filename or None, bytes)"""
    out = b""
    for name, filename, data in parts:
        out += f"--{boundary}\r\n".encode()
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"Content-Disposition: {disp}\r\n".encode()
        if filename:
            out += b"Content-Type: text/csv\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"

def store(db="w.db"):
    c = sqlite3.connect(db)
    out = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
           for t in ("events", "sources", "people")}
    out["rows"] = sorted(c.execute(
        "SELECT person, start, \"end\", kind, source_key FROM events").fetchall())
    out["people"] = sorted(c.execute("SELECT id, name, team FROM people").fetchall())
    c.close()
    return out

def upload(sess, parts, extra=None, csrf_header=None):
    body, ctype = multipart(parts)
    h = {"Content-Type": ctype}
    if sess:
        h["Cookie"] = f"waras_session={sess}"
    h.update(extra or {})
    return req("POST", "/admin/ingest", body, h)

root = login("root", "root-password")
s, _, _, page = req("GET", "/admin", headers={"Cookie": f"waras_session={root}"})
check(s == 200, f"GET /admin: {s}")
form = re.search(r'<form[^>]*id="ingest"[^>]*>(.*?)</form>', page, re.S)
check(form is not None, "the admin page has the upload form")
tag = re.search(r'<form[^>]*id="ingest"[^>]*>', page).group(0) if form else ""
check('enctype="multipart/form-data"' in tag and 'action="/admin/ingest"' in tag and
      'method="post"' in tag, f"the form posts multipart to /admin/ingest: {tag}")
csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', form.group(1)).group(1) if form else ""
check(form and 'type="file"' in form.group(1) and 'name="kind"' in form.group(1),
      "the form has a file input and a kind")
people = open("people.csv", "rb").read()
sheet = open("timesheet.csv", "rb").read()
bad = open("bad.csv", "rb").read()

print("refused, nothing changed")
before = store()
for what, sess, parts, extra, want in [
    ("no csrf", root, [("kind", None, b"people"), ("file", "people.csv", people)], None, 403),
    ("wrong csrf", root, [("csrf", None, b"0" * 64), ("kind", None, b"people"),
                          ("file", "people.csv", people)], None, 403),
    ("unknown field", root, [("csrf", None, csrf.encode()), ("kind", None, b"people"),
                             ("extra", None, b"x"), ("file", "people.csv", people)], None, 400),
    ("file twice", root, [("csrf", None, csrf.encode()), ("kind", None, b"people"),
                          ("file", "people.csv", people), ("file", "people.csv", people)],
     None, 400),
    ("kind as a file", root, [("csrf", None, csrf.encode()), ("kind", "k.txt", b"people"),
                              ("file", "people.csv", people)], None, 400),
    ("no such kind", root, [("csrf", None, csrf.encode()), ("kind", None, b"payroll"),
                            ("file", "people.csv", people)], None, 400),
    ("no file", root, [("csrf", None, csrf.encode()), ("kind", None, b"people")], None, 400),
    ("a person for people", root, [("csrf", None, csrf.encode()), ("kind", None, b"people"),
                                   ("person", None, b"a1"), ("file", "people.csv", people)],
     None, 400),
    ("a bad name", root, [("csrf", None, csrf.encode()), ("kind", None, b"people"),
                          ("file", "../people.csv", people)], None, 400),
    ("an API token", None, [("kind", None, b"people"), ("file", "people.csv", people)],
     {"Authorization": "Bearer " + os.environ["TOKEN"]}, 403),
    ("no session", None, [("kind", None, b"people"), ("file", "people.csv", people)], None, 303),
]:
    s, h, _, data = upload(sess, parts, extra)
    check(s == want, f"{what}: {s}, want {want}")
check(store() == before, "nothing changed by the refused uploads")

mem = login("mem", "mem-password")
s, _, _, page = req("GET", "/", headers={"Cookie": f"waras_session={mem}"})
mcsrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
s, _, _, _ = upload(mem, [("csrf", None, mcsrf.encode()), ("kind", None, b"people"),
                          ("file", "people.csv", people)])
check(s == 403, f"a member's upload: {s}")
s, _, _, _ = req("POST", "/admin/ingest", f"csrf={csrf}&kind=people",
                 {"Content-Type": "application/x-www-form-urlencoded",
                  "Cookie": f"waras_session={root}"})
check(s == 415, f"an ordinary form: {s}")
body, ctype = multipart([("csrf", None, csrf.encode()), ("kind", None, b"people"),
                         ("file", "big.csv", b"x" * (33 << 20))])
s, _, _, data = req("POST", "/admin/ingest", body,
                    {"Content-Type": ctype, "Cookie": f"waras_session={root}"})
check(s == 413 and "32 MiB" in data, f"past 32 MiB: {s} {data[:100]!r}")
# A body that is not well-formed multipart (the token in the header, since
# such a body cannot carry the field): cut before its closing boundary, a
# part without a name, no boundary in the Content-Type.
body, ctype = multipart([("kind", None, b"people"), ("file", "people.csv", people)])
for what, b, t in [("no closing boundary", body[:-30], ctype),
                   ("a part without a name", body.replace(b'name="kind"', b'x="kind"'), ctype),
                   ("no boundary", body, "multipart/form-data")]:
    s, _, _, data = req("POST", "/admin/ingest", b, {"Content-Type": t, "X-CSRF-Token": csrf,
                                                     "Cookie": f"waras_session={root}"})
    check(s == 400 and "malformed" in data, f"{what}: {s} {data[:100]!r}")
s, _, _, data = req("POST", "/admin/ingest", body[:-30], {"Content-Type": ctype,
                                                           "Cookie": f"waras_session={root}"})
check(s == 403, f"a malformed body without the header has no CSRF token: {s}")
check(store() == before, "nothing changed by the member's, the form's or the large upload")

print("loaded as the CLI loads")
for name, data in (("people.csv", people), ("timesheet.csv", sheet)):
    kind = "people" if name == "people.csv" else "timesheet"
    s, _, _, page = upload(root, [("csrf", None, csrf.encode()), ("kind", None, kind.encode()),
                                  ("file", name, data)])
    notice = re.search(r'id="notice">([^<]*)<', page)
    check(s == 200 and notice and notice.group(1).startswith(f"{name} ({kind}): 2 rows"),
          f"{name}: {s} {notice.group(1) if notice else page[:200]!r}")
s, _, _, page = upload(root, [("csrf", None, csrf.encode()), ("kind", None, b"timesheet"),
                              ("file", "timesheet.csv", sheet)])
check(s == 200 and "already loaded" in page, f"the same file again: {s}")
after = store()
cli = store("cli.db")
check(after["rows"] == cli["rows"] and after["people"] == cli["people"] and
      after["sources"] == cli["sources"], "the store holds what the CLI's holds")
check(after["events"] == before["events"] + 2, "two events added")

print("a bad file")
s, _, _, page = upload(root, [("csrf", None, csrf.encode()), ("kind", None, b"timesheet"),
                              ("file", "bad.csv", bad)])
err = re.search(r'id="error">([^<]*)<', page)
want = open("bad.err").read().strip().splitlines()[0]
got = html.unescape(err.group(1)) if err else ""
check(s == 422 and got and got in want, f"bad.csv: {s} {got!r}, the CLI says {want!r}")
check(got.startswith("bad.csv:2:"), f"the message names the file and line: {got!r}")
check(store() == after, "the bad file changed nothing")

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("upload form: all checks passed")
PY
grep -q '^POST /admin/ingest 200 ' serve.log || fail "the log has no upload"
! grep -q 'root-password\|waras_session=' serve.log || fail "the log holds a secret"
echo "serve upload form: ok"
