"""Writes the Stata files of tests/statistical_file_test.cpp that pandas writes (issue 13).

Run from this folder with Debian's python3 and python3-pandas (the committed
files were written by pandas 1.5.3):

    /usr/bin/python3 make_files.py

The test suite needs neither Python nor pandas: the files are committed.
Beside make_files.R's haven files, these cover what haven does not write:
the old format 114 (Stata 10/11, Latin-1 strings rather than UTF-8), Stata's
byte, int, long and float storage types, a categorical written as a
value-labelled byte, and a date column stored as %td (days since 1960-01-01).
"""

import datetime

import numpy as np
import pandas as pd


def gravity():
    return pd.DataFrame(
        {
            "exporter": ["CHN", "CHN", "USA", "CIV", "DEU"],
            "importer": ["USA", "DEU", "CHN", "CHN", ""],
            "name": ["China", "China", "United States", "C\u00f4te d'Ivoire", "Germany"],
            "exp_id": np.array([156, 156, 840, 384, 276], dtype=np.int16),
            "imp_id": np.array([840, 276, 156, 156, 0], dtype=np.int32),
            "year": np.array([2022, 2023, 2023, 2023, 2023], dtype=np.int16),
            "flow": np.array([1234.5, 0.1 + 0.2, 3.0, np.nan, -2.5e-300], dtype=np.float64),
            "share": np.array([0.25, 0.1, np.nan, 1.0, 0.0], dtype=np.float32),
            "small": np.array([1, -1, 0, 100, -100], dtype=np.int8),
            "rta": pd.Categorical(["yes", "no", "yes", "no", "no"], categories=["no", "yes"]),
            "date": [datetime.datetime(2023, 1, 1)] * 4 + [datetime.datetime(1960, 1, 2)],
        }
    )


def main():
    frame = gravity()
    for version in (114, 118):
        frame.to_stata(
            f"pandas_{version}.dta",
            write_index=False,
            version=version,
            convert_dates={"date": "td"},
            time_stamp=datetime.datetime(2026, 1, 1),
        )


if __name__ == "__main__":
    main()
