#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang, ASan, UBSan) and runs
# each for SECONDS (default 30) on its seed corpus. A crash leaves its input in
# build/fuzz/crashes/; turn it into a test (tests/bad_inputs/catalogue.csv or a
# unit test) before fixing it.
#
# Memory: every target runs with -rss_limit_mb=512 -malloc_limit_mb=512. A
# reader given at most 4 KiB (-max_len) has no reason to hold 512 MB, so an
# allocation or a resident size beyond it is reported as a crash: the way an
# unbounded read (a header promising 10^9 nodes, a loop that never ends a
# line) shows up. Dense sparse-format matrices are capped in the harness
# (fuzz_matrix.cpp) to what fits.
set -euo pipefail
seconds="${1:-30}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc 2>/dev/null || echo 2)"
mkdir -p build/fuzz/crashes
for target in matrix permutations trade manifest attributes xlsx statistical graph; do
  work="build/fuzz/corpus-$target"
  mkdir -p "$work"
  # Stata, SPSS and SAS files are binary with fixed-size headers and pages
  # (a sas7bdat page is 16 KiB at the least); 4 KiB would cut off every seed.
  max_len=4096
  [ "$target" = statistical ] && max_len=20000
  echo "fuzz: $target for ${seconds}s"
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  build/fuzz/tests/fuzz/fuzz_$target "$work" "tests/fuzz/corpus/$target" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=512 -malloc_limit_mb=512 \
    -artifact_prefix=build/fuzz/crashes/$target- \
    -print_final_stats=1 2>&1 | grep -E "^(stat::number_of_executed_units|stat::new_units_added)|ERROR|SUMMARY" || true
  if ls build/fuzz/crashes/$target-* >/dev/null 2>&1; then
    echo "fuzz: $target found a crash: see build/fuzz/crashes/" >&2
    exit 1
  fi
done
echo "fuzz: no crash"
