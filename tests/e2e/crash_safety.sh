#!/usr/bin/env bash
# Crash safety: an ingest killed with SIGKILL at any moment leaves the store
# intact, with the file wholly in it or wholly absent, and running the
# ingest again gives what an uninterrupted run gives. Three large inputs
# (a git history made with git fast-import, a timesheet, a PagerDuty
# incidents export) are ingested once each without interruption for the
# reference: the sources table, the events per kind and 'waras report
# --format json'. Then, for each of KILLS rounds (round-robin over the
# three inputs), the same ingest starts on a store holding only the people
# and is killed after a random delay from 0.1 to 1.5 times the time its
# latest uninterrupted run took; after each kill:
#   - PRAGMA integrity_check is ok;
#   - the input is wholly in (its sources row and event count equal the
#     reference) or wholly absent (no sources row, no events of its kind);
#   - the ingest run again completes, and the report equals the reference.
# The inputs are made once and kept in the build directory
# (test-cache/crash-*). Sizes are scaled to keep the test near a minute;
# under AddressSanitizer they are smaller and there are 30 kills.
# WARAS_CRASH_SIZES="COMMITS ROWS INCIDENTS" and WARAS_CRASH_KILLS override
# them (full sizes: "50000 1000000 50000"); WARAS_CRASH_SEED fixes the
# random delays (the seed is printed).
#
#   tests/e2e/crash_safety.sh path/to/waras
source "$(dirname "$0")/lib/scratch.sh"
export WARAS_NOW=2026-11-30T12:00:00Z LC_ALL=C
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
t_start=$(now_ms)

if grep -qa AddressSanitizer "$WARAS"; then
  sizes=${WARAS_CRASH_SIZES:-"3000 12000 1000"} kills=30
else
  sizes=${WARAS_CRASH_SIZES:-"15000 60000 4000"} kills=33
fi
read -r COMMITS ROWS INCIDENTS <<< "$sizes"
KILLS=${WARAS_CRASH_KILLS:-$kills}
SEED=${WARAS_CRASH_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$SEED
echo "crash_safety: $COMMITS commits, $ROWS timesheet rows, $INCIDENTS incidents, $KILLS kills, seed $SEED"

# --- the inputs, made once per size (v1: bump when the generators change) ---
cache=$(dirname "$WARAS")/test-cache/crash-v1-$COMMITS-$ROWS-$INCIDENTS
if [ ! -f "$cache/done" ]; then
  rm -rf "$cache"
  mkdir -p "$cache"
  awk 'BEGIN { print "id,name,email,team,timezone,identities"
    split("Europe/Berlin America/Los_Angeles Asia/Jakarta", z, " ")
    for (i = 0; i < 40; i++)
      printf "p%d,Person %d,p%d@lab.example,t%d,%s,pagerduty:PU%03d\n", i, i, i, i % 4, z[1 + i % 3], i }' \
    > "$cache/people.csv"
  git init -q --bare "$cache/repo.git"
  awk -v n="$COMMITS" 'BEGIN { srand(42); t = 1767225600
    for (i = 1; i <= n; i++) {
      a = int(rand() * 40); t += int(rand() * 1200)
      printf "commit refs/heads/main\nmark :%d\nauthor Dev %d <p%d@lab.example> %d +0000\n", i, a, a, t
      printf "committer Dev %d <p%d@lab.example> %d +0000\ndata 2\nc\n", a, a, t
      if (i > 1) printf "from :%d\n", i - 1
      printf "\n" } }' | git -C "$cache/repo.git" fast-import --quiet
  git -C "$cache/repo.git" symbolic-ref HEAD refs/heads/main
  awk -v rows="$ROWS" 'BEGIN { print "person,date,start,end,project"; srand(3); t0 = 1767225600
    for (i = 0; i < rows; i++) {
      p = i % 40; d = int(i / 40)
      printf "p%d,%s,%02d:%02d,%02d:%02d,proj%d\n", p, strftime("%Y-%m-%d", t0 + d * 86400, 1),
        8 + int(rand() * 3), int(rand() * 60), 16 + int(rand() * 4), int(rand() * 60), int(rand() * 10) } }' \
    > "$cache/timesheet.csv"
  awk -v n="$INCIDENTS" 'BEGIN { srand(5); t = 1767225600
    print "id,incident_number,service_name,created_on,seconds_to_first_ack,seconds_to_resolve,urgency,assigned_to_user_ids,acknowledged_by_user_ids"
    for (i = 1; i <= n; i++) {
      t += int(rand() * 1200); a = int(rand() * 40); b = int(rand() * 40)
      printf "Q%06d,%d,svc%d,%s,%d,%d,%s,PU%03d;PU%03d,PU%03d\n", i, i, i % 7,
        strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), 60 + int(rand() * 600), 600 + int(rand() * 7200),
        (i % 3 ? "high" : "low"), a, b, a } }' > "$cache/pagerduty.csv"
  touch "$cache/done"
fi

# The ingest of each input, by the kind of its events.
kinds=(commit timesheet incident)
declare -A cmd=(
  [commit]="ingest git $cache/repo.git"
  [timesheet]="ingest timesheet $cache/timesheet.csv"
  [incident]="ingest pagerduty $cache/pagerduty.csv"
)
"$WARAS" --db base.db people import "$cache/people.csv" >/dev/null
# What a store holds of a kind: its sources rows and its events per kind.
holds() {
  sqlite3 "$1" "SELECT kind, path, sha256, rows, skipped FROM sources ORDER BY id;
                SELECT 'events', kind, count(*) FROM events GROUP BY kind ORDER BY kind"
}
report() { "$WARAS" --db "$1" report --format json --to 2026-03-31 --weeks 13; }

# --- the uninterrupted runs ---
declare -A took
for k in "${kinds[@]}"; do
  cp base.db ref.db
  t0=$(now_ms)
  # shellcheck disable=SC2086
  "$WARAS" --db ref.db ${cmd[$k]} >/dev/null || fail "the reference ingest of $k failed"
  took[$k]=$(( $(now_ms) - t0 ))
  holds ref.db > "ref_$k.holds"
  report ref.db > "ref_$k.json"
  grep -q "^events|$k|" "ref_$k.holds" || fail "the reference ingest of $k stored no $k events"
  echo "  reference $k: ${took[$k]} ms, $(grep "^events|$k|" "ref_$k.holds" | cut -d'|' -f3) events"
done
holds base.db > base.holds
report base.db > base.json

# --- the kills ---
in=0 out=0
for ((i = 0; i < KILLS; i++)); do
  k=${kinds[i % 3]}
  cp base.db s.db
  # A delay from 0.1 to 1.5 times the latest full run of this ingest, in
  # milliseconds (the latest, since a shared machine's speed varies).
  ms=$(( took[$k] * (100 + 1400 * RANDOM / 32768) / 1000 ))
  # shellcheck disable=SC2086
  "$WARAS" --db s.db ${cmd[$k]} >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  check=$(sqlite3 s.db "PRAGMA integrity_check")
  [ "$check" = ok ] || fail "kill $i ($k after $ms ms): integrity_check says $check"
  holds s.db > s.holds
  if cmp -s s.holds "ref_$k.holds"; then
    in=$((in + 1))
  elif cmp -s s.holds base.holds; then
    out=$((out + 1))
  else
    diff s.holds "ref_$k.holds" | head -5
    fail "kill $i ($k after $ms ms): the input is neither wholly in nor wholly absent"
  fi
  t0=$(now_ms)
  # shellcheck disable=SC2086
  "$WARAS" --db s.db ${cmd[$k]} >/dev/null || fail "kill $i ($k): the ingest run again failed"
  if cmp -s s.holds base.holds; then took[$k]=$(( $(now_ms) - t0 )); fi
  holds s.db | cmp -s - "ref_$k.holds" || fail "kill $i ($k): the store differs after the re-run"
  report s.db | cmp -s - "ref_$k.json" || fail "kill $i ($k): the report differs after the re-run"
done
[ "$out" -gt 0 ] || fail "no kill landed before a commit: the delays do not reach into the ingests"
elapsed=$(( $(now_ms) - t_start ))
printf 'crash_safety: ok, %d kills (%d wholly in, %d wholly absent) in %d.%d s\n' "$KILLS" "$in" \
  "$out" $((elapsed / 1000)) $((elapsed % 1000 / 100))
