#!/usr/bin/env python3
"""Writes download_set/: what a user has after downloading one Comtrade Plus
file for HS 850511 (2023, the web download: Windows-1252, every field
quoted, a trailing comma, CRLF, with breakdown rows, a sub-flow and HS4
rows), next to the World Bank and IMF excerpts of this folder (WDI API
download, WGI release workbook, WEO database file). tests/cli_test.cpp runs
`qap covariates` and `qap study run` on them without editing a byte.

Flows are invented. Partners of China: Andorra, Congo Dem. Rep., Romania,
Timor-Leste, United States, West Bank and Gaza (all in the WDI and WGI
excerpts) and Taiwan (Comtrade's 490 "Other Asia, nes": GDP from the WEO
file, no WGI in the excerpt, so it is dropped with that reason).
Run from anywhere: python3 tests/data/publishers/make_download_set.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_comtrade import API_COLUMNS, WEB_COLUMNS, api_row, csv_field  # noqa: E402

OUT = HERE / "download_set"

CHN = ("156", "CHN", "China")
AND = ("20", "AND", "Andorra")
COD = ("180", "COD", "Dem. Rep. of the Congo")
ROU = ("642", "ROU", "Romania")
TLS = ("626", "TLS", "Timor-Leste")
USA = ("842", "USA", "USA")
PSE = ("275", "PSE", "State of Palestine")
TWN = ("490", "S19", "Other Asia, nes")
DEU = ("276", "DEU", "Germany")
CUW = ("531", "CUW", "Curaçao")
WLD = ("0", "W00", "World")
PARTNERS = [AND, COD, ROU, TLS, USA, PSE, TWN]


def main():
    rows = []  # (reporter, flow, partner, cmd, value, mot)
    # HS 850511 (permanent magnets of metal): China's exports, partners' own reports.
    chn_exports = {AND: 41_250, COD: 388_120, ROU: 2_915_400, TLS: 12_880, USA: 187_604_933, PSE: 95_330,
                   TWN: 24_118_775}
    for partner, value in chn_exports.items():
        rows.append((CHN, "X", partner, "850511", value, "0"))
    rows.append((CHN, "X", WLD, "850511", 2_950_117_320, "0"))
    # Importers' reports (preferred by the importer-first rule); the United
    # States' by mode of transport too (left out: the total row is there).
    rows += [(USA, "M", CHN, "850511", 201_445_210, "0"), (USA, "M", CHN, "850511", 150_000_000, "2100"),
             (USA, "M", CHN, "850511", 51_445_210, "3200"), (ROU, "M", CHN, "850511", 3_120_775, "0")]
    # Other suppliers, so the partners' import concentrations are not all China.
    rows += [(DEU, "X", USA, "850511", 61_220_400, "0"), (DEU, "X", ROU, "850511", 4_410_090, "0"),
             (DEU, "X", AND, "850511", 20_115, "0"), (USA, "X", TWN, "850511", 7_880_412, "0"),
             (USA, "X", PSE, "850511", 10_220, "0"), (ROU, "X", COD, "850511", 45_900, "0")]
    # A sub-flow (re-exports) and the HS4 heading: counted, left out.
    rows += [(USA, "RX", CHN, "850511", 2_211_040, "0"), (CHN, "X", USA, "8505", 402_118_006, "0")]
    # Total trade (TOTAL) for the trade intensity: China's exports to each
    # partner and to the World, every reporter's imports from the World.
    chn_total = {AND: 80_114_300, COD: 10_880_421_000, ROU: 7_340_995_000, TLS: 201_330_000,
                 USA: 500_290_000_000, PSE: 95_002_000, TWN: 71_230_000_000, DEU: 100_140_000_000}
    for partner, value in chn_total.items():
        rows.append((CHN, "X", partner, "TOTAL", value, "0"))
    rows.append((CHN, "X", WLD, "TOTAL", 3_380_020_000_000, "0"))
    world_imports = {CHN: 2_556_000_000_000, AND: 1_720_400_000, COD: 12_990_000_000, ROU: 119_200_000_000,
                     TLS: 1_052_000_000, USA: 3_168_000_000_000, PSE: 9_410_000_000, DEU: 1_465_000_000_000,
                     CUW: 1_702_000_000}
    for reporter, value in world_imports.items():
        rows.append((reporter, "M", WLD, "TOTAL", value, "0"))

    lines = [",".join(csv_field(c, True) for c in WEB_COLUMNS) + ","]
    for reporter, flow, partner, cmd, value, mot in rows:
        row = api_row(2023, reporter, flow, partner, cmd, float(value), mot=mot, partner2=WLD,
                      cmd_desc="All Commodities" if cmd == "TOTAL" else "Permanent magnets; of metal")
        lines.append(",".join(csv_field(row[c], True) for c in API_COLUMNS) + ",")
    OUT.mkdir(exist_ok=True)
    (OUT / "TradeData_850511_2023.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


if __name__ == "__main__":
    main()
