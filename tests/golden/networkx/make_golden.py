#!/usr/bin/python3
"""Golden network metrics from networkx (independent reference implementation).

Run from the repo root (any cwd works, the output goes next to this file):

    /usr/bin/python3 tests/golden/networkx/make_golden.py

Needs the Debian package python3-networkx; nothing else (no numpy).
Writes <case>.csv weight matrices and metrics.csv; see README.md.
Deterministic: every random case has its own random.Random(seed).
"""

import csv
import io
import math
import os
import random
import statistics
import sys
from fractions import Fraction

import networkx as nx

OUT = os.path.dirname(os.path.abspath(__file__))

SEED_RANDOM12 = 20250101
SEED_RANDOM40 = 20250102

# --------------------------------------------------------------------------
# Formatting and CSV (RFC 4180, UTF-8, LF)
# --------------------------------------------------------------------------


def fmt_float(x):
    """Shortest repr that round-trips the double exactly (<= 17 sig. digits)."""
    x = float(x)
    assert math.isfinite(x)
    s = repr(x)
    assert float(s) == x
    return s


def quote(field):
    """RFC 4180: quote only if the field holds a comma, quote, CR or LF."""
    if any(c in field for c in ',"\r\n'):
        return '"' + field.replace('"', '""') + '"'
    return field


def write_rows(path, rows):
    text = "".join(",".join(quote(f) for f in row) + "\n" for row in rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def read_rows(path):
    with open(path, "r", encoding="utf-8", newline="") as fh:
        data = fh.read()
    assert "\r" not in data and not data.startswith("\ufeff")
    return list(csv.reader(io.StringIO(data, newline="")))


def write_matrix(case, labels, w):
    n = len(labels)
    rows = [[""] + list(labels)]
    for i in range(n):
        rows.append([labels[i]] + ["0" if i == j else fmt_float(w[i][j]) for j in range(n)])
    path = os.path.join(OUT, case + ".csv")
    write_rows(path, rows)
    return path


def read_matrix(path):
    rows = read_rows(path)
    labels = rows[0][1:]
    assert rows[0][0] == ""
    assert [r[0] for r in rows[1:]] == labels
    w = [[float(v) for v in r[1:]] for r in rows[1:]]
    assert all(len(r) == len(labels) for r in w)
    return labels, w


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------


def zeros(n):
    return [[0.0] * n for _ in range(n)]


def case_path3():
    labels = ["A", "B", "C"]
    w = zeros(3)
    w[0][1] = 1.0
    w[1][2] = 1.0
    return labels, w


def case_star5():
    labels = ["A", "B", "C", "D", "E"]
    w = zeros(5)
    centre = 2
    for leaf in range(5):
        if leaf != centre:
            w[centre][leaf] = 1.0
            w[leaf][centre] = 1.0
    return labels, w


def case_random12():
    # Exactly 39 of the 132 ordered pairs (29.5 %) get a weight U(0.1, 5).
    # Node 11 ("ZAF") is isolated by construction. 39 is odd, so the median
    # threshold equals one of the weights and exercises the strict "w > tau".
    labels = ["USA", "CHN", "DEU", "JPN", "Korea, Rep.", "FRA",
              "GBR", "IND", "BRA", "CAN", "AUS", "ZAF"]
    n = len(labels)
    isolated = 11
    rng = random.Random(SEED_RANDOM12)
    pairs = [(i, j) for i in range(n) for j in range(n)
             if i != j and i != isolated and j != isolated]
    chosen = rng.sample(pairs, 39)
    w = zeros(n)
    for (i, j) in sorted(chosen):
        w[i][j] = rng.uniform(0.1, 5.0)
    return labels, w


def case_random40():
    # Exactly 234 of the 1560 ordered pairs (15 %) get a weight lognormal(0, 1).
    # 234 is even, so the median threshold is the midpoint of two weights.
    labels = ["c%02d" % (k + 1) for k in range(40)]
    labels[4] = "Korea, Rep."
    labels[9] = "C\u00f4te d'Ivoire"   # non-ASCII UTF-8 label
    n = len(labels)
    rng = random.Random(SEED_RANDOM40)
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    chosen = rng.sample(pairs, 234)
    w = zeros(n)
    for (i, j) in sorted(chosen):
        w[i][j] = rng.lognormvariate(0.0, 1.0)
    return labels, w


def case_dependence4():
    labels = ["A", "B", "C", "D"]
    w = [[0.0, 0.1907, 0.3906, 0.0024],
         [3.7016, 0.0, 0.0154, 0.0081],
         [3.1095, 0.0320, 0.0, 0.0459],
         [4.1895, 0.1372, 0.1112, 0.0]]
    return labels, w


CASES = [
    ("path3", case_path3),
    ("star5", case_star5),
    ("random12", case_random12),
    ("random40", case_random40),
    ("dependence4", case_dependence4),
]
MEDIAN_CASES = {"random12", "random40"}

# --------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------


def arcs(w, tau):
    n = len(w)
    return [(i, j) for i in range(n) for j in range(n) if i != j and w[i][j] > tau]


def sig12(x):
    return float(format(x, ".12g"))


def competition_rank(values):
    """Descending, 1 = highest, ties ('min') after rounding to 12 sig. digits."""
    keys = [sig12(v) for v in values]
    return [1 + sum(1 for k in keys if k > key) for key in keys]


def exact_betweenness(n, arc_list, directed):
    """Brute-force betweenness with exact rationals, as a check on networkx."""
    adj = [set() for _ in range(n)]
    for (i, j) in arc_list:
        adj[i].add(j)
        if not directed:
            adj[j].add(i)
    dist, sigma = [], []
    for s in range(n):
        d = [None] * n
        sg = [0] * n
        d[s], sg[s] = 0, 1
        frontier = [s]
        while frontier:
            nxt = []
            for u in frontier:
                for v in sorted(adj[u]):
                    if d[v] is None:
                        d[v] = d[u] + 1
                        nxt.append(v)
                    if d[v] == d[u] + 1:
                        sg[v] += sg[u]
            frontier = nxt
        dist.append(d)
        sigma.append(sg)
    b = [Fraction(0)] * n
    for s in range(n):
        for t in range(n):
            if s == t or dist[s][t] is None:
                continue
            for v in range(n):
                if v in (s, t) or dist[s][v] is None or dist[v][t] is None:
                    continue
                if dist[s][v] + dist[v][t] == dist[s][t]:
                    b[v] += Fraction(sigma[s][v] * sigma[v][t], sigma[s][t])
    # Ordered pairs: directed sum / ((n-1)(n-2)); the undirected sum over
    # ordered pairs is 2 * sum_{s<t}, so the same divisor gives Freeman's.
    scale = Fraction(1, (n - 1) * (n - 2))
    return [x * scale for x in b]


def metrics(w, tau):
    n = len(w)
    a = arcs(w, tau)
    indeg, outdeg = [0] * n, [0] * n
    in_terms = [[] for _ in range(n)]
    out_terms = [[] for _ in range(n)]
    for (i, j) in a:
        outdeg[i] += 1
        indeg[j] += 1
        out_terms[i].append(w[i][j])
        in_terms[j].append(w[i][j])
    # Correctly rounded sums (independent of summation order).
    instr = [math.fsum(t) for t in in_terms]
    outstr = [math.fsum(t) for t in out_terms]

    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(a)
    u = g.to_undirected()
    assert u.number_of_nodes() == n
    assert set(frozenset(e) for e in u.edges()) == set(frozenset(e) for e in a)
    bd_map = nx.betweenness_centrality(g, normalized=True)
    bu_map = nx.betweenness_centrality(u, normalized=True)
    bd = [float(bd_map[i]) for i in range(n)]
    bu = [float(bu_map[i]) for i in range(n)]

    # networkx vs exact rationals.
    for got, exact in ((bd, exact_betweenness(n, a, True)),
                       (bu, exact_betweenness(n, a, False))):
        for x, e in zip(got, exact):
            assert abs(x - float(e)) <= 1e-12 * max(1.0, abs(float(e))), (x, e)
        # Exact ties are exactly the ties seen after rounding to 12 digits.
        for p in range(n):
            for q in range(n):
                assert (exact[p] == exact[q]) == (sig12(got[p]) == sig12(got[q]))

    cols = {
        "in_degree": indeg, "out_degree": outdeg,
        "in_strength": instr, "out_strength": outstr,
        "betweenness_directed": bd, "betweenness_undirected": bu,
    }
    # Robustness of the tie rule: values either tie clearly or differ clearly.
    for name in ("in_strength", "out_strength", "betweenness_directed",
                 "betweenness_undirected"):
        v = cols[name]
        for p in range(n):
            for q in range(p + 1, n):
                rel = abs(v[p] - v[q]) / max(abs(v[p]), abs(v[q]), 1e-300)
                if sig12(v[p]) == sig12(v[q]):
                    assert rel < 1e-13, (name, v[p], v[q])
                else:
                    assert rel > 1e-9, (name, v[p], v[q])
    return cols


METRIC_COLS = ["in_degree", "out_degree", "in_strength", "out_strength",
               "betweenness_directed", "betweenness_undirected"]
HEADER = (["case", "threshold", "node"] + METRIC_COLS
          + ["rank_" + c for c in METRIC_COLS])


def close(x, y):
    return abs(x - y) <= 1e-12 * max(1.0, abs(y))


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def main():
    out_rows = [HEADER]
    results = {}
    summary = []
    for case, make in CASES:
        labels, w = make()
        path = write_matrix(case, labels, w)
        labels_rb, w_rb = read_matrix(path)
        assert labels_rb == labels
        assert all(w_rb[i][j] == w[i][j] for i in range(len(w)) for j in range(len(w)))
        w = w_rb  # goldens are computed from the values read back
        n = len(labels)
        positive = sorted(w[i][j] for i in range(n) for j in range(n)
                          if i != j and w[i][j] > 0)
        taus = [0.0]
        if case in MEDIAN_CASES:
            taus.append(float(statistics.median(positive)))
        for tau in taus:
            cols = metrics(w, tau)
            ranks = {c: competition_rank(cols[c]) for c in METRIC_COLS}
            results[(case, tau)] = (labels, cols, ranks)
            for i in range(n):
                row = [case, fmt_float(tau), labels[i]]
                for c in METRIC_COLS:
                    v = cols[c][i]
                    row.append(str(v) if isinstance(v, int) else fmt_float(v))
                row += [str(ranks[c][i]) for c in METRIC_COLS]
                out_rows.append(row)
            summary.append("%-12s n=%2d tau=%-20s arcs=%3d" %
                           (case, n, fmt_float(tau), len(arcs(w, tau))))
    write_rows(os.path.join(OUT, "metrics.csv"), out_rows)
    back = read_rows(os.path.join(OUT, "metrics.csv"))
    assert back == out_rows

    # ---------------- hand checks ----------------
    def col(case, tau, name):
        labels, cols, ranks = results[(case, tau)]
        src = ranks[name[5:]] if name.startswith("rank_") else cols[name]
        return dict(zip(labels, src))

    bd = col("path3", 0.0, "betweenness_directed")
    bu = col("path3", 0.0, "betweenness_undirected")
    assert bd == {"A": 0.0, "B": 0.5, "C": 0.0}, bd
    assert bu == {"A": 0.0, "B": 1.0, "C": 0.0}, bu
    assert col("path3", 0.0, "in_degree") == {"A": 0, "B": 1, "C": 1}
    assert col("path3", 0.0, "out_degree") == {"A": 1, "B": 1, "C": 0}
    assert col("path3", 0.0, "rank_in_degree") == {"A": 3, "B": 1, "C": 1}
    assert col("path3", 0.0, "rank_betweenness_directed") == {"A": 2, "B": 1, "C": 2}

    for name in ("betweenness_directed", "betweenness_undirected"):
        s = col("star5", 0.0, name)
        assert s["C"] == 1.0 and all(s[k] == 0.0 for k in "ABDE"), s
    assert col("star5", 0.0, "in_degree")["C"] == 4
    assert col("star5", 0.0, "out_strength")["C"] == 4.0

    d_in = col("dependence4", 0.0, "in_degree")
    d_out = col("dependence4", 0.0, "out_degree")
    assert d_in == d_out, (d_in, d_out)  # symmetric support of DT
    assert close(col("dependence4", 0.0, "out_strength")["A"], 0.1907 + 0.3906 + 0.0024)
    assert close(col("dependence4", 0.0, "in_strength")["A"], 3.7016 + 3.1095 + 4.1895)

    assert competition_rank([5, 3, 3, 1]) == [1, 2, 2, 4]

    # random12 at tau = 0: an isolated node and several ties in degree.
    indeg = col("random12", 0.0, "in_degree")
    outdeg = col("random12", 0.0, "out_degree")
    assert any(indeg[k] == 0 and outdeg[k] == 0 for k in indeg)
    for dd in (indeg, outdeg):
        vals = list(dd.values())
        tied = [v for v in set(vals) if vals.count(v) >= 2]
        assert len(tied) >= 2, dd

    # The median threshold of random12 equals an existing weight (odd count).
    labels, w = read_matrix(os.path.join(OUT, "random12.csv"))
    tau12 = [t for (c, t) in results if c == "random12" and t > 0][0]
    assert any(w[i][j] == tau12 for i in range(12) for j in range(12))

    print("networkx", nx.__version__, "python", sys.version.split()[0])
    print("\n".join(summary))
    print("wrote", len(out_rows) - 1, "metric rows; all checks passed")


if __name__ == "__main__":
    main()
