#!/usr/bin/env python3
"""Writes the .xlsx test workbooks (Python 3 standard library only).

    python3 tests/data/publishers/make_xlsx.py

Outputs, next to this script:
  wgi_workbook_2023_excerpt.xlsx  the WGI release workbook as published up to
                                  the 2023 release: an "Introduction" sheet and
                                  one wide sheet per indicator
  wgi_workbook_2024_excerpt.xlsx  the 2024-release layout: one long sheet
  xlsx_cells.xlsx                 every cell kind the reader handles, for unit tests
and copies of the small workbooks into tests/fuzz/corpus/xlsx/ as seeds.

The parts are written by hand the way Excel writes them (shared strings, r
attributes on rows and cells, spans, styled blank cells), because the point is
to test a reader against Excel's output, not against another library's. The
values are invented (a seeded generator), realistic in range and precision;
the same (economy, indicator, year) has the same values in both WGI layouts.
Timestamps are fixed, so the files are byte-reproducible.
"""

import os
import random
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "fuzz", "corpus", "xlsx")
FIXED_TIME = (2024, 9, 27, 12, 0, 0)

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_WORKSHEET = NS_REL + "/worksheet"
REL_SHARED = NS_REL + "/sharedStrings"
REL_STYLES = NS_REL + "/styles"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'

# WGI's own economy codes where they differ from ISO 3166 (ROM, ZAR, ADO,
# TMP, WBG, KSV), and three that do not. Sorted by name, as WGI sorts them.
ECONOMIES = [
    ("Andorra", "ADO"),
    ("China", "CHN"),
    ("Congo, Dem. Rep.", "ZAR"),
    ("Germany", "DEU"),
    ("Kosovo", "KSV"),
    ("Romania", "ROM"),
    ("Timor-Leste", "TMP"),
    ("United States", "USA"),
    ("West Bank and Gaza", "WBG"),
]
YEARS = [2021, 2022, 2023]
# (sheet name up to the 2023 release, 2024 indicator code, title)
INDICATORS = [
    ("VoiceandAccountability", "va", "Voice and Accountability"),
    ("Political StabilityNoViolence", "pv", "Political Stability and Absence of Violence/Terrorism"),
    ("GovernmentEffectiveness", "ge", "Government Effectiveness"),
    ("RegulatoryQuality", "rq", "Regulatory Quality"),
    ("RuleofLaw", "rl", "Rule of Law"),
    ("ControlofCorruption", "cc", "Control of Corruption"),
]
# Invented gaps: no estimate at all for these (indicator, economy, year).
MISSING = {("rq", "ADO", 2021), ("cc", "TMP", 2023), ("pv", "KSV", 2021)}
# One value written the way Excel writes small magnitudes (E notation).
EXPONENT_CELL = ("ge", "CHN", 2022)
EXPONENT_TEXT = "-4.5199999999999997E-3"
# Where each economy roughly sits (invented, but of the right sign and size),
# and a few indicator-specific departures from it.
LEVEL = {"ADO": 1.25, "CHN": -0.2, "ZAR": -1.45, "DEU": 1.4, "KSV": -0.15, "ROM": 0.45,
         "TMP": -0.55, "USA": 1.05, "WBG": -0.9}
DEPARTURE = {("va", "CHN"): -1.4, ("pv", "WBG"): -0.8, ("pv", "USA"): -1.0, ("va", "ADO"): 0.1}


def excel_number(value):
    """A float as Excel stores it in <v>: up to 17 significant digits,
    exponent written "E-3" rather than Python's "e-03"."""
    text = "%.17g" % value
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = mantissa + "E" + str(int(exponent))
    return text


def make_values():
    rng = random.Random(20240927)
    values = {}
    for _, code, _ in INDICATORS:
        for _, economy in ECONOMIES:
            base = LEVEL[economy] + DEPARTURE.get((code, economy), 0.0) + rng.uniform(-0.25, 0.25)
            for year in YEARS:
                if (code, economy, year) in MISSING:
                    values[(code, economy, year)] = None
                    continue
                estimate = base + rng.uniform(-0.08, 0.08)
                if (code, economy, year) == EXPONENT_CELL:
                    estimate = float(EXPONENT_TEXT)
                stderr = rng.uniform(0.12, 0.32)
                nsrc = rng.randint(3, 14)
                rank = min(100.0, max(0.0, (estimate + 2.5) / 5.0 * 100.0 + rng.uniform(-3, 3)))
                lower = max(0.0, rank - rng.uniform(4, 12))
                upper = min(100.0, rank + rng.uniform(4, 12))
                values[(code, economy, year)] = [
                    EXPONENT_TEXT if (code, economy, year) == EXPONENT_CELL else excel_number(estimate),
                    excel_number(stderr),
                    str(nsrc),
                    excel_number(rank),
                    excel_number(lower),
                    excel_number(upper),
                ]
    return values


def column_name(index):
    name = ""
    while index > 0:
        index, digit = divmod(index - 1, 26)
        name = chr(ord("A") + digit) + name
    return name


class SharedStrings:
    """Excel's table: unique strings in first-use order, plus a use count."""

    def __init__(self):
        self.index = {}
        self.items = []
        self.count = 0

    def add(self, text, xml=None):
        """`xml` is the <si> body when it is not a plain <t> (rich text)."""
        self.count += 1
        key = xml if xml is not None else text
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append(xml if xml is not None else "<t%s>%s</t>" % (
                ' xml:space="preserve"' if text != text.strip() else "", escape(text)))
        return self.index[key]

    def xml(self):
        body = "".join("<si>%s</si>" % item for item in self.items)
        return XML_DECL + '<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>' % (
            NS_MAIN, self.count, len(self.items), body)


def cell_xml(ref, cell, strings, style=None):
    """cell: ('s', text) shared string, ('n', text) number, or None (a styled blank)."""
    s = ' s="%d"' % style if style is not None else ""
    if cell is None:
        return '<c r="%s"%s/>' % (ref, s)
    kind, text = cell
    if kind == "s":
        return '<c r="%s"%s t="s"><v>%d</v></c>' % (ref, s, strings.add(text))
    return '<c r="%s"%s><v>%s</v></c>' % (ref, s, text)


def sheet_xml(rows, strings, width, merges=(), styles=None):
    """rows: {row number: {column index: cell}}; styles: {(row, col): style}."""
    styles = styles or {}
    out = [XML_DECL, '<worksheet xmlns="%s" xmlns:r="%s">' % (NS_MAIN, NS_REL)]
    last_row = max(rows) if rows else 1
    out.append('<dimension ref="A1:%s%d"/>' % (column_name(width), last_row))
    out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    out.append("<sheetData>")
    for r in sorted(rows):
        cells = rows[r]
        out.append('<row r="%d" spans="1:%d">' % (r, width))
        for c in sorted(cells):
            out.append(cell_xml("%s%d" % (column_name(c), r), cells[c], strings, styles.get((r, c))))
        out.append("</row>")
    out.append("</sheetData>")
    if merges:
        out.append('<mergeCells count="%d">%s</mergeCells>' % (
            len(merges), "".join('<mergeCell ref="%s"/>' % m for m in merges)))
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    out.append("</worksheet>")
    return "".join(out)


STYLES = XML_DECL + (
    '<styleSheet xmlns="%s">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '</styleSheet>' % NS_MAIN)


def write_workbook(path, sheets, strings, rels_targets=None, with_styles=True, compression=zipfile.ZIP_DEFLATED,
                   package_parts=True):
    """sheets: [(name, worksheet xml)]; rels_targets: optional Target per sheet;
    package_parts=False leaves out [Content_Types].xml and _rels/.rels, which
    Excel needs and the reader does not."""
    names = ["xl/worksheets/sheet%d.xml" % (i + 1) for i in range(len(sheets))]
    targets = rels_targets or ["worksheets/sheet%d.xml" % (i + 1) for i in range(len(sheets))]
    content_types = XML_DECL + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join('<Override PartName="/%s" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % n
                  for n in names)
        + ('<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
           if with_styles else "")
        + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
           if strings.items else "")
        + "</Types>")
    root_rels = XML_DECL + (
        '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>' % (NS_PKG_REL, NS_REL))
    workbook = XML_DECL + (
        '<workbook xmlns="%s" xmlns:r="%s"><bookViews><workbookView/></bookViews><sheets>%s</sheets></workbook>'
        % (NS_MAIN, NS_REL, "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(name, {'"': "&quot;"}), i + 1, i + 1)
                                    for i, (name, _) in enumerate(sheets))))
    rels = ['<Relationship Id="rId%d" Type="%s" Target="%s"/>' % (i + 1, REL_WORKSHEET, t)
            for i, t in enumerate(targets)]
    next_id = len(sheets) + 1
    if with_styles:
        rels.append('<Relationship Id="rId%d" Type="%s" Target="styles.xml"/>' % (next_id, REL_STYLES))
        next_id += 1
    if strings.items:
        rels.append('<Relationship Id="rId%d" Type="%s" Target="sharedStrings.xml"/>' % (next_id, REL_SHARED))
    workbook_rels = XML_DECL + '<Relationships xmlns="%s">%s</Relationships>' % (NS_PKG_REL, "".join(rels))

    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels)] if package_parts else []
    parts += [("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbook_rels)]
    parts += [(n, xml) for n, (_, xml) in zip(names, sheets)]
    if with_styles:
        parts.append(("xl/styles.xml", STYLES))
    if strings.items:
        parts.append(("xl/sharedStrings.xml", strings.xml()))
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = compression
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, text.encode("utf-8"))


def text_rows(lines):
    """{row: {1: ('s', text)}} for the non-empty lines (row numbers 1-based)."""
    return {i + 1: {1: ("s", line)} for i, line in enumerate(lines) if line}


def wgi_2023(values):
    strings = SharedStrings()
    intro = text_rows([
        "Worldwide Governance Indicators",
        "",
        "This workbook holds the six aggregate governance indicators, one sheet each.",
        "Each indicator sheet lists, for every economy and year, the estimate, its standard error,",
        "the number of data sources, the percentile rank and the bounds of its 90% confidence interval.",
        "",
        "TEST EXCERPT: nine economies, 2021-2023; the values are invented.",
    ])
    sheets = [("Introduction", sheet_xml(intro, strings, 1))]
    width = 2 + 6 * len(YEARS)
    for sheet_name, code, title in INDICATORS:
        rows = text_rows([
            "Worldwide Governance Indicators",
            title,
            "",
            "Estimate: the indicator in units of a standard normal distribution, roughly -2.5 to 2.5",
            "StdErr: standard error of the estimate",
            "NumSrc: number of data sources behind the estimate",
            "Rank: percentile rank among all economies (0 lowest, 100 highest)",
            "Lower: lower bound of the 90% confidence interval of the rank",
            "Upper: upper bound of the 90% confidence interval of the rank",
            "",
            "#N/A: no data for that economy and year",
            "",
            "TEST EXCERPT: nine economies, 2021-2023; the values are invented.",
        ])
        styles = {}
        # Row 14: the year over each block of six columns, in its first column
        # (the block is merged across the six); A14:B14 are formatted blanks.
        year_row = {1: None, 2: None}
        for b, year in enumerate(YEARS):
            year_row[3 + 6 * b] = ("n", str(year))
            styles[(14, 3 + 6 * b)] = 1
        rows[14] = year_row
        header = {1: ("s", "Country/Territory"), 2: ("s", "Code")}
        for b in range(len(YEARS)):
            for k, label in enumerate(["Estimate", "StdErr", "NumSrc", "Rank", "Lower", "Upper"]):
                header[3 + 6 * b + k] = ("s", label)
        rows[15] = header
        for e, (name, economy) in enumerate(ECONOMIES):
            row = {1: ("s", name), 2: ("s", economy)}
            for b, year in enumerate(YEARS):
                block = values[(code, economy, year)]
                for k in range(6):
                    row[3 + 6 * b + k] = ("s", "#N/A") if block is None else ("n", block[k])
                    if block is not None and k != 2:
                        styles[(16 + e, 3 + 6 * b + k)] = 2
            rows[16 + e] = row
        merges = ["%s14:%s14" % (column_name(3 + 6 * b), column_name(8 + 6 * b)) for b in range(len(YEARS))]
        sheets.append((sheet_name, sheet_xml(rows, strings, width, merges, styles)))
    write_workbook(os.path.join(HERE, "wgi_workbook_2023_excerpt.xlsx"), sheets, strings)


def wgi_2024(values):
    strings = SharedStrings()
    columns = ["codeindyr", "code", "countryname", "year", "indicator", "estimate", "stddev",
               "nsource", "pctrank", "pctranklower", "pctrankupper"]
    rows = {1: {c + 1: ("s", name) for c, name in enumerate(columns)}}
    records = []
    for name, economy in ECONOMIES:
        for _, code, _ in INDICATORS:
            for year in YEARS:
                records.append(("%s%s%d" % (economy, code, year), economy, name, year, code))
    records.sort()  # the release sorts by codeindyr
    for i, (key, economy, name, year, code) in enumerate(records):
        block = values[(code, economy, year)]
        row = {1: ("s", key), 2: ("s", economy), 3: ("s", name), 4: ("n", str(year)), 5: ("s", code)}
        for k in range(6):
            row[6 + k] = ("s", "..") if block is None else ("n", block[k])
        rows[2 + i] = row
    write_workbook(os.path.join(HERE, "wgi_workbook_2024_excerpt.xlsx"),
                   [("wgidataset", sheet_xml(rows, strings, len(columns)))], strings)


def cells_workbook(path, compression=zipfile.ZIP_DEFLATED, package_parts=True):
    """Every cell kind, written by hand; the second sheet is addressed by an
    absolute relationship target."""
    strings = SharedStrings()
    plain = strings.add("plain")  # index 0
    rich = strings.add(None, '<r><rPr><b/></rPr><t>Rich</t></r><r><t xml:space="preserve"> text</t></r>'
                             '<rPh sb="0" eb="1"><t>PHONETIC</t></rPh>')  # index 1
    escaped = strings.add("line one_x000D_\nline two")  # index 2
    sheet1 = XML_DECL + (
        '<worksheet xmlns="%s" xmlns:r="%s"><sheetData>'
        # Row 1: inline string, booleans, an error, a formula's cached text, a number in E notation.
        '<row r="1">'
        '<c r="A1" t="inlineStr"><is><t>inline</t></is></c>'
        '<c r="B1" t="b"><v>1</v></c>'
        '<c r="C1" t="b"><v>0</v></c>'
        '<c r="D1" t="e"><v>#N/A</v></c>'
        '<c r="E1" t="str"><f>A1&amp;"!"</f><v>inline!</v></c>'
        '<c r="F1"><v>1.2E-3</v></c>'
        '<c r="G1" s="1"/>'  # a formatted blank: not a value
        '</row>'
        # Row 2: only a formula without a cached result: no values, no record.
        '<row r="2"><c r="A2"><f>1/0</f></c></row>'
        # Row 3: shared strings with a gap in columns (B, C and E are absent).
        '<row r="3"><c r="A3" t="s"><v>%d</v></c><c r="D3" t="s"><v>%d</v></c>'
        '<c r="F3" t="s"><v>%d</v></c></row>'
        # Row 4: neither the row nor its cells carry r attributes.
        '<row><c><v>10</v></c><c t="s"><v>%d</v></c><c t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>'
        # Row 7 after a gap in rows; a cell past column Z.
        '<row r="7"><c r="AB7"><v>0.123456789</v></c></row>'
        '</sheetData></worksheet>' % (NS_MAIN, NS_REL, plain, rich, escaped, plain))
    sheet2 = XML_DECL + (
        '<worksheet xmlns="%s"><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>absolute</t></is></c></row>'
        '</sheetData></worksheet>' % NS_MAIN)
    write_workbook(path, [("Cells", sheet1), ("Absolute", sheet2)], strings,
                   rels_targets=["worksheets/sheet1.xml", "/xl/worksheets/sheet2.xml"], with_styles=False,
                   compression=compression, package_parts=package_parts)
    return sheet1, strings.xml()


def main():
    values = make_values()
    wgi_2023(values)
    wgi_2024(values)
    cells_workbook(os.path.join(HERE, "xlsx_cells.xlsx"))
    # Fuzz seeds: the same workbook deflated and stored (mutations of stored
    # parts reach the XML parsing; of deflated ones mostly the zip layer).
    # They must fit scripts/fuzz.sh's -max_len (4096 bytes).
    os.makedirs(CORPUS, exist_ok=True)
    cells_workbook(os.path.join(CORPUS, "xlsx_cells.xlsx"))
    sheet, shared = cells_workbook(os.path.join(CORPUS, "xlsx_cells_stored.xlsx"), zipfile.ZIP_STORED,
                                   package_parts=False)
    # The fuzz target also wraps each input as one XML part in a valid zip.
    for name, text in [("xlsx_cells_sheet1.xml", sheet), ("xlsx_cells_sharedStrings.xml", shared)]:
        with open(os.path.join(CORPUS, name), "w", encoding="utf-8", newline="") as target:
            target.write(text)
    for name in ["xlsx_cells.xlsx", "xlsx_cells_stored.xlsx"]:
        size = os.path.getsize(os.path.join(CORPUS, name))
        assert size <= 4096, (name, size)
    # A WGI workbook small enough to seed fuzz_attributes, so mutations reach
    # the mapping of sheets to indicators as well as the container.
    attributes_corpus = os.path.join(HERE, "..", "..", "fuzz", "corpus", "attributes")
    strings = SharedStrings()
    columns = ["code", "countryname", "year", "indicator", "estimate"]
    rows = {1: {c + 1: ("s", name) for c, name in enumerate(columns)},
            2: {1: ("s", "ROM"), 2: ("s", "Romania"), 3: ("n", "2023"), 4: ("s", "va"), 5: ("n", "0.61")},
            3: {1: ("s", "KSV"), 2: ("s", "Kosovo"), 3: ("n", "2023"), 4: ("s", "pv"), 5: ("s", "..")}}
    seed = os.path.join(attributes_corpus, "wgi_workbook_long_sheet.xlsx")
    write_workbook(seed, [("wgidataset", sheet_xml(rows, strings, len(columns)))], strings,
                   compression=zipfile.ZIP_STORED, package_parts=False)
    assert os.path.getsize(seed) <= 4096, os.path.getsize(seed)


if __name__ == "__main__":
    main()
