#include "qap/core/alignment.hpp"

#include <unordered_map>
#include <unordered_set>

#include "qap/core/errors.hpp"

namespace qap {

namespace {

std::string Describe(const LabelledMatrix& matrix) {
  return matrix.source.empty() ? matrix.name : matrix.source;
}

}  // namespace

AlignmentReport AlignMatrices(std::vector<LabelledMatrix*> matrices, AlignMode mode) {
  AlignmentReport report;
  if (matrices.empty()) return report;

  std::vector<std::unordered_map<std::string, Eigen::Index>> index_of(matrices.size());
  for (std::size_t m = 0; m < matrices.size(); ++m) {
    const auto& labels = matrices[m]->labels;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      index_of[m].emplace(labels[i], static_cast<Eigen::Index>(i));
    }
  }

  // Candidate order: the first matrix's labels, then labels only later files have.
  std::vector<std::string> universe = matrices.front()->labels;
  std::unordered_set<std::string> in_universe(universe.begin(), universe.end());
  for (std::size_t m = 1; m < matrices.size(); ++m) {
    for (const std::string& label : matrices[m]->labels) {
      if (in_universe.insert(label).second) universe.push_back(label);
    }
  }

  std::string problems;
  std::size_t problem_count = 0;
  for (const std::string& label : universe) {
    DroppedNode gap{label, {}};
    for (std::size_t m = 0; m < matrices.size(); ++m) {
      if (!index_of[m].contains(label)) gap.missing_from.push_back(Describe(*matrices[m]));
    }
    if (gap.missing_from.empty()) {
      report.node_order.push_back(label);
      continue;
    }
    if (++problem_count <= 20) {
      problems += "\n  \"" + label + "\" is missing from ";
      for (std::size_t k = 0; k < gap.missing_from.size(); ++k) {
        problems += (k > 0 ? ", " : "") + gap.missing_from[k];
      }
    }
    report.dropped.push_back(std::move(gap));
  }
  if (problem_count > 20) {
    problems += "\n  ... and " + std::to_string(problem_count - 20) + " more";
  }
  if (mode == AlignMode::kExact && problem_count > 0) {
    throw DataError("the matrices do not have the same node labels (" +
                    std::to_string(problem_count) + " differ):" + problems +
                    "\nFix the labels, or use --align intersect to keep the common nodes.");
  }
  if (report.node_order.size() < 2) {
    throw DataError("the matrices share " + std::to_string(report.node_order.size()) +
                    " node label(s); at least 2 are needed:" + problems);
  }

  const auto n = static_cast<Eigen::Index>(report.node_order.size());
  for (std::size_t m = 0; m < matrices.size(); ++m) {
    LabelledMatrix& matrix = *matrices[m];
    std::vector<Eigen::Index> from(static_cast<std::size_t>(n));
    bool identity = matrix.size() == n;
    for (Eigen::Index i = 0; i < n; ++i) {
      from[static_cast<std::size_t>(i)] =
          index_of[m].at(report.node_order[static_cast<std::size_t>(i)]);
      identity = identity && from[static_cast<std::size_t>(i)] == i;
    }
    if (identity) continue;
    DyadMatrix reordered(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < n; ++j) {
        reordered(i, j) =
            matrix.values(from[static_cast<std::size_t>(i)], from[static_cast<std::size_t>(j)]);
      }
    }
    matrix.values = std::move(reordered);
    matrix.labels = report.node_order;
  }
  return report;
}

}  // namespace qap
