"""Issue 13: qap's CSV outputs are what Python reads by default.

Runs qap regress, correlate and network, reads each CSV with csv.DictReader
(and pandas.read_csv when pandas is installed) and checks the shape, the
column names, NA where a value does not exist, and a coefficient against the
JSON output of the same run.
    python3 tests/readers/read_csv.py QAP_EXECUTABLE SOURCE_DIR
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

qap, src = sys.argv[1], sys.argv[2]
small = lambda name: os.path.join(src, "tests", "data", "small", name + ".csv")
flows = os.path.join(src, "tests", "data", "worked_example_flows.csv")
regress = ["regress", "--y", small("Y"), "--x", small("X1"), small("X2"), "--perms", "99",
           "--seed", "1"]
correlate = ["correlate", small("Y"), small("X1"), "--perms", "99", "--seed", "1"]
network = ["network", "--flows", flows, "--focal", "A"]


def run(arguments):
    return subprocess.run([qap] + arguments, check=True, capture_output=True, text=True).stdout


def read(path, rows, columns):
    with open(path, newline="") as f:
        first = f.readline()
        assert not first.startswith("#"), first
        f.seek(0)
        records = list(csv.DictReader(f))
    assert len(records) == rows, (path, len(records))
    for record in records:
        assert len(record) == columns and None not in record, (path, record)
        assert None not in record.values(), (path, record)
    try:
        import pandas
    except ImportError:
        return records
    frame = pandas.read_csv(path)
    assert frame.shape == (rows, columns), (path, frame.shape)
    return records


with tempfile.TemporaryDirectory() as out:
    path = os.path.join(out, "regress.csv")
    run(regress + ["--format", "csv", "-o", path])
    records = read(path, 3, 15)
    assert [r["variable"] for r in records] == ["(intercept)", "X1", "X2"]
    assert records[0]["standardized"] == "NA" and records[0]["p_two_sided"] == "NA"
    expected = json.loads(run(regress + ["--format", "json"]))["coefficients"]
    for record, coefficient in zip(records, expected):
        assert float(record["coefficient"]) == coefficient["coefficient"], (record, coefficient)
    meta = json.load(open(path + ".meta.json"))
    assert meta["command"] == "regress" and meta["options"]["seed"] == 1, meta
    assert meta["inputs"]["dependent"]["sha256"], meta

    path = os.path.join(out, "correlate.csv")
    run(correlate + ["--format", "csv", "-o", path])
    (record,) = read(path, 1, 11)
    r = json.loads(run(correlate + ["--format", "json"]))["r"]
    assert float(record["r"]) == r, (record, r)

    path = os.path.join(out, "network.csv")
    run(network + ["--format", "csv", "-o", path])
    nodes = json.loads(run(network + ["--format", "json"]))["metrics"]
    read(path, len(nodes), 13)
    assert json.load(open(path + ".meta.json"))["focal_ranks"] is not None
print("csv.DictReader" + (" and pandas.read_csv" if "pandas" in sys.modules else "") +
      ": regress, correlate and network CSVs as expected")
