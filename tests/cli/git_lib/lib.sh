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
