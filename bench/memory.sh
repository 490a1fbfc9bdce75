#!/usr/bin/env bash
# Peak resident memory of `qap regress` against the size of its input
# matrices, for docs/performance.md (Memory). Not part of the test suite.
#
#   bash bench/memory.sh [qap=build/release/cli/qap] [n=1000] [perms=200] [folder=/tmp/qap-memory]
#
# Generates node-effect matrices with bench/make_matrices.py (10 explanatory
# matrices; about 210 MB of CSV at n = 1000, kept in FOLDER for re-runs), then
# runs the DSP null with 1, 5 and 10 of them and prints the peak resident set
# (GNU time's %M) as a multiple of the input: (K + 1) n^2 doubles.
set -euo pipefail
qap=${1:-build/release/cli/qap}
n=${2:-1000}
perms=${3:-200}
folder=${4:-/tmp/qap-memory}
here=$(cd "$(dirname "$0")" && pwd)
[[ -x $qap ]] || { echo "memory.sh: $qap not found; build first (bash scripts/setup.sh run)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "memory.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
if [[ ! -f $folder/n$n/X10.csv ]]; then
  python3 "$here/make_matrices.py" "$folder/n$n" "$n" 10
fi
printf '%4s %3s %8s %12s %12s %8s\n' n K perms "input MiB" "peak MiB" ratio
for k in 1 5 10; do
  xs=()
  for i in $(seq 1 "$k"); do xs+=("$folder/n$n/X$i.csv"); done
  peak_kib=$( { /usr/bin/time -f '%M' "$qap" regress --y "$folder/n$n/Y.csv" --x "${xs[@]}" \
                 --perms "$perms" --seed 1 --quiet > /dev/null; } 2>&1 | tail -1)
  awk -v n="$n" -v k="$k" -v perms="$perms" -v peak="$peak_kib" 'BEGIN {
    input = (k + 1) * n * n * 8 / 1048576; used = peak / 1024;
    printf "%4d %3d %8d %12.1f %12.1f %7.2fx\n", n, k, perms, input, used, used / input }'
done
