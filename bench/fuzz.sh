#!/usr/bin/env bash
# Fuzzing campaign over every libFuzzer target (tests/fuzz/fuzz_*.c). Builds
# the targets with clang under ASan+UBSan in their own build directory
# (-DWARAS_FUZZ=ON -DWARAS_SANITIZE=ON), then runs each for SECONDS (default
# 600) from a copy of its seed corpus (tests/fuzz/corpus/TARGET/; new inputs
# go to the work directory, the seeds are only read), with its dictionary
# (tests/fuzz/dict/). A target with fewer than --min-execs executions after
# its SECONDS goes on from its grown corpus until it has them, for at most
# --cap seconds in all (default 3 x SECONDS); the summary says when a target
# stopped short. After a
# crash the target goes on from its grown corpus (at most 8 restarts; it
# stops once the same finding comes back a third time).
#
# Leaks: libFuzzer checks for a leak after every input that allocated more
# than it freed, which the library's caches (libical's and ICU's time zones,
# SQLite's page cache) do on most inputs, so each check scans the whole heap
# and the fuzzing runs ten times slower. The fuzzing runs therefore go
# without leak checks, and each target's grown corpus (every input that
# added coverage, the seeds among them) is then run once more with them (the
# leak pass); `make test` replays the seeds and tests/fuzz/regress/ under
# ASan with LeakSanitizer as well.
#
# Each crash, leak, timeout or out-of-memory input is copied to
# tests/fuzz/regress/TARGET/ under a name that says what it found (e.g.
# leak-waras_csv_next-1a2b3c4d, asan-heap-buffer-overflow-parse_rrule-...);
# `make test` replays that directory in the plain and the sanitizer build.
# Prints per target: seconds, executions, exec/s, coverage (cov and ft of
# libFuzzer's last status line), seeds and new corpus entries, crashes
# (distinct findings new to tests/fuzz/regress/), and whether it reached
# --min-execs.
#
#   bench/fuzz.sh [SECONDS_PER_TARGET] [--merge] [--only T1,T2] [--jobs N]
#                 [--parallel K] [--min-execs N] [--cap SECONDS]
#
#   --merge        merge the new inputs that add coverage back into the seed
#                  corpus (libFuzzer -merge=1), to be reviewed and committed
#   --only         run only these targets, in this order (names without
#                  fuzz_, e.g. ics,csv)
#   --jobs N       parallel compile jobs (default 2; the machine is shared)
#   --parallel K   targets fuzzed at the same time (default 1), each on one
#                  core; the summary keeps the targets' order
#   --min-execs N  executions each target must reach (default 1000000; 0:
#                  time alone), going on past SECONDS up to --cap
#   --cap SECONDS  most seconds of fuzzing per target (default 3 x SECONDS)
#
# Environment: WARAS_FUZZ_BUILD (build directory, default build-fuzz),
# WARAS_FUZZ_BUILD_TYPE (default RelWithDebInfo), WARAS_FUZZ_OUT (work
# directories and logs, default BUILD/fuzz-campaign), WARAS_FUZZ_MAX_LEN
# (longest input for every target; default per target, see max_len_of),
# NICE (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
SECONDS_PER=600
MERGE=0
ONLY=
JOBS=2
PARALLEL=1
MIN_EXECS=1000000
CAP=
while [ $# -gt 0 ]; do
  case $1 in
    --merge) MERGE=1 ;;
    --only) ONLY=$2; shift ;;
    --jobs) JOBS=$2; shift ;;
    --parallel) PARALLEL=$2; shift ;;
    --min-execs) MIN_EXECS=$2; shift ;;
    --cap) CAP=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) SECONDS_PER=$1 ;;
    *) echo "bench/fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
CAP=${CAP:-$((3 * SECONDS_PER))}
for v in "$SECONDS_PER" "$JOBS" "$PARALLEL" "$MIN_EXECS" "$CAP"; do
  [[ $v =~ ^[0-9]+$ ]] || { echo "bench/fuzz.sh: '$v' is not a number (see --help)" >&2; exit 2; }
done
[ "$PARALLEL" -ge 1 ] || PARALLEL=1
BUILD=${WARAS_FUZZ_BUILD:-build-fuzz}
OUT=${WARAS_FUZZ_OUT:-$BUILD/fuzz-campaign}
NICE=${NICE:-10}
case $OUT in /*) ;; *) OUT=$SRC/$OUT ;; esac
command -v clang >/dev/null || { echo "bench/fuzz.sh: needs clang" >&2; exit 2; }

# The targets: all of them, or those of --only in its order (with
# --parallel, the slow ones first leave the fast ones to fill the gaps).
targets=()
if [ -z "$ONLY" ]; then
  for f in tests/fuzz/fuzz_*.c; do t=$(basename "$f" .c); targets+=("${t#fuzz_}"); done
else
  IFS=, read -r -a names <<<"$ONLY"
  for t in "${names[@]}"; do
    [ -f "tests/fuzz/fuzz_$t.c" ] || { echo "bench/fuzz.sh: no target '$t'" >&2; exit 2; }
    targets+=("$t")
  done
fi
[ ${#targets[@]} -gt 0 ] || { echo "bench/fuzz.sh: no target matches '$ONLY'" >&2; exit 2; }

echo "building ${#targets[@]} fuzz targets in $BUILD (clang, ASan+UBSan)"
CC=clang nice -n "$NICE" cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE="${WARAS_FUZZ_BUILD_TYPE:-RelWithDebInfo}" \
  -DWARAS_FUZZ=ON -DWARAS_FUZZ_CHEAP=ON -DWARAS_SANITIZE=ON >/dev/null
nice -n "$NICE" cmake --build "$BUILD" -j "$JOBS" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null

# The dictionary of a target: ICS, JSON or CSV by what it reads.
dict_of() {
  case $1 in
    ics|ics_ingest|oncall) echo tests/fuzz/dict/ics.dict ;;
    pagerduty_json|opsgenie|policy|plan_check) echo tests/fuzz/dict/json.dict ;;
    csv|people|survey|pagerduty_csv) echo tests/fuzz/dict/csv.dict ;;
    *) echo "" ;;
  esac
}

# The longest input of a target. A calendar's cost grows with its events and
# their recurrences, a plan's with its shifts and a roster instance's with
# its size, while what the parser and the checks do with them repeats after
# a few kilobytes (the seeds are 0.3 to 3 KB; the limits in docs/formats.md
# have their own tests with files made at test time): 16 KiB for these, 64
# KiB for the rest.
max_len_of() {
  if [ -n "${WARAS_FUZZ_MAX_LEN:-}" ]; then echo "$WARAS_FUZZ_MAX_LEN"; return; fi
  case $1 in
    ics|ics_ingest|oncall|plan_check|roster) echo 16384 ;;
    *) echo 65536 ;;
  esac
}

# What an artifact found, from the run's log: the sanitizer's verdict and
# the first frame in waras's own code.
describe() { # log kind
  local log=$1 kind=$2 what frame
  case $kind in
    leak) what=leak ;;
    timeout) what=timeout ;;
    oom) what=oom ;;
    *)
      what=$(grep -m1 -oE 'AddressSanitizer: [a-z-]+|runtime error: [a-z -]+|deadly signal|LeakSanitizer' "$log" \
        | sed -E 's/AddressSanitizer: /asan-/; s/runtime error: /ubsan-/; s/deadly signal/signal/; s/LeakSanitizer/leak/' \
        | tr ' ' '-' | cut -c1-40)
      [ -n "$what" ] || what=crash ;;
  esac
  frame=$(grep -m1 -oE '#[0-9]+ 0x[0-9a-f]+ in [A-Za-z_][A-Za-z0-9_]* [^ ]*/src/(lib|server)/' "$log" \
    | awk '{print $4}') || true
  [ -n "$frame" ] || frame=$(grep -m1 -oE "#[0-9]+ 0x[0-9a-f]+ in [A-Za-z_][A-Za-z0-9_]* $SRC/" "$log" \
    | awk '{print $4}') || true
  echo "$what${frame:+-$frame}"
}

# Files the artifacts of the run that wrote log (crash-, leak-, timeout-,
# oom-; slow units are not bugs): a new finding goes to regress/. Counts
# into the globals crashes and repeats.
collect() { # target dir log
  local t=$1 dir=$2 log=$3 a kind what name
  for a in "$dir"/artifacts/crash-* "$dir"/artifacts/leak-* "$dir"/artifacts/timeout-* "$dir"/artifacts/oom-*; do
    [ -f "$a" ] || continue
    kind=$(basename "$a"); kind=${kind%%-*}
    what=$(describe "$log" "$kind")
    name=$what-$(sha256sum "$a" | cut -c1-8)
    mv "$a" "$dir/artifacts/found-$name"
    # One input per distinct finding (what it is and where) is enough.
    if compgen -G "$SRC/tests/fuzz/regress/$t/$what-*" >/dev/null; then
      repeats=$((repeats + 1))
      echo "  $t: $kind, again $what (kept in $dir/artifacts)" >&2
      continue
    fi
    cp "$dir/artifacts/found-$name" "$SRC/tests/fuzz/regress/$t/$name"
    echo "  $t: $kind -> tests/fuzz/regress/$t/$name" >&2
    crashes=$((crashes + 1))
  done
}

# Fuzzes one target; its summary row goes to OUT/TARGET/row.tsv.
run_target() { # target
  local t=$1 dir=$OUT/$1 seeds dict maxlen left execs=0 cov=0 ft=0 restarts=0 start phase
  local log status n line c f budget runs elapsed final new rate reached
  crashes=0 repeats=0
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts" "$SRC/tests/fuzz/regress/$t"
  [ -d "tests/fuzz/corpus/$t" ] && cp tests/fuzz/corpus/"$t"/* "$dir/corpus/" 2>/dev/null || true
  seeds=$(find "$dir/corpus" -type f | wc -l)
  dict=$(dict_of "$t")
  maxlen=$(max_len_of "$t")
  start=$(date +%s)
  phase=time # then execs: going on past SECONDS until MIN_EXECS or CAP
  while [ $restarts -le 8 ]; do
    elapsed=$(($(date +%s) - start))
    if [ $phase = time ] && [ "$elapsed" -ge "$SECONDS_PER" ]; then phase=execs; fi
    if [ $phase = time ]; then
      budget=$((SECONDS_PER - elapsed)) runs=-1
    else
      [ "$execs" -lt "$MIN_EXECS" ] && [ "$elapsed" -lt "$CAP" ] || break
      budget=$((CAP - elapsed)) runs=$((MIN_EXECS - execs))
    fi
    log=$dir/run$restarts-$phase.log
    set +e
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:symbolize=1 UBSAN_OPTIONS=print_stacktrace=1 \
      nice -n "$NICE" "$BUILD/fuzz_$t" -max_total_time="$budget" -runs="$runs" -print_final_stats=1 \
      -detect_leaks=0 -max_len="$maxlen" -timeout=30 -rss_limit_mb=2048 \
      -artifact_prefix="$dir/artifacts/" ${dict:+-dict=$dict} "$dir/corpus" >"$log" 2>&1
    status=$?
    set -e
    n=$(grep -m1 '^stat::number_of_executed_units:' "$log" | awk '{print $2}') || true
    execs=$((execs + ${n:-0}))
    line=$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$log" | tail -1) || true
    if [ -n "$line" ]; then
      c=$(sed -E 's/.*cov: ([0-9]+).*/\1/' <<<"$line"); f=$(sed -E 's/.* ft: ([0-9]+).*/\1/' <<<"$line")
      [ "$c" -gt "$cov" ] && cov=$c
      [ "$f" -gt "$ft" ] && ft=$f
    fi
    collect "$t" "$dir" "$log"
    if [ $status -eq 0 ]; then
      # A run that ends by itself has used its time (or reached its runs).
      [ $phase = time ] && { phase=execs; continue; }
      break
    fi
    # The same finding over and over: the rest of the time is better spent
    # once it is fixed.
    [ $repeats -ge 3 ] && break
    restarts=$((restarts + 1))
  done
  elapsed=$(($(date +%s) - start))
  # The leak pass: every input of the grown corpus once, with leak checks.
  log=$dir/leaks.log
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:symbolize=1 UBSAN_OPTIONS=print_stacktrace=1 \
    nice -n "$NICE" "$BUILD/fuzz_$t" -runs=0 -detect_leaks=1 -max_len="$maxlen" -timeout=30 \
    -rss_limit_mb=2048 -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$log" 2>&1 || true
  collect "$t" "$dir" "$log"
  final=$(find "$dir/corpus" -type f | wc -l)
  new=$((final - seeds))
  rate=$((elapsed > 0 ? execs / elapsed : execs))
  reached=yes
  [ "$execs" -ge "$MIN_EXECS" ] || reached=no
  printf '%-17s %6d %10d %8d %6d %7d %6d %5d %8d %5s\n' "$t" "$elapsed" "$execs" "$rate" "$cov" "$ft" "$seeds" "$new" "$crashes" "$reached"
  printf '%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n' "$t" "$elapsed" "$execs" "$rate" "$cov" "$ft" "$seeds" "$new" "$crashes" "$reached" > "$dir/row.tsv"
  if [ $MERGE -eq 1 ]; then
    before=$(find "tests/fuzz/corpus/$t" -type f 2>/dev/null | wc -l)
    mkdir -p "tests/fuzz/corpus/$t"
    nice -n "$NICE" "$BUILD/fuzz_$t" -merge=1 -max_len="$maxlen" -timeout=30 -detect_leaks=0 \
      "tests/fuzz/corpus/$t" "$dir/corpus" >"$dir/merge.log" 2>&1 || true
    after=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
    echo "  $t: merged $((after - before)) inputs into tests/fuzz/corpus/$t" >&2
  fi
}

mkdir -p "$OUT"
echo "fuzzing ${#targets[@]} targets, ${SECONDS_PER}s each (and on to $MIN_EXECS executions, at most ${CAP}s), $PARALLEL at a time"
printf '\n%-17s %6s %10s %8s %6s %7s %6s %5s %8s %5s\n' target seconds execs exec/s cov ft seeds new crashes min
running=0
for t in "${targets[@]}"; do
  if [ $running -ge "$PARALLEL" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_target "$t" &
  running=$((running + 1))
done
wait || true

summary=$OUT/summary.tsv
printf 'target\tseconds\texecs\texec_per_s\tcov\tft\tseeds\tnew\tcrashes\treached_min_execs\n' > "$summary"
total_crashes=0 short=()
for t in "${targets[@]}"; do
  row=$OUT/$t/row.tsv
  if [ ! -f "$row" ]; then
    echo "bench/fuzz.sh: $t did not finish (see $OUT/$t)" >&2
    short+=("$t(unfinished)")
    continue
  fi
  cat "$row" >> "$summary"
  IFS=$'\t' read -r _ _ _ _ _ _ _ _ c r < "$row"
  total_crashes=$((total_crashes + c))
  [ "$r" = yes ] || short+=("$t")
done
echo
echo "logs and work corpora: $OUT (summary: $summary)"
if [ ${#short[@]} -gt 0 ]; then
  echo "below $MIN_EXECS executions after ${CAP}s: ${short[*]}"
fi
if [ $total_crashes -gt 0 ]; then
  echo "$total_crashes crash/leak input(s) copied to tests/fuzz/regress/; fix them, then commit the inputs"
  exit 1
fi
