// How the permutation statistics of a regression are computed.
//
// A NullModel holds what every permutation needs (set up once, read-only); it
// makes one NullEvaluator per thread (its buffers). For a block of
// permutations an evaluator writes one row per permutation:
//   column 0        the intercept's statistic (y null only, else NaN)
//   columns 1..K    each explanatory matrix's statistic under the null
//   column K + 1    R-squared of the Y-permuted refit (UCINET's R^2 test)
// NaN marks a permutation whose statistic is undefined (its permuted model
// is rank-deficient).
//
// Two implementations:
//  * the listwise refit (reference; any missing cells): fits every permuted
//    model from scratch by scaled QR;
//  * projections (no missing cells): Frisch-Waugh-Lovell algebra reduces each
//    permutation to one gather and p + 1 dot products per input matrix, in a
//    fused kernel. Derivations in docs/performance.md.
#pragma once

#include <Eigen/Core>
#include <memory>
#include <span>
#include <variant>
#include <vector>

#include "qap/core/dyads.hpp"
#include "qap/core/labelled_matrix.hpp"
#include "qap/core/ols.hpp"
#include "qap/core/regression.hpp"

namespace qap::detail {

// The observed model over the selected dyads.
struct RegressionProblem {
  const DyadIndex* dyads = nullptr;
  const LabelledMatrix* dependent = nullptr;
  const std::vector<LabelledMatrix>* explanatory = nullptr;
  // The values every fit reads: the inputs' own, or copies scaled by a power
  // of two when an input's range would overflow or underflow a sum of
  // squares (power_of_two_scale.hpp). Statistics are then in the scaled
  // units; RunQapRegression maps b and its standard error back.
  const DyadMatrix* dependent_values = nullptr;
  std::vector<const DyadMatrix*> explanatory_values;
  Eigen::VectorXd y;                   // every selected dyad (NaN where missing)
  Eigen::MatrixXd x;                   // every selected dyad x K
  std::vector<Eigen::Index> complete;  // dyads of the observed fit
  NullHypothesis null_hypothesis = NullHypothesis::kPermuteY;
  TestStatistic statistic = TestStatistic::kT;
  std::vector<std::string> names;  // for messages
};

class NullEvaluator {
 public:
  virtual ~NullEvaluator() = default;
  // out: block.size() x (K + 2).
  virtual void Evaluate(std::span<const Permutation> block, Eigen::Ref<Eigen::MatrixXd> out) = 0;
  // Adds, per statistic column (K + 2), how many statistics this evaluator
  // took from the listwise refit because its own arithmetic would have lost
  // their digits (the projection kernel's fallback; 0 for the refit itself).
  virtual void AddRefitFallbacks(std::vector<std::size_t>& counts) const { (void)counts; }
};

class NullModel {
 public:
  virtual ~NullModel() = default;
  [[nodiscard]] virtual std::unique_ptr<NullEvaluator> MakeEvaluator() const = 0;
};

std::unique_ptr<NullModel> MakeListwiseRefitModel(const RegressionProblem& problem);

// The observed fit and, when it has no rank problem, the projection model.
// Requires every selected dyad to be observed in Y and every X; reads
// dependent_values / explanatory_values, not problem.y / problem.x (which may
// be left empty).
struct ProjectionSetUp {
  std::variant<OlsFit, RankProblem> observed;
  std::unique_ptr<NullModel> model;  // empty on a rank problem
};
ProjectionSetUp MakeProjectionModel(const RegressionProblem& problem);

// "TPR (file.csv) is constant over ..." style message for a RankProblem.
std::string DescribeRankProblem(const RankProblem& problem, const std::vector<std::string>& names,
                                const std::string& dependent, Eigen::Index dyads);

}  // namespace qap::detail
