#!/usr/bin/env bash
# Benchmark of 'waras ingest git' against git's own log over the same
# repository, in the same run. Builds a bare repository of N commits (default
# 50,000) with 'git fast-import': ~200 authors in offsets from -1200 to
# +1400, a merge every 50 commits, and a .mailmap that folds a second
# identity of every tenth author. Runs git log and the ingest (into a fresh
# store each time) one after the other RUNS times (default 5), and prints
# the ratio of each pair, wall-clock and CPU (user + sys), as the median
# with the lowest and highest: on a shared machine the ratio of runs made
# side by side holds up better than either time. Then checks that 'waras
# activity --source git' equals the counts derived from the same git log.
# Last measured (51,000 commits, 7 pairs, shared 2-core machine): 1.13
# (1.08-1.19) CPU, 1.20 (1.03-1.35) wall; callgrind 2.10 G instructions
# against git log's 1.90 G, 1.10x. What was done and why: docs/git.md.
#
#   bench/git.sh [path/to/waras] [commits] [runs]
set -euo pipefail
WARAS=${1:-build/waras}
N=${2:-50000}
RUNS=${3:-5}
case $WARAS in /*) ;; *) WARAS=$PWD/$WARAS ;; esac
[ -x "$WARAS" ] || { echo "no waras binary at $WARAS (build first)"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C

git init -q --bare repo.git
awk -v n="$N" 'BEGIN {
  split("-1200 -1000 -0930 -0800 -0700 -0500 -0300 +0000 +0100 +0200 +0330 +0530 +0545 +0700 +0800 +0900 +1000 +1300 +1345 +1400", tz, " ")
  srand(42); t = 1577836800; side = 0
  for (i = 1; i <= n; i++) {
    a = int(rand() * 200); t += int(rand() * 7200)
    off = tz[1 + a % 20]
    if (a % 10 == 0 && rand() < 0.5) who = sprintf("Dev %d Alt <dev%d@old.example>", a, a)
    else who = sprintf("Dev %d <Dev%d@Corp.Example>", a, a)
    if (i % 50 == 0) {           # a side commit, merged by the next main commit
      printf "commit refs/heads/side\nmark :%d\nauthor %s %d %s\ncommitter %s %d %s\ndata 5\nside\nfrom :%d\n\n", \
        n + i, who, t, off, who, t, off, i - 1
      side = n + i
    }
    printf "commit refs/heads/main\nmark :%d\nauthor %s %d %s\ncommitter %s %d %s\n", i, who, t, off, who, t, off
    printf "data %d\n%s\n", length("commit " i) + 1, "commit " i
    if (i > 1) printf "from :%d\n", i - 1
    if (side) { printf "merge :%d\n", side; side = 0 }
    if (i == n) {
      mm = ""
      for (k = 0; k < 200; k += 10) mm = mm sprintf("Dev %d <dev%d@corp.example> <dev%d@old.example>\n", k, k, k)
      printf "M 644 inline .mailmap\ndata %d\n%s", length(mm), mm
    }
    printf "\n"
  }
}' | git -C repo.git fast-import --quiet
git -C repo.git symbolic-ref HEAD refs/heads/main
commits=$(git -C repo.git rev-list --count HEAD)

# RUNS pairs: git log, then the ingest alone (not the 'init' before it).
timed() { /usr/bin/time -f '%e %U %S' -o "$1" "${@:2}" >/dev/null; }
: > pairs.txt
for _ in $(seq "$RUNS"); do
  timed tg.txt git -C repo.git log --use-mailmap --format='%H %aE %ad' --date=raw
  rm -f w.db w.db-wal w.db-shm; "$WARAS" --db w.db init >/dev/null
  timed tw.txt "$WARAS" --db w.db ingest git repo.git --create-people
  paste tg.txt tw.txt >> pairs.txt
done
# Per pair: git wall, git cpu, waras wall, waras cpu, wall ratio, cpu ratio.
awk '{ gc = $2 + $3; wc = $5 + $6; if ($1 == 0) $1 = 0.01; if (gc == 0) gc = 0.01
       printf "%.3f %.3f %.3f %.3f %.3f %.3f\n", $1, gc, $4, wc, $4 / $1, wc / gc }' pairs.txt > r.txt
# stat COLUMN: median (lowest-highest) of a column of r.txt.
stat() { sort -g -k"$1","$1" r.txt | awk -v c="$1" '{ v[NR] = $c }
  END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2f (%.2f-%.2f)", m, v[1], v[NR] }'; }

# Re-ingest with nothing new, and the exact counts against the same log.
timed ta.txt "$WARAS" --db w.db ingest git repo.git
want=$(git -C repo.git log --use-mailmap --format='%aE %ad' --date=format:'%u %H' |
  awk '{ k = tolower($1); d = $2 + 0; h = $3 + 0; n[k]++
         if (h >= 22 || h < 8) s[k]++; else if (d <= 5 && h < 18) b[k]++; else o[k]++
         if (d >= 6) w[k]++ }
       END { for (k in n) printf "%s\t%d\t%d\t%d\t%d\t%d\n", k, n[k], b[k], o[k], s[k], w[k] }' | sort)
got=$("$WARAS" --db w.db activity --source git --by person --format tsv)
if [ "$want" = "$got" ]; then check="equal ($(echo "$got" | wc -l) people)"; else check="DIFFERENT"; fi

printf 'commits        %d (%s), %d runs: median (lowest-highest)\n' "$commits" \
  "$(nproc) cores, $(uname -m)" "$RUNS"
printf 'git log        %s s wall, %s s cpu\n' "$(stat 1)" "$(stat 2)"
printf 'waras ingest   %s s wall, %s s cpu\n' "$(stat 3)" "$(stat 4)"
printf 'ratio          %s wall, %s cpu (aim <= 1.3)\n' "$(stat 5)" "$(stat 6)"
printf 're-ingest      %s s (nothing new)\n' "$(awk '{ print $1 }' ta.txt)"
printf 'activity       %s to git log counts\n' "$check"
[ "$check" != DIFFERENT ]
