#!/usr/bin/env python3
"""Writes node-effect test matrices as labelled CSV files for timing and memory runs.

    python3 bench/make_matrices.py OUTPUT_DIR [n=1000] [k=5] [seed=20261130]

Writes Y.csv and X1.csv .. Xk.csv: cell (i, j) = |a_i - a_j| + 0.3 e_ij with
a_i, e_ij standard normal (Y adds 0.5 X1), zero diagonal; the same shape of
data as bench/compare_sna.R and the Google Benchmark cases. Pure Python (no
numpy on a bare Debian), seeded, so a figure in docs/performance.md can be
re-made on any machine.
"""
import os
import random
import sys


def node_effect(n, rng):
    a = [rng.gauss(0.0, 1.0) for _ in range(n)]
    rows = []
    for i in range(n):
        row = [abs(a[i] - a[j]) + 0.3 * rng.gauss(0.0, 1.0) for j in range(n)]
        row[i] = 0.0
        rows.append(row)
    return rows


def write(path, labels, rows):
    with open(path, "w", encoding="ascii") as out:
        out.write("," + ",".join(labels) + "\n")
        for label, row in zip(labels, rows):
            out.write(label + "," + ",".join(repr(v) for v in row) + "\n")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20261130
    rng = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    labels = [f"node{i:04d}" for i in range(n)]
    xs = [node_effect(n, rng) for _ in range(k)]
    y = node_effect(n, rng)
    for i in range(n):
        for j in range(n):
            if i != j:
                y[i][j] += 0.5 * xs[0][i][j]
    write(os.path.join(folder, "Y.csv"), labels, y)
    for index, x in enumerate(xs, start=1):
        write(os.path.join(folder, f"X{index}.csv"), labels, x)


if __name__ == "__main__":
    main()
