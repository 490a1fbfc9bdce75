"""Writes the Pajek files networkx and python-igraph write (issue 13).

Run from this folder: /usr/bin/python3 make_files.py
(networkx 2.8.8, python-igraph 0.10.2). README.md says what each file reads as.
"""

import igraph as ig
import networkx as nx

IDS = ["CHN", "DEU", "USA", "C\u00f4te d'Ivoire"]
# The directed ties (from, to, weight) and the undirected ones.
ARCS = [
    (0, 1, 1.5), (0, 2, 2), (1, 0, 3), (1, 2, 4.25), (1, 3, 5), (2, 0, 6),
    (2, 1, 7), (2, 3, 8), (3, 0, 9), (3, 1, 10), (3, 2, 11),
]
EDGES = [(0, 1, 1.5), (0, 2, 2), (1, 2, 4.25), (1, 3, 5), (2, 3, 8)]


def networkx_files():
    directed = nx.DiGraph()
    directed.add_nodes_from(IDS)
    directed.add_weighted_edges_from((IDS[a], IDS[b], w) for a, b, w in ARCS)
    nx.write_pajek(directed, "nx_directed.net")
    undirected = nx.Graph()
    undirected.add_nodes_from(IDS)
    undirected.add_weighted_edges_from((IDS[a], IDS[b], w) for a, b, w in EDGES)
    nx.write_pajek(undirected, "nx_undirected.net")


def igraph_files():
    # igraph writes a vertex label only from the "id" attribute.
    with_id = ig.Graph(n=4, edges=[(a, b) for a, b, _ in ARCS], directed=True)
    with_id.vs["id"] = IDS
    with_id.es["weight"] = [w for _, _, w in ARCS]
    with_id.write_pajek("py_igraph_directed.net")
    # With "name" only (igraph's usual attribute), no labels: vertices 1..4.
    names = ig.Graph(n=4, edges=[(a, b) for a, b, _ in EDGES], directed=False)
    names.vs["name"] = IDS
    names.es["weight"] = [w for _, _, w in EDGES]
    names.write_pajek("py_igraph_names.net")


if __name__ == "__main__":
    networkx_files()
    igraph_files()
