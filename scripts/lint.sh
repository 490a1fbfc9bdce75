#!/usr/bin/env bash
# Style checks, run first by `scripts/setup.sh test` (and so by CI):
#   scripts/lint.sh format       every tracked C++ file must be as clang-format (.clang-format) writes it
#   scripts/lint.sh tidy         clang-tidy (.clang-tidy) on the engine and CLI sources changed since
#                                the commit in .ci/tidy-clean, the last one whose whole tree passed
#   scripts/lint.sh tidy --all   clang-tidy on every engine and CLI source (about 6 minutes on 2
#                                cores); when it passes, write `git rev-parse HEAD` into .ci/tidy-clean
# Both need a configured build folder for compile_commands.json (default build/release; set
# QAP_LINT_BUILD to use another).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
what="${1:-}"
build="${QAP_LINT_BUILD:-build/release}"

case "$what" in
  format)
    # Tracked and new files as they are in the working tree (a deleted one is not there to check).
    mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' '*.h' |
                         sort -u | while IFS= read -r f; do [ -f "$f" ] && echo "$f"; done)
    clang-format --dry-run --Werror "${files[@]}"
    echo "lint: clang-format: ${#files[@]} files as formatted"
    ;;
  tidy)
    if [ ! -f "$build/compile_commands.json" ]; then
      echo "lint: error: $build/compile_commands.json is missing; configure first (cmake --preset release)" >&2
      exit 2
    fi
    sources=()
    if [ "${2:-}" = --all ]; then
      mapfile -t sources < <(git ls-files 'engine/*.cpp' 'cli/*.cpp')
    else
      base="$(tr -d '[:space:]' < .ci/tidy-clean)"
      if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
        # A shallow clone without that commit: check everything rather than nothing.
        echo "lint: commit $base (.ci/tidy-clean) is not in this clone; checking every source" >&2
        mapfile -t sources < <(git ls-files 'engine/*.cpp' 'cli/*.cpp')
      else
        # A changed header is checked through the sources of its room (or the CLI) that include it.
        mapfile -t changed < <(git diff --name-only --diff-filter=d "$base" -- engine cli)
        mapfile -t untracked < <(git ls-files --others --exclude-standard -- engine cli)
        declare -A pick=()
        for f in "${changed[@]}" "${untracked[@]}"; do
          case "$f" in
            *.cpp) pick["$f"]=1 ;;
            *.hpp)
              name="$(basename "$f")"
              while IFS= read -r user; do pick["$user"]=1; done \
                < <(git grep -l --untracked -F "/$name\"" -- 'engine/*.cpp' 'cli/*.cpp' || true)
              while IFS= read -r user; do pick["$user"]=1; done \
                < <(git grep -l --untracked -F "\"$name\"" -- 'engine/*.cpp' 'cli/*.cpp' || true)
              ;;
          esac
        done
        sources=("${!pick[@]}")
      fi
    fi
    if [ "${#sources[@]}" -eq 0 ]; then
      echo "lint: clang-tidy: no engine or CLI source changed since $(cat .ci/tidy-clean)"
      exit 0
    fi
    echo "lint: clang-tidy on ${#sources[@]} sources" >&2
    run-clang-tidy -p "$build" -j "$(nproc 2>/dev/null || echo 2)" -quiet \
      $(printf '%s\n' "${sources[@]}" | sed 's/[.]/[.]/g; s/^/^.*/; s/$/$/') >/tmp/qap-tidy.$$ 2>&1 \
      || { sed 's/\x1b\[[0-9;]*m//g' /tmp/qap-tidy.$$ | grep -E -A3 '(error|warning): ' >&2; rm -f /tmp/qap-tidy.$$; exit 1; }
    rm -f /tmp/qap-tidy.$$
    echo "lint: clang-tidy: ${#sources[@]} sources clean"
    ;;
  *)
    echo "usage: scripts/lint.sh format | tidy [--all]" >&2
    exit 2
    ;;
esac
