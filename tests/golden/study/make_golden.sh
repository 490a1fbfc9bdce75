#!/usr/bin/env bash
# Regenerates table3.csv: the fixture study's Table 3 at seed 42 as the engine
# printed it when the golden was made. Run from the repository root after a
# deliberate change to the numbers, and say why in the commit.
set -euo pipefail
build/release/cli/qap study run fixtures/study/rare-earth-2023.toml --format csv > tests/golden/study/table3.csv
