#!/usr/bin/env python3
"""Read a `qap regress --format json` result (docs/regress-result.schema.json).

    qap regress --y REE.csv --x TPR.csv PGDP.csv --perms 5000 --seed 42 --format json -o result.json
    python3 docs/examples/read_result.py result.json
"""
import json
import sys

with open(sys.argv[1], encoding="utf-8") as handle:
    result = json.load(handle)

options = result["options"]
print(f"{result['inputs']['dependent']['name']}: {options['null']} null, "
      f"{options['permutations']} permutations, seed {options['seed']}, p-value rule {options['pvalue_rule']}")
for c in result["coefficients"]:
    test = c["permutation"]
    p = "not tested" if test is None else f"p = {test['p_two_sided']:.4f}"
    beta = "" if c["standardized"] is None else f"beta* = {c['standardized']:+.3f}"
    print(f"  {c['variable']:<12} b = {c['coefficient']:+.4g}  {beta:<16} t = {c['t']:+.3f}  {p} {c['stars']}")
model = result["model"]
print(f"  R2 = {model['r_squared']:.3f}, N = {result['dyads_used']}, condition number {model['condition_number']:.1f}")
