# Shell functions the ics benchmarks share: timing one run and checking
# that waras and the reference printed the same. Sourced, not run.

# bench_time OUT CMD...: runs CMD with its output in OUT and its wall, user
# and system seconds ("%e %U %S") in OUT.time.
bench_time() {
  local out=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$out.time" "$@" >"$out"
}

# bench_same REF OUT: unless the two outputs are identical, prints the start
# of their diff (- reference, + waras) and exits 1.
bench_same() {
  if ! diff -q "$1" "$2" >/dev/null; then
    echo "outputs differ (- reference, + waras):"
    diff -u "$1" "$2" | head -30
    exit 1
  fi
}
