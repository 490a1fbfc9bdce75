#!/usr/bin/env python3
"""Writes the UN Comtrade excerpts in this folder (comtrade_*.csv).

Three layouts UN Comtrade ships:

* Comtrade Plus API CSV (comtradeapicall / the /data/v1/get endpoint, saved
  with includeDesc=false): 47 camelCase columns, the ISO and description
  columns empty, economies only by their numeric Comtrade codes (M49 with
  Comtrade's own 251 France, 579 Norway, 699 India, 757 Switzerland,
  842 USA, 490 "Other Asia, nes").
* Comtrade Plus web download ("Download" on comtradeplus.un.org):
  the same columns in PascalCase (the site spells "Prtner2Code" and
  "AtlQty"), every field quoted, a comma after the last field of every line,
  CRLF, Windows-1252 text.
* Legacy Comtrade CSV (comtrade.un.org/api/get?...&fmt=csv, before 2023):
  35 columns from "Classification" to "Flag", mixed HS2/HS4/HS6 levels when
  the query asked for AG2/AG4/AG6 or ALL.

Codes (flows, customs procedures, modes of transport, classification
levels) follow Comtrade's reference tables; trade values, weights and the
flows themselves are invented, with realistic magnitudes. Run from anywhere:
python3 tests/data/publishers/make_comtrade.py
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

API_COLUMNS = (
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,flowDesc,"
    "partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,partner2Desc,classificationCode,"
    "classificationSearchCode,isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,"
    "mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,altQtyUnitAbbr,altQty,"
    "isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,"
    "legacyEstimationFlag,isReported,isAggregate"
).split(",")
assert len(API_COLUMNS) == 47

# The web download's header: PascalCase, with the site's own spellings.
WEB_COLUMNS = [c[0].upper() + c[1:] for c in API_COLUMNS]
WEB_COLUMNS[WEB_COLUMNS.index("Partner2Code")] = "Prtner2Code"
WEB_COLUMNS[WEB_COLUMNS.index("AltQty")] = "AtlQty"

FLOW_DESC = {
    "X": "Export", "M": "Import", "RX": "Re-export", "RM": "Re-import", "DX": "Domestic Export",
    "FM": "Foreign Import", "MIP": "Import of goods for inward processing",
    "XIP": "Export of goods after inward processing", "MOP": "Import of goods after outward processing",
    "XOP": "Export of goods for outward processing",
}
MOT_DESC = {"0": "TOTAL MOT", "2100": "Sea", "3100": "Rail", "3200": "Road"}


def api_row(year, reporter, flow, partner, cmd, value, *, partner2="0", customs="C00", mot="0",
            classification="H6", cmd_desc="", kg=None, descriptions=None):
    """One data row as a dict keyed by API column name.

    reporter/partner/partner2: (code, iso, desc); descriptions=False blanks
    every ISO and description column (the includeDesc=false output).
    """
    kg = kg if kg is not None else round(value / 38.5)
    row = dict.fromkeys(API_COLUMNS, "")
    row.update(
        typeCode="C", freqCode="A", refPeriodId=f"{year}0101", refYear=str(year), refMonth="52", period=str(year),
        reporterCode=reporter[0], reporterISO=reporter[1], reporterDesc=reporter[2], flowCode=flow,
        flowDesc=FLOW_DESC[flow], partnerCode=partner[0], partnerISO=partner[1], partnerDesc=partner[2],
        partner2Code=partner2[0], partner2ISO=partner2[1], partner2Desc=partner2[2],
        classificationCode=classification, classificationSearchCode="HS", isOriginalClassification="true",
        cmdCode=cmd, cmdDesc=cmd_desc, aggrLevel=str(len(cmd)) if cmd != "TOTAL" else "0",
        isLeaf="true" if len(cmd) == 6 else "false", customsCode=customs,
        customsDesc="TOTAL CPC" if customs == "C00" else "", mosCode="0", motCode=mot, motDesc=MOT_DESC[mot],
        qtyUnitCode="8", qtyUnitAbbr="kg", qty=str(kg), isQtyEstimated="false", altQtyUnitCode="-1",
        altQtyUnitAbbr="N/A", altQty="0", isAltQtyEstimated="false", netWgt=str(kg), isNetWgtEstimated="false",
        grossWgt="0", isGrossWgtEstimated="false",
        cifvalue=f"{value:.2f}" if flow in ("M", "FM", "MIP", "MOP", "RM") else "",
        fobvalue=f"{value:.2f}" if flow in ("X", "DX", "RX", "XIP", "XOP") else "",
        primaryValue=f"{value:.2f}" if value != int(value) else str(int(value)), legacyEstimationFlag="0",
        isReported="true", isAggregate="false")
    if descriptions is False:
        for column in ("reporterISO", "reporterDesc", "flowDesc", "partnerISO", "partnerDesc", "partner2ISO",
                       "partner2Desc", "cmdDesc", "customsDesc", "motDesc", "qtyUnitAbbr", "altQtyUnitAbbr"):
            row[column] = ""
    return row


def csv_field(text, quote_all):
    if quote_all or any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


# --- 1. Comtrade Plus API, codes only (includeDesc=false), HS 850511, 2023 ---
def api_codes_only():
    CHN, USA, FRA, IND = ("156", "", ""), ("842", "", ""), ("251", "", ""), ("699", "", "")
    CHE, NOR, TWN, WLD = ("757", "", ""), ("579", "", ""), ("490", "", ""), ("0", "", "")
    NES = ("899", "", "")
    W2 = ("0", "", "")
    rows = [
        (CHN, "X", USA, 187_604_933.0), (CHN, "X", FRA, 21_330_412.0), (CHN, "X", IND, 96_512_880.0),
        (CHN, "X", NES, 1_204_551.0), (CHN, "X", WLD, 2_950_117_320.0), (CHN, "M", CHN, 2_341_009.0),
        (USA, "M", CHN, 201_445_210.0), (USA, "M", TWN, 18_220_905.0), (USA, "X", CHN, 9_870_112.0),
        (USA, "DX", CHN, 8_912_004.0), (USA, "FM", CHN, 195_001_877.0), (USA, "M", WLD, 512_338_611.0),
        (FRA, "M", CHN, 22_904_118.0), (FRA, "XOP", CHE, 1_120_340.0), (FRA, "MIP", CHE, 760_220.0),
        (IND, "X", CHE, 3_410_775.0), (CHE, "RX", FRA, 412_300.0), (NOR, "M", FRA, 2_205_640.0),
        (NOR, "M", CHN, 5_980_213.0),
    ]
    lines = [",".join(API_COLUMNS)]
    for reporter, flow, partner, value in rows:
        row = api_row(2023, reporter, flow, partner, "850511", value, partner2=W2, descriptions=False)
        lines.append(",".join(csv_field(row[c], False) for c in API_COLUMNS))
    (HERE / "comtrade_plus_api_codes_only_850511_2023.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- 2. Comtrade Plus web download, HS 252310 (cement clinkers), 2015 ---
def web_download():
    AZE = ("31", "AZE", "Azerbaijan")
    RUS = ("643", "RUS", "Russian Federation")
    KAZ = ("398", "KAZ", "Kazakhstan")
    IRN = ("364", "IRN", "Iran")
    GEO = ("268", "GEO", "Georgia")
    TUR = ("792", "TUR", "Türkiye")
    CIV = ("384", "CIV", "Côte d'Ivoire")
    WLD = ("0", "W00", "World")
    desc = "Cement clinkers"
    # (reporter, flow, partner, value, partner2, customs, mot)
    rows = [
        # Azerbaijan's imports from the World: the total row first, then the
        # same flow by mode of transport (the last of which is what a reader
        # keeping the last row would report as the total).
        (AZE, "M", WLD, 4_784_443, WLD, "C00", "0"),
        (AZE, "M", WLD, 756_000, WLD, "C00", "2100"),
        (AZE, "M", WLD, 258_248, WLD, "C00", "3200"),
        (AZE, "M", WLD, 3_770_195, WLD, "C00", "3100"),
        # From Russia and Kazakhstan: total row and its one mode.
        (AZE, "M", RUS, 2_912_330, WLD, "C00", "0"),
        (AZE, "M", RUS, 2_912_330, WLD, "C00", "3100"),
        (AZE, "M", KAZ, 857_865, WLD, "C00", "0"),
        (AZE, "M", KAZ, 857_865, WLD, "C00", "3100"),
        # From Iran: no total row, only the modes (summed: 1,014,248).
        (AZE, "M", IRN, 756_000, WLD, "C00", "2100"),
        (AZE, "M", IRN, 258_248, WLD, "C00", "3200"),
        # Türkiye's exports to Azerbaijan: no total row; by second partner
        # (the country of consignment) and, finer, by second partner and
        # mode; the coarser breakdown is summed (505,750).
        (TUR, "X", AZE, 410_500, GEO, "C00", "0"),
        (TUR, "X", AZE, 95_250, IRN, "C00", "0"),
        (TUR, "X", AZE, 410_500, GEO, "C00", "3200"),
        (TUR, "X", AZE, 95_250, IRN, "C00", "3200"),
        (TUR, "X", GEO, 1_630_422, WLD, "C00", "0"),
        (TUR, "X", WLD, 39_873_310, WLD, "C00", "0"),
        (GEO, "M", TUR, 1_702_116, WLD, "C00", "0"),
        (CIV, "M", TUR, 18_455_090, WLD, "C00", "0"),
        (CIV, "M", WLD, 96_020_771, WLD, "C00", "0"),
    ]
    lines = [",".join(csv_field(c, True) for c in WEB_COLUMNS) + ","]
    for reporter, flow, partner, value, partner2, customs, mot in rows:
        row = api_row(2015, reporter, flow, partner, "252310", float(value), partner2=partner2, customs=customs,
                      mot=mot, classification="H4", cmd_desc=desc, kg=value * 21)
        lines.append(",".join(csv_field(row[c], True) for c in API_COLUMNS) + ",")
    (HERE / "comtrade_plus_web_252310_2015_windows1252.csv").write_bytes(
        ("\r\n".join(lines) + "\r\n").encode("cp1252"))


# --- 3. Legacy Comtrade CSV, mixed HS2/HS4/HS6 levels, H5, 2019 ---
LEGACY_COLUMNS = (
    "Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,Reporter Code,"
    "Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,2nd Partner Code,2nd Partner,2nd Partner ISO,"
    "Customs Proc. Code,Customs,Mode of Transport Code,Mode of Transport,Commodity Code,Commodity,Qty Unit Code,"
    "Qty Unit,Qty,Alt Qty Unit Code,Alt Qty Unit,Alt Qty,Netweight (kg),Gross weight (kg),Trade Value (US$),"
    "CIF Trade Value (US$),FOB Trade Value (US$),Flag"
).split(",")
assert len(LEGACY_COLUMNS) == 35

LEGACY_COMMODITIES = {
    "TOTAL": "All Commodities",
    "85": "Electrical machinery and equipment and parts thereof; sound recorders and reproducers, television image "
          "and sound recorders and reproducers, and parts and accessories of such articles",
    "8505": "Electro-magnets; permanent magnets and articles intended to become permanent magnets after "
            "magnetisation; electro-magnetic or permanent magnet chucks, clamps and similar holding devices",
    "850511": "Permanent magnets and articles intended to become permanent magnets after magnetisation; of metal",
    "8506": "Primary cells and primary batteries",
}
LEGACY_FLOWS = {"1": "Import", "2": "Export", "3": "Re-Export", "4": "Re-Import"}


def legacy_mixed_levels():
    JPN, CHN, KOR = ("392", "Japan", "JPN"), ("156", "China", "CHN"), ("410", "Rep. of Korea", "KOR")
    VNM, WLD = ("704", "Viet Nam", "VNM"), ("0", "World", "WLD")
    rows = [
        ("TOTAL", "2", JPN, CHN, 134_695_218_000),
        ("85", "2", JPN, CHN, 28_408_770_112),
        ("8505", "2", JPN, CHN, 312_500_871),
        ("850511", "2", JPN, CHN, 141_233_908),
        ("850511", "2", JPN, KOR, 48_702_115),
        ("850511", "2", JPN, WLD, 402_118_566),
        ("850511", "3", JPN, CHN, 1_208_334),
        ("85", "1", KOR, JPN, 9_722_015_440),
        ("8505", "1", KOR, JPN, 90_811_202),
        ("850511", "1", KOR, JPN, 51_004_219),
        ("850511", "2", VNM, JPN, 12_660_007),
        ("8506", "2", JPN, CHN, 210_774_001),
        ("8506", "1", KOR, JPN, 44_120_950),
    ]
    lines = [",".join(LEGACY_COLUMNS)]
    for cmd, flow, reporter, partner, value in rows:
        level = "0" if cmd == "TOTAL" else str(len(cmd))
        leaf = "1" if len(cmd) == 6 else "0"
        kg = "" if cmd == "TOTAL" else str(value // 29)
        unit = ("1", "No Quantity") if cmd == "TOTAL" else ("8", "Weight in kilograms")
        fields = ["H5", "2019", "2019", "2019", level, leaf, flow, LEGACY_FLOWS[flow], reporter[0], reporter[1],
                  reporter[2], partner[0], partner[1], partner[2], "", "", "", "", "", "", "", cmd,
                  LEGACY_COMMODITIES[cmd], unit[0], unit[1], kg if unit[0] == "8" else "", "", "", "", kg, "",
                  str(value), "", "", "0"]
        lines.append(",".join(csv_field(f, False) for f in fields))
    (HERE / "comtrade_legacy_mixed_levels_h5_2019.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    api_codes_only()
    web_download()
    legacy_mixed_levels()
