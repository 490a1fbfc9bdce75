#!/usr/bin/env python3
"""Run the qap benchmark suite (or read its JSON) and print a summary table.

    python3 bench/summarize.py                      # runs build/release/bench/qap_bench
    python3 bench/summarize.py results.json         # summarises a saved run
    python3 bench/summarize.py --filter 'n:160'     # passes --benchmark_filter through

The kernel's throughput is shown as a share of the machine's limit measured by
BM_GatherDotLimit at the same n (one core; times the thread count for
multi-threaded cases). Standard library only.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

NULLS = {"0": "y", "1": "dsp", "2": "x", "3": "freedman-lane"}


def run_suite(binary, bench_filter):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        path = handle.name
    command = [binary, "--benchmark_out=" + path, "--benchmark_out_format=json"]
    if bench_filter:
        command.append("--benchmark_filter=" + bench_filter)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    os.unlink(path)
    return data


def parse_arguments(name):
    parts = name.split("/")[1:]
    return dict(part.split(":", 1) for part in parts if ":" in part)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="?", help="JSON written by --benchmark_format=json or --benchmark_out")
    parser.add_argument("--binary", default="build/release/bench/qap_bench")
    parser.add_argument("--filter", default="")
    options = parser.parse_args()

    if options.results:
        with open(options.results, encoding="utf-8") as handle:
            data = json.load(handle)
    else:
        data = run_suite(options.binary, options.filter)

    context = data.get("context", {})
    print(f"# {context.get('host_name', '?')}: {context.get('num_cpus', '?')} CPUs at "
          f"{context.get('mhz_per_cpu', '?')} MHz, {context.get('date', '')}")

    limits = {}
    for bench in data["benchmarks"]:
        if bench["name"].startswith("BM_GatherDotLimit"):
            limits[parse_arguments(bench["name"])["n"]] = bench["dyad_perms_per_s"]

    header = f"{'n':>5} {'p':>3} {'null':>14} {'threads':>7} {'perms/s':>12} {'dyad-perms/s/coef':>18} {'of limit':>9}"
    print(header)
    print("-" * len(header))
    for bench in data["benchmarks"]:
        if not bench["name"].startswith("BM_Regression"):
            continue
        args = parse_arguments(bench["name"])
        threads = int(bench.get("engine_threads", 1))
        rate = bench["dyad_perms_per_s_per_coef"]
        limit = limits.get(args["n"])
        share = f"{rate / (limit * threads):8.0%}" if limit else "       -"
        print(f"{args['n']:>5} {args['p']:>3} {NULLS.get(args['null'], args['null']):>14} {threads:>7} "
              f"{bench['perms_per_s']:>12,.0f} {rate:>18,.3g} {share}")

    for bench in data["benchmarks"]:
        name = bench["name"]
        if name.startswith("BM_FixtureStudyModel"):
            null = NULLS.get(parse_arguments(name)["null"], "?")
            print(f"fixture 850511 import (160 nodes, 5 matrices, 5,000 permutations, {null} null, "
                  f"files read): {bench['real_time']:.0f} {bench['time_unit']}")
        elif name.startswith("BM_GatherDotLimit"):
            print(f"machine limit, gather + dot, n={parse_arguments(name)['n']}: "
                  f"{bench['dyad_perms_per_s'] / 1e9:.2f} G dyad-permutations/s on one core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
