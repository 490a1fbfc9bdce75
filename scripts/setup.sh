#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   scripts/setup.sh run   install what is missing, build, run the main job on bundled data
#   scripts/setup.sh test  install what is missing, build, then: clang-format and clang-tidy
#                          (scripts/lint.sh), every fuzzer for 30 s, the whole test suite under
#                          ASan+UBSan, and the whole test suite in Release (ctest)
# Everything comes from Debian packages; nothing is downloaded at build time.
set -euo pipefail

mode="${1:-run}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

packages=(build-essential cmake libeigen3-dev libboost-dev libcli11-dev nlohmann-json3-dev
          libtomlplusplus-dev libgtest-dev libgmock-dev libbenchmark-dev
          libzip-dev libexpat1-dev  # the .xlsx reader
          libreadstat-dev)          # Stata, SPSS and SAS files
if [ "$mode" = test ]; then
  packages+=(clang libclang-rt-14-dev  # libFuzzer and its sanitizer runtimes
             clang-format clang-tidy   # scripts/lint.sh
             librsvg2-bin              # rsvg-convert: the plot tests render SVG to PNG
             r-base-core r-cran-haven r-cran-igraph     # docs/from-r.md, run as a test
             python3-pandas python3-networkx)           # docs/from-python.md, run as a test
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing missing Debian packages: ${missing[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt_get=(apt-get)
  elif command -v sudo >/dev/null 2>&1; then
    apt_get=(sudo apt-get)
  else
    echo "setup: error: these packages are missing and neither root nor sudo is available:" >&2
    echo "  ${missing[*]}" >&2
    echo "Ask an administrator to run: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${apt_get[@]}" update -qq
  "${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}"
fi

jobs="$(nproc 2>/dev/null || echo 2)"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"

case "$mode" in
  run)
    # The product's main job: the rare-earth study (14 QAP regressions with
    # 5,000 DSP permutations each) from the bundled raw files, as Table 3.
    exec build/release/cli/qap study run fixtures/study/rare-earth-2023.toml
    ;;
  test)
    # Style first (seconds, or minutes when many sources changed since .ci/tidy-clean), then
    # fuzzers, and the Release suite last, so the run ends on ctest's summary.
    bash scripts/lint.sh format
    bash scripts/lint.sh tidy
    bash scripts/fuzz.sh "${QAP_FUZZ_SECONDS:-30}"
    cmake --preset asan-ubsan >/dev/null
    cmake --build --preset asan-ubsan -j "$jobs"
    ctest --preset asan-ubsan -j "$jobs"
    exec ctest --preset release -j "$jobs"
    ;;
  *)
    echo "usage: scripts/setup.sh [run|test]" >&2
    exit 2
    ;;
esac
