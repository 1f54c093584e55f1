# Shell settings and functions the ics benchmarks share: the Python they
# use, a scratch directory, timing one run and checking that waras and the
# reference printed the same. Sourced, not run.

# The Python that generates the calendars and runs the reference.
PY=/usr/bin/python3

# bench_scratch: sets the C locale and makes a scratch directory $tmp,
# removed when the script exits.
bench_scratch() {
  export LC_ALL=C
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
}

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
