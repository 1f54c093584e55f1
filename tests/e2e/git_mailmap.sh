#!/usr/bin/env bash
# A generated history of a few thousand commits by a few hundred authors,
# each writing under several identities (mixed-case e-mails and names, old
# addresses, laptops, a build address shared by many), and a mailmap of a
# few hundred entries of all four forms with comments, blank lines and
# later entries overriding earlier ones, split between HEAD:.mailmap of a
# bare repository and a mailmap.file. waras's per-person commit counts
# must equal those of git log --use-mailmap, keyed by the lower-cased
# mailmapped e-mail.
#
#   tests/e2e/git_mailmap.sh path/to/waras [commits]
set -euo pipefail
WARAS=$1
N=${2:-4000}
case $WARAS in /*) ;; *) WARAS=$PWD/$WARAS ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C

git init -q --bare repo.git
awk -v n="$N" 'BEGIN {
  srand(7); t = 1767225600; P = 300
  # The identities person k commits under.
  for (k = 0; k < P; k++) {
    id[k, 0] = sprintf("Dev %d <dev%d@corp.example>", k, k)
    id[k, 1] = sprintf("dev %d <DEV%d@Corp.Example>", k, k)
    id[k, 2] = sprintf("Dev %d <k%d@old.example>", k, k)
    id[k, 3] = sprintf("Dev %d Laptop <Dev%d@Laptop.Local>", k, k)
    id[k, 4] = sprintf("DEV %d <shared@build.example>", k)
  }
  for (i = 1; i <= n; i++) {
    k = int(rand() * P); j = int(rand() * 5); t += 600 + int(rand() * 3600)
    split(id[k, j], parts, "<")
    printf "commit refs/heads/main\nmark :%d\nauthor %s %d +0000\ncommitter CI <ci@example> %d +0000\n", i, id[k, j], t, t
    printf "data %d\n%s\n", length("c " i) + 1, "c " i
    if (i > 1) printf "from :%d\n", i - 1
    if (i == n) {
      mm = "# the team mailmap\n\n"
      for (k = 0; k < P; k++) {
        f = k % 4
        if (f == 0) mm = mm sprintf("Dev %d Proper <DEV%d@corp.EXAMPLE>\n", k, k)
        else if (f == 1) mm = mm sprintf("<Dev%d@Corp.Example> <K%d@OLD.example>\n", k, k)
        else if (f == 2) mm = mm sprintf("Dev %d <dev%d@corp.example> <dev%d@laptop.local>\n", k, k, k)
        else mm = mm sprintf("Dev %d <dev%d@corp.example> dev %d <SHARED@build.example>\n", k, k, k)
        if (k % 10 == 0) mm = mm "\n# moved\n"
      }
      printf "M 644 inline .mailmap\ndata %d\n%s", length(mm), mm
    }
    printf "\n"
  }
}' | git -C repo.git fast-import --quiet
git -C repo.git symbolic-ref HEAD refs/heads/main
# Later entries, in mailmap.file (read after HEAD:.mailmap): some people
# move to a new address, some e-mail-only entries gain a name, and one
# shared-address entry is replaced by a later one for the same name.
awk 'BEGIN {
  for (k = 0; k < 300; k += 7) printf "<dev%d@new.example> <DEV%d@corp.example>\n", k, k
  for (k = 1; k < 300; k += 12) printf "Renamed %d <k%d@old.example>\n", k, k
  printf "Other <other@corp.example> DEV 3 <shared@build.example>\n"
}' > extra.map
git -C repo.git config mailmap.file "$tmp/extra.map"

"$WARAS" --db w.db init >/dev/null
start=$(date +%s)
"$WARAS" --db w.db ingest git repo.git --create-people >/dev/null
got=$("$WARAS" --db w.db activity --source git --by person --format tsv | cut -f1,2)
want=$(git -C repo.git log --use-mailmap --format='%aE' | tr 'A-Z' 'a-z' | sort | uniq -c |
  awk '{ printf "%s\t%d\n", $2, $1 }')
raw=$(git -C repo.git log --format='%ae' | tr 'A-Z' 'a-z' | sort -u | wc -l)
people=$(echo "$want" | wc -l)
if [ "$got" != "$want" ]; then
  diff <(echo "$want") <(echo "$got") | head -20 >&2
  echo "FAIL: per-person commit counts differ from git log --use-mailmap" >&2
  exit 1
fi
# The mailmap did real work: fewer people than raw addresses.
[ "$people" -ge 250 ] && [ "$raw" -gt "$people" ] || {
  echo "FAIL: unexpected shape: $people people from $raw addresses" >&2; exit 1; }
echo "ok: $N commits, $raw addresses -> $people people, equal to git log ($(($(date +%s) - start)) s)"
