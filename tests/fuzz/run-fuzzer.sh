#!/usr/bin/env bash
# run-fuzzer.sh FUZZER CORPUS SECONDS [-dict=FILE]: runs one libFuzzer target from a copy of
# its checked-in corpus (which is never modified) and fails on any finding. New inputs and
# crash reproducers land in the temporary directory printed on failure.
set -euo pipefail
fuzzer=$1 corpus=$2 seconds=$3
shift 3
work=$(mktemp -d "${TMPDIR:-/tmp}/ekaci-fuzz-XXXXXX")
keep=0
trap '[[ $keep == 1 ]] || rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" "$corpus" > "$work/log" 2>&1; then
  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$work/log" || tail -3 "$work/log"
else
  keep=1
  tail -60 "$work/log"
  echo "fuzzer $(basename "$fuzzer") found a problem; reproducers in $work/artifacts" >&2
  exit 1
fi
