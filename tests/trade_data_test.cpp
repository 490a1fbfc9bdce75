// Reading Comtrade-style files into flow matrices.
#include <gtest/gtest.h>

#include "qap/dependence.hpp"
#include "qap/errors.hpp"
#include "qap/trade_data.hpp"
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
  const TradeData data = ReadTradeRecords(testing::SourcePath("tests/data/trade_comtrade.csv"), Countries(), {});
  EXPECT_EQ(data.report.layout, "comtrade");
  EXPECT_EQ(data.report.dropped_aggregates.at("World"), 1U);
  EXPECT_EQ(data.report.dropped_aggregates.at("Areas, nes"), 1U);
  EXPECT_EQ(data.report.re_exports_and_imports, 1U);
  EXPECT_EQ(data.records.size(), 11U);
}

// With exporter reports only, the file holds the flows of paper-method.md
// §1.5, so the dependence must be the printed worked example.
TEST(TradeData, ExporterReportedFlowsReproduceTheWorkedExample) {
  const TradeData data = ReadTradeRecords(testing::SourcePath("tests/data/trade_comtrade.csv"), Countries(), {});
  FlowMatrixReport report;
  const LabelledMatrix flows = BuildFlowMatrix(data, "850511", 2023, Reconciliation::kExporterOnly, &report);
  EXPECT_EQ(flows.labels, (std::vector<std::string>{"AAA", "BBB", "CCC", "DDD"}));
  EXPECT_DOUBLE_EQ(flows.values(0, 1), 60.0);
  EXPECT_EQ(report.exporter_reported, 8U);
  const DependenceResult r = ComputeTradeDependence(flows, {});
  EXPECT_NEAR(r.total_dependence.values(3, 0), 4.1895, 5e-5);
  EXPECT_NEAR(r.total_dependence.values(0, 1), 0.1907, 5e-5);
}

TEST(TradeData, ImporterReportsComeFirstAndMirrorsFillGaps) {
  const TradeData data = ReadTradeRecords(testing::SourcePath("tests/data/trade_comtrade.csv"), Countries(), {});
  FlowMatrixReport report;
  const LabelledMatrix flows = BuildFlowMatrix(data, "850511", 2023, Reconciliation::kImporterFirst, &report);
  EXPECT_DOUBLE_EQ(flows.values(0, 1), 66.0);  // Beta's import report
  EXPECT_DOUBLE_EQ(flows.values(0, 2), 30.0);  // Alpha's export report fills Gamma's gap
  EXPECT_EQ(report.importer_reported, 1U);
  EXPECT_EQ(report.mirror_filled, 7U);
  EXPECT_THROW(BuildFlowMatrix(data, "284610", 2023, Reconciliation::kImporterFirst), DataError);
  EXPECT_DOUBLE_EQ(BuildFlowMatrix(data, "850511", 2022, Reconciliation::kImporterFirst).values(0, 1), 7.0);
}

TEST(TradeData, LegacyAndLongLayouts) {
  const TradeData legacy = ReadTradeRecords(testing::SourcePath("tests/data/trade_legacy.csv"), Countries(), {});
  EXPECT_EQ(legacy.report.layout, "comtrade-legacy");
  EXPECT_EQ(legacy.records.size(), 2U);
  EXPECT_EQ(legacy.report.dropped_aggregates.at("World"), 1U);
  EXPECT_DOUBLE_EQ(BuildFlowMatrix(legacy, "850511", 2023, Reconciliation::kImporterFirst).values(0, 1), 66.0);
  const TradeData long_form = ReadTradeRecords(testing::SourcePath("tests/data/trade_long.csv"), Countries(), {});
  EXPECT_EQ(long_form.report.layout, "long");
  const LabelledMatrix flows = BuildFlowMatrix(long_form, "850511", 2023, Reconciliation::kImporterFirst);
  EXPECT_EQ(flows.labels, (std::vector<std::string>{"AAA", "BBB", "CCC"}));
  EXPECT_DOUBLE_EQ(flows.values(2, 0), 50.0);
}

TEST(TradeData, BadRecordsNameFileLineAndColumn) {
  const std::string header = "exporter,importer,hs,year,value\n";
  EXPECT_NE(InputErrorOf(header + "AAA,BBB,850511,2023,-5\n").find("t.csv:2:21: field 5: trade value -5 is negative"),
            std::string::npos);
  EXPECT_NE(InputErrorOf(header + "AAA,BBB,850511,2023,abc\n").find("is not a number"), std::string::npos);
  EXPECT_NE(InputErrorOf(header + "AAA,BBB,85051,2023,5\n").find("neither a six-digit HS code nor TOTAL"),
            std::string::npos);
  EXPECT_NE(InputErrorOf(header + "AAA,BBB,850511,20x3,5\n").find("is not a year"), std::string::npos);
  EXPECT_NE(InputErrorOf(header + "AAA,Atlantis,850511,2023,5\n").find("t.csv:2:5: field 2: unknown economy \"Atlantis\""),
            std::string::npos);
  EXPECT_NE(InputErrorOf("a,b,c\n1,2,3\n").find("not a trade file this engine reads"), std::string::npos);
  TradeReadOptions drop;
  drop.drop_unknown_economies = true;
  const TradeData dropped = ParseTradeRecords(header + "AAA,Atlantis,850511,2023,5\nAAA,BBB,850511,2023,1\n", "t.csv",
                                              Countries(), drop);
  EXPECT_EQ(dropped.report.dropped_unknown.at("Atlantis"), 1U);
  EXPECT_EQ(dropped.records.size(), 1U);
  const TradeData duplicated =
      ParseTradeRecords(header + "AAA,BBB,850511,2023,5\nAAA,BBB,850511,2023,6\n", "t.csv", Countries(), {});
  try {
    BuildFlowMatrix(duplicated, "850511", 2023, Reconciliation::kImporterFirst);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.csv:3:1: duplicate flow record: AAA exports to BBB, HS 850511, 2023 (also on line 2)"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace qap
