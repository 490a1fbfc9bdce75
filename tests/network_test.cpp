// Network metrics: hand-checked cases and networkx golden values
// (tests/golden/networkx/make_golden.py made them).
#include "qap/trade/network.hpp"

#include <gtest/gtest.h>

#include <map>

#include "qap/io/csv_tokenizer.hpp"
#include "qap/trade/dependence.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using testing::MatrixFromText;
using testing::RelativelyNear;

TEST(NetworkMetrics, PathAndStarBetweennessByHand) {
  // A -> B -> C: B lies on the one path A..C. Directed: 1 / ((3-1)(3-2)) = 1/2;
  // undirected (Freeman): 2 * 1 / 2 = 1, the maximum (docs/study-method.md §2.2).
  const NetworkMetrics path =
      ComputeNetworkMetrics(MatrixFromText(",A,B,C\nA,0,1,0\nB,0,0,1\nC,0,0,0\n"), 0.0);
  EXPECT_DOUBLE_EQ(path.betweenness_directed[1], 0.5);
  EXPECT_DOUBLE_EQ(path.betweenness_undirected[1], 1.0);
  EXPECT_DOUBLE_EQ(path.betweenness_directed[0], 0.0);
  const NetworkMetrics star = ComputeNetworkMetrics(
      MatrixFromText(
          ",C,L1,L2,L3,L4\nC,0,1,1,1,1\nL1,1,0,0,0,0\nL2,1,0,0,0,0\nL3,1,0,0,0,0\nL4,1,0,0,0,0\n"),
      0.0);
  EXPECT_DOUBLE_EQ(star.betweenness_undirected[0], 1.0);
  EXPECT_DOUBLE_EQ(star.betweenness_directed[0], 1.0);
  EXPECT_DOUBLE_EQ(star.in_degree[0], 4.0);
}

TEST(NetworkMetrics, CompetitionRanksShareTheLowestRank) {
  Eigen::VectorXd values(5);
  values << 3, 5, 3, 1, 5;
  EXPECT_EQ(CompetitionRanks(values), (std::vector<int>{3, 1, 3, 5, 1}));
}

// §8.2: with tau = 0 the total-dependence network has in-degree = out-degree.
TEST(NetworkMetrics, TotalDependenceNetworkHasEqualInAndOutDegree) {
  const LabelledMatrix flows =
      MatrixFromText(",A,B,C,D\nA,0,60,30,10\nB,20,0,0,0\nC,50,10,0,0\nD,0,5,5,0\n");
  const NetworkMetrics m =
      ComputeNetworkMetrics(ComputeTradeDependence(flows, {}), NetworkOptions{});
  EXPECT_EQ(m.in_degree, m.out_degree);
  // The export network's support is the trade network itself.
  NetworkOptions exports;
  exports.kind = NetworkKind::kExport;
  const NetworkMetrics e = ComputeNetworkMetrics(ComputeTradeDependence(flows, {}), exports);
  EXPECT_DOUBLE_EQ(e.out_degree[0], 3.0);  // A exports to B, C, D
  EXPECT_DOUBLE_EQ(e.in_degree[0], 2.0);   // A is sold to by B and C
}

TEST(NetworkMetrics, RanksDoNotDependOnTheNormalisation) {
  const LabelledMatrix w = MatrixFromText(",A,B,C,D\nA,0,1,0,0\nB,0,0,1,1\nC,1,0,0,0\nD,0,0,1,0\n");
  const NetworkMetrics m = ComputeNetworkMetrics(w, 0.0);
  EXPECT_EQ(CompetitionRanks(m.betweenness_directed),
            CompetitionRanks(m.betweenness_directed * 6.0));
}

TEST(NetworkMetrics, QuantileThresholdIsType7OverPositiveWeights) {
  const LabelledMatrix w = MatrixFromText(",A,B,C\nA,0,1,2\nB,3,0,0\nC,4,0,0\n");
  EXPECT_DOUBLE_EQ(PositiveWeightQuantile(w, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(PositiveWeightQuantile(w, 0.0), 1.0);
}

TEST(NetworkMetrics, AgreeWithNetworkx) {
  const std::string path = testing::SourcePath("tests/golden/networkx/metrics.csv");
  const auto records = detail::TokenizeCsv(detail::ReadWholeFile(path), ',', path);
  ASSERT_GT(records.size(), 1U);
  std::map<std::string, std::size_t> column;
  for (std::size_t c = 0; c < records[0].fields.size(); ++c) column[records[0].fields[c].text] = c;
  std::map<std::pair<std::string, std::string>, NetworkMetrics> computed;
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<int>>> ranks;
  std::size_t checked = 0;
  for (std::size_t r = 1; r < records.size(); ++r) {
    auto field = [&](const char* name) { return records[r].fields.at(column.at(name)).text; };
    const std::string name = field("case");
    const std::string tau = field("threshold");
    const auto key = std::pair{name, tau};
    if (!computed.contains(key)) {
      const LabelledMatrix w =
          ReadLabelledMatrix(testing::SourcePath("tests/golden/networkx/" + name + ".csv"), {});
      computed[key] = ComputeNetworkMetrics(w, std::stod(tau));
      const NetworkMetrics& m = computed[key];
      ranks[key] = {{"in_degree", CompetitionRanks(m.in_degree)},
                    {"out_degree", CompetitionRanks(m.out_degree)},
                    {"in_strength", CompetitionRanks(m.in_strength)},
                    {"out_strength", CompetitionRanks(m.out_strength)},
                    {"betweenness_directed", CompetitionRanks(m.betweenness_directed)},
                    {"betweenness_undirected", CompetitionRanks(m.betweenness_undirected)}};
    }
    const NetworkMetrics& m = computed[key];
    const auto node = std::find(m.labels.begin(), m.labels.end(), field("node"));
    ASSERT_NE(node, m.labels.end()) << field("node");
    const auto i = static_cast<Eigen::Index>(node - m.labels.begin());
    SCOPED_TRACE(name + " tau=" + tau + " node " + field("node"));
    const std::map<std::string, const Eigen::VectorXd*> values = {
        {"in_degree", &m.in_degree},
        {"out_degree", &m.out_degree},
        {"in_strength", &m.in_strength},
        {"out_strength", &m.out_strength},
        {"betweenness_directed", &m.betweenness_directed},
        {"betweenness_undirected", &m.betweenness_undirected}};
    for (const auto& [metric, vector] : values) {
      EXPECT_TRUE(RelativelyNear((*vector)[i], std::stod(field(metric.c_str())), 1e-12, 1e-15))
          << metric;
      EXPECT_EQ(ranks[key][metric][static_cast<std::size_t>(i)],
                std::stoi(field(("rank_" + metric).c_str())))
          << metric;
    }
    ++checked;
  }
  EXPECT_GT(checked, 50U);
}

}  // namespace
}  // namespace qap
