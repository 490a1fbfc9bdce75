// Network metrics of Table 1 (docs/study-method.md §2): degree, strength and
// relative betweenness of every node of a weighted directed network, and ranks.
//
// Arc a -> b exists when w_ab > tau. Degrees and betweenness use the binary
// graph; strengths sum the weights of existing arcs. Betweenness follows
// Brandes (2001, J. Math. Sociol. 25:163-177): all shortest paths by hop count,
// O(N * arcs). Directed: sum over ordered pairs / ((N-1)(N-2)). Undirected
// (Freeman 1979, the paper's printed form): on the graph with edge {a,b} when
// either arc exists, 2 * sum over unordered pairs / ((N-1)(N-2)). Ranks are
// descending with competition ties (1-2-2-4); values equal to 12 significant
// digits tie.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "qap/core/enum_names.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/labelled_matrix.hpp"
#include "qap/trade/dependence.hpp"

namespace qap {

// Which dependence network (docs/study-method.md §2.1).
enum class NetworkKind {
  kTotal,   // w = DT
  kExport,  // w = E
  kImport,  // w = I
  kNet,     // w_ab = max(DT_ab - DT_ba, 0)
};
inline constexpr EnumName<NetworkKind> kNetworkKindNames[] = {
    {NetworkKind::kTotal, "total", "w = DT"},
    {NetworkKind::kExport, "export", "w = E"},
    {NetworkKind::kImport, "import", "w = I"},
    {NetworkKind::kNet, "net", "w_ab = max(DT_ab - DT_ba, 0)"},
};
constexpr std::span<const EnumName<NetworkKind>> EnumTable(NetworkKind) {
  return kNetworkKindNames;
}

struct NetworkOptions {
  NetworkKind kind = NetworkKind::kTotal;
  double threshold = 0.0;              // tau, or a quantile in [0, 1) when threshold_is_quantile
  bool threshold_is_quantile = false;  // tau = that quantile of the positive weights
  // Empty when valid; otherwise the error, naming "threshold" or "threshold_quantile".
  [[nodiscard]] std::optional<OptionsError> Validate() const;
};

struct NetworkMetrics {
  std::vector<std::string> labels;
  double threshold = 0.0;  // tau actually used
  std::size_t arcs = 0;
  std::size_t undefined_weights = 0;  // NA weights, treated as no arc
  Eigen::VectorXd in_degree, out_degree, in_strength, out_strength;
  Eigen::VectorXd betweenness_directed, betweenness_undirected;
};

// Metrics of the network with weights w (NaN = undefined, no arc).
NetworkMetrics ComputeNetworkMetrics(const LabelledMatrix& weights, double threshold);

// The weight matrix of a kind, then its metrics (threshold rule applied).
LabelledMatrix NetworkWeights(const DependenceResult& dependence, NetworkKind kind);
NetworkMetrics ComputeNetworkMetrics(const DependenceResult& dependence,
                                     const NetworkOptions& options);

// Descending competition ranks (1 = highest; ties share the lowest rank).
std::vector<int> CompetitionRanks(const Eigen::VectorXd& values);

// Quantile (type 7, linear interpolation) of the positive, defined weights.
double PositiveWeightQuantile(const LabelledMatrix& weights, double probability);

}  // namespace qap
