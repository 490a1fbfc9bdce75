#!/usr/bin/env python3
"""Writes the World Bank excerpts (WDI and WGI, every layout the World Bank
ships) used by tests/attributes_test.cpp. Values are invented but fixed: a
value depends only on (economy, series, year), so one economy reads the same
from every layout and the tests can compare layouts with each other.

    python3 tests/data/publishers/make_worldbank.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# (name, World Bank code, WGI's own code)
ECONOMIES = [
    ("Andorra", "AND", "ADO"),
    ("China", "CHN", "CHN"),
    ("Congo, Dem. Rep.", "COD", "ZAR"),
    ("Korea, Rep.", "KOR", "KOR"),
    ("Kosovo", "XKX", "KSV"),
    ("Romania", "ROU", "ROM"),
    ("Timor-Leste", "TLS", "TMP"),
    ("United States", "USA", "USA"),
    ("West Bank and Gaza", "PSE", "WBG"),
]
WB_AGGREGATES = [("Africa Eastern and Southern", "AFE"), ("World", "WLD"), ("High income", "HIC"),
                 ("Not classified", "INX")]
WGI = [("va", "Voice and Accountability"), ("pv", "Political Stability and Absence of Violence/Terrorism"),
       ("ge", "Government Effectiveness"), ("rq", "Regulatory Quality"), ("rl", "Rule of Law"),
       ("cc", "Control of Corruption")]
WGI_EXTRA = [("NO.SRC", "Number of Sources"), ("PER.RNK", "Percentile Rank"),
             ("PER.RNK.LOWER", "Percentile Rank, Lower Bound of 90% Confidence Interval"),
             ("PER.RNK.UPPER", "Percentile Rank, Upper Bound of 90% Confidence Interval"),
             ("STD.ERR", "Standard Error")]


def gdp(code, year):
    """GDP per capita, or None where the excerpt has a gap."""
    if code == "INX" or (code == "XKX" and year == 2021) or year < 2015:
        return None
    base = {"AND": 41000, "CHN": 10400, "COD": 560, "KOR": 32000, "XKX": 5300, "ROU": 14800, "TLS": 1500,
            "USA": 70000, "PSE": 3600, "AFE": 1500, "WLD": 12500, "HIC": 48000}[code]
    return round(base * (1 + 0.031 * (year - 2020)) + 0.123456789, 9)


def wgi(code, dimension, year):
    """A WGI estimate; Kosovo has no pv estimate in 2021 (a real-looking gap)."""
    if code == "XKX" and dimension == "pv" and year == 2021:
        return None
    seed = sum(ord(c) for c in code) * 7 + "va pv ge rq rl cc".split().index(dimension) * 13 + (year - 2000)
    return round(((seed * 7919) % 5000) / 1000.0 - 2.5, 6)


def fmt(v):
    return "" if v is None else repr(v)


def write(name, text, encoding="utf-8", bom=False):
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def q(*fields):
    return ",".join('"%s"' % f.replace('"', '""') for f in fields)


def api_rows(years, crlf, trailing):
    """WDI API/bulk layout: every field quoted, a trailing comma on each line."""
    end = ("," if trailing else "") + ("\r\n" if crlf else "\n")
    out = q("Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, years)) + end
    everything = [(n, c) for n, c, _ in ECONOMIES] + WB_AGGREGATES
    for name, code in sorted(everything):
        out += q(name, code, "GDP per capita (current US$)", "NY.GDP.PCAP.CD",
                 *[fmt(gdp(code, y)) for y in years]) + end
    return out


def main():
    years = list(range(1960, 2024))
    # 1. The API download (API_NY.GDP.PCAP.CD_DS2_en_csv_v2_*.csv): BOM, CRLF,
    #    a four-line preamble with blank lines, a trailing comma.
    preamble = '"Data Source","World Development Indicators",\r\n\r\n"Last Updated Date","2026-10-15",\r\n\r\n'
    write("wdi_api_gdp_per_capita_excerpt.csv", preamble + api_rows(years, True, True), bom=True)
    # 2. The same file after a user deleted the preamble in a text editor (LF).
    write("wdi_api_no_preamble_excerpt.csv", api_rows(years, False, True))
    # 3. DataBank, series in rows: ".." for missing, a footer under the data.
    db_years = [2021, 2022, 2023]
    out = "Country Name,Country Code,Series Name,Series Code," + ",".join(
        "%d [YR%d]" % (y, y) for y in db_years) + "\r\n"
    for name, code, _ in ECONOMIES:
        cells = [fmt(gdp(code, y)) or ".." for y in db_years]
        out += ",".join(['"%s"' % name if "," in name else name, code, "GDP per capita (current US$)",
                         "NY.GDP.PCAP.CD"] + cells) + "\r\n"
    out += "\r\n\r\nData from database: World Development Indicators\r\nLast Updated: 10/15/2026\r\n"
    write("wdi_databank_series_in_rows_excerpt.csv", out, bom=True)
    # 4. DataBank, series in columns (one row per economy and year).
    out = "Country Name,Country Code,Time,Time Code,GDP per capita (current US$) [NY.GDP.PCAP.CD]\r\n"
    for name, code, _ in ECONOMIES:
        for y in db_years:
            out += ",".join(['"%s"' % name if "," in name else name, code, str(y), "YR%d" % y,
                             fmt(gdp(code, y)) or ".."]) + "\r\n"
    out += "\r\n\r\nData from database: World Development Indicators\r\nLast Updated: 10/15/2026\r\n"
    write("wdi_databank_series_in_columns_excerpt.csv", out, bom=True)

    # 5. WGIData.csv (the WGI bulk download): the WDI API layout with the six
    #    estimates and their companion series; WGI years (1996, 1998, 2000, then yearly).
    wgi_years = [1996, 1998, 2000] + list(range(2002, 2024))
    out = q("Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, wgi_years)) + ",\n"
    for name, code, _ in sorted(ECONOMIES):
        for dim, label in sorted(WGI, key=lambda d: d[0]):
            for suffix, what in [("EST", "Estimate")] + WGI_EXTRA:
                values = [fmt(wgi(code, dim, y)) if suffix == "EST" else "1.5" for y in wgi_years]
                out += q(name, code, "%s: %s" % (label, what), "%s.%s" % (dim.upper(), suffix), *values) + ",\n"
    write("wgi_bulk_WGIData_excerpt.csv", out)
    # 6. The WGI long CSV (2024 release layout) with WGI's own codes.
    out = "codeindyr,code,countryname,year,indicator,estimate,stddev,nsource,pctrank,pctranklower,pctrankupper\n"
    for name, code, wgi_code in ECONOMIES:
        for y in (2021, 2022, 2023):
            for dim, _ in WGI:
                v = wgi(code, dim, y)
                cells = [wgi_code + dim + str(y), wgi_code, '"%s"' % name if "," in name else name, str(y), dim,
                         fmt(v) if v is not None else "..", "0.21", "8", "55.2", "48.1", "61.9"]
                out += ",".join(cells) + "\n"
    write("wgi_long_2024_excerpt.csv", out)
    # 7. WGI from DataBank, series in columns.
    cols = sorted(WGI, key=lambda d: d[1])
    out = "Country Name,Country Code,Time,Time Code," + ",".join(
        "%s: Estimate [%s.EST]" % (label, dim.upper()) for dim, label in cols) + "\n"
    for name, code, _ in ECONOMIES:
        for y in (2021, 2022, 2023):
            out += ",".join(['"%s"' % name if "," in name else name, code, str(y), "YR%d" % y] +
                            [fmt(wgi(code, dim, y)) or ".." for dim, _ in cols]) + "\n"
    out += "\n\nData from database: Worldwide Governance Indicators\nLast Updated: 09/24/2026\n"
    write("wgi_databank_series_in_columns_excerpt.csv", out)


if __name__ == "__main__":
    main()
