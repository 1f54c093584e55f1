#!/usr/bin/env bash
# The service end to end on loopback: sign-in, the API answer against
# `waras report --format json` for the same question, the access matrix of
# every endpoint x role x (own, own team, other team) with a check that no
# wellbeing value reaches a role that may not see it (bodies and the log),
# CSRF, malformed and oversize requests, expired and revoked tokens, the
# sign-in limiter, and a graceful stop on SIGTERM. The server is stopped
# even when a check fails.
. "$(dirname "$0")/lib/serve_test.sh"

cat > people.csv <<'EOF'
id,name,email,team,timezone
a1,A One,a1@x.example,alpha,Europe/Berlin
a2,A Two,a2@x.example,alpha,Europe/Berlin
a3,A Three,a3@x.example,alpha,Europe/Berlin
a4,A Four,a4@x.example,alpha,Europe/Berlin
a5,A Five,a5@x.example,alpha,Europe/Berlin
b1,B One,b1@x.example,beta,Asia/Jakarta
b2,B Two,b2@x.example,beta,Asia/Jakarta
h1,H One,h1@x.example,hr,Europe/Berlin
g1,G One,g1@x.example,gamma,UTC
g2,G Two,g2@x.example,gamma,UTC
g3,G Three,g3@x.example,gamma,UTC
g4,G Four,g4@x.example,gamma,UTC
g5,G Five,g5@x.example,gamma,UTC
g6,G Six,g6@x.example,gamma,UTC
EOF
# a1's own scores are personal 70.83 and work 75.00: values that appear in no
# aggregate, so a leak is visible wherever it lands. Team alpha has 5
# respondents (its aggregate is shown), beta 2 (suppressed).
cat > survey.csv <<'EOF'
team,person,date,q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,q11,q12,q13,q14,q15,q16,q17,q18,q19
alpha,a1,2026-11-10,Always,Often,Often,Sometimes,Always,Seldom,To a high degree,To a high degree,Somewhat,Always,Often,Often,Seldom,,,,,,
alpha,a2,2026-11-10,25,25,25,0,25,0,25,25,25,25,0,0,100,,,,,,
alpha,a3,2026-11-11,50,50,50,25,50,25,50,50,50,50,25,25,75,,,,,,
alpha,a4,2026-11-11,0,0,0,0,0,0,0,0,0,0,0,0,100,,,,,,
alpha,a5,2026-11-12,25,50,25,50,25,50,25,50,25,50,25,50,50,,,,,,
beta,b1,2026-11-12,50,50,50,50,50,50,50,50,50,50,50,50,50,,,,,,
beta,b2,2026-11-12,0,25,0,25,0,25,0,25,0,25,0,25,75,,,,,,
EOF
cat > timesheet.csv <<'EOF'
person,date,start,end,hours
a1,2026-11-16,08:00,20:00,
a1,2026-11-17,08:00,21:30,
a1,2026-11-21,10:00,14:00,
b1,2026-11-16,09:00,17:00,
h1,2026-11-18,09:00,17:00,
g1,2026-11-16,07:00,19:00,
g2,2026-11-17,09:00,17:30,
g2,2026-11-10,09:00,23:00,
EOF
"$WARAS" people import people.csv > /dev/null
"$WARAS" ingest survey survey.csv > /dev/null
"$WARAS" ingest timesheet timesheet.csv > /dev/null
printf 'person,start,end\na1,2026-12-21,2026-12-23\na2,2026-12-28,2026-12-30\n' > leave.csv
"$WARAS" ingest leave leave.csv > /dev/null
add() { printf '%s\n' "$2" | "$WARAS" -q user add "$1" "${@:3}" --password-stdin; }
add ana 'ana-password' --role member --person a1
add al 'al-password' --role member --person a2
add lee 'lee-password' --role lead --person a3 --teams alpha
add leb 'leb-password' --role lead --person b2 --teams beta
add ops 'ops-password' --role people-ops --person h1
add root 'root-password' --role admin
add victim 'victim-password' --role member --person a4
add ava 'ava-password' --role member --person a5
"$WARAS" token create ana --name ci > tok_ana 2> /dev/null
"$WARAS" token create lee --name ci --days 0 > tok_lee 2> /dev/null
"$WARAS" token create ana --name old > tok_revoked 2> tok_revoked.msg
"$WARAS" token revoke "$(sed -n 's/^token \([0-9]*\).*/\1/p' tok_revoked.msg)" 2> /dev/null
"$WARAS" token create ana --name expired > tok_expired 2> /dev/null
sqlite3 w.db "UPDATE api_tokens SET expires_at = 1 WHERE name = 'expired'"

# The CLI's documents for the same questions.
"$WARAS" report --format json --person a1 --self --weeks 2 --to 2026-11-23 > cli_a1_self.json
"$WARAS" report --format json --person a1 --weeks 2 --to 2026-11-23 > cli_a1.json
"$WARAS" report --format json --person h1 --self --weeks 2 --to 2026-11-23 > cli_h1_self.json
"$WARAS" report --format json --team alpha --weeks 2 --to 2026-11-23 > cli_alpha.json
"$WARAS" report --format json --team gamma --weeks 2 --to 2026-11-23 > cli_gamma.json
grep -q '70.83' cli_a1_self.json || fail "the fixture lost a1's own score"

# A fixed clock, so that the calendar subscriptions' window (92 days back,
# 400 ahead) holds the fixture's plans and leave on any day the test runs.
WARAS_NOW=2026-12-01T12:00:00Z serve_start

PORT=$port WARAS="$WARAS" SRC="$SRC" /usr/bin/python3 -u - <<'PY' || fail "checks against the running service failed"
import http.client, json, os, re, sqlite3, subprocess, sys
import icalendar

port = int(os.environ["PORT"])
failures = []
bodies = {}  # role -> list of every body it received

def check(cond, what):
    if not cond:
        failures.append(what)
        print("  not ok:", what)

def req(method, path, body=None, headers=None, role=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read().decode("utf-8", "replace")
    hs = r.getheaders()
    c.close()
    if role:
        bodies.setdefault(role, []).append(data)
    return r.status, dict((k.lower(), v) for k, v in hs), hs, data

def json_error(status, data, code=None, field=None, what=""):
    try:
        e = json.loads(data)["error"]
    except Exception:
        check(False, f"{what}: not a JSON error: {data[:120]!r}")
        return
    check(isinstance(e.get("message"), str) and e["message"], f"{what}: error without message")
    if code:
        check(e.get("code") == code, f"{what}: code {e.get('code')} != {code}")
    if field:
        check(e.get("field") == field, f"{what}: field {e.get('field')} != {field}")

def cookies_of(hs):
    out = {}
    for k, v in hs:
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            out[name] = (rest.split(";")[0], v)
    return out

def login(user, password):
    s, h, hs, page = req("GET", "/login")
    check(s == 200, "GET /login")
    pre = cookies_of(hs)["waras_login"][0]
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    check(m and m.group(1) == pre, "the form carries the login CSRF token")
    body = f"csrf={pre}&login={user}&password={password}"
    s, h, hs, _ = req("POST", "/login", body,
                      {"Content-Type": "application/x-www-form-urlencoded",
                       "Cookie": f"waras_login={pre}"})
    check(s == 303 and h.get("location") == "/", f"sign-in of {user}: {s}")
    c = cookies_of(hs).get("waras_session")
    check(c is not None, f"session cookie for {user}")
    flags = c[1]
    for f in ("HttpOnly", "SameSite=Strict", "Path=/"):
        check(f in flags, f"session cookie has {f}")
    check("Secure" not in flags, "no Secure flag on plain http")
    sess = c[0]
    s, h, _, page = req("GET", "/", headers={"Cookie": f"waras_session={sess}"}, role=user)
    check(s == 200, f"home page of {user}")
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    return sess, (m.group(1) if m else "")

print("sign-in")
sessions = {}
for user, pw in [("ana", "ana-password"), ("al", "al-password"), ("lee", "lee-password"),
                 ("leb", "leb-password"), ("ops", "ops-password"), ("root", "root-password")]:
    sessions[user] = login(user, pw)

# The API answers the same question with the CLI's document.
print("API equals the CLI")
def api(role, query, token=None):
    hdr = {"Authorization": "Bearer " + token} if token else \
          {"Cookie": "waras_session=" + sessions[role][0]}
    return req("GET", "/api/v1/report?" + query, headers=hdr, role=role)

cli_self = json.load(open("cli_a1_self.json"))
cli_lead = json.load(open("cli_a1.json"))
cli_ops = json.load(open("cli_h1_self.json"))
q = "person=a1&weeks=2&to=2026-11-23"
s, h, _, data = api("lee", q)
check(s == 200 and h["content-type"] == "application/json", "lead reads a1")
check(json.loads(data) == cli_lead, "lead's answer equals waras report --person a1")
s, _, _, data = api("ops", "person=h1&weeks=2&to=2026-11-23")
check(s == 200 and json.loads(data) == cli_ops, "people-ops' own answer equals --self")
s, _, _, data = api("ana", q)
got = json.loads(data)
check(s == 200, "member reads own")
# A member sees exactly the --self document, except the group aggregates that
# the rule keeps from the member role (null, with the reason).
want = json.loads(json.dumps(cli_self))
for t in want["teams"]:
    if t.get("wellbeing") is not None:
        t["wellbeing"] = None
        t["wellbeing_suppressed"] = "not shown to your role"
if want.get("organisation", {}).get("wellbeing") is not None:
    want["organisation"]["wellbeing"] = None
    want["organisation"]["wellbeing_suppressed"] = "not shown to your role"
check(cli_self["teams"][0]["wellbeing"] is not None, "fixture: alpha's aggregate is shown")
check(got == want, "member's answer equals --self less the aggregates of others")
check(got["people"][0]["weeks"][-1]["wellbeing"]["personal"] == 70.83, "own score shown")
s, _, _, data = api("ana", q, token=open("tok_ana").read().strip())
check(s == 200 and json.loads(data) == got, "a member's API token gives the same answer")

# The access matrix: role x (own, own team, other team).
print("access matrix")
matrix = [
    # role, person, status
    ("ana", "a1", 200), ("ana", "a2", 403), ("ana", "b1", 403),
    ("al", "a2", 200), ("al", "a1", 403), ("al", "b1", 403),
    ("lee", "a3", 200), ("lee", "a1", 200), ("lee", "b1", 403),
    ("leb", "b2", 200), ("leb", "b1", 200), ("leb", "a1", 403),
    ("ops", "h1", 200), ("ops", "a1", 403), ("ops", "b1", 403),
    ("root", "a1", 403), ("root", "b1", 403), ("root", "h1", 403),
    ("lee", "nobody", 403),
]
for role, person, want_s in matrix:
    s, h, _, data = api(role, f"person={person}&weeks=2&to=2026-11-23")
    check(s == want_s, f"{role} -> {person}: {s}, want {want_s}")
    if want_s == 200:
        doc = json.loads(data)
        own = doc["people"][0]["id"] == {"ana": "a1", "al": "a2", "lee": "a3", "leb": "b2",
                                         "ops": "h1"}.get(role)
        for w in doc["people"][0]["weeks"]:
            if own:
                check("overall_level" in w, f"{role} own view has the overall level")
            else:
                check(w["wellbeing"] is None and "private" in w["wellbeing_suppressed"],
                      f"{role} -> {person}: wellbeing is private")
                check("overall_level" not in w, f"{role} -> {person}: no overall level")
    else:
        json_error(s, data, "forbidden", "person", f"{role} -> {person}")
s, _, _, data = api("root", "weeks=2")
check(s == 400, "admin has no own person")
json_error(s, data, "bad_request", "person", "admin without person")
s, _, _, data = req("GET", "/api/v1/report?person=a1", role="anonymous")
check(s == 401, "anonymous API read")
json_error(s, data, "unauthorized", None, "anonymous")
s, h, _, _ = req("GET", "/", role="anonymous")
check(s == 303 and h.get("location") == "/login", "anonymous page goes to sign-in")
s, _, _, data = api("lee", q, token=open("tok_lee").read().strip())
check(s == 200, "lead's token")
for name in ("tok_revoked", "tok_expired"):
    s, _, _, data = req("GET", "/api/v1/report?" + q,
                        headers={"Authorization": "Bearer " + open(name).read().strip()},
                        role="anonymous")
    check(s == 401, f"{name}: {s}")
    json_error(s, data, "unauthorized", None, name)
for bad in ("Bearer nonsense", "Basic YW5hOmFuYQ==", "Bearer " + "0" * 68):
    s, _, _, data = req("GET", "/api/v1/report?" + q, headers={"Authorization": bad},
                        role="anonymous")
    check(s == 401, f"Authorization {bad[:12]}: {s}")
    json_error(s, data, "unauthorized", None, bad[:12])

# A team's report: its lead only, the document of `waras report --team`.
print("team report and people")
cli_alpha = json.load(open("cli_alpha.json"))
check(cli_alpha["teams"][0]["wellbeing"] is not None, "fixture: alpha's aggregate is shown")
tq = "team=alpha&weeks=2&to=2026-11-23"
for role, want_s in (("lee", 200), ("leb", 403), ("ana", 403), ("ops", 403), ("root", 403)):
    s, _, _, data = api(role, tq)
    check(s == want_s, f"{role} -> team alpha: {s}, want {want_s}")
    if want_s == 200:
        check(json.loads(data) == cli_alpha, "lead's team answer equals waras report --team")
    else:
        json_error(s, data, "forbidden", "team", f"{role} -> team alpha")
s, _, _, data = api("lee", "team=alpha&person=a1")
check(s == 400, "team and person together")
json_error(s, data, "bad_request", "team", "team and person")
want_people = {"ana": ["a1"], "al": ["a2"], "lee": ["a1", "a2", "a3", "a4", "a5"],
               "leb": ["b1", "b2"], "ops": ["h1"], "root": []}
for role, ids in want_people.items():
    s, _, _, data = req("GET", "/api/v1/people",
                        headers={"Cookie": "waras_session=" + sessions[role][0]}, role=role)
    got_ids = sorted(p["id"] for p in json.loads(data)["people"]) if s == 200 else None
    check(s == 200 and got_ids == ids, f"{role}'s people: {got_ids}, want {ids}")
s, _, _, data = req("GET", "/api/v1/people?x=1",
                    headers={"Cookie": "waras_session=" + sessions["lee"][0]})
check(s == 400, "people takes no parameters")
json_error(s, data, "unknown_field", "x", "people ?x")
for role, want_s in (("lee", 200), ("leb", 403), ("ana", 403), ("ops", 403)):
    s, _, _, page = req("GET", "/team?team=alpha&to=2026-11-23",
                        headers={"Cookie": "waras_session=" + sessions[role][0]}, role=role)
    check(s == want_s, f"{role} -> team page alpha: {s}")
    if s == 200:
        check('id="heatmap"' in page and 'id="risk"' in page and "A Five" in page,
              "the team page has the risk table and the heatmap")
        check("5 respondents" in page, "the team page shows the team's aggregate")
    else:
        json_error(s, page, "forbidden", "team", f"{role} team page")

# Pages: a member sees their own scores; a lead sees their own, not a1's.
print("pages")
for role in ("ana", "lee"):
    s, _, _, page = req("GET", "/?to=2026-11-23",
                        headers={"Cookie": "waras_session=" + sessions[role][0]}, role=role)
    check(s == 200 and 'id="weeks"' in page, f"{role}'s page has the weeks table")
    check(("70.8" in page) == (role == "ana"), f"{role}'s page and a1's own score")
s, _, _, page = req("GET", "/", headers={"Cookie": "waras_session=" + sessions["root"][0]},
                    role="root")
check(s == 200 and 'id="nodata"' in page, "the admin's page shows no data")

# On-call plans: only a team's lead runs them; the lead and the team's people
# read them, each turn only when the rule shows that person's work data.
print("on-call plans")
def as_role(role, extra=None):
    h = {"Cookie": "waras_session=" + sessions[role][0], "X-CSRF-Token": sessions[role][1]}
    h.update(extra or {})
    return h
jh = {"Content-Type": "application/json"}
plan_body = {"team": "alpha", "from": "2026-12-07", "weeks": 4, "shape": "weekly",
             "roles": ["primary"], "max_share": 0.5}
runs = [("lee", "alpha", 201), ("leb", "alpha", 403), ("ana", "alpha", 403),
        ("ops", "alpha", 403), ("root", "alpha", 403), ("lee", "beta", 403),
        ("leb", "beta", 201)]
plan_ids = {}
for role, team, want_s in runs:
    s, h, _, data = req("POST", "/api/v1/plans/oncall", json.dumps(dict(plan_body, team=team)),
                        as_role(role, jh), role=role)
    check(s == want_s, f"{role} plans {team}: {s}, want {want_s}")
    if want_s == 201:
        doc = json.loads(data)
        check(doc["feasible"] and doc["id"] > 0 and h.get("location") == f"/api/v1/plans/{doc['id']}",
              f"{role}'s plan is recorded")
        check(len(doc["turns"]) == 4 and doc["ics"] == f"/api/v1/plans/{doc['id']}.ics",
              f"{role}'s plan has a turn a week")
        plan_ids[team] = doc["id"]
    else:
        json_error(s, data, "forbidden", "team", f"{role} plans {team}")
s, _, _, data = req("POST", "/api/v1/plans/oncall", json.dumps(plan_body), role="anonymous",
                    headers=jh)
check(s == 401, f"anonymous plan: {s}")
s, _, _, data = req("POST", "/api/v1/plans/oncall", json.dumps(plan_body),
                    {"Cookie": "waras_session=" + sessions["lee"][0], **jh})
check(s == 403, f"a session's plan without CSRF: {s}")
json_error(s, data, "csrf", "csrf", "plan csrf")
s, _, _, data = req("POST", "/api/v1/plans/oncall", json.dumps(plan_body),
                    {"Authorization": "Bearer " + open("tok_lee").read().strip(), **jh})
check(s == 201, f"a lead's API token plans without CSRF: {s}")
bad_plans = [
    ("{", "bad_json", None), ("[]", "bad_json", None),
    (json.dumps(dict(plan_body, seed=3)), "unknown_field", "seed"),
    (json.dumps(dict(plan_body, weeks=27)), "bad_request", "weeks"),
    (json.dumps(dict(plan_body, weeks="4")), "bad_request", "weeks"),
    (json.dumps(dict(plan_body, max_share=0)), "bad_request", "max_share"),
    (json.dumps(dict(plan_body, roles=[])), "bad_request", "roles"),
    (json.dumps(dict(plan_body, roles=["a b"])), "bad_request", "roles"),
    (json.dumps(dict(plan_body, shape="hourly")), "bad_request", "shape"),
    (json.dumps(dict(plan_body, **{"from": "2026-02-30"})), "bad_request", "from"),
    (json.dumps({k: v for k, v in plan_body.items() if k != "weeks"}), "bad_request", "weeks"),
]
for body, code, field in bad_plans:
    s, _, _, data = req("POST", "/api/v1/plans/oncall", body, as_role("lee", jh))
    check(s == 400, f"bad plan {body[:40]}: {s}")
    json_error(s, data, code, field, f"bad plan {body[:40]}")
s, _, _, data = req("POST", "/api/v1/plans/oncall",
                    json.dumps(dict(plan_body, team="beta", roles=["a", "b", "c"])),
                    as_role("leb", jh))
check(s == 422, f"an impossible rota: {s}")
doc = json.loads(data)
check(doc["feasible"] is False and doc["why"] and "id" not in doc, "no rota, with why")
json_error(s, data, "infeasible", None, "infeasible plan")
s, _, _, data = req("POST", "/api/v1/plans/oncall", "team=alpha",
                    as_role("lee", {"Content-Type": "application/x-www-form-urlencoded"}))
check(s == 415, f"a form to the plan API: {s}")
s, _, _, data = req("GET", "/api/v1/plans/oncall", None, as_role("lee"))
check(s == 405, f"GET of the plan runner: {s}")

alpha = plan_ids["alpha"]
lists = [("lee", "alpha", 200), ("ana", "alpha", 200), ("al", "alpha", 200),
         ("leb", "alpha", 403), ("ops", "alpha", 403), ("root", "alpha", 403),
         ("ana", "beta", 403), ("leb", "beta", 200)]
for role, team, want_s in lists:
    s, _, _, data = req("GET", f"/api/v1/plans?kind=oncall&team={team}", None, as_role(role),
                        role=role)
    check(s == want_s, f"{role} lists {team}'s plans: {s}, want {want_s}")
    if s == 200:
        ids = [p["id"] for p in json.loads(data)["plans"]]
        check(alpha in ids if team == "alpha" else plan_ids["beta"] in ids,
              f"{role} sees {team}'s plan in the list")
    else:
        json_error(s, data, "forbidden", "team", f"{role} lists {team}")
alpha_people = {"a1", "a2", "a3", "a4", "a5"}
fetches = [("lee", 200, alpha_people), ("ana", 200, {"a1"}), ("al", 200, {"a2"}),
           ("leb", 404, None), ("ops", 404, None), ("root", 404, None)]
lead_turns = None
for role, want_s, may in fetches:
    for suffix in ("", ".ics"):
        s, h, _, data = req("GET", f"/api/v1/plans/{alpha}{suffix}", None, as_role(role),
                            role=role)
        check(s == want_s, f"{role} fetches plan{suffix}: {s}, want {want_s}")
        if s != 200:
            json_error(s, data, "not_found", None, f"{role} plan{suffix}")
            continue
        if suffix == "":
            doc = json.loads(data)
            who = {t["person"] for t in doc["turns"]} | {f["person"] for f in doc["fairness"]}
            check(who <= may, f"{role} sees only {sorted(may)}' turns: {sorted(who)}")
            check(doc["visible"] == ("team" if role == "lee" else "own"), f"{role} visible")
            if role == "lee":
                lead_turns = doc["turns"]
                check(len(doc["turns"]) == 4, "the lead sees every turn")
        else:
            check(h["content-type"].startswith("text/calendar"), f"{role} ics type")
            cal = icalendar.Calendar.from_ical(data)
            evs = [c for c in cal.walk("VEVENT")]
            for e in evs:
                att = str(e.get("attendee", ""))
                check(any(att == f"mailto:{p}@x.example" for p in may),
                      f"{role}'s calendar holds only their turns: {att}")
            open(f"plan_{role}.ics", "w").write(data)
            out = subprocess.run([os.environ["WARAS"], "ics", "expand", f"plan_{role}.ics",
                                  "--from", "2026-12-01", "--to", "2027-02-01"],
                                 capture_output=True, text=True)
            check(out.returncode == 0 and len(out.stdout.splitlines()) == len(evs),
                  f"waras ics expand reads {role}'s plan calendar")
            if role == "lee":
                check(len(evs) == 4, "the lead's calendar has every turn")
for bad in ("999999", "0", "x", "1.json", "-1"):
    s, _, _, data = req("GET", f"/api/v1/plans/{bad}", None, as_role("lee"))
    check(s == 404, f"plan {bad}: {s}")
    json_error(s, data, "not_found", None, f"plan {bad}")
s, _, _, data = req("GET", "/api/v1/plans?team=alpha&kind=rota", None, as_role("lee"))
check(s == 400, f"plans of an unknown kind: {s}")
s, _, _, data = req("GET", "/api/v1/plans?team=alpha&x=1", None, as_role("lee"))
check(s == 400, f"plans with an unknown parameter: {s}")
json_error(s, data, "unknown_field", "x", "plans ?x")
s, _, _, data = req("GET", f"/api/v1/plans/{alpha}", role="anonymous")
check(s == 401, f"anonymous plan read: {s}")

# The rota page: the lead's form runs a plan; a member sees their own turns.
for role, want_s in (("lee", 200), ("ana", 200), ("leb", 403), ("ops", 403), ("root", 403)):
    s, _, _, page = req("GET", "/rota?team=alpha", None, as_role(role), role=role)
    check(s == want_s, f"{role} rota page: {s}")
    if s == 200:
        check(('id="plan-form"' in page) == (role == "lee"), f"{role}: the form only for the lead")
        check('id="fairness"' in page and f"/api/v1/plans/{alpha}.ics" in page,
              f"{role}: fairness table and download link")
        if role == "ana":
            check(all(n not in page for n in ("A Two", "A Three", "A Four", "A Five")),
                  "the member's rota page names nobody else")
form = f"csrf={sessions['lee'][1]}&team=alpha&from=2027-01-04&weeks=2&shape=daily&roles=primary&max_share=50"
s, h, _, _ = req("POST", "/rota", form,
                 {"Cookie": "waras_session=" + sessions["lee"][0],
                  "Content-Type": "application/x-www-form-urlencoded"})
check(s == 303 and re.match(r"^/rota\?team=alpha&plan=[0-9]+$", h.get("location", "")),
      f"the rota form plans: {s} {h.get('location')}")
s, _, _, data = req("POST", "/rota", form.replace(sessions['lee'][1], "0" * 64),
                    {"Cookie": "waras_session=" + sessions["lee"][0],
                     "Content-Type": "application/x-www-form-urlencoded"})
check(s == 403, f"the rota form without the CSRF token: {s}")
json_error(s, data, "csrf", "csrf", "rota csrf")
s, _, _, data = req("POST", "/rota", form + "&evil=1",
                    {"Cookie": "waras_session=" + sessions["lee"][0],
                     "Content-Type": "application/x-www-form-urlencoded"})
check(s == 400, f"the rota form with an unknown field: {s}")
json_error(s, data, "unknown_field", "evil", "rota evil")
s, _, _, data = req("POST", "/rota", form.replace("alpha", "beta"),
                    {"Cookie": "waras_session=" + sessions["lee"][0],
                     "Content-Type": "application/x-www-form-urlencoded"})
check(s == 403, f"the rota form for another team: {s}")

# Calendar subscriptions: made and revoked on the page with the CSRF token,
# fetched without a cookie, stored only as a hash; a revoked or unknown
# address is the same 404 as any unknown address.
print("calendar subscriptions")
def cal_new(role):
    s, _, _, page = req("POST", "/calendar/new", "csrf=" + sessions[role][1],
                        {"Cookie": "waras_session=" + sessions[role][0],
                         "Content-Type": "application/x-www-form-urlencoded",
                         "Host": "waras.example"}, role=role)
    check(s == 200, f"{role} makes a calendar address: {s}")
    m = re.search(r'id="cal-url">http://waras\.example(/cal/wrc_[0-9a-f]{64}\.ics)<', page)
    check(m is not None, f"{role}'s new address is shown")
    return m.group(1) if m else "/cal/none.ics"
s, _, _, page = req("GET", "/calendar", None, as_role("ana"), role="ana")
check(s == 200 and 'id="cal-none"' in page, f"ana has no address yet: {s}")
s, _, _, data = req("POST", "/calendar/new", "csrf=" + "0" * 64,
                    {"Cookie": "waras_session=" + sessions["ana"][0],
                     "Content-Type": "application/x-www-form-urlencoded"})
check(s == 403, f"an address without the CSRF token: {s}")
json_error(s, data, "csrf", "csrf", "calendar csrf")
s, _, _, data = req("POST", "/calendar/new", "",
                    {"Authorization": "Bearer " + open("tok_ana").read().strip()})
check(s == 403, f"an API token makes no address: {s}")
s, h, _, _ = req("POST", "/calendar/new", "", role="anonymous")
check(s == 303 and h.get("location") == "/login", f"anonymous address: {s}")
first = cal_new("ana")
ana_url = cal_new("ana")  # a new address replaces the first
s, _, _, page = req("GET", "/calendar", None, as_role("ana"), role="ana")
check('id="cal-active"' in page and ana_url[5:-4] not in page,
      "the page says an address exists without showing it again")
lee_url = cal_new("lee")
root_url = cal_new("root")
open("cal_secrets", "w").write("\n".join(u[5:-4] for u in (first, ana_url, lee_url, root_url)))
stored = [r[0] for r in sqlite3.connect("w.db").execute("SELECT token_hash FROM calendar_tokens")]
check(len(stored) == 3 and not any(u[5:-4] in stored for u in (ana_url, lee_url)),
      "only hashes of the addresses are stored")
nf_s, _, _, nf_body = req("GET", "/cal/" + "wrc_" + "0" * 64 + ".ics", role="anonymous")
check(nf_s == 404, f"an unknown address: {nf_s}")
for u in (first, "/cal/x.ics", "/cal/.ics", "/cal/" + ana_url[5:-4], ana_url + "x"):
    s, _, _, data = req("GET", u, role="anonymous")
    check(s == 404 and data == nf_body, f"{u[:20]}: the same 404 as any unknown address")
s, _, _, data = req("GET", "/api/v1/nowhere", role="anonymous")
check(data == nf_body, "an unknown address answers like an unknown endpoint")
def feed(url, role):
    s, h, _, data = req("GET", url, role=role)
    check(s == 200 and h["content-type"].startswith("text/calendar"), f"{role}'s feed: {s}")
    check("\r\n" in data and all(len(l.encode()) <= 75 for l in data.split("\r\n")),
          f"{role}'s feed has CRLF lines of at most 75 octets")
    cal = icalendar.Calendar.from_ical(data)
    evs = list(cal.walk("VEVENT"))
    for e in evs:
        check(all(k in e for k in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY")),
              f"{role}: an event lacks a required property")
    name = f"feed_{role}.ics"
    open(name, "w").write(data)
    out = subprocess.run([os.environ["WARAS"], "ics", "expand", name, "--from", "2026-09-01",
                          "--to", "2028-01-10"], capture_output=True, text=True)
    check(out.returncode == 0 and len(out.stdout.splitlines()) == len(evs),
          f"waras ics expand reads {role}'s feed ({out.returncode})")
    uids = [str(e["UID"]) for e in evs]
    check(len(uids) == len(set(uids)), f"{role}'s feed has unique UIDs")
    return data, evs
data, evs = feed(ana_url, "ana-calendar")
summaries = [str(e["SUMMARY"]) for e in evs]
ana_turns = sum(1 for x in summaries if x.startswith("On call"))
check(ana_turns >= 1 and "Leave" in summaries, f"ana's feed has her turns and leave: {summaries}")
for other in ("A Two", "A Three", "A Four", "A Five", "B One", "a2@"):
    check(other not in data, f"ana's feed holds {other}")
leave_days = [e.decoded("DTSTART").strftime("%Y-%m-%d") for e in evs
              if str(e["SUMMARY"]) == "Leave"]
check(leave_days and all("2026-12-20" <= d <= "2026-12-23" for d in leave_days),
      f"ana's feed has her leave and not a2's: {leave_days}")
data, evs = feed(lee_url, "lee-calendar")
names = {str(e["SUMMARY"]).split(": ", 1)[1] for e in evs if ": " in str(e["SUMMARY"])}
check(names and names <= {"A One", "A Two", "A Four", "A Five"},
      f"the lead's feed names the team's people on call: {names}")
check("B One" not in data and "B Two" not in data and
      not any(str(e["SUMMARY"]) == "Leave" for e in evs),
      "the lead's feed holds no other team and nobody else's leave")
data, evs = feed(root_url, "root-calendar")
check(evs == [], "an admin's feed is empty")
s, h, _, _ = req("POST", "/calendar/revoke", "csrf=" + sessions["ana"][1],
                 {"Cookie": "waras_session=" + sessions["ana"][0],
                  "Content-Type": "application/x-www-form-urlencoded"})
check(s == 303 and h.get("location") == "/calendar", f"ana revokes: {s}")
s, _, _, data = req("GET", ana_url, role="anonymous")
check(s == 404 and data == nf_body, f"a revoked address: {s}")
s, _, _, _ = req("GET", lee_url, role="anonymous")
check(s == 200, "another user's address still works")
s, _, _, _ = req("POST", lee_url, "", role="anonymous")
check(s == 405, "a feed is read only")

# The organisation view: people-ops see every team and the organisation as
# aggregates, a lead their own teams and the organisation; nobody sees a
# person's row. Load aggregates follow min_group: beta (2) and hr (1) are
# small, so alpha (5, the smallest shown) is hidden too, lest beta + hr be
# computed as the organisation less the teams shown.
print("organisation view")
org_views = [("ops", 200, ["alpha", "beta", "gamma", "hr"]), ("lee", 200, ["alpha"]),
             ("leb", 200, ["beta"]), ("ana", 403, None), ("al", 403, None),
             ("root", 403, None)]
person_marks = ["A One", "A Two", "A Three", "A Four", "A Five", "B One", "B Two", "H One",
                "G One", "G Two", "a1@", '"a1"', '"b1"', '"g1"', '"h1"', "70.83", "70.8"]
cli_gamma = json.load(open("cli_gamma.json"))
for role, want_s, teams in org_views:
    for path in ("/api/v1/org?weeks=2&to=2026-11-23", "/org?to=2026-11-23"):
        s, _, _, data = req("GET", path, None, as_role(role), role=role)
        check(s == want_s, f"{role} {path}: {s}, want {want_s}")
        if s != 200:
            json_error(s, data, "forbidden", None, f"{role} {path}")
            continue
        for mark in person_marks:
            check(mark not in data, f"{role} {path} holds {mark}")
        if path.startswith("/org"):
            check('id="org"' in data and "Organisation" in data, f"{role}: the org table")
            continue
        doc = json.loads(data)
        check([t["team"] for t in doc["teams"]] == teams, f"{role}'s org teams: {doc['teams']}")
        check(set(doc) == {"from", "to", "weeks", "min_group", "survey_round", "teams",
                           "organisation"}, f"{role}: the document's keys")
        org = doc["organisation"]
        check(org["people"] == 14 and org["load"] is not None, f"{role}: the organisation's load")
        by = {t["team"]: t for t in doc["teams"]}
        if "beta" in by:
            check(by["beta"]["load"] is None and "fewer" in by["beta"]["load_suppressed"],
                  "beta's load is suppressed")
            check(by["beta"]["wellbeing"] is None, "beta's wellbeing is suppressed")
        if "alpha" in by:
            check(by["alpha"]["load"] is None and "subtraction" in by["alpha"]["load_suppressed"],
                  "alpha's load is hidden against subtraction")
            check(by["alpha"]["wellbeing"] is not None and by["alpha"]["wellbeing"]["respondents"] == 5,
                  "alpha's survey aggregate is shown")
        if "gamma" in by:
            g = by["gamma"]["load"]
            hours = [w["worked_hours"] for p in cli_gamma["people"] for w in p["weeks"]]
            want = round(sum(hours) / len(hours), 2)
            check(g is not None and abs(g["mean_worked_hours"] - want) < 0.011,
                  f"gamma's mean worked hours {g and g['mean_worked_hours']} = {want}")
            check(sum(g["risk_levels"].values()) == 6, "gamma's risk levels count its people")
        for t in doc["teams"]:
            check(set(t) <= {"team", "people", "load", "load_suppressed", "wellbeing",
                             "wellbeing_suppressed", "wellbeing_respondents"},
                  f"{role}: no per-person field in a team: {sorted(t)}")
s, _, _, data = req("GET", "/api/v1/org?person=a1", None, as_role("ops"))
check(s == 400, f"the org view takes no person: {s}")
json_error(s, data, "unknown_field", "person", "org ?person")
s, _, _, data = req("GET", "/api/v1/org?weeks=0", None, as_role("ops"))
check(s == 400, f"org weeks 0: {s}")
s, _, _, data = req("GET", "/api/v1/org", role="anonymous")
check(s == 401, f"anonymous org: {s}")

# Survey rounds: who opens, answers and reads what; own scores at once, team
# results only after the round closes and only for groups of min_group.
print("survey rounds")
sessions["ava"] = login("ava", "ava-password")
sessions["victim"] = login("victim", "victim-password")
jh = {"Content-Type": "application/json"}
def db_count(sql):
    c = sqlite3.connect("w.db")
    n = c.execute(sql).fetchone()[0]
    c.close()
    return n
def sv(method, path, role, body=None, extra=None):
    hdr = dict(as_role(role), **jh) if role != "anonymous" else dict(jh)
    hdr.update(extra or {})
    return req(method, "/api/v1/surveys" + path, None if body is None else json.dumps(body),
               hdr, role=role)
opens = [("lee", ["alpha"], 201), ("lee", ["beta"], 403), ("lee", ["alpha", "beta"], 403),
         ("leb", ["alpha"], 403), ("ana", ["alpha"], 403), ("ops", ["gamma"], 201),
         ("root", ["alpha"], 403), ("leb", ["beta"], 201), ("anonymous", ["alpha"], 401)]
rounds = {}
for role, teams, want_s in opens:
    s, h, _, data = sv("POST", "", role, {"teams": teams, "opens": "2026-12-01",
                                          "closes": "2026-12-14"})
    check(s == want_s, f"{role} opens a round for {teams}: {s}, want {want_s}")
    if s == 201:
        doc = json.loads(data)
        check(doc["state"] == "open" and doc["teams"] == teams and doc["opened_by"] == role and
              h.get("location") == f"/api/v1/surveys/{doc['id']}", f"{role}'s round")
        rounds[teams[0]] = doc["id"]
    elif want_s == 403:
        json_error(s, data, "forbidden", "teams", f"{role} opens {teams}")
ra, rb, rg = rounds["alpha"], rounds["beta"], rounds["gamma"]
for body, code, field in [({"teams": ["alpha"], "closes": "2026-11-01"}, "bad_request", "closes"),
                          ({"teams": ["alpha"], "opens": "2026-12-10", "closes": "2026-12-09"},
                           "bad_request", "closes"),
                          ({"teams": [], "closes": "2026-12-09"}, "bad_request", "teams"),
                          ({"teams": ["alpha"], "closes": "2026-12-09", "x": 1}, "unknown_field",
                           "x")]:
    s, _, _, data = sv("POST", "", "lee", body)
    check(s == 400, f"bad round {body}: {s}")
    json_error(s, data, code, field, f"bad round {body}")
s, _, _, data = req("POST", "/api/v1/surveys", json.dumps({"teams": ["alpha"], "closes": "2026-12-09"}),
                    {"Cookie": "waras_session=" + sessions["lee"][0], **jh})
check(s == 403, f"a round without CSRF: {s}")
json_error(s, data, "csrf", "csrf", "round csrf")

# Which rounds each role is shown.
want_lists = {"ana": [ra], "al": [ra], "lee": [ra], "leb": [rb], "ops": [rb, rg, ra],
              "ava": [ra]}
for role, ids in want_lists.items():
    s, _, _, data = sv("GET", "", role)
    got = [r["id"] for r in json.loads(data)["surveys"]] if s == 200 else None
    check(s == 200 and got == sorted(ids, reverse=True), f"{role}'s rounds: {got}, want {ids}")
s, _, _, data = sv("GET", "", "root")
check(s == 403, f"the admin's rounds: {s}")

# ana's answers: personal 83.33, work 92.86, values in no aggregate.
ana_ans = [100, 75, 75, 75, 100, 75, 100, 100, 75, 100, 75, 100, 0, 50, 50, 50, 50, 50, 50]
def ans(v):
    a = [v] * 19
    a[12] = 100 - v
    return a
answers = [("ana", ra, ana_ans, 200), ("al", ra, ans(25), 200), ("lee", ra, ans(50), 200),
           ("ava", ra, ans(0), 200), ("victim", ra, ans(25), 200),
           ("leb", ra, ans(0), 404), ("ops", ra, ans(0), 403), ("root", ra, ans(0), 403),
           ("ana", rb, ans(0), 404), ("leb", rb, ans(75), 200), ("ops", rg, ans(0), 403),
           ("anonymous", ra, ans(0), 401)]
for role, rid, a, want_s in answers:
    s, _, _, data = sv("PUT", f"/{rid}/response", role, {"answers": a})
    check(s == want_s, f"{role} answers round {rid}: {s}, want {want_s}")
    if s == 200:
        doc = json.loads(data)
        check(doc["answered"] and doc["answers"] == a, f"{role}'s answers read back")
    elif want_s in (403, 404):
        json_error(s, data, "forbidden" if want_s == 403 else "not_found", None,
                   f"{role} answers {rid}")
s, _, _, data = sv("GET", f"/{ra}/me", "ana")
me = json.loads(data)
check(s == 200 and me["scores"]["personal"] == 500 / 6 and abs(me["scores"]["work"] - 650 / 7) < 1e-9,
      f"ana's own scores: {me.get('scores')}")
check([p["round"] for p in me["trend"]] == [None, ra], f"ana's trend: {me['trend']}")
# Changed while open: stored once, with the new scores.
ana_ans[0] = 0
s, _, _, data = req("POST", f"/api/v1/surveys/{ra}/response", json.dumps({"answers": ana_ans}),
                    {"Authorization": "Bearer " + open("tok_ana").read().strip(), **jh},
                    role="ana")
check(s == 200 and json.loads(data)["scores"]["personal"] == 400 / 6, f"ana changes q1: {s}")
check(db_count(f"SELECT count(*) FROM survey_round_responses WHERE round = {ra} AND person = 'a1'") == 1 and
      db_count(f"SELECT count(*) FROM survey_responses WHERE instrument = 'cbi-round:{ra}'") == 5,
      "one response per person and round")
ana_ans[0] = 100
s, _, _, data = sv("PUT", f"/{ra}/response", "ana", {"answers": ana_ans})
check(s == 200 and abs(json.loads(data)["scores"]["personal"] - 500 / 6) < 1e-9, "ana changes back")
for body, code, field in [({"answers": ana_ans[:18]}, "bad_request", "answers"),
                          ({"answers": ana_ans[:3] + [60] + ana_ans[4:]}, "bad_request", "q4"),
                          ({"answers": ana_ans, "person": "a2"}, "unknown_field", "person")]:
    s, _, _, data = sv("PUT", f"/{ra}/response", "al", body)
    check(s == 400, f"bad answers: {s}")
    json_error(s, data, code, field, "bad answers")
s, _, _, data = req("PUT", f"/api/v1/surveys/{ra}/response", json.dumps({"answers": ana_ans}),
                    {"Cookie": "waras_session=" + sessions["al"][0], **jh})
check(s == 403, f"PUT without CSRF: {s}")
json_error(s, data, "csrf", "csrf", "PUT csrf")
# Own scores: only the person; team results: not while open.
for role, rid, want_s in [("ana", ra, 200), ("lee", ra, 200), ("ops", ra, 403), ("leb", ra, 404),
                          ("root", ra, 403), ("ana", rb, 404), ("ana", 999, 404)]:
    s, _, _, data = sv("GET", f"/{rid}/me", role)
    check(s == want_s, f"{role} -> own scores of round {rid}: {s}, want {want_s}")
    if s == 200 and role != "ana":
        check(json.loads(data)["answers"] != ana_ans, f"{role} sees their own answers")
for role, want_s in [("lee", 409), ("ops", 409), ("ana", 403), ("leb", 404), ("root", 403)]:
    s, _, _, data = sv("GET", f"/{ra}/results", role)
    check(s == want_s, f"{role} -> results of the open round: {s}, want {want_s}")
    json_error(s, data, {409: "round_not_closed", 403: "forbidden", 404: "not_found"}[want_s],
               None, f"{role} results open")
check("83.3" not in sv("GET", "", "ops")[3], "the round list holds no score")
s, _, _, data = req("GET", "/api/v1/org?weeks=2&to=2026-12-07", None, as_role("lee"), role="lee")
org = json.loads(data)
alpha_w = [t for t in org["teams"] if t["team"] == "alpha"][0]["wellbeing"]
check(alpha_w is None or alpha_w["respondents"] == 5 and abs(alpha_w["work"] - 650 / 7) > 1,
      "the open round is in no group view")

# The rounds close (the clock moves on): results for the groups of min_group.
sdb = sqlite3.connect("w.db")
for rid in (ra, rb):
    sdb.execute(f"UPDATE survey_rounds SET opens = '2026-11-20', closes = '2026-11-30' WHERE id = {rid}")
    sdb.execute(f"UPDATE survey_responses SET taken_on = '2026-11-30' WHERE instrument = 'cbi-round:{rid}'")
sdb.commit()
sdb.close()
s, _, _, data = sv("PUT", f"/{ra}/response", "ana", {"answers": ans(0)})
check(s == 409, f"answers after the close: {s}")
json_error(s, data, "round_not_open", "round", "closed round")
work = [650 / 7, 25, 50, 0, 25]
for role, rid, want_s in [("lee", ra, 200), ("ops", ra, 200), ("ana", ra, 403), ("al", ra, 403),
                          ("leb", ra, 404), ("root", ra, 403), ("leb", rb, 200), ("ops", rb, 200),
                          ("lee", rb, 404)]:
    s, _, _, data = sv("GET", f"/{rid}/results", role)
    check(s == want_s, f"{role} -> results of closed round {rid}: {s}, want {want_s}")
    if s != 200:
        continue
    doc = json.loads(data)
    t = doc["teams"][0]
    check(doc["quarter"] == "2026-Q4" and doc["min_group"] == 5, f"{role}: the quarter")
    if rid == ra:
        w = t["wellbeing"]
        check(t["team"] == "alpha" and w and w["respondents"] == 5 and
              abs(w["work"] - sum(work) / 5) < 1e-9, f"{role}: alpha's results {t}")
    else:
        check(t["team"] == "beta" and t["wellbeing"] is None and
              "min_group" in t["wellbeing_suppressed"], f"{role}: beta is suppressed {t}")
# Pages: the form, the statement of who sees what, own scores.
s, _, _, page = req("GET", f"/survey?round={rg}", None, as_role("ops"), role="ops")
check(s == 200 and 'id="who-sees"' in page and "survey-form" not in page,
      "people-ops see the round of gamma without a form")
s, _, _, page = req("GET", "/survey", None, as_role("leb"), role="leb")
check(s == 200 and f"Round {ra}" not in page, "leb's survey page lists no alpha round")
s, _, _, page = req("GET", f"/survey?round={ra}", None, as_role("ana"), role="ana")
check(s == 200 and "83.3" in page and 'id="trend"' in page and "Team results" not in page,
      "ana's page: her scores and trend, no team results")
s, _, _, page = req("GET", f"/survey?round={ra}", None, as_role("lee"), role="lee")
check(s == 200 and 'id="results"' in page and "83.3" not in page, "lee's page: team results")
s, _, _, page = req("GET", "/survey/open", None, as_role("ana"), role="ana")
check(s == 403, f"a member's open form: {s}")
s, _, _, page = req("GET", "/survey", None, as_role("root"), role="root")
check(s == 200 and 'id="round"' not in page, "the admin's survey page shows no round")

# --- Ingest uploads, users and tokens (admins only), the survey form's fields.
# Every row of TABLE is an endpoint x role x whose (own, own team, other
# team: a person for an upload, an account for users and tokens); an
# endpoint in the OpenAPI document without a row fails below.
print("ingest, users and tokens")
import shutil, tempfile
SRC = os.environ["SRC"]
WARASBIN = os.environ["WARAS"]
PAGING = os.path.join(SRC, "tests", "data", "paging")
root_tok = subprocess.run([WARASBIN, "token", "create", "root", "--name", "matrix"],
                          capture_output=True, text=True, check=True).stdout.strip()
def as_root_tok(extra=None):
    h = {"Authorization": "Bearer " + root_tok}
    h.update(extra or {})
    return h
def who(role):
    return as_role(role) if role in sessions else {}
def store_rows():
    c = sqlite3.connect("w.db")
    out = [c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
           for t in ("events", "sources", "people", "users", "api_tokens", "survey_responses")]
    out.append(c.execute("SELECT group_concat(password_hash) FROM users").fetchone()[0])
    out.append(c.execute("SELECT group_concat(revoked) FROM api_tokens").fetchone()[0])
    c.close()
    return out
def up(kind, name, body, hdr, role, query=""):
    q = urllib.parse.quote(name, safe="") if name is not None else None
    path = f"/api/v1/ingest/{kind}" + (f"?name={q}" if q is not None else "") + query
    return req("POST", path, body, hdr, role=role)
import urllib.parse

# Throwaway accounts that the admin's rows remove, re-key and give tokens.
for lg, person in (("t-team", "a2"), ("t-other", "b1"), ("t-team2", "a2"), ("t-other2", "b1"),
                   ("hx", "h1"), ("bx", "b1"), ("gx", "g2")):
    s, h, _, data = req("POST", "/api/v1/users", json.dumps(
        {"login": lg, "role": "member", "person": person, "password": lg + "-password"}),
        as_role("root", jh), role="root")
    check(s == 201 and json.loads(data) == {"login": lg, "role": "member", "person": person,
                                             "teams": []} and
          h.get("location") == f"/api/v1/users/{lg}", f"the admin adds {lg}: {s}")
# Tokens to revoke: one per account the rows name.
tok_ids = {}
for lg in ("ana", "al", "lee", "leb", "ops", "root", "hx", "bx", "t-team", "t-other"):
    s, _, _, data = req("POST", "/api/v1/tokens", json.dumps({"login": lg, "name": "rev"}),
                        as_role("root", jh), role="root")
    check(s == 201, f"a token for {lg}: {s}")
    tok_ids[lg] = (json.loads(data)["id"], json.loads(data)["token"])

# whose -> (person for an upload, account for users and tokens), per role.
WHOSE = {
    "ana": {"own": ("a1", "ana"), "team": ("a2", "al"), "other": ("b1", "leb")},
    "al": {"own": ("a2", "al"), "team": ("a1", "ana"), "other": ("b1", "leb")},
    "lee": {"own": ("a3", "lee"), "team": ("a1", "ana"), "other": ("b1", "leb")},
    "leb": {"own": ("b2", "leb"), "team": ("b1", "bx"), "other": ("a1", "ana")},
    "ops": {"own": ("h1", "ops"), "team": ("h1", "hx"), "other": ("a1", "ana")},
    # An admin is nobody's person: "own" is the account, team and other
    # are accounts of people in two teams.
    "root": {"own": ("g1", "root"), "team": ("a2", "t-team"), "other": ("b1", "t-other")},
    "anonymous": {"own": ("a1", "ana"), "team": ("a2", "al"), "other": ("b1", "leb")},
}
ROLES = ("ana", "lee", "leb", "ops", "root", "anonymous")
def want(role, admin_status):
    return 401 if role == "anonymous" else admin_status if role == "root" else 403
TABLE = []  # (method, template, role, whose, status)
for role in ROLES:
    for w in ("own", "team", "other"):
        TABLE += [
            ("POST", "/api/v1/ingest/{kind}", role, w, want(role, 200)),
            ("GET", "/api/v1/users", role, w, want(role, 200)),
            ("POST", "/api/v1/users", role, w, want(role, 201)),
            ("GET", "/api/v1/users/{login}", role, w, want(role, 200)),
            ("POST", "/api/v1/users/{login}/passwd", role, w, want(role, 200)),
            ("GET", "/api/v1/tokens", role, w, want(role, 200)),
            ("POST", "/api/v1/tokens", role, w, want(role, 201)),
            ("DELETE", "/api/v1/tokens/{id}", role, w, want(role, 200)),
            ("POST", "/api/v1/tokens/{id}/revoke", role, w, want(role, 200)),
            ("GET", "/admin", role, w, 303 if role == "anonymous" else want(role, 200)),
            ("POST", "/api/v1/users/{login}/remove", role, w,
             want(role, 400 if w == "own" else 200)),
            ("DELETE", "/api/v1/users/{login}", role, w,
             want(role, 400 if w == "own" else 200)),
        ]
rev_own = {}
for method, tmpl, role, w, want_s in TABLE:
    person, lg = WHOSE[role][w]
    hdr = dict(who(role), **jh)
    body = None
    path = tmpl
    if tmpl == "/api/v1/ingest/{kind}":
        path = "/api/v1/ingest/timesheet?name=" + f"m-{role}-{w}.csv"
        body = f"person,date,start,end\n{person},2026-10-0{1 + ROLES.index(role) % 5},09:00,10:00\n"
        hdr = dict(who(role), **{"Content-Type": "text/csv"})
    elif tmpl == "/api/v1/users" and method == "POST":
        body = json.dumps({"login": f"n-{role}-{w}", "role": "member", "person": person,
                           "password": "new-password"})
    elif tmpl == "/api/v1/tokens" and method == "POST":
        body = json.dumps({"login": lg, "name": f"m-{role}-{w}", "days": 1})
    elif "{login}" in tmpl:
        if role == "root" and "remove" in tmpl and w != "own":
            lg = lg + "2"  # t-team2, t-other2: DELETE takes t-team, t-other
        path = tmpl.replace("{login}", lg)
        if "passwd" in tmpl:
            body = json.dumps({"password": f"reset-{role}-password"})
    elif "{id}" in tmpl:
        # The revoke path's own row: another token (hx's; the admin's bx's),
        # the DELETE having revoked the asker's own; revoking twice is 200.
        tid = tok_ids[lg][0]
        if tmpl.endswith("/revoke") and w == "own":
            tid = tok_ids["bx" if role == "root" else "hx"][0]
        path = tmpl.replace("{id}", str(tid))
    before = store_rows()
    s, h, _, data = req(method, path, body, hdr, role=role)
    check(s == want_s, f"{method} {path} as {role} ({w}): {s}, want {want_s}")
    if s in (401, 403):
        json_error(s, data, "unauthorized" if s == 401 else "forbidden", None,
                   f"{method} {tmpl} {role}")
        check(store_rows() == before, f"{method} {tmpl} as {role} ({w}) changed the store")
    if role == "root" and tmpl.endswith("/passwd") and s == 200:
        # A new password ends the user's sessions: the admin signs in again.
        if lg == "root":
            sessions["root"] = login("root", "reset-root-password")
ROUTES = {(m, t) for m, t, _, _, _ in TABLE}

# The rows checked above also leave nothing behind that must not be there.
s, _, _, data = req("GET", "/api/v1/users", None, as_root_tok(), role="root")
users = {u["login"]: u for u in json.loads(data)["users"]}
check("t-team" not in users and "t-team2" not in users and "n-root-own" in users and
      "n-ana-own" not in users, "adds and removals as the rows said")
for r in ("t-other", "bx"):
    s, _, _, _ = req("GET", "/api/v1/people", None, {"Authorization": "Bearer " + tok_ids[r][1]})
    check(s == 401, f"{r}'s revoked token is refused: {s}")
for r in ("ana", "hx"):
    s, _, _, _ = req("GET", "/api/v1/people", None, {"Authorization": "Bearer " + tok_ids[r][1]})
    check(s == 200, f"{r}'s token, which a non-admin tried to revoke, still works: {s}")

# Never a hash: no password hash, token hash or session hash in any answer.
s, _, _, tl = req("GET", "/api/v1/tokens", None, as_root_tok(), role="root")
s2, _, _, page = req("GET", "/admin", None, as_role("root"), role="root")
check(s == 200 and s2 == 200, "the lists")
hashes = [r[0] for r in sqlite3.connect("w.db").execute(
    "SELECT password_hash FROM users UNION ALL SELECT token_hash FROM api_tokens "
    "UNION ALL SELECT token_hash FROM sessions")]
for text, what in ((tl, "the token list"), (page, "the admin page"),
                   (json.dumps(users), "the user list")):
    check("$argon2" not in text and not any(hh[:40] in text for hh in hashes),
          f"{what} holds a hash")
    check("wrs_" not in text, f"{what} holds a token secret")
for t in json.loads(tl)["tokens"]:
    check(set(t) == {"id", "login", "name", "created_at", "expires_at", "revoked", "expired"},
          f"token fields {sorted(t)}")

# CSRF on every state change from a session; the same with the token header.
csrf_cases = [("POST", "/api/v1/users", json.dumps({"login": "c1", "role": "admin",
                                                      "password": "c1-password"})),
              ("DELETE", "/api/v1/users/t-other2", None),
              ("POST", "/api/v1/users/ana/passwd", json.dumps({"password": "xxxxxxxx"})),
              ("POST", "/api/v1/tokens", json.dumps({"login": "root", "name": "c"})),
              ("DELETE", f"/api/v1/tokens/{tok_ids['t-team'][0]}", None),
              ("POST", f"/api/v1/tokens/{tok_ids['t-team'][0]}/revoke", None),
              ("POST", "/api/v1/ingest/timesheet?name=c.csv", "person,date,hours\na1,2026-10-05,2\n"),
              ("POST", "/admin/users", "login=c2&role=admin&password=c2-password"),
              ("POST", "/admin/tokens/revoke", f"id={tok_ids['t-team'][0]}")]
for method, path, body in csrf_cases:
    before = store_rows()
    ct = "application/x-www-form-urlencoded" if path.startswith("/admin") else "application/json"
    for bad in ({}, {"X-CSRF-Token": "0" * 64}, {"X-CSRF-Token": sessions["lee"][1]}):
        s, _, _, data = req(method, path, body, dict({"Cookie": "waras_session=" +
                                                      sessions["root"][0],
                                                      "Content-Type": ct}, **bad), role="root")
        check(s == 403, f"{method} {path} without the CSRF token: {s}")
        json_error(s, data, "csrf", "csrf", f"{method} {path} csrf")
    check(store_rows() == before, f"{method} {path} without CSRF changed the store")

# Uploads: the CLI's semantics. Each file is ingested by the CLI into a copy
# of the store as it was, and by the service: the same counts, or the same
# error (the upload's name in place of the CLI's path), and a bad file
# leaves the store as it was.
print("uploads")
work = tempfile.mkdtemp(dir=".")
def cli_ingest(kind, name, content, extra=()):
    src = sqlite3.connect("w.db")
    dst = sqlite3.connect(os.path.join(work, "c.db"))
    src.backup(dst)
    src.close(); dst.close()
    os.makedirs(os.path.dirname(os.path.join(work, name)) or work, exist_ok=True)
    with open(os.path.join(work, name), "wb") as f:
        f.write(content)
    args = ["people", "import"] if kind == "people" else ["ingest", kind]
    p = subprocess.run([WARASBIN, "--db", "c.db"] + args + [name] + list(extra), cwd=work,
                       capture_output=True, text=True, env=dict(os.environ, WARAS_DB="c.db"))
    os.remove(os.path.join(work, "c.db"))
    return p
def same_as_cli(kind, name, content, extra=(), query="", want_s=None):
    p = cli_ingest(kind, name, content, extra)
    before = store_rows()
    s, _, _, data = up(kind, name, content, as_root_tok(), "root", query)
    doc = json.loads(data)
    if p.returncode == 0:
        line = p.stdout.splitlines()[0] if p.stdout else ""
        if "already ingested" in line:
            check(s == 200 and doc["already"] is True, f"{name}: already, as the CLI says")
        else:
            m = re.search(r": (\d+) \w+ read, (\d+) added or changed, (\d+) unchanged", line)
            check(s == 200 and m and [doc["rows"], doc["added"], doc["unchanged"]] ==
                  [int(x) for x in m.groups()] and doc["already"] is False and
                  doc["kind"] == kind and doc["name"] == name,
                  f"{kind} {name}: {s} {data[:160]} vs CLI {line!r}")
            rm = re.search(r"(\d+) removed", line)
            check(doc["removed"] == (int(rm.group(1)) if rm else 0), f"{name}: removed")
    else:
        err = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
        check(s == 422, f"{kind} {name}: {s}, want 422 as the CLI failed: {err}")
        e = doc.get("error", {})
        check(e.get("code") == "invalid_file" and e.get("message") and
              e["message"] in err, f"{kind} {name}: message {e.get('message')!r} vs CLI {err!r}")
        check(store_rows() == before, f"the bad upload {name} changed the store")
    if want_s:
        check(s == want_s, f"{kind} {name}: {s}, want {want_s}")
    return s, doc

pg = lambda f: open(os.path.join(PAGING, f), "rb").read()
ts = b"person,date,start,end\ng3,2026-11-16,08:00,18:00\ng3,2026-11-17,08:00,19:00\n"
same_as_cli("timesheet", "g3/week47.csv", ts, want_s=200)
same_as_cli("timesheet", "g3/week47.csv", ts, want_s=200)  # the same content: already
s, doc = same_as_cli("timesheet", "g3/week47.csv", ts.replace(b"19:00", b"20:00"), want_s=200)
s, doc = same_as_cli("timesheet", "g3/week47.csv", ts.split(b"\n", 2)[0] + b"\n" +
                     ts.split(b"\n")[1] + b"\n", want_s=200)
check(doc.get("removed") == 1, f"a row gone from the file is removed: {doc}")
same_as_cli("timesheet", "bad.csv", b"person,date,start,end\ng3,2026-11-1x,08:00,18:00\n",
            want_s=422)
s, _, _, data = up("timesheet", "bad.csv", b"person,date,start,end\ng3,2026-11-1x,08:00,18:00\n",
                   as_root_tok(), "root")
doc = json.loads(data)
check(doc["error"]["field"] == "date" and doc["error"]["message"].startswith("bad.csv:2: date:"),
      f"the error names line and field: {doc}")
same_as_cli("timesheet", "unknown.csv", b"person,date,hours\nzed,2026-11-16,3\n", want_s=422)
same_as_cli("leave", "leave-g.csv", b"person,start,end\ng4,2026-12-21,2026-12-23\n", want_s=200)
same_as_cli("people", "paging-people.csv", pg("people.csv"), want_s=200)
same_as_cli("pagerduty", "pd/incidents.csv", pg("pd_incidents.csv"), want_s=200)
same_as_cli("pagerduty", "pd/incidents.json", pg("pd_incidents.json"), want_s=200)
same_as_cli("pagerduty", "pd/truncated.json", pg("bad/truncated.json"), want_s=422)
same_as_cli("opsgenie", "og.json", pg("og_alerts.json"), want_s=200)
same_as_cli("opsgenie", "og-bad.json", pg("bad/og_bad_ms.json"), want_s=422)
same_as_cli("oncall", "oncall.ics", pg("oncall.ics"), want_s=200)
same_as_cli("oncall", "garbage.ics", pg("bad/garbage.ics"), want_s=422)
cal = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:m1@t\r\n"
       b"DTSTAMP:20261101T000000Z\r\nDTSTART:20261118T090000Z\r\nDTEND:20261118T100000Z\r\n"
       b"SUMMARY:sync\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
same_as_cli("ics", "g5.ics", cal, extra=("--person", "g5"), query="&person=g5", want_s=200)
same_as_cli("leave", "g6-leave.ics", cal.replace(b"m1@t", b"l1@t"), extra=("--person", "g6"),
            query="&person=g6", want_s=200)
surv = (b"team,person,date,q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,q11,q12,q13,q14,q15,q16,q17,q18,q19\n"
        b"gamma,g1,2026-10-10,25,25,25,0,25,0,25,25,25,25,0,0,100,,,,,,\n")
same_as_cli("survey", "gamma-survey.csv", surv, want_s=200)
same_as_cli("survey", "gamma-bad.csv", surv.replace(b",100,", b",101,"), want_s=422)

# Names: only recorded, never a path; traversal, absolute paths, NUL and
# control characters are refused, and nothing is written under any name.
before = store_rows()
for bad in ("../x.csv", "/etc/x.csv", "a/../../x.csv", "a//b.csv", ".", "..", "a/", "a\\b.csv",
            "x\x01y.csv", "x\ny.csv", "x\x7fy.csv", "", "n" * 256):
    s, _, _, data = up("timesheet", bad, ts, as_root_tok(), "root")
    check(s == 400, f"the name {bad[:20]!r}: {s}")
    json_error(s, data, "bad_request", "name", f"name {bad[:20]!r}")
for raw in ("x%00y.csv", "%00", "..%2Fx.csv"):
    s, _, _, data = req("POST", "/api/v1/ingest/timesheet?name=" + raw, ts, as_root_tok(),
                        role="root")
    check(s == 400, f"the raw name {raw}: {s}")
s, _, _, data = req("POST", "/api/v1/ingest/timesheet", ts, as_root_tok(), role="root")
check(s == 400, f"an upload without a name: {s}")
json_error(s, data, "bad_request", "name", "no name")
for path, code, field, st in (("/api/v1/ingest/nothing?name=a", "not_found", None, 404),
                              ("/api/v1/ingest/timesheet?name=a&person=g1", "unknown_field",
                               "person", 400),
                              ("/api/v1/ingest/ics?name=a&kind=party", "bad_request", "kind", 400),
                              ("/api/v1/ingest/ics?name=a&=1", "unknown_field", None, 400),
                              ("/api/v1/ingest/ics?name=a&from=2026-01-01", "bad_request", "to",
                               400),
                              ("/api/v1/ingest/timesheet?name=a&name=b", "bad_request", "name",
                               400)):
    s, _, _, data = req("POST", path, ts, as_root_tok(), role="root")
    check(s == st, f"{path}: {s}, want {st}")
    json_error(s, data, code, field, path)
s, _, _, data = req("POST", "/api/v1/ingest/timesheet?name=empty.csv", "", as_root_tok(),
                    role="root")
check(s == 400, f"an empty upload: {s}")
s, h, _, data = req("GET", "/api/v1/ingest/timesheet?name=a", None, as_root_tok(), role="root")
check(s == 405 and h.get("allow") == "POST", f"GET an upload path: {s}")
# Oversize: 413 JSON, nothing changed; 16 KiB is no limit for uploads.
big = b"person,date,hours\n" + b"g2,2026-11-16,1\n" * (33 * 1024 * 1024 // 16)
s, _, _, data = up("timesheet", "big.csv", big, as_root_tok(), "root")
check(s == 413, f"a 33 MiB upload: {s}")
json_error(s, data, "payload_too_large", None, "33 MiB")
s, _, _, data = up("timesheet", "anon.csv", b"x" * (17 * 1024), {}, "anonymous")
check(s == 413, f"an upload with no credential keeps the 16 KiB limit: {s}")
check(store_rows() == before, "refused names and sizes changed the store")
mid = b"person,date,start,end\n" + b"".join(
    b"g2,2026-%02d-%02d,%02d:00,%02d:30\n" % (m, d, h, h)
    for m in range(1, 11) for d in range(1, 29) for h in (9, 10, 11))
s, doc = same_as_cli("timesheet", "g2-2026.csv", mid, want_s=200)
check(len(mid) > 16 * 1024 and doc["rows"] == 840, f"an upload over 16 KiB: {doc}")
for f in os.listdir("."):
    check(not f.startswith(("x", "big", "g3", "bad", "empty", "n" * 10)),
          f"a file named by a client appeared: {f}")
check(not os.path.exists("/etc/x.csv") and not os.path.exists(os.path.join(work, "..", "x.csv")),
      "nothing written outside")

# The survey form takes exactly its 21 fields: one more is refused, nothing
# stored. gx (g2) answers gamma's round, which is still open.
print("survey form fields")
sessions["gx"] = login("gx", "gx-password")
form = {"csrf": sessions["gx"][1], "round": str(rg)}
form.update({f"q{i + 1}": str(v) for i, v in enumerate(ans(25))})
fh = dict(as_role("gx"), **{"Content-Type": "application/x-www-form-urlencoded"})
n0 = db_count("SELECT count(*) FROM survey_round_responses")
before = store_rows()
for extra in ("&x=1", "&q20=50", "&csrf=" + sessions["gx"][1], "&Q1=50"):
    s, _, _, data = req("POST", "/survey", urllib.parse.urlencode(form) + extra, fh, role="gx")
    check(s == 400, f"the survey form with {extra}: {s}")
    json_error(s, data, "unknown_field" if extra in ("&x=1", "&q20=50", "&Q1=50") else
               "bad_request", None, f"survey form {extra}")
check(store_rows() == before and db_count("SELECT count(*) FROM survey_round_responses") == n0,
      "a refused survey form stored nothing")
s, h, _, _ = req("POST", "/survey", urllib.parse.urlencode(form), fh, role="gx")
check(s == 303 and h.get("location") == f"/survey?round={rg}", f"the 21-field form: {s}")
form["q1"] = "50"
s, h, _, _ = req("POST", "/survey", urllib.parse.urlencode(form), fh, role="gx")
check(s == 303, f"the form again, changed: {s}")
check(db_count("SELECT count(*) FROM survey_round_responses") == n0 + 1,
      "one response per person and round")
# A DELETE from a session needs the CSRF header too.
s, _, _, data = req("DELETE", "/api/v1/users/t-other2", None,
                    {"Cookie": "waras_session=" + sessions["root"][0]}, role="root")
check(s == 403, f"DELETE without the CSRF header: {s}")

# No wellbeing of a1 in anything another role received.
print("no leaks")
for role, seen in bodies.items():
    for b in seen:
        if role not in ("ana", "ana-calendar"):
            check("70.83" not in b and "70.8<" not in b and "70.8," not in b,
                  f"a1's score reached {role}")
            check("83.3" not in b and "92.85" not in b, f"a1's round scores reached {role}")

# CSRF: a POST from a session without the token changes nothing.
print("csrf")
ana_sess, ana_csrf = sessions["ana"]
cookie = {"Cookie": "waras_session=" + ana_sess}
for extra in ({}, {"X-CSRF-Token": "0" * 64}, {"X-CSRF-Token": sessions["lee"][1]}):
    s, _, _, data = req("POST", "/logout", "", dict(cookie, **extra))
    check(s == 403, f"sign-out without the right CSRF token: {s}")
    json_error(s, data, "csrf", "csrf", "csrf")
s, _, _, _ = req("GET", "/", headers=cookie)
check(s == 200, "the session survived the CSRF-less POST")
s, _, _, data = req("POST", "/login", "login=ana&password=ana-password",
                    {"Content-Type": "application/x-www-form-urlencoded"})
check(s == 403, "sign-in without the form's token")
json_error(s, data, "csrf", "csrf", "login csrf")

# Malformed requests: 4xx JSON errors that change nothing.
print("malformed")
db = sqlite3.connect("w.db")
def counts():
    return [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("users", "sessions", "api_tokens", "events", "people")]
before = counts()
s, _, hs, _ = req("GET", "/login")
pre = cookies_of(hs)["waras_login"][0]
jc = {"Content-Type": "application/json", "Cookie": "waras_login=" + pre}
cases = [
    ("POST", "/login", "{", jc, 400, "bad_json", None),
    ("POST", "/login", "[1,2]", jc, 400, "bad_json", None),
    ("POST", "/login", json.dumps({"login": "ana", "password": "ana-password", "csrf": pre,
                                   "role": "admin"}), jc, 400, "unknown_field", "role"),
    ("POST", "/login", json.dumps({"login": 5, "password": "x", "csrf": pre}), jc, 400,
     "bad_request", "login"),
    ("POST", "/login", '{"login":"ana","login":"al"}', jc, 400, "bad_json", None),
    ("POST", "/login", "login=ana&password=x&csrf=" + pre + "&x=1",
     {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "waras_login=" + pre},
     400, "unknown_field", "x"),
    ("POST", "/login", "login=%zz", {"Content-Type": "application/x-www-form-urlencoded",
                                      "Cookie": "waras_login=" + pre}, 400, "bad_request", None),
    ("POST", "/login", "x" * 20000, jc, 413, "payload_too_large", None),
    ("POST", "/login", "a=b", {"Content-Type": "text/plain"}, 415, "unsupported_media_type",
     None),
    ("GET", "/api/v1/report?person=a1&bogus=1", None, cookie, 400, "unknown_field", "bogus"),
    ("GET", "/api/v1/report?person=a1&person=a2", None, cookie, 400, "bad_request", "person"),
    ("GET", "/api/v1/report?person=a1&weeks=0", None, cookie, 400, "bad_request", "weeks"),
    ("GET", "/api/v1/report?person=a1&weeks=1x", None, cookie, 400, "bad_request", "weeks"),
    ("GET", "/api/v1/report?person=a1&to=2026-13-01", None, cookie, 400, "bad_request", "to"),
    ("GET", "/api/v1/nothing", None, cookie, 404, "not_found", None),
    ("PUT", "/", "x", cookie, 405, "method_not_allowed", None),
    ("DELETE", "/api/v1/report", None, cookie, 405, "method_not_allowed", None),
]
for method, path, body, hdr, want_s, code, field in cases:
    s, h, _, data = req(method, path, body, hdr, role="anonymous")
    check(s == want_s, f"{method} {path[:40]}: {s}, want {want_s}")
    check(h.get("content-type") == "application/json", f"{method} {path[:40]}: JSON")
    json_error(s, data, code, field, f"{method} {path[:40]}")
check(counts() == before, "malformed requests changed nothing")

# Security headers on every answer.
s, h, _, _ = req("GET", "/login")
for k in ("content-security-policy", "x-content-type-options", "x-frame-options"):
    check(k in h, f"header {k}")
check(h.get("cache-control") == "no-store", "pages are not cached")

# The limiter: after 5 failures the right password is refused too.
# --- quiet weeks, recovery leave, policy checks, risk and activity ---
# Each endpoint x role x (own team, other team); the documents are the CLI's.
print("quiet weeks and recovery leave")
def cli_json(args):
    out = subprocess.run([os.environ["WARAS"]] + args, capture_output=True, text=True,
                         env=dict(os.environ, WARAS_NOW="2026-12-01T12:00:00Z"))
    return out
quiet_body = {"team": "alpha", "from": "2026-12-07", "to": "2027-01-25"}
rec_body = {"team": "alpha", "project": "launch", "ends": "2026-12-04", "days": 3}
cli_quiet = cli_json(["quiet", "plan", "--team", "alpha", "--between", "2026-12-07",
                      "2027-01-25", "--iterations", "200000", "--seed", "1", "--no-record",
                      "--out", "cli_quiet.json"])
check(cli_quiet.returncode == 0, f"the CLI plans alpha's quiet week: {cli_quiet.stderr}")
cli_rec = cli_json(["recovery", "plan", "--team", "alpha", "--project", "launch", "--ends",
                    "2026-12-04", "--days", "3", "--iterations", "200000", "--seed", "1",
                    "--no-record", "--out", "cli_recovery.json"])
check(cli_rec.returncode == 0, f"the CLI plans alpha's recovery leave: {cli_rec.stderr}")
remedy_ids = {}
for kind, body, cli_file in (("quiet", quiet_body, "cli_quiet.json"),
                             ("recovery", rec_body, "cli_recovery.json")):
    runs = [("lee", "alpha", 201), ("leb", "alpha", 403), ("ana", "alpha", 403),
            ("ops", "alpha", 403), ("root", "alpha", 403), ("lee", "beta", 403),
            ("leb", "beta", 201)]
    for role, team, want_s in runs:
        s, h, _, data = req("POST", f"/api/v1/plans/{kind}", json.dumps(dict(body, team=team)),
                            as_role(role, jh), role=role)
        check(s == want_s, f"{role} plans {kind} for {team}: {s}, want {want_s}")
        if want_s != 201:
            json_error(s, data, "forbidden", "team", f"{role} plans {kind} for {team}")
            continue
        doc = json.loads(data)
        check(doc["feasible"] and h.get("location") == f"/api/v1/plans/{doc['id']}",
              f"{role}'s {kind} plan is recorded")
        remedy_ids[(kind, team)] = doc["id"]
        if team == "alpha":
            want = json.load(open(cli_file))
            got = {k: v for k, v in doc.items() if k not in ("id", "ics")}
            check(got == want, f"the {kind} answer equals the CLI's --out FILE.json")
    s, _, _, data = req("POST", f"/api/v1/plans/{kind}", json.dumps(body), role="anonymous",
                        headers=jh)
    check(s == 401, f"anonymous {kind} plan: {s}")
    s, _, _, data = req("POST", f"/api/v1/plans/{kind}", json.dumps(body),
                        {"Cookie": "waras_session=" + sessions["lee"][0], **jh})
    check(s == 403, f"a session's {kind} plan without CSRF: {s}")
    json_error(s, data, "csrf", "csrf", f"{kind} csrf")
    s, _, _, data = req("GET", f"/api/v1/plans/{kind}", None, as_role("lee"))
    check(s == 405, f"GET of the {kind} runner: {s}")
    for bad, code, field in (("{", "bad_json", None),
                             (json.dumps(dict(body, seed=3)), "unknown_field", "seed"),
                             (json.dumps(dict(body, team=7)), "bad_request", "team")):
        s, _, _, data = req("POST", f"/api/v1/plans/{kind}", bad, as_role("lee", jh))
        check(s == 400, f"bad {kind} plan {bad[:30]}: {s}")
        json_error(s, data, code, field, f"bad {kind} plan")
    lists = [("lee", "alpha", 200), ("ana", "alpha", 200), ("leb", "alpha", 403),
             ("ops", "alpha", 403), ("root", "alpha", 403), ("ana", "beta", 403),
             ("leb", "beta", 200)]
    for role, team, want_s in lists:
        s, _, _, data = req("GET", f"/api/v1/plans?kind={kind}&team={team}", None,
                            as_role(role), role=role)
        check(s == want_s, f"{role} lists {team}'s {kind} plans: {s}, want {want_s}")
        if s == 200:
            check(remedy_ids[(kind, team)] in [p["id"] for p in json.loads(data)["plans"]],
                  f"{role} sees {team}'s {kind} plan")
        else:
            json_error(s, data, "forbidden", "team", f"{role} lists {team} {kind}")
    pid_ = remedy_ids[(kind, "alpha")]
    for role, want_s, may in (("lee", 200, alpha_people), ("ana", 200, {"a1"}),
                              ("al", 200, {"a2"}), ("leb", 404, None), ("ops", 404, None),
                              ("root", 404, None)):
        for suffix in ("", ".ics"):
            s, h, _, data = req("GET", f"/api/v1/plans/{pid_}{suffix}", None, as_role(role),
                                role=role)
            check(s == want_s, f"{role} fetches {kind} plan{suffix}: {s}, want {want_s}")
            if s != 200:
                json_error(s, data, "not_found", None, f"{role} {kind} plan{suffix}")
            elif suffix == "":
                doc = json.loads(data)
                who = {t["person"] for t in doc["assignments"]}
                check(who == may, f"{role} sees {sorted(may)} in the {kind} plan: {sorted(who)}")
                check(doc["visible"] == ("team" if role == "lee" else "own"), f"{role} visible")
            else:
                evs = list(icalendar.Calendar.from_ical(data).walk("VEVENT"))
                atts = {str(e.get("attendee", "")) for e in evs}
                check(evs and atts == {f"mailto:{p}@x.example" for p in may},
                      f"{role}'s {kind} calendar holds only {sorted(may)}: {sorted(atts)}")
    # The page: the lead's forms, the team's people's own view.
    for role, want_s in (("lee", 200), ("ana", 200), ("leb", 403), ("ops", 403), ("root", 403)):
        s, _, _, page = req("GET", "/plans?team=alpha", None, as_role(role), role=role)
        check(s == want_s, f"{role} -> /plans: {s}")
        if s == 200:
            check(f'id="{kind}-plans"' in page, f"{role}'s /plans lists the {kind} plans")
            check(('id="quiet-form"' in page) == (role == "lee"), f"{role}: the forms")
# The forms on the page run the same planners and explain the answer.
s, _, _, page = req("POST", "/plans", "csrf=%s&kind=quiet&team=alpha&from=2026-12-07&to=2027-01-25"
                    % sessions["lee"][1],
                    as_role("lee", {"Content-Type": "application/x-www-form-urlencoded"}))
check(s == 200 and 'id="result"' in page and 'class="chosen"' in page,
      f"the quiet form explains its plan: {s}")
s, _, _, page = req("POST", "/plans", "csrf=%s&kind=recovery&team=alpha&project=p2&"
                    "ends=2026-12-04&days=20&window=1" % sessions["lee"][1],
                    as_role("lee", {"Content-Type": "application/x-www-form-urlencoded"}))
check(s == 422 and 'id="why"' in page and 'id="suggestion"' in page,
      f"an impossible recovery plan says why and what would hold: {s}")
s, _, _, data = req("POST", "/plans", "csrf=%s&kind=quiet&team=beta&from=2026-12-07&to=2027-01-25"
                    % sessions["lee"][1],
                    as_role("lee", {"Content-Type": "application/x-www-form-urlencoded"}))
check(s == 403, f"the quiet form for another team: {s}")
# The subscription feed carries one's own quiet week and recovery leave.
al_url = cal_new("al")
open("cal_secrets", "a").write("\n" + al_url[5:-4])
data, evs = feed(al_url, "al-calendar")
summaries = [str(e["SUMMARY"]) for e in evs]
check(any(x.startswith("Quiet week") for x in summaries) and
      any(x.startswith("Recovery") for x in summaries),
      f"al's feed has her quiet week and recovery leave: {summaries}")
# Policy checks, risk and activity: the API's document for each account is
# the CLI's `--as LOGIN` output (the same library call), and holds only the
# rows the rule shows.
print("checks, risk and activity")
def cli_as(args, role):
    out = cli_json(args + ["--as", role])
    return out.returncode, out.stdout
def get(role, path):
    return req("GET", path, None, as_role(role), role=role)
cq = ["check", "--preset", "eu-wtd", "--weeks", "3", "--to", "2026-11-23", "--format", "json"]
owner = json.loads(cli_json(cq).stdout)
check({v["person"] for v in owner["violations"]} == {"a1", "g2"},
      f"fixture: the owner sees a1's and g2's violations: {owner['violations']}")
checks = [("ana", "", 200, {"a1"}), ("al", "", 200, set()), ("lee", "", 200, {"a1"}),
          ("leb", "", 200, set()), ("ops", "", 200, set()), ("root", "", 403, None),
          ("lee", "alpha", 200, {"a1"}), ("lee", "gamma", 403, None),
          ("ana", "alpha", 403, None), ("ops", "gamma", 200, set()), ("leb", "alpha", 403, None)]
for role, team, want_s, persons in checks:
    q = "preset=eu-wtd&weeks=3&to=2026-11-23" + (f"&team={team}" if team else "")
    s, _, _, data = get(role, "/api/v1/check?" + q)
    check(s == want_s, f"{role} checks {team or 'all'}: {s}, want {want_s}")
    rc, out = cli_as(cq + (["--team", team] if team else []), role)
    if s == 200:
        doc = json.loads(data)
        got = {v["person"] for v in doc["violations"]}
        check(got == persons, f"{role} sees violations of {sorted(persons)}: {sorted(got)}")
        check(rc in (0, 3) and json.loads(out) == doc,
              f"waras check --as {role} prints the API's document")
    else:
        json_error(s, data, "forbidden", None, f"{role} check {team}")
        check(rc == 1, f"waras check --as {role} is refused too: {rc}")
for role, want_s in (("lee", 200), ("ana", 200), ("ops", 200), ("root", 403)):
    s, _, _, page = get(role, "/check?preset=eu-wtd&weeks=3&to=2026-11-23")
    check(s == want_s, f"{role} -> /check: {s}")
    if s == 200:
        check(("<td>a1</td>" in page) == (role in ("lee", "ana")) and "<td>g2</td>" not in page,
              f"{role}'s /check shows only what the rule shows")
s, _, _, data = get("lee", "/api/v1/check?preset=nope")
check(s == 400, f"an unknown preset: {s}")
json_error(s, data, "bad_request", "preset", "unknown preset")
s, _, _, data = get("lee", "/api/v1/check?preset=sre&x=1")
json_error(s, data, "unknown_field", "x", "check ?x")
risks = [("ana", "person=a1", 200), ("ana", "person=a2", 403), ("ana", "person=b1", 403),
         ("lee", "person=a1", 200), ("lee", "person=b1", 403), ("ops", "person=h1", 200),
         ("ops", "person=a1", 403), ("root", "person=a1", 403), ("lee", "team=alpha", 200),
         ("leb", "team=alpha", 403), ("ops", "team=gamma", 403)]
for role, who_q, want_s in risks:
    for what, extra in (("risk", []), ("report", ["--weeks", "2"])):
        q = who_q + "&to=2026-11-23" + ("&weeks=2" if what == "report" else "")
        s, _, _, data = get(role, f"/api/v1/{what}?" + q)
        check(s == want_s, f"{role} -> {what} {who_q}: {s}, want {want_s}")
        k, v = who_q.split("=")
        rc, out = cli_as([what, "--format", "json", f"--{k}", v, "--to", "2026-11-23"] + extra,
                         role)
        if s == 200:
            check(rc == 0 and json.loads(out) == json.loads(data),
                  f"waras {what} --as {role} --{k} {v} prints the API's document")
        else:
            json_error(s, data, "forbidden", k, f"{role} {what} {who_q}")
            check(rc == 1, f"waras {what} --as {role} is refused too: {rc}")
# Activity: a late meeting for a few people of three teams.
for p in ("a1", "b1", "g1", "g2", "g3", "g4", "g5"):
    open(f"m_{p}.ics", "w").write(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:late-{p}@t\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261118T200000Z\r\n"
        "DTEND:20261118T210000Z\r\nSUMMARY:late sync\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    subprocess.run([os.environ["WARAS"], "-q", "ingest", "ics", f"m_{p}.ics", "--person", p],
                   check=True, capture_output=True)
acts = [("ana", "person", 200, {"a1"}), ("al", "person", 200, set()),
        ("lee", "person", 200, {"a1"}), ("leb", "person", 200, {"b1"}),
        ("ops", "person", 200, set()), ("root", "person", 403, None),
        ("lee", "team", 200, {"alpha"}), ("ops", "team", 200, {"alpha", "gamma"}),
        ("ana", "team", 200, set()), ("leb", "team", 200, {"beta"})]
for role, by, want_s, keys in acts:
    s, _, _, data = get(role, f"/api/v1/activity?source=meetings&by={by}")
    check(s == want_s, f"{role} -> activity by {by}: {s}, want {want_s}")
    rc, out = cli_as(["activity", "--source", "meetings", "--by", by, "--format", "json"], role)
    if s == 200:
        doc = json.loads(data)
        got = {r[by] for r in doc["rows"]}
        check(got == keys, f"{role} sees activity of {sorted(keys)} by {by}: {sorted(got)}")
        check(rc == 0 and json.loads(out) == doc,
              f"waras activity --as {role} prints the API's document")
    else:
        json_error(s, data, "forbidden", None, f"{role} activity")
        check(rc == 1, f"waras activity --as {role} is refused too: {rc}")
s, _, _, data = get("lee", "/api/v1/activity?source=mail")
json_error(s, data, "bad_request", "source", "activity source")
# The header bar links only to pages the role may open: each link answers 200.
for role in sorted(sessions):
    s, _, _, page = get(role, "/")
    nav = re.search(r'<nav id="nav">(.*?)</nav>', page)
    check(s == 200 and nav is not None, f"{role}'s home page has the header's links")
    hrefs = re.findall(r'href="([^"]+)"', nav.group(1) if nav else "")
    check(("/admin" in hrefs) == (role == "root"), f"{role}: /admin linked only for the admin: {hrefs}")
    for href in hrefs:
        s, _, _, _ = get(role, href.replace("&amp;", "&"))
        check(s == 200, f"{role}'s header link {href} opens: {s}")
# --- end of quiet weeks, recovery leave, policy checks, risk and activity ---

print("limiter")
def try_login(user, pw):
    s, _, hs, _ = req("GET", "/login")
    pre = cookies_of(hs)["waras_login"][0]
    return req("POST", "/login", json.dumps({"login": user, "password": pw, "csrf": pre}),
               {"Content-Type": "application/json", "Cookie": "waras_login=" + pre})
for i in range(5):
    s, _, _, data = try_login("victim", "wrong-password")
    check(s == 401, f"wrong password {i}: {s}")
    json_error(s, data, "unauthorized", None, "wrong password")
s, _, _, data = try_login("victim", "victim-password")
check(s == 429, f"sixth attempt: {s}")
json_error(s, data, "too_many_requests", None, "limited")
s, _, _, data = try_login("al", "al-password")
check(s == 200 and json.loads(data)["role"] == "member", "another account still signs in")

# Sign-out with the token ends the session.
print("sign-out")
s, h, _, _ = req("POST", "/logout", "csrf=" + ana_csrf,
                 dict(cookie, **{"Content-Type": "application/x-www-form-urlencoded"}))
check(s == 303 and h.get("location") == "/login", f"sign-out: {s}")
s, h, _, _ = req("GET", "/", headers=cookie)
check(s == 303, "the session is gone")
s, _, _, data = api("ana", q)
check(s == 401, "the API refuses the ended session")

# The OpenAPI document names the endpoints that exist.
s, _, _, data = req("GET", "/api/v1/openapi.json")
doc = json.loads(data)
check(s == 200 and doc["openapi"].startswith("3.1"), "OpenAPI 3.1")
check(set(doc["paths"]) == {"/api/v1/report", "/api/v1/people", "/api/v1/health",
                            "/api/v1/openapi.json", "/login", "/logout", "/api/v1/plans",
                            "/api/v1/plans/oncall", "/api/v1/plans/{id}",
                            "/api/v1/plans/quiet", "/api/v1/plans/recovery",
                            "/api/v1/check", "/api/v1/risk", "/api/v1/activity",
                            "/api/v1/plans/{id}.ics", "/cal/{token}.ics", "/api/v1/org",
                            "/api/v1/surveys", "/api/v1/surveys/{id}/response",
                            "/api/v1/surveys/{id}/me", "/api/v1/surveys/{id}/results"} |
      {"/api/v1/ingest/{kind}", "/api/v1/users", "/api/v1/users/{login}",
       "/api/v1/users/{login}/remove", "/api/v1/users/{login}/passwd", "/api/v1/tokens",
       "/api/v1/tokens/{id}", "/api/v1/tokens/{id}/revoke"},
      "OpenAPI paths")
# Every method of the ingest, users and tokens paths has matrix rows.
for path, ops in doc["paths"].items():
    if path.startswith(("/api/v1/ingest", "/api/v1/users", "/api/v1/tokens")):
        for method in ops:
            if method != "parameters":
                check((method.upper(), path) in ROUTES, f"no access-matrix row for {method} {path}")

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("all checks passed")
PY

# No stale answer: a team's and a person's report asked twice (the second
# may come from the service's cache), then an ingest by the CLI, then asked
# again: the new answers must be the CLI's new documents.
ask() { # TOKEN QUERY -> the body on stdout
  PORT=$port /usr/bin/python3 - "$1" "$2" <<'PY'
import http.client, os, sys
c = http.client.HTTPConnection("127.0.0.1", int(os.environ["PORT"]), timeout=30)
c.request("GET", "/api/v1/report?" + sys.argv[2], headers={"Authorization": "Bearer " + sys.argv[1]})
r = c.getresponse()
body = r.read()
if r.status != 200:
    sys.exit(f"status {r.status}")
sys.stdout.buffer.write(body)
PY
}
# The CLI's documents as of now, at the server's clock: the survey rounds
# above added responses that the reports show once their round is closed.
export WARAS_NOW=2026-12-01T12:00:00Z
"$WARAS" report --format json --person a1 --weeks 2 --to 2026-11-23 > cli_a1.json
"$WARAS" report --format json --team alpha --weeks 2 --to 2026-11-23 > cli_alpha.json
for round in 1 2; do
  ask "$(cat tok_lee)" 'team=alpha&weeks=2&to=2026-11-23' > api_alpha.$round || fail "team report"
  cmp -s api_alpha.$round cli_alpha.json || fail "the team report differs from the CLI's (round $round)"
  ask "$(cat tok_lee)" 'person=a1&weeks=2&to=2026-11-23' > api_a1.$round || fail "a1's report"
  cmp -s api_a1.$round cli_a1.json || fail "a1's report differs from the CLI's (round $round)"
done
printf 'person,date,start,end,hours\na1,2026-11-19,07:00,22:00,\n' > more.csv
"$WARAS" ingest timesheet more.csv > /dev/null
"$WARAS" report --format json --team alpha --weeks 2 --to 2026-11-23 > cli_alpha2.json
"$WARAS" report --format json --person a1 --weeks 2 --to 2026-11-23 > cli_a12.json
cmp -s cli_alpha.json cli_alpha2.json && fail "the ingest did not change the team report"
ask "$(cat tok_lee)" 'team=alpha&weeks=2&to=2026-11-23' > api_alpha.3 || fail "team report"
cmp -s api_alpha.3 cli_alpha2.json || fail "a stale team report after an ingest"
ask "$(cat tok_lee)" 'person=a1&weeks=2&to=2026-11-23' > api_a1.3 || fail "a1's report"
cmp -s api_a1.3 cli_a12.json || fail "a stale report of a1 after an ingest"

# Suggestions: a lead's /api/v1/risk of their team carries the suggestions
# of `waras risk --format json` (the owner's document, plans from the same
# next Monday); a member, of another team or of the team, never sees them.
printf 'person,date,start,end,hours\n' > heavy.csv
for d in $(seq 0 27); do
  printf 'a5,%s,07:00,22:30,\n' "$(date -u -d "2026-10-26 + $d days" +%F)" >> heavy.csv
done
"$WARAS" ingest timesheet heavy.csv > /dev/null
printf 'tinker-password\n' | "$WARAS" -q user add bea --role member --person b1 --password-stdin
"$WARAS" token create bea --name ci > tok_bea 2> /dev/null
"$WARAS" risk --format json --team alpha --to 2026-11-23 > cli_risk_alpha.json
"$WARAS" risk --format json --person a5 --to 2026-11-23 > cli_risk_a5.json
"$WARAS" risk --format json --team alpha --to 2026-11-23 --as lee > cli_risk_alpha_lee.json
"$WARAS" risk --format json --person a5 --to 2026-11-23 --as ava > cli_risk_a5_ava.json
"$WARAS" risk --format json --to 2026-11-23 --as bea > cli_risk_bea.json
risk_get() { # TOKEN QUERY -> the body of /api/v1/risk on stdout
  PORT=$port /usr/bin/python3 - "$1" "$2" <<'PY'
import http.client, os, sys
c = http.client.HTTPConnection("127.0.0.1", int(os.environ["PORT"]), timeout=60)
c.request("GET", "/api/v1/risk?" + sys.argv[2], headers={"Authorization": "Bearer " + sys.argv[1]})
r = c.getresponse()
body = r.read()
sys.stdout.write(f"{r.status}\n")
sys.stdout.buffer.write(body)
PY
}
risk_get "$(cat tok_lee)" 'team=alpha&to=2026-11-23' > api_risk_alpha
risk_get "$(cat tok_lee)" 'person=a5&to=2026-11-23' > api_risk_a5
risk_get "$(cat tok_bea)" 'to=2026-11-23' > api_risk_bea
risk_get "$(cat tok_bea)" 'person=a5&to=2026-11-23' > api_risk_bea_a5
ava_tok=$("$WARAS" token create ava --name risk 2> /dev/null)
risk_get "$ava_tok" 'person=a5&to=2026-11-23' > api_risk_ava
/usr/bin/python3 - <<'PY' || fail "suggestions in the service's risk documents"
import json
def api(name):
    status, body = open(name).read().split("\n", 1)
    return int(status), body
owner = json.load(open("cli_risk_alpha.json"))
sug = owner.get("suggestions") or []
assert any(m["person"] == "a5" for m in sug), f"fixture: a5 is high with a suggestion: {sug}"
assert all("--db" not in (m["command"] or "") for m in sug), "a document's command names no store"
s, body = api("api_risk_alpha")
assert s == 200 and json.loads(body) == owner, "the lead's /api/v1/risk?team=alpha is waras risk's"
assert json.load(open("cli_risk_alpha_lee.json")) == owner, "waras risk --as lee is the owner's too"
s, body = api("api_risk_a5")
assert s == 200 and json.loads(body) == json.load(open("cli_risk_a5.json")), \
    "the lead's /api/v1/risk?person=a5 is waras risk --person a5's"
assert json.loads(body).get("suggestions"), "the lead sees a5's suggestions"
for name, cli in (("api_risk_bea", "cli_risk_bea.json"), ("api_risk_ava", "cli_risk_a5_ava.json")):
    s, body = api(name)
    assert s == 200, f"{name}: {s}"
    doc = json.loads(body)
    assert "suggestions" not in doc and "a5 (" not in body, f"{name} holds suggestions"
    assert doc == json.load(open(cli)), f"{name} equals waras risk --as"
s, body = api("api_risk_bea_a5")
assert s == 403 and "suggestions" not in body, f"another team's member asks for a5: {s}"
PY

# The log: one line per request, no secrets, no wellbeing, no query values.
serve_stop || fail "the server did not stop cleanly on SIGTERM"
grep -q 'SIGTERM, stopping' serve.log || fail "no stop message"
for secret in ana-password lee-password victim-password "$(cut -c5- tok_ana)" \
              "$(cut -c5- tok_lee)" 70.83 a1 2026-11-23 wrs_ wrc_ $(cat cal_secrets); do
  if grep -qF -- "$secret" serve.log; then fail "the log holds '$secret'"; fi
done
sqlite3 w.db "SELECT token_hash FROM sessions" | while read -r h; do
  if grep -qF -- "$h" serve.log; then fail "the log holds a session hash"; fi
done
for value in 83.33 83.3 92.85 92.86; do
  if grep -qF -- "$value" serve.log; then fail "the log holds the survey value '$value'"; fi
done
bad=$(grep -Ev '^(waras serve: |[A-Z?]+ /[^ ]* [0-9]{3} [0-9]+ms$|- request ended early)' serve.log || true)
[ -z "$bad" ] || fail "unexpected log lines: $bad"
grep -qE '^GET /api/v1/report\?person=&weeks=&to= 200 [0-9]+ms$' serve.log \
  || fail "the log lacks the API request line"
echo "serve api: ok ($(grep -c 'ms$' serve.log) requests)"
