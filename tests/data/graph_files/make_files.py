#!/usr/bin/python3
"""Writes the networkx and python-igraph files read by tests/graph_files_test.cpp.

Run from this folder with Debian's python3-networkx (2.8) and python3-igraph
(0.10): /usr/bin/python3 make_files.py. The Gephi- and Cytoscape-style files
beside them are written by hand (README.md); make_files.R writes R igraph's.
"""
import re

import igraph
import networkx as nx

# networkx, directed, one weight; a self-loop (KOR -> KOR) and a pair tied both ways.
g = nx.DiGraph()
g.add_nodes_from(["CHN", "USA", "JPN", "DEU", "KOR"])
g.add_edge("CHN", "USA", weight=2.5)
g.add_edge("USA", "CHN", weight=1.0)
g.add_edge("JPN", "DEU", weight=4.0)
g.add_edge("DEU", "KOR", weight=0.25)
g.add_edge("KOR", "KOR", weight=0.5)
nx.write_graphml(g, "networkx_directed.graphml")
nx.write_gml(g, "networkx_directed.gml")

# networkx, undirected, two numeric attributes (weight: float, count: int)
# and a string one (kind), which the reader ignores; KOR has no edge.
u = nx.Graph()
u.add_nodes_from(["CHN", "USA", "JPN", "DEU", "KOR"])
u.add_edge("CHN", "USA", weight=3.0, count=2, kind="trade")
u.add_edge("USA", "JPN", weight=1.5, count=1, kind="aid")
u.add_edge("JPN", "DEU", weight=2.0, count=5, kind="trade")
nx.write_graphml(u, "networkx_undirected.graphml")
nx.write_gml(u, "networkx_undirected.gml")

# python-igraph, undirected, named vertices (GraphML ids n0..n3, GML ids
# 0..3 with a "name"); the weight of B - C is NaN, which igraph leaves out.
i = igraph.Graph(directed=False)
i.add_vertices(["A", "B", "C", "D"])
i.add_edges([(0, 1), (1, 2), (2, 3)])
i.es["weight"] = [1.5, float("nan"), 2.0]
i.write_graphml("igraph_undirected.graphml")
i.write_gml("igraph_undirected.gml")

# igraph stamps GML files with the time; keep the files stable between runs.
with open("igraph_undirected.gml", encoding="utf-8") as f:
    text = f.read()
with open("igraph_undirected.gml", "w", encoding="utf-8") as f:
    f.write(re.sub(r'^Creator "igraph version ([^ ]*) .*"$', r'Creator "igraph version \1"',
                   text, flags=re.M))
