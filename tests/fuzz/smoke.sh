#!/usr/bin/env bash
# Short libFuzzer smoke run for one target: new inputs go to a scratch
# directory, the checked-in seed corpus is only read.
set -eu
fuzzer=$1
seeds=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
exec "$fuzzer" -runs=4000 -max_total_time=20 -max_len=16384 -print_final_stats=0 "$work" "$seeds"
