// Reading Comtrade-style files into flow matrices.
#include "qap/trade/trade_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "qap/core/errors.hpp"
#include "qap/render/report.hpp"
#include "qap/trade/dependence.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

const CountryTable& Countries() {
  static const CountryTable table = CountryTable::Load(testing::SourcePath("tests/data/reference"));
  return table;
}

std::string InputErrorOf(const std::string& text, TradeReadOptions options = {}) {
  try {
    ParseTradeRecords(text, "t.csv", Countries(), options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CountryTable, ResolvesCodesNamesAndAliasesToOneIso3) {
  EXPECT_EQ(Countries().Resolve("AAA"), "AAA");
  EXPECT_EQ(Countries().Resolve("901"), "AAA");
  EXPECT_EQ(Countries().Resolve("Alpha, Rep."), "AAA");
  EXPECT_EQ(Countries().Resolve("  rep.  of ALPHA "), "AAA");
  EXPECT_EQ(Countries().Resolve("Delta, Federal Rep."), "DDD");
  EXPECT_FALSE(Countries().Resolve("Atlantis").has_value());
  EXPECT_EQ(Countries().Aggregate("Areas, nes"), "area_nes");
  EXPECT_EQ(Countries().Aggregate("0"), "world");
}

TEST(TradeData, ComtradeLayoutDropsAggregatesAndReExportsWithAReport) {
  const TradeData data =
      ReadTradeRecords(testing::SourcePath("tests/data/trade_comtrade.csv"), Countries(), {});
  EXPECT_EQ(data.report.layout, "comtrade");
  EXPECT_EQ(data.report.dropped_aggregates.at("World"), 1U);
  EXPECT_EQ(data.report.dropped_aggregates.at("Areas, nes"), 1U);
  EXPECT_EQ(data.report.re_exports_and_imports, 1U);
  EXPECT_EQ(data.records.size(), 11U);
}

// With exporter reports only, the file holds the flows of docs/study-method.md
// §1.5, so the dependence must be the printed worked example.
TEST(TradeData, ExporterReportedFlowsReproduceTheWorkedExample) {
  const TradeData data =
      ReadTradeRecords(testing::SourcePath("tests/data/trade_comtrade.csv"), Countries(), {});
  FlowMatrixReport report;
  const LabelledMatrix flows =
      BuildFlowMatrix(data, "850511", 2023, Reconciliation::kExporterOnly, &report);
  EXPECT_EQ(flows.labels, (std::vector<std::string>{"AAA", "BBB", "CCC", "DDD"}));
  EXPECT_DOUBLE_EQ(flows.values(0, 1), 60.0);
  EXPECT_EQ(report.exporter_reported, 8U);
  const DependenceResult r = ComputeTradeDependence(flows, {});
  EXPECT_NEAR(r.total_dependence.values(3, 0), 4.1895, 5e-5);
  EXPECT_NEAR(r.total_dependence.values(0, 1), 0.1907, 5e-5);
}

TEST(TradeData, ImporterReportsComeFirstAndMirrorsFillGaps) {
  const TradeData data =
      ReadTradeRecords(testing::SourcePath("tests/data/trade_comtrade.csv"), Countries(), {});
  FlowMatrixReport report;
  const LabelledMatrix flows =
      BuildFlowMatrix(data, "850511", 2023, Reconciliation::kImporterFirst, &report);
  EXPECT_DOUBLE_EQ(flows.values(0, 1), 66.0);  // Beta's import report
  EXPECT_DOUBLE_EQ(flows.values(0, 2), 30.0);  // Alpha's export report fills Gamma's gap
  EXPECT_EQ(report.importer_reported, 1U);
  EXPECT_EQ(report.mirror_filled, 7U);
  EXPECT_THROW(BuildFlowMatrix(data, "284610", 2023, Reconciliation::kImporterFirst), DataError);
  EXPECT_DOUBLE_EQ(
      BuildFlowMatrix(data, "850511", 2022, Reconciliation::kImporterFirst).values(0, 1), 7.0);
}

TEST(TradeData, LegacyAndLongLayouts) {
  const TradeData legacy =
      ReadTradeRecords(testing::SourcePath("tests/data/trade_legacy.csv"), Countries(), {});
  EXPECT_EQ(legacy.report.layout, "comtrade-legacy");
  EXPECT_EQ(legacy.records.size(), 2U);
  EXPECT_EQ(legacy.report.dropped_aggregates.at("World"), 1U);
  EXPECT_DOUBLE_EQ(
      BuildFlowMatrix(legacy, "850511", 2023, Reconciliation::kImporterFirst).values(0, 1), 66.0);
  const TradeData long_form =
      ReadTradeRecords(testing::SourcePath("tests/data/trade_long.csv"), Countries(), {});
  EXPECT_EQ(long_form.report.layout, "long");
  const LabelledMatrix flows =
      BuildFlowMatrix(long_form, "850511", 2023, Reconciliation::kImporterFirst);
  EXPECT_EQ(flows.labels, (std::vector<std::string>{"AAA", "BBB", "CCC"}));
  EXPECT_DOUBLE_EQ(flows.values(2, 0), 50.0);
}

TEST(TradeData, BadRecordsNameFileLineAndColumn) {
  const std::string header = "exporter,importer,hs,year,value\n";
  EXPECT_NE(InputErrorOf(header + "AAA,BBB,850511,2023,-5\n")
                .find("t.csv:2:21: field 5: trade value -5 is negative"),
            std::string::npos);
  EXPECT_NE(InputErrorOf(header + "AAA,BBB,850511,2023,abc\n").find("is not a number"),
            std::string::npos);
  EXPECT_NE(
      InputErrorOf(header + "AAA,BBB,85051,2023,5\n").find("neither a six-digit HS code nor TOTAL"),
      std::string::npos);
  EXPECT_NE(InputErrorOf(header + "AAA,BBB,850511,20x3,5\n").find("is not a year"),
            std::string::npos);
  EXPECT_NE(InputErrorOf(header + "AAA,Atlantis,850511,2023,5\n")
                .find("t.csv:2:5: field 2: unknown economy \"Atlantis\""),
            std::string::npos);
  EXPECT_NE(InputErrorOf("a,b,c\n1,2,3\n").find("not a trade file this engine reads"),
            std::string::npos);
  TradeReadOptions drop;
  drop.drop_unknown_economies = true;
  const TradeData dropped = ParseTradeRecords(
      header + "AAA,Atlantis,850511,2023,5\nAAA,BBB,850511,2023,1\n", "t.csv", Countries(), drop);
  EXPECT_EQ(dropped.report.dropped_unknown.at("Atlantis"), 1U);
  EXPECT_EQ(dropped.records.size(), 1U);
  const TradeData duplicated = ParseTradeRecords(
      header + "AAA,BBB,850511,2023,5\nAAA,BBB,850511,2023,6\n", "t.csv", Countries(), {});
  try {
    BuildFlowMatrix(duplicated, "850511", 2023, Reconciliation::kImporterFirst);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.csv:3:1: duplicate flow record: AAA exports to BBB, HS "
                                         "850511, 2023 (also on line 2)"),
              std::string::npos)
        << e.what();
  }
}

// The Comtrade excerpts under tests/data/publishers/ name real economies, so
// they resolve through the shipped country table.
const CountryTable& RealCountries() {
  static const CountryTable table = CountryTable::Load(testing::SourcePath("fixtures/reference"));
  return table;
}

TradeData ReadPublisherFile(const std::string& name, TradeReadOptions options = {}) {
  return ReadTradeRecords(testing::SourcePath("tests/data/publishers/" + name), RealCountries(),
                          options);
}

std::string DataErrorOf(const TradeData& data, const std::string& commodity, int year) {
  try {
    BuildFlowMatrix(data, commodity, year, Reconciliation::kImporterFirst);
  } catch (const DataError& e) {
    return e.what();
  }
  return "no error";
}

double Cell(const LabelledMatrix& m, const std::string& from, const std::string& to) {
  const auto at = [&](const std::string& label) {
    const auto it = std::find(m.labels.begin(), m.labels.end(), label);
    EXPECT_NE(it, m.labels.end()) << label;
    return static_cast<Eigen::Index>(it - m.labels.begin());
  };
  return m.values(at(from), at(to));
}

// API output saved without descriptions: ISO and name columns empty, only
// the numeric Comtrade codes (842 USA, 251 France, 490 "Other Asia, nes").
TEST(ComtradePlus, CodesOnlyApiOutputResolvesNumericCodesAndLeavesSubFlowsOut) {
  const TradeData data = ReadPublisherFile("comtrade_plus_api_codes_only_850511_2023.csv");
  EXPECT_EQ(data.report.layout, "comtrade");
  EXPECT_EQ(data.report.encoding, "UTF-8");
  EXPECT_EQ(data.records.size(), 10U);
  EXPECT_EQ(data.report.flows_left_out,
            (std::map<std::string, std::size_t>{
                {"DX", 1}, {"FM", 1}, {"MIP", 1}, {"RX", 1}, {"XOP", 1}}));
  EXPECT_EQ(data.report.re_exports_and_imports, 1U);
  EXPECT_EQ(data.report.self_trade, 1U);  // China "imports" from China
  EXPECT_EQ(data.report.dropped_aggregates.at("899"), 1U);
  EXPECT_EQ(data.report.dropped_aggregates.at("0"), 2U);
  EXPECT_DOUBLE_EQ(data.world_totals.at({"CHN", TradeFlow::kExport, "850511", 2023}), 2950117320.0);
  EXPECT_DOUBLE_EQ(data.world_totals.at({"USA", TradeFlow::kImport, "850511", 2023}), 512338611.0);
  FlowMatrixReport report;
  const LabelledMatrix flows =
      BuildFlowMatrix(data, "850511", 2023, Reconciliation::kImporterFirst, &report);
  EXPECT_EQ(flows.labels,
            (std::vector<std::string>{"CHE", "CHN", "FRA", "IND", "NOR", "TWN", "USA"}));
  EXPECT_DOUBLE_EQ(Cell(flows, "CHN", "USA"),
                   201445210.0);  // the US import report, not China's 187,604,933
  EXPECT_DOUBLE_EQ(Cell(flows, "TWN", "USA"), 18220905.0);  // partner 490, Other Asia nes
  EXPECT_DOUBLE_EQ(Cell(flows, "CHN", "IND"), 96512880.0);  // China's mirror fills India's gap
  EXPECT_DOUBLE_EQ(Cell(flows, "FRA", "CHE"), 0.0);         // outward processing only: left out
  EXPECT_DOUBLE_EQ(Cell(flows, "USA", "CHN"), 9870112.0);   // X, not DX
  EXPECT_EQ(report.importer_reported, 5U);
  EXPECT_EQ(report.mirror_filled, 3U);
}

TEST(ComtradePlus, AnEconomyResolvingByNoColumnNamesThemAll) {
  const std::string header =
      "reporterCode,reporterISO,reporterDesc,flowCode,partnerCode,partnerISO,partnerDesc,"
      "cmdCode,refYear,primaryValue\n";
  const auto error = [&](const std::string& row, TradeReadOptions options = {}) {
    try {
      ParseTradeRecords(header + row, "t.csv", RealCountries(), options);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(
      error("156,,,X,999,,,850511,2023,5\n").find("t.csv:2:9: field 5: unknown economy \"999\":"),
      std::string::npos)
      << error("156,,,X,999,,,850511,2023,5\n");
  EXPECT_NE(error("156,,,X,999,ATL,Atlantis,850511,2023,5\n")
                .find("unknown economy \"Atlantis\" (partnerISO \"ATL\", partnerCode \"999\")"),
            std::string::npos);
  const std::string empty = error("156,,,X,,,,850511,2023,5\n");
  EXPECT_NE(empty.find("no economy: partnerISO, partnerCode and partnerDesc are all empty"),
            std::string::npos)
      << empty;
  EXPECT_EQ(empty.find("unknown economy \"\""), std::string::npos);
  TradeReadOptions drop;
  drop.drop_unknown_economies = true;
  const TradeData dropped =
      ParseTradeRecords(header +
                            "156,,,X,,,,850511,2023,5\n156,,,X,999,ATL,Atlantis,850511,2023,5\n"
                            "156,,,X,842,,,850511,2023,7\n",
                        "t.csv", RealCountries(), drop);
  EXPECT_EQ(dropped.report.dropped_unknown,
            (std::map<std::string, std::size_t>{{"(empty)", 1}, {"Atlantis (ATL, 999)", 1}}));
  ASSERT_EQ(dropped.records.size(), 1U);
  EXPECT_EQ(dropped.records[0].partner, "USA");
}

// The web download: PascalCase headers, every field quoted, a trailing comma
// on each line, CRLF, Windows-1252; HS 252310 broken down by mode of transport
// and by second partner.
TEST(ComtradePlus, WebDownloadTakesTotalRowsOverBreakdownsAndSumsOnlyWithoutThem) {
  const TradeData data = ReadPublisherFile("comtrade_plus_web_252310_2015_windows1252.csv");
  EXPECT_EQ(data.report.layout, "comtrade");
  EXPECT_EQ(data.report.encoding, "Windows-1252");
  // The World total is the total row, not the last mode-of-transport row (3,770,195).
  EXPECT_DOUBLE_EQ(data.world_totals.at({"AZE", TradeFlow::kImport, "252310", 2015}), 4784443.0);
  EXPECT_DOUBLE_EQ(data.world_totals.at({"CIV", TradeFlow::kImport, "252310", 2015}), 96020771.0);
  EXPECT_EQ(data.world_totals.size(), 3U);
  EXPECT_EQ(data.records.size(), 7U);
  EXPECT_EQ(data.report.breakdown_rows_left_out,
            7U);  // 3 World, 1 Russia, 1 Kazakhstan, 2 by partner2 and mode
  EXPECT_EQ(data.report.breakdown_rows_summed,
            4U);  // Iran's two modes, Türkiye's two consignment countries
  EXPECT_EQ(data.report.totals_from_breakdowns, 2U);
  EXPECT_EQ(data.report.dropped_aggregates.at("World"), 6U);
  FlowMatrixReport report;
  const LabelledMatrix flows =
      BuildFlowMatrix(data, "252310", 2015, Reconciliation::kImporterFirst, &report);
  EXPECT_EQ(flows.labels,
            (std::vector<std::string>{"AZE", "CIV", "GEO", "IRN", "KAZ", "RUS", "TUR"}));
  EXPECT_DOUBLE_EQ(Cell(flows, "RUS", "AZE"), 2912330.0);
  EXPECT_DOUBLE_EQ(Cell(flows, "IRN", "AZE"), 1014248.0);  // sea + road, no total row
  EXPECT_DOUBLE_EQ(Cell(flows, "TUR", "AZE"),
                   505750.0);  // by consignment country, not also by mode
  EXPECT_DOUBLE_EQ(Cell(flows, "TUR", "GEO"), 1702116.0);
  EXPECT_DOUBLE_EQ(Cell(flows, "TUR", "CIV"), 18455090.0);
  EXPECT_EQ(report.importer_reported, 5U);
  EXPECT_EQ(report.mirror_filled, 1U);  // Türkiye's exports to Azerbaijan
}

TEST(ComtradePlus, BreakdownRowsOfOneKeyAreNotDuplicatesButRepeatedOnesAre) {
  const std::string header =
      "reporterISO,flowCode,partnerISO,cmdCode,refYear,customsCode,motCode,partner2Code,"
      "primaryValue\n";
  // The total row comes last here: it still wins over the breakdown rows.
  const TradeData data = ParseTradeRecords(header +
                                               "AAA,X,BBB,850511,2023,C00,2100,0,40\n"
                                               "AAA,X,BBB,850511,2023,C00,1000,0,20\n"
                                               "AAA,X,BBB,850511,2023,C00,0,0,61\n"
                                               "AAA,X,W00,850511,2023,C01,0,0,70\n"
                                               "AAA,X,W00,850511,2023,C02,0,0,30\n",
                                           "t.csv", Countries(), {});
  ASSERT_EQ(data.records.size(), 1U);
  EXPECT_DOUBLE_EQ(data.records[0].value, 61.0);
  EXPECT_EQ(data.records[0].line, 4U);
  EXPECT_DOUBLE_EQ(data.world_totals.at({"AAA", TradeFlow::kExport, "850511", 2023}), 100.0);
  EXPECT_EQ(data.report.breakdown_rows_left_out, 2U);
  EXPECT_EQ(data.report.breakdown_rows_summed, 2U);
  EXPECT_DOUBLE_EQ(
      BuildFlowMatrix(data, "850511", 2023, Reconciliation::kExporterOnly).values(0, 1), 61.0);
  EXPECT_NE(
      InputErrorOf(header +
                   "AAA,X,BBB,850511,2023,C00,2100,0,40\nAAA,X,BBB,850511,2023,C00,2100,0,41\n")
          .find("t.csv:3:1: duplicate breakdown row: AAA exports to BBB, HS 850511, 2023, motCode "
                "2100 (also on "
                "line 2)"),
      std::string::npos);
  EXPECT_NE(InputErrorOf(header + "AAA,M,W00,850511,2023,C00,0,0,40\nAAA,M,W00,850511,2023,,,,41\n")
                .find("t.csv:3:1: duplicate World total: AAA imports from World, HS 850511, 2023 "
                      "(also on line 2)"),
            std::string::npos);
}

TEST(ComtradeLegacy, MixedLevelsKeepSixDigitRowsAndCountTheRest) {
  const TradeData data = ReadPublisherFile("comtrade_legacy_mixed_levels_h5_2019.csv");
  EXPECT_EQ(data.report.layout, "comtrade-legacy");
  EXPECT_EQ(data.report.levels_left_out,
            (std::map<std::string, std::size_t>{{"HS2", 2}, {"HS4", 4}}));
  EXPECT_EQ(data.report.flows_left_out, (std::map<std::string, std::size_t>{{"RX", 1}}));
  EXPECT_EQ(data.records.size(), 5U);
  EXPECT_DOUBLE_EQ(data.world_totals.at({"JPN", TradeFlow::kExport, "850511", 2019}), 402118566.0);
  const LabelledMatrix flows =
      BuildFlowMatrix(data, "850511", 2019, Reconciliation::kImporterFirst);
  EXPECT_EQ(flows.labels, (std::vector<std::string>{"CHN", "JPN", "KOR", "VNM"}));
  EXPECT_DOUBLE_EQ(Cell(flows, "JPN", "KOR"), 51004219.0);
  EXPECT_DOUBLE_EQ(Cell(flows, "JPN", "CHN"), 141233908.0);
  EXPECT_DOUBLE_EQ(
      BuildFlowMatrix(data, "TOTAL", 2019, Reconciliation::kImporterFirst).values(1, 0),
      134695218000.0);
  EXPECT_NE(DataErrorOf(data, "8505", 2019)
                .find("no records for commodity 8505 in 2019: 2 rows are at HS4 level"),
            std::string::npos)
      << DataErrorOf(data, "8505", 2019);
  EXPECT_NE(DataErrorOf(data, "850610", 2019)
                .find("the file holds it only at a coarser level: 8506 (HS4, 2 rows left out)"),
            std::string::npos)
      << DataErrorOf(data, "850610", 2019);
  EXPECT_NE(DataErrorOf(data, "850511", 2020).find("the file holds it only in other years: 2019"),
            std::string::npos);
  EXPECT_NE(DataErrorOf(data, "999999", 2019)
                .find("the file holds commodity codes 85, 8505, 850511, 8506, TOTAL"),
            std::string::npos)
      << DataErrorOf(data, "999999", 2019);
}

TEST(TradeData, NoRecordsSaysWhy) {
  const std::string header = "reporterISO,flowCode,partnerISO,cmdCode,refYear,primaryValue\n";
  const TradeData data = ParseTradeRecords(header +
                                               "AAA,X,W00,850511,2023,100\n"
                                               "AAA,X,899,280530,2023,5\n"
                                               "AAA,RX,BBB,280530,2023,5\n"
                                               "AAA,X,BBB,284610,2023,5\n",
                                           "t.csv", Countries(), {});
  EXPECT_NE(DataErrorOf(data, "850511", 2023).find("only World totals: 1 row has partner World"),
            std::string::npos);
  const std::string both = DataErrorOf(data, "280530", 2023);
  EXPECT_NE(both.find("1 row was dropped because the reporter or partner is an aggregate"),
            std::string::npos)
      << both;
  EXPECT_NE(both.find("1 row is a re-export, re-import or other sub-flow, left out"),
            std::string::npos)
      << both;
  EXPECT_EQ(data.report.by_commodity_year.at({"280530", 2023}).rows, 2U);
}

TEST(TradeData, SubFlowsAreCountedAndOnlyUnknownFlowsRefused) {
  const std::string header = "reporterISO,flowCode,partnerISO,cmdCode,refYear,primaryValue\n";
  std::string rows;
  for (const char* flow :
       {"X", "M", "DX", "FM", "RX", "RM", "XOP", "MOP", "XIP", "MIP", "MIF", "XIF", "-1", "x"}) {
    rows += "AAA," + std::string(flow) + ",BBB,850511,2023,1\n";
  }
  const TradeData data = ParseTradeRecords(header + rows, "t.csv", Countries(), {});
  EXPECT_EQ(data.records.size(),
            3U);  // X, M and "x", which repeats X: a duplicate for BuildFlowMatrix
  EXPECT_EQ(data.report.flows_left_out.size(), 11U);
  EXPECT_EQ(data.report.re_exports_and_imports, 2U);
  const std::string legacy =
      "Reporter ISO,Trade Flow,Partner ISO,Commodity Code,Year,Trade Value (US$)\n";
  const TradeData old =
      ParseTradeRecords(legacy +
                            "AAA,Export,BBB,850511,2023,1\nAAA,Re-Export,BBB,850511,2023,1\n"
                            "AAA,Re-Import,BBB,850511,2023,1\nAAA,Import,BBB,850511,2023,1\n",
                        "t.csv", Countries(), {});
  EXPECT_EQ(old.records.size(), 2U);
  EXPECT_EQ(old.report.flows_left_out, (std::map<std::string, std::size_t>{{"RM", 1}, {"RX", 1}}));
  EXPECT_NE(InputErrorOf(header + "AAA,Z,BBB,850511,2023,1\n")
                .find("t.csv:2:5: field 2: unknown trade flow \"Z\""),
            std::string::npos);
}

TEST(TradeData, SitcIsRefusedAndHsVintagesAccepted) {
  const std::string header =
      "reporterISO,flowCode,partnerISO,classificationCode,cmdCode,refYear,primaryValue\n";
  EXPECT_NE(InputErrorOf(header + "AAA,X,BBB,S3,67410,2023,1\n")
                .find("t.csv:2:11: field 4: classification \"S3\" is SITC"),
            std::string::npos);
  EXPECT_NE(InputErrorOf(header + "AAA,X,BBB,SITC Rev. 4,6741,2023,1\n").find("is SITC"),
            std::string::npos);
  EXPECT_NE(
      InputErrorOf(header + "AAA,X,BBB,B5,850511,2023,1\n").find("is not the Harmonized System"),
      std::string::npos);
  for (const char* hs : {"H0", "H4", "H6", "HS", "h5"}) {
    EXPECT_EQ(
        ParseTradeRecords(header + "AAA,X,BBB," + hs + ",850511,2023,1\n", "t.csv", Countries(), {})
            .records.size(),
        1U)
        << hs;
  }
  EXPECT_NE(InputErrorOf(header + "AAA,X,BBB,H5,85051,2023,1\n")
                .find("a leading zero lost in a spreadsheet?"),
            std::string::npos);
  // A long file has one level: a four-digit code there is still an error.
  EXPECT_NE(InputErrorOf("exporter,importer,hs,year,value\nAAA,BBB,8505,2023,5\n")
                .find("neither a six-digit HS code"),
            std::string::npos);
}

TEST(TradeData, ExtraFieldsAreRefusedExceptOneTrailingEmptyField) {
  const std::string header = "exporter,importer,hs,year,value\n";
  EXPECT_NE(InputErrorOf(header + "AAA,BBB,850511,2023,5,x\n")
                .find("t.csv:2:23: field 6: row has 6 fields, the header has 5: the first extra "
                      "field is \"x\""),
            std::string::npos)
      << InputErrorOf(header + "AAA,BBB,850511,2023,5,x\n");
  EXPECT_NE(InputErrorOf(header + "AAA,BBB,850511,2023,5,,\n").find("row has 7 fields"),
            std::string::npos);
  EXPECT_NE(InputErrorOf(header + "AAA,BBB,850511,2023,5,\"\"\n").find("row has 6 fields"),
            std::string::npos);
  EXPECT_EQ(ParseTradeRecords(header + "AAA,BBB,850511,2023,5,\n", "t.csv", Countries(), {})
                .records.size(),
            1U);
  // A header with the trailing comma too: rows must have it as well.
  const std::string trailing = "exporter,importer,hs,year,value,\n";
  EXPECT_EQ(ParseTradeRecords(trailing + "AAA,BBB,850511,2023,5,\n", "t.csv", Countries(), {})
                .records.size(),
            1U);
  EXPECT_NE(InputErrorOf(trailing + "AAA,BBB,850511,2023,5,,\n")
                .find("row has 7 fields, the header has 6"),
            std::string::npos);
  EXPECT_NE(InputErrorOf(trailing + "AAA,BBB,850511,2023,5\n")
                .find("row has 5 fields, expected 6 as in the header"),
            std::string::npos);
}

TEST(TradeData, Windows1252NamesAreDecodedBeforeTheyAreResolved) {
  const std::string text =
      "reporterCode,reporterISO,reporterDesc,flowCode,partnerCode,partnerISO,partnerDesc,cmdCode,"
      "refYear,primaryValue\n"
      ",,C\xF4te d'Ivoire,M,,,T\xFCrkiye,252310,2015,18455090\n";
  const TradeData data = ParseTradeRecords(text, "t.csv", RealCountries(), {});
  EXPECT_EQ(data.report.encoding, "Windows-1252");
  ASSERT_EQ(data.records.size(), 1U);
  EXPECT_EQ(data.records[0].reporter, "CIV");
  EXPECT_EQ(data.records[0].partner, "TUR");
}

// The dependence report (report.json) carries what the reader left out.
TEST(ComtradePlus, TheDependenceReportListsWhatTheReaderLeftOut) {
  const TradeData data = ReadPublisherFile("comtrade_plus_web_252310_2015_windows1252.csv");
  const LabelledMatrix flows =
      BuildFlowMatrix(data, "252310", 2015, Reconciliation::kImporterFirst);
  const auto json = nlohmann::json::parse(
      RenderDependenceReportJson(ComputeTradeDependence(flows, {}), &data.report));
  const auto& trade = json.at("trade_file");
  EXPECT_EQ(trade.at("encoding"), "Windows-1252");
  EXPECT_EQ(trade.at("breakdown_rows_left_out"), 7);
  EXPECT_EQ(trade.at("breakdown_rows_summed"), 4);
  EXPECT_EQ(trade.at("totals_from_breakdowns"), 2);
  const TradeData api = ReadPublisherFile("comtrade_plus_api_codes_only_850511_2023.csv");
  const auto api_json = nlohmann::json::parse(RenderDependenceReportJson(
      ComputeTradeDependence(BuildFlowMatrix(api, "850511", 2023, Reconciliation::kImporterFirst),
                             {}),
      &api.report));
  EXPECT_EQ(api_json.at("trade_file").at("flows_left_out").at("DX"), 1);
  EXPECT_EQ(api_json.at("trade_file").at("self_trade_rows_left_out"), 1);
  const TradeData legacy = ReadPublisherFile("comtrade_legacy_mixed_levels_h5_2019.csv");
  const auto legacy_json = nlohmann::json::parse(RenderDependenceReportJson(
      ComputeTradeDependence(
          BuildFlowMatrix(legacy, "850511", 2019, Reconciliation::kImporterFirst), {}),
      &legacy.report));
  EXPECT_EQ(legacy_json.at("trade_file").at("classification_levels_left_out").at("HS4"), 4);
}

}  // namespace
}  // namespace qap
