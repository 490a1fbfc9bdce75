#include "qap/trade/network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>

#include "qap/core/errors.hpp"

namespace qap {

namespace {

// Brandes' accumulation from every source; returns the sum over ordered pairs
// (s, t), s != t != v, of sigma_st(v) / sigma_st.
Eigen::VectorXd OrderedPairBetweenness(const std::vector<std::vector<Eigen::Index>>& successors) {
  const auto n = static_cast<Eigen::Index>(successors.size());
  Eigen::VectorXd betweenness = Eigen::VectorXd::Zero(n);
  std::vector<Eigen::Index> order;
  std::vector<std::vector<Eigen::Index>> predecessors(static_cast<std::size_t>(n));
  std::vector<double> paths(static_cast<std::size_t>(n));
  std::vector<Eigen::Index> distance(static_cast<std::size_t>(n));
  std::vector<double> dependency(static_cast<std::size_t>(n));
  std::deque<Eigen::Index> queue;
  for (Eigen::Index s = 0; s < n; ++s) {
    order.clear();
    for (auto& p : predecessors) p.clear();
    std::fill(paths.begin(), paths.end(), 0.0);
    std::fill(distance.begin(), distance.end(), -1);
    std::fill(dependency.begin(), dependency.end(), 0.0);
    paths[static_cast<std::size_t>(s)] = 1.0;
    distance[static_cast<std::size_t>(s)] = 0;
    queue.push_back(s);
    while (!queue.empty()) {
      const Eigen::Index v = queue.front();
      queue.pop_front();
      order.push_back(v);
      for (Eigen::Index w : successors[static_cast<std::size_t>(v)]) {
        const auto vi = static_cast<std::size_t>(v);
        const auto wi = static_cast<std::size_t>(w);
        if (distance[wi] < 0) {
          distance[wi] = distance[vi] + 1;
          queue.push_back(w);
        }
        if (distance[wi] == distance[vi] + 1) {
          paths[wi] += paths[vi];
          predecessors[wi].push_back(v);
        }
      }
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      const auto wi = static_cast<std::size_t>(*it);
      for (Eigen::Index v : predecessors[wi]) {
        const auto vi = static_cast<std::size_t>(v);
        dependency[vi] += paths[vi] / paths[wi] * (1.0 + dependency[wi]);
      }
      if (*it != s) betweenness[*it] += dependency[wi];
    }
  }
  return betweenness;
}

double RoundToSignificant(double value, int digits) {
  if (value == 0.0 || !std::isfinite(value)) return value;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, value);
  return std::strtod(buffer, nullptr);
}

}  // namespace

std::optional<OptionsError> NetworkOptions::Validate() const {
  if (threshold_is_quantile && !(threshold >= 0.0 && threshold < 1.0)) {
    return OptionsError("threshold_quantile", "must be in [0, 1)");
  }
  if (!threshold_is_quantile && !(threshold >= 0.0))
    return OptionsError("threshold", "must be 0 or positive");
  return std::nullopt;
}

NetworkMetrics ComputeNetworkMetrics(const LabelledMatrix& weights, double threshold) {
  const Eigen::Index n = weights.size();
  NetworkMetrics m;
  m.labels = weights.labels;
  m.threshold = threshold;
  m.in_degree = Eigen::VectorXd::Zero(n);
  m.out_degree = Eigen::VectorXd::Zero(n);
  m.in_strength = Eigen::VectorXd::Zero(n);
  m.out_strength = Eigen::VectorXd::Zero(n);
  std::vector<std::vector<Eigen::Index>> successors(static_cast<std::size_t>(n));
  std::vector<std::vector<Eigen::Index>> neighbours(static_cast<std::size_t>(n));
  for (Eigen::Index a = 0; a < n; ++a) {
    for (Eigen::Index b = 0; b < n; ++b) {
      if (a == b) continue;
      const double w = weights.values(a, b);
      if (!IsObserved(w)) {
        ++m.undefined_weights;
        continue;
      }
      if (!(w > threshold)) continue;
      ++m.arcs;
      m.out_degree[a] += 1.0;
      m.in_degree[b] += 1.0;
      m.out_strength[a] += w;
      m.in_strength[b] += w;
      successors[static_cast<std::size_t>(a)].push_back(b);
    }
  }
  for (Eigen::Index a = 0; a < n; ++a) {
    for (Eigen::Index b = 0; b < n; ++b) {
      if (a == b) continue;
      const auto& out = successors[static_cast<std::size_t>(a)];
      const auto& back = successors[static_cast<std::size_t>(b)];
      const bool linked = std::find(out.begin(), out.end(), b) != out.end() ||
                          std::find(back.begin(), back.end(), a) != back.end();
      if (linked) neighbours[static_cast<std::size_t>(a)].push_back(b);
    }
  }
  const double pairs = static_cast<double>((n - 1) * (n - 2));
  m.betweenness_directed = OrderedPairBetweenness(successors);
  m.betweenness_undirected = OrderedPairBetweenness(neighbours);
  if (pairs > 0.0) {
    m.betweenness_directed /= pairs;
    // Ordered pairs on the symmetric graph count each unordered pair twice:
    // exactly Freeman's 2 * sum_{s<t}.
    m.betweenness_undirected /= pairs;
  } else {
    m.betweenness_directed.setZero();
    m.betweenness_undirected.setZero();
  }
  return m;
}

LabelledMatrix NetworkWeights(const DependenceResult& dependence, NetworkKind kind) {
  switch (kind) {
    case NetworkKind::kExport:
      return dependence.export_dependence;
    case NetworkKind::kImport:
      return dependence.import_dependence;
    case NetworkKind::kTotal:
      return dependence.total_dependence;
    case NetworkKind::kNet: {
      LabelledMatrix net = dependence.total_dependence;
      net.name = "NET";
      const DyadMatrix& dt = dependence.total_dependence.values;
      for (Eigen::Index a = 0; a < dt.rows(); ++a) {
        for (Eigen::Index b = 0; b < dt.cols(); ++b) {
          if (a != b) net.values(a, b) = std::max(dt(a, b) - dt(b, a), 0.0);
          if (a != b && (!IsObserved(dt(a, b)) || !IsObserved(dt(b, a))))
            net.values(a, b) = std::nan("");
        }
      }
      return net;
    }
  }
  return dependence.total_dependence;
}

double PositiveWeightQuantile(const LabelledMatrix& weights, double probability) {
  std::vector<double> positive;
  for (Eigen::Index a = 0; a < weights.size(); ++a) {
    for (Eigen::Index b = 0; b < weights.size(); ++b) {
      const double w = weights.values(a, b);
      if (a != b && IsObserved(w) && w > 0.0) positive.push_back(w);
    }
  }
  if (positive.empty()) return 0.0;
  std::sort(positive.begin(), positive.end());
  const double position = probability * static_cast<double>(positive.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, positive.size() - 1);
  return positive[below] +
         (position - static_cast<double>(below)) * (positive[above] - positive[below]);
}

NetworkMetrics ComputeNetworkMetrics(const DependenceResult& dependence,
                                     const NetworkOptions& options) {
  if (const auto problem = options.Validate()) throw *problem;
  const LabelledMatrix weights = NetworkWeights(dependence, options.kind);
  const double threshold = options.threshold_is_quantile
                               ? PositiveWeightQuantile(weights, options.threshold)
                               : options.threshold;
  return ComputeNetworkMetrics(weights, threshold);
}

std::vector<int> CompetitionRanks(const Eigen::VectorXd& values) {
  const auto n = static_cast<std::size_t>(values.size());
  std::vector<double> rounded(n);
  for (std::size_t i = 0; i < n; ++i)
    rounded[i] = RoundToSignificant(values[static_cast<Eigen::Index>(i)], 12);
  std::vector<int> ranks(n);
  for (std::size_t i = 0; i < n; ++i) {
    int higher = 0;
    for (std::size_t j = 0; j < n; ++j) higher += rounded[j] > rounded[i] ? 1 : 0;
    ranks[i] = higher + 1;
  }
  return ranks;
}

}  // namespace qap
