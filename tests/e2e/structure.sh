#!/usr/bin/env bash
# The house rules that a compiler does not check, checked on every test run:
#   - modules of src/lib (and src/cli, src/server) form no include cycle: no
#     module includes one that includes it back, directly or through others;
#   - no source file calls into a file that calls back into it, directly or
#     through others (read from the built objects' symbol tables with nm);
#   - every public header in include/waras/ belongs to a known module, and
#     private headers (*_int.h, *_internal.h) stay beside their sources;
#   - the library reads no clock except through src/lib/time/clock.c;
#   - no unbounded or non-reentrant libc calls (sprintf, strcpy, strcat,
#     atoi, gmtime, localtime);
#   - nothing cites the internal design brief: definitions are cited from
#     docs/definitions.md.
# usage: tests/e2e/structure.sh WARAS_BINARY   (its build tree's objects are read)
set -euo pipefail
root=${WARAS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${1:?usage: structure.sh WARAS_BINARY}
export WARAS_BUILD_DIR=$(cd "$(dirname "$bin")" && pwd)
cd "$root"
exec python3 - <<'PYEOF'
import collections, glob, os, re, subprocess, sys

# Which module owns each public header. A new header must be added here,
# with the module that implements it.
OWNER = {
    "activity": "metrics", "interrupt": "metrics", "metrics": "metrics",
    "check": "policy", "quiet": "plan", "oncall": "plan", "recovery": "plan",
    "ics": "ical", "ingest": "ingest", "store": "store", "backup": "store", "survey": "survey",
    "time": "time", "error": "util", "report": "report", "risk": "risk",
    "roster": "roster", "demo": "demo", "auth": "auth", "access": "access",
    "plan": "plan", "remedy": "remedy",
}
errors = []

def cycles(graph):
    """The strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, comps = {}, {}, [], set(), []
    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v); on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))
    for v in sorted(graph):
        if v not in index:
            strong(v)
    return comps


def module_of(path):
    parts = path.split("/")
    if parts[0] == "src" and parts[1] == "lib":
        return parts[2]
    if parts[0] == "src":
        return parts[1]          # cli, server
    if parts[0] == "include":
        name = os.path.basename(path)[:-2]
        if name not in OWNER:
            errors.append(f"{path}: public header of no known module "
                          "(add it to OWNER in tests/e2e/structure.sh)")
            return None
        return OWNER[name]
    return None

sources = sorted(glob.glob("src/**/*.[ch]", recursive=True) + glob.glob("include/waras/*.h"))
inc_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

def resolve(frm, inc):
    for cand in (os.path.join(os.path.dirname(frm), inc), os.path.join("include", inc),
                 os.path.join("src/lib", inc), os.path.join("src", inc),
                 os.path.join("src/server", inc), os.path.join("src/cli", inc)):
        if os.path.exists(cand):
            return os.path.normpath(cand)
    return None

graph = collections.defaultdict(set)
why = {}
for f in sources:
    m = module_of(f)
    if m is None:
        continue
    for inc in inc_re.findall(open(f, encoding="utf-8").read()):
        target = resolve(f, inc)
        if target is None:
            errors.append(f"{f}: includes \"{inc}\", which is not in the tree")
            continue
        t = module_of(target)
        if t and t != m:
            graph[m].add(t)
            why.setdefault((m, t), f"{f} includes {inc}")

# Cycles between modules.
for comp in cycles(graph):
    edges = [why[(a, b)] for a in comp for b in comp if (a, b) in why]
    errors.append("modules include each other: " + " <-> ".join(comp) + "\n    " +
                  "\n    ".join(edges))

# Calls between files, from the objects' symbol tables.
build = os.environ["WARAS_BUILD_DIR"]
objs = sorted(glob.glob(os.path.join(build, "CMakeFiles", "waras_lib.dir", "src", "**", "*.o"), recursive=True) +
              glob.glob(os.path.join(build, "CMakeFiles", "waras.dir", "src", "**", "*.o"), recursive=True) +
              glob.glob(os.path.join(build, "CMakeFiles", "waras_server.dir", "src", "**", "*.o"), recursive=True))
# Objects of sources that no longer exist (a file moved since the build dir
# was made) are left over by CMake; only the tree's own count.
objs = [o for o in objs if os.path.isfile(re.sub(r"\.o$", "", o.split(".dir" + os.sep, 1)[1]))]
if len(objs) < 20:
    errors.append(f"{build}: the built objects are missing; cannot check calls between files")
defined, undefined = {}, collections.defaultdict(set)
for o in objs:
    name = re.sub(r"\.o$", "", o.split(".dir" + os.sep, 1)[1])
    out = subprocess.run(["nm", "-g", o], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "TDBRCV":
            defined[p[2]] = name
        elif len(p) == 2 and p[0] == "U":
            undefined[name].add(p[1])
calls, via = collections.defaultdict(set), {}
for f, syms in undefined.items():
    for sym in sorted(syms):
        g = defined.get(sym)
        if g and g != f:
            calls[f].add(g)
            via.setdefault((f, g), sym)
for comp in cycles(calls):
    edges = [f"{a} calls {via[(a, b)]}() of {b}" for a in comp for b in comp if (a, b) in via]
    errors.append("files call each other: " + " <-> ".join(comp) + "\n    " + "\n    ".join(edges))

# The CLI and the server are shells: the library never includes them.
for (a, b), w in why.items():
    if b in ("cli", "server") and a not in ("cli", "server"):
        errors.append(f"library includes a shell: {w}")

for h in glob.glob("include/waras/*.h"):
    if re.search(r"_(int|internal|private)\.h$", h):
        errors.append(f"{h}: a private header in the public include directory")

clock_re = re.compile(r"\b(time\s*\(\s*(NULL|0|&)|clock_gettime\s*\(|gettimeofday\s*\(|clock\s*\(\s*\))")
banned_re = re.compile(r"(?<![\w])(sprintf|vsprintf|strcpy|strcat|atoi|atol|gmtime|localtime)\s*\(")
comment_re = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
for f in sources:
    text = open(f, encoding="utf-8").read()
    code = comment_re.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for n, line in enumerate(code.split("\n"), 1):
        if f.startswith("src/lib/") and f != "src/lib/time/clock.c" and clock_re.search(line):
            errors.append(f"{f}:{n}: reads a clock; use waras_clock_now() or waras_clock_seconds()")
        if banned_re.search(line):
            errors.append(f"{f}:{n}: {banned_re.search(line).group(1)}() is banned; use the bounded or _r form")

for f in sorted(glob.glob("src/**/*", recursive=True) + glob.glob("include/**/*", recursive=True) +
                glob.glob("docs/**/*", recursive=True) + glob.glob("tests/**/*", recursive=True) +
                glob.glob("scripts/**/*", recursive=True) + glob.glob("bench/**/*", recursive=True) +
                ["README.md"]):
    if not os.path.isfile(f) or f == "tests/e2e/structure.sh":
        continue
    try:
        text = open(f, encoding="utf-8").read()
    except UnicodeDecodeError:
        continue
    for n, line in enumerate(text.split("\n"), 1):
        if "DESIGN.md" in line:
            errors.append(f"{f}:{n}: cites DESIGN.md; cite docs/definitions.md")

if errors:
    errors = list(dict.fromkeys(errors))
    print("\n".join(errors))
    print(f"structure: {len(errors)} problem(s)")
    sys.exit(1)
print(f"structure: {len(sources)} files, {len(graph)} modules, {len(objs)} objects: "
      "no include or call cycle, one clock, no banned calls")
PYEOF
