# Helpers for the git golden cases (sourced by their cmd scripts; this
# directory has no cmd, so it is not a case itself). Repositories are built
# with the git CLI in the case's temporary directory, and waras's counts are
# compared with counts derived independently from git's own log.
export HOME=$PWD GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C
export GIT_COMMITTER_NAME=Committer GIT_COMMITTER_EMAIL=committer@ci.example

# commit NAME EMAIL DATE [MESSAGE]: an empty commit authored at DATE, which
# carries its own offset ("2026-03-02T23:30:00+0700").
commit() {
  GIT_AUTHOR_NAME="$1" GIT_AUTHOR_EMAIL="$2" GIT_AUTHOR_DATE="$3" GIT_COMMITTER_DATE="$3" \
    git commit -q --allow-empty -m "${4:-work at $3}"
}

# merge NAME EMAIL DATE BRANCH: a merge commit (never fast-forward).
merge() {
  GIT_AUTHOR_NAME="$1" GIT_AUTHOR_EMAIL="$2" GIT_AUTHOR_DATE="$3" GIT_COMMITTER_DATE="$3" \
    git merge -q --no-ff -m "merge $4" "$4"
}

# gitcount REPO [git log options]: the activity TSV computed from git log:
# mailmapped, lower-cased e-mail; windows of docs/definitions.md on the author date in
# the author's own offset (%u: 1 = Monday ... 7 = Sunday).
gitcount() {
  local repo=$1; shift
  git -C "$repo" log "$@" --use-mailmap --format='%aE %ad' --date=format:'%u %H' |
    awk '{ k = tolower($1); d = $2 + 0; h = $3 + 0; n[k]++
           if (h >= 22 || h < 8) s[k]++; else if (d <= 5 && h < 18) b[k]++; else o[k]++
           if (d >= 6) w[k]++ }
         END { for (k in n) printf "%s\t%d\t%d\t%d\t%d\t%d\n", k, n[k], b[k], o[k], s[k], w[k] }' |
    sort
}

# same A B: fail with both outputs when they differ.
same() {
  if [ "$1" != "$2" ]; then
    printf 'waras:\n%s\ngit log:\n%s\n' "$1" "$2" >&2
    return 1
  fi
}

# at NAME EMAIL: an empty commit, one hour after the previous one made with
# `at` (so that the history, and its shas, are the same on every run).
AT=1767607200 # 2026-01-05 10:00 UTC, a Monday
at() {
  AT=$((AT + 3600))
  GIT_AUTHOR_NAME="$1" GIT_AUTHOR_EMAIL="$2" GIT_AUTHOR_DATE="$AT +0000" \
    GIT_COMMITTER_DATE="$AT +0000" git commit -q --allow-empty -m "commit at $AT"
}

# mmcheck LABEL REPO: ingests REPO into a fresh store with --create-people,
# prints LABEL, the people made (id = lower-cased mailmapped e-mail, and
# name) with their commit counts, and fails unless waras's per-person
# counts equal those of git log --use-mailmap on the same repository.
mmcheck() {
  local label=$1 repo=$2
  rm -f mm.db mm.db-wal mm.db-shm
  $WARAS --db mm.db init >/dev/null
  $WARAS --db mm.db ingest git "$repo" --create-people >/dev/null
  echo "== $label"
  join -t "$(printf '\t')" \
    <($WARAS --db mm.db people list | awk -F'\t' 'NR > 1 { print $1 "\t" $2 }' | sort) \
    <($WARAS --db mm.db activity --source git --by person --format tsv | cut -f1,2 | sort)
  same "$($WARAS --db mm.db activity --source git --by person --format tsv)" "$(gitcount "$repo")"
}
