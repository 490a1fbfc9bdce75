"""Writes the Python-made files of tests/others_write_test.cpp (issue 13).

Run from this folder with Debian's python3, python3-networkx, python3-igraph
and python3-pandas (the committed files were written by networkx 2.8.8,
python-igraph 0.10.2, pandas 1.5.3 and numpy 1.24.2):

    /usr/bin/python3 make_files.py

The test suite needs neither Python nor these packages: the files are
committed. README.md says which call wrote which file and what each should
read as. The matrix and the gravity panel are make_files.R's.
"""

import datetime

import igraph
import networkx as nx
import numpy as np
import pandas as pd

IDS = ["CHN", "DEU", "USA", "C\u00f4te d'Ivoire"]
SHORT = ["CHN", "DEU", "USA", "CIV"]  # blank-separated formats cannot hold a blank in a name
NAN = float("nan")
M = np.array(
    [
        [0, 1.5, 2, NAN],
        [3, 0, 4.25, 5],
        [6, 7, 0, 8],
        [9, 10, 11, 0],
    ]
)


def ties():
    """The nonzero, non-missing cells of M as (source, target, weight), row by row."""
    return [
        (SHORT[i], SHORT[j], float(M[i, j]))
        for i in range(4)
        for j in range(4)
        if not np.isnan(M[i, j]) and M[i, j] != 0
    ]


def gravity():
    rows = []
    for year in (2022, 2023):
        for e, exporter in enumerate(IDS, start=1):
            for i, importer in enumerate(IDS, start=1):
                if exporter == importer:
                    continue
                if (exporter, importer, year) == ("USA", IDS[3], 2023):
                    continue  # absent in 2023
                trade = 100 * e + 10 * i + (year - 2022) / 4
                if (exporter, importer, year) == ("DEU", "CHN", 2023):
                    trade = NAN
                rows.append(
                    {
                        "exporter": exporter,
                        "importer": importer,
                        "year": year,
                        "trade": trade,
                        "dist": 1000 * min(e, i) + 100 * max(e, i),
                        "rta": int((e + i) % 2 == 1),
                    }
                )
    return pd.DataFrame(rows)


def main():
    # networkx edge lists (blank-separated, no header).
    g = nx.DiGraph()
    g.add_nodes_from(SHORT)
    g.add_weighted_edges_from(ties())
    nx.write_edgelist(g, "nx_edgelist_data_false.txt", data=False)  # "CHN DEU"
    nx.write_edgelist(g, "nx_edgelist_dict.txt")  # "CHN DEU {'weight': 1.5}"
    nx.write_weighted_edgelist(g, "nx_weighted_edgelist.txt")  # "CHN DEU 1.5"
    unweighted = nx.DiGraph()
    unweighted.add_edges_from((s, t) for s, t, _ in ties())
    nx.write_edgelist(unweighted, "nx_edgelist_empty_dict.txt")  # "CHN DEU {}"
    several = nx.DiGraph()
    for s, t, w in ties():
        e, i = SHORT.index(s) + 1, SHORT.index(t) + 1
        several.add_edge(s, t, weight=w, distance=1000 * min(e, i) + 100 * max(e, i), kind="trade")
    # "CHN DEU {'weight': 1.5, 'distance': 1200, 'kind': 'trade'}": commas in a blank-separated line
    nx.write_edgelist(several, "nx_edgelist_two_attributes.txt")
    # networkx -> pandas -> CSV with a header: source,target,weight.
    nx.to_pandas_edgelist(g).to_csv("nx_pandas_edgelist.csv", index=False)

    # python-igraph: 0-based ids, and names with weights.
    h = igraph.Graph(directed=True)
    h.add_vertices(SHORT)
    h.add_edges([(s, t) for s, t, _ in ties()])
    h.es["weight"] = [w for _, _, w in ties()]
    h.write_edgelist("py_igraph.edgelist")  # "0 1"
    h.write_ncol("py_igraph.ncol")  # "CHN DEU 1.5"

    # A labelled matrix from pandas (NaN written as an empty cell), and bare
    # numbers from numpy (which writes NaN as "nan": the missing cell is 0 here).
    pd.DataFrame(M, index=IDS, columns=IDS).to_csv("pandas_matrix.csv")
    np.savetxt("numpy_savetxt.txt", np.nan_to_num(M, nan=0.0))
    np.savetxt("numpy_savetxt.csv", np.nan_to_num(M, nan=0.0), delimiter=",", fmt="%g")

    # The gravity panel through pandas: Stata 118 and a CSV with pandas' index.
    panel = gravity()
    panel.to_stata(
        "gravity_pandas.dta",
        write_index=False,
        version=118,
        time_stamp=datetime.datetime(2026, 1, 1),
    )
    panel.to_csv("gravity_pandas_index.csv")


if __name__ == "__main__":
    main()
