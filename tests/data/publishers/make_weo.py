#!/usr/bin/env python3
"""Writes the IMF World Economic Outlook excerpts in this folder.

The IMF distributes the WEO database "by countries" as WEO<Mon><Year>all.xls,
which is tab-separated text, not a workbook: UTF-16LE with a byte-order mark
since October 2020, Latin-1 (Windows-1252) before. One row per country and
subject, years as columns, values printed with thousands separators, "n/a" or
"--" for missing, and a footer line after a blank line.

The values are invented (realistic magnitudes, smooth growth); only the layout
imitates the IMF's. Also writes two short seeds for the attributes fuzzer
(tests/fuzz/corpus/attributes/weo_*.xls). Run from anywhere:
python3 tests/data/publishers/make_weo.py
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

SUBJECTS = {
    "NGDPD": ("Gross domestic product, current prices",
              "Values are based upon GDP in national currency converted to U.S. dollars using market exchange rates (yearly average).",
              "U.S. dollars", "Billions"),
    "NGDPDPC": ("Gross domestic product per capita, current prices",
                "GDP is expressed in current U.S. dollars per person, from GDP in national currency converted to U.S. dollars and divided by total population.",
                "U.S. dollars", "Units"),
    "PPPPC": ("Gross domestic product per capita, current prices",
              "GDP per person in international dollars at purchasing power parity.",
              "Purchasing power parity; international dollars", "Units"),
}
COUNTRY_NOTES = "See notes for:  Gross domestic product, current prices (National currency) Population (Persons)."


def number(value):
    # WEO style: three decimals, comma thousands separators.
    return f"{value:,.3f}"


def series(base_2023, growth, first_year, years):
    """Values by year: base_2023 in 2023, constant growth, n/a before first_year."""
    out = []
    for y in years:
        if y < first_year:
            out.append("n/a")
        else:
            out.append(number(base_2023 * (1.0 + growth) ** (y - 2023)))
    return out


def table(years, economies, footer, special):
    """economies: (weo_code, iso, name, estimates_after, {subject: (base_2023, growth, first_year)})."""
    header = ["WEO Country Code", "ISO", "WEO Subject Code", "Country", "Subject Descriptor", "Subject Notes",
              "Units", "Scale", "Country/Series-specific Notes"] + [str(y) for y in years] + ["Estimates Start After"]
    lines = ["\t".join(header)]
    for weo_code, iso, name, estimates_after, subjects in economies:
        for subject, (base, growth, first) in subjects.items():
            descriptor, notes, units, scale = SUBJECTS[subject]
            values = series(base, growth, first, years)
            for (s_iso, s_subject, year), text in special.items():
                if (s_iso, s_subject) == (iso, subject):
                    values[years.index(year)] = text
            lines.append("\t".join([weo_code, iso, subject, name, descriptor, notes, units, scale, COUNTRY_NOTES] +
                                   values + [str(estimates_after)]))
    # A blank line, then the footer, as the IMF writes it.
    return lines + ["", footer]


def apr2024():
    years = list(range(1980, 2030))
    economies = [
        ("924", "CHN", "China", 2023, {
            "NGDPD": (17700.899, 0.07, 1980), "NGDPDPC": (12614.06, 0.07, 1980), "PPPPC": (24558.522, 0.06, 1980)}),
        ("134", "DEU", "Germany", 2023, {
            "NGDPD": (4457.366, 0.03, 1980), "NGDPDPC": (52727.006, 0.03, 1980), "PPPPC": (66037.885, 0.03, 1980)}),
        ("967", "UVK", "Kosovo", 2022, {
            "NGDPD": (10.438, 0.05, 2000), "NGDPDPC": (5943.051, 0.05, 2000), "PPPPC": (16906.108, 0.05, 2000)}),
        ("528", "TWN", "Taiwan Province of China", 2023, {
            "NGDPD": (756.59, 0.04, 1980), "NGDPDPC": (32339.322, 0.04, 1980), "PPPPC": (76858.012, 0.04, 1980)}),
        ("111", "USA", "United States", 2023, {
            "NGDPD": (27357.825, 0.04, 1980), "NGDPDPC": (80412.41, 0.04, 1980), "PPPPC": (85372.614, 0.04, 1980)}),
        ("487", "WBG", "West Bank and Gaza", 2022, {
            "NGDPD": (17.421, 0.02, 1994), "NGDPDPC": (3291.674, 0.02, 1994), "PPPPC": (6211.529, 0.02, 1994)}),
    ]
    # A "--" in a series that has started, so it is not mistaken for n/a's doing.
    special = {("TWN", "NGDPDPC", 1990): "--", ("DEU", "NGDPDPC", 2029): ""}
    return table(years, economies, "International Monetary Fund, World Economic Outlook Database, April 2024", special)


def oct2023():
    years = list(range(1980, 2029))
    economies = [
        ("662", "CIV", "C\u00f4te d'Ivoire", 2022, {
            "NGDPD": (78.875, 0.06, 1980), "NGDPDPC": (2646.206, 0.04, 1980)}),
        ("716", "STP", "S\u00e3o Tom\u00e9 and Pr\u00edncipe", 2021, {
            "NGDPD": (0.667, 0.05, 1980), "NGDPDPC": (2793.456, 0.03, 1980)}),
        ("186", "TUR", "T\u00fcrkiye", 2022, {
            "NGDPD": (1154.6, 0.05, 1980), "NGDPDPC": (13383.0, 0.04, 1980)}),
    ]
    return table(years, economies, "International Monetary Fund, World Economic Outlook Database, October 2023", {})


def fuzz_seeds():
    """Short WEO files for tests/fuzz/corpus/attributes/ (small seeds keep libFuzzer's inputs short)."""
    years = [2022, 2023]
    economies = [
        ("528", "TWN", "Taiwan Province of China", 2023, {"NGDPD": (756.59, 0.04, 1980), "NGDPDPC": (32339.322, 0.04, 1980)}),
        ("662", "CIV", "C\u00f4te d'Ivoire", 2022, {"NGDPDPC": (2646.206, 0.04, 2023)}),
    ]
    lines = table(years, economies, "International Monetary Fund, World Economic Outlook Database, April 2024",
                  {("TWN", "NGDPDPC", 2022): "--"})
    text = "\r\n".join(lines) + "\r\n"
    corpus = HERE.parent.parent / "fuzz" / "corpus" / "attributes"
    (corpus / "weo_utf16le.xls").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    (corpus / "weo_latin1.xls").write_bytes(text.encode("latin-1"))


def main():
    # UTF-16LE with a BOM and CRLF line ends (the files from October 2020 on).
    text = "\r\n".join(apr2024()) + "\r\n"
    (HERE / "weo_apr2024_excerpt_utf16le.xls").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    # Latin-1 bytes, the earlier files' encoding.
    text = "\r\n".join(oct2023()) + "\r\n"
    (HERE / "weo_oct2023_excerpt_latin1.xls").write_bytes(text.encode("latin-1"))
    fuzz_seeds()


if __name__ == "__main__":
    main()
