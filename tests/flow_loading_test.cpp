// Loading a product's flows from a ready matrix or from a trade file
// (qap/trade/flow_loading.hpp), and refusing what cannot be loaded.
#include "qap/trade/flow_loading.hpp"

#include <gtest/gtest.h>

#include "qap/core/errors.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using testing::SourcePath;
using testing::ThrowsWithMessage;

TEST(FlowLoading, ReadsAFlowMatrixAndReportsNoTradeFile) {
  FlowLoadOptions options;
  options.flows_file = SourcePath("tests/data/worked_example_flows.csv");
  const LoadedFlows loaded = LoadFlows(options);
  EXPECT_EQ(loaded.matrix.labels, (std::vector<std::string>{"A", "B", "C", "D"}));
  EXPECT_DOUBLE_EQ(loaded.matrix.values(0, 1), 60.0);
  EXPECT_FALSE(loaded.trade);
  EXPECT_FALSE(loaded.reconciliation);
}

TEST(FlowLoading, AnEdgeListGivesTheSameDependenceAsTheMatrix) {
  FlowLoadOptions matrix;
  matrix.flows_file = SourcePath("tests/data/worked_example_flows.csv");
  FlowLoadOptions edges;
  edges.flows_file = SourcePath("tests/data/worked_example_flows_long.csv");
  edges.read.format = InputFormat::kEdgeList;
  const DependenceResult a = ComputeDependenceFromFlows(matrix, {});
  LoadedFlows loaded;
  const DependenceResult b = ComputeDependenceFromFlows(edges, {}, &loaded);
  EXPECT_EQ(loaded.matrix.labels, a.labels);
  // The diagonal is NaN, so cells are compared off it.
  EXPECT_EQ(b.labels, a.labels);
  EXPECT_DOUBLE_EQ(b.total_dependence.values(0, 1), a.total_dependence.values(0, 1));
  EXPECT_DOUBLE_EQ(b.total_dependence.values(2, 0), a.total_dependence.values(2, 0));
}

TEST(FlowLoading, ReconcilesATradeFileAndKeepsItsReports) {
  FlowLoadOptions options;
  options.trade_file = SourcePath("tests/data/trade_long.csv");
  options.commodity = "850511";
  options.year = 2023;
  options.reference_dir = SourcePath("tests/data/reference");
  const LoadedFlows loaded = LoadFlows(options);
  EXPECT_EQ(loaded.matrix.labels, (std::vector<std::string>{"AAA", "BBB", "CCC"}));
  EXPECT_DOUBLE_EQ(loaded.matrix.values(2, 0), 50.0);
  ASSERT_TRUE(loaded.trade);
  EXPECT_EQ(loaded.trade->layout, "long");
  ASSERT_TRUE(loaded.reconciliation);
  EXPECT_EQ(loaded.reconciliation->reconciliation, Reconciliation::kImporterFirst);
}

TEST(FlowLoading, RefusesIncompleteOptionsBeforeReadingAnything) {
  EXPECT_TRUE(ThrowsWithMessage<OptionsError>([] { LoadFlows({}); },
                                              "a flow matrix or a trade file is required"));
  FlowLoadOptions both;
  both.flows_file = "flows.csv";
  both.trade_file = "trade.csv";
  EXPECT_TRUE(ThrowsWithMessage<OptionsError>([&] { LoadFlows(both); }, "not both"));
  FlowLoadOptions no_year;
  no_year.trade_file = "trade.csv";
  no_year.commodity = "850511";
  no_year.reference_dir = "reference";
  EXPECT_TRUE(ThrowsWithMessage<OptionsError>([&] { LoadFlows(no_year); },
                                              "needs a commodity code and a year"));
  FlowLoadOptions no_reference = no_year;
  no_reference.year = 2023;
  no_reference.reference_dir.clear();
  EXPECT_TRUE(ThrowsWithMessage<OptionsError>([&] { LoadFlows(no_reference); },
                                              "needs the reference folder"));
}

TEST(FlowLoading, AMissingFlowFileIsAnInputError) {
  FlowLoadOptions options;
  options.flows_file = SourcePath("tests/data/no_such_flows.csv");
  EXPECT_THROW(LoadFlows(options), InputError);
}

}  // namespace
}  // namespace qap
