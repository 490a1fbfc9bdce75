#!/usr/bin/env python3
"""The engine's rooms point one way: render -> study -> trade -> io -> core.

Every #include "qap/<room>/..." in engine/<room>/ must name that room or one
to its right; core reads and writes no files (no <fstream>, <filesystem>,
<cstdio> FILE use); nothing outside engine/<room>/src includes a private
header by a bare name. Run by ctest (architecture.includes); exit 1 lists
every offending line.
"""
import re
import sys
from pathlib import Path

ORDER = ["core", "io", "trade", "study", "render"]
ALLOWED = {room: set(ORDER[: i + 1]) for i, room in enumerate(ORDER)}
FILE_IO = re.compile(r"#include <(fstream|filesystem)>|\bfopen\s*\(")
INCLUDE = re.compile(r'#include "qap/([a-z]+)/')


def main(root: Path) -> int:
    problems = []
    for room in ORDER:
        for path in sorted((root / "engine" / room).rglob("*")):
            if path.suffix not in (".cpp", ".hpp"):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                where = f"{path.relative_to(root)}:{number}"
                match = INCLUDE.search(line)
                if match and match.group(1) not in ALLOWED[room]:
                    problems.append(f"{where}: {room} must not include {match.group(1)} ({line.strip()})")
                if room == "core" and FILE_IO.search(line):
                    problems.append(f"{where}: core does no file I/O ({line.strip()})")
    stray = [p for p in (root / "engine").iterdir() if p.is_dir() and p.name not in ORDER]
    problems += [f"{p.relative_to(root)}: not one of the rooms {', '.join(ORDER)}" for p in stray]
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} include(s) point the wrong way; see docs/architecture.md")
        return 1
    print("the rooms point one way: " + " <- ".join(ORDER))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]))
