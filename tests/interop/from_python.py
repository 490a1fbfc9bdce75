"""The "From Python" page (docs/from-python.md), run: pandas, NumPy and
networkx write qap's inputs the ways a Python user does, qap reads them, and
Python reads qap's CSV back and checks it against least squares on the same
dyads. ctest runs it when /usr/bin/python3 has pandas and networkx:
    python3 tests/interop/from_python.py path/to/qap WORK_FOLDER
"""
import csv
import pathlib
import subprocess
import sys

import networkx as nx
import numpy as np
import pandas as pd

qap, work = sys.argv[1], pathlib.Path(sys.argv[2])
work.mkdir(parents=True, exist_ok=True)


def run(*args):
    subprocess.run([qap, *map(str, args)], check=True)


rng = np.random.default_rng(3)
ids = ["CHN", "DEU", "USA", "JPN", "KOR", "IND"]
n = len(ids)
dist = pd.DataFrame(rng.uniform(1, 20, (n, n)).round(3), index=ids, columns=ids)
rta = pd.DataFrame(rng.integers(0, 2, (n, n)), index=ids, columns=ids)
trade = 2 + 0.3 * dist - 1.5 * rta + rng.normal(size=(n, n))

# 1. Labelled matrices: DataFrame.to_csv writes the corner cell and labels.
for name, frame in {"trade": trade, "dist": dist, "rta": rta}.items():
    frame.to_csv(work / f"{name}.csv")
run("regress", "--y", work / "trade.csv", "--x", work / "dist.csv", work / "rta.csv",
    "--perms", 99, "--seed", 1, "-q", "--format", "csv", "-o", work / "from_matrices.csv")

# 2. A long table, with pandas' index column left in (to_csv's default).
long = pd.DataFrame({"source": np.repeat(ids, n), "target": np.tile(ids, n),
                     "trade": trade.to_numpy().ravel(), "dist": dist.to_numpy().ravel(),
                     "rta": rta.to_numpy().ravel()})
long = long[long.source != long.target]
long.to_csv(work / "long.csv")
long.to_stata(work / "long.dta", write_index=False)
run("regress", "--data", work / "long.dta", "--y", "trade", "--x", "dist", "rta",
    "--perms", 99, "--seed", 1, "-q", "--format", "csv", "-o", work / "from_dta.csv")
run("regress", "--y", f"{work / 'long.csv'}:trade",
    "--x", f"{work / 'long.csv'}:dist", f"{work / 'long.csv'}:rta",
    "--perms", 99, "--seed", 1, "-q", "--format", "csv", "-o", work / "from_columns.csv")

# Read back: csv.DictReader and pandas both see one row per coefficient.
with open(work / "from_matrices.csv", newline="") as f:
    rows = list(csv.DictReader(f))
assert [r["variable"] for r in rows] == ["(intercept)", "dist", "rta"], rows
a = pd.read_csv(work / "from_matrices.csv")
for other in ("from_dta.csv", "from_columns.csv"):
    b = pd.read_csv(work / other)
    assert np.allclose(a.coefficient, b.coefficient, rtol=1e-12, atol=0), other
    assert (a.p_two_sided.fillna(-1) == b.p_two_sided.fillna(-1)).all(), other

# The coefficients are least squares on the off-diagonal dyads.
off = ~np.eye(n, dtype=bool)
design = np.column_stack([np.ones(off.sum()), dist.to_numpy()[off], rta.to_numpy()[off]])
beta, *_ = np.linalg.lstsq(design, trade.to_numpy()[off], rcond=None)
assert np.allclose(beta, a.coefficient, rtol=1e-9, atol=1e-12), (beta, a.coefficient)

# 3. A networkx graph: write_weighted_edgelist, converted to a labelled matrix.
g = nx.DiGraph()
g.add_weighted_edges_from((i, j, float(dist.loc[i, j])) for i in ids for j in ids if i != j)
nx.write_weighted_edgelist(g, work / "dist.edges")
run("convert", work / "dist.edges", work / "dist_from_networkx.csv")
back = pd.read_csv(work / "dist_from_networkx.csv", index_col=0)
for i in ids:
    for j in ids:
        assert back.loc[i, j] == (0 if i == j else dist.loc[i, j]), (i, j)
print("from_python: ok")
