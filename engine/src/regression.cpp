#include "qap/regression.hpp"

#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <variant>

#include "permutation_driver.hpp"
#include "qap/errors.hpp"
#include "qap/ols.hpp"
#include "qap/permutation.hpp"

namespace qap {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The straightforward refit: for each permutation, gather the permuted matrix
// into its slot, drop incomplete dyads, and solve the least-squares problem
// from scratch. It is the reference every faster path is checked against.
class ListwiseRefit {
 public:
  ListwiseRefit(Eigen::VectorXd response, Eigen::MatrixXd predictors)
      : response_(std::move(response)), predictors_(std::move(predictors)) {}

  [[nodiscard]] const Eigen::VectorXd& response() const { return response_; }
  [[nodiscard]] const Eigen::MatrixXd& predictors() const { return predictors_; }
  Eigen::VectorXd& response() { return response_; }
  Eigen::MatrixXd& predictors() { return predictors_; }

  // Rows where the response and every predictor are observed.
  [[nodiscard]] std::vector<Eigen::Index> CompleteRows() const {
    std::vector<Eigen::Index> rows;
    rows.reserve(static_cast<std::size_t>(response_.size()));
    for (Eigen::Index d = 0; d < response_.size(); ++d) {
      bool complete = IsObserved(response_[d]);
      for (Eigen::Index c = 0; complete && c < predictors_.cols(); ++c) {
        complete = IsObserved(predictors_(d, c));
      }
      if (complete) rows.push_back(d);
    }
    return rows;
  }

  std::variant<OlsFit, RankProblem> Fit() {
    const std::vector<Eigen::Index> rows = CompleteRows();
    const auto n = static_cast<Eigen::Index>(rows.size());
    compact_x_.resize(n, predictors_.cols());
    compact_y_.resize(n);
    for (Eigen::Index r = 0; r < n; ++r) {
      const Eigen::Index d = rows[static_cast<std::size_t>(r)];
      compact_y_[r] = response_[d];
      compact_x_.row(r) = predictors_.row(d);
    }
    return FitOls(compact_x_, compact_y_);
  }

 private:
  Eigen::VectorXd response_;
  Eigen::MatrixXd predictors_;
  Eigen::MatrixXd compact_x_;
  Eigen::VectorXd compact_y_;
};

Eigen::MatrixXd WithoutColumn(const Eigen::MatrixXd& m, Eigen::Index column) {
  Eigen::MatrixXd out(m.rows(), m.cols() - 1);
  for (Eigen::Index c = 0, o = 0; c < m.cols(); ++c) {
    if (c != column) out.col(o++) = m.col(c);
  }
  return out;
}

std::string DescribeRankProblem(const RankProblem& problem, const std::vector<std::string>& names,
                                const std::string& dependent, Eigen::Index dyads) {
  auto list = [&] {
    std::string out;
    for (std::size_t i = 0; i < problem.predictors.size(); ++i) {
      out += (i > 0 ? ", " : "") + names[static_cast<std::size_t>(problem.predictors[i])];
    }
    return out;
  };
  const std::string over = " over the " + std::to_string(dyads) + " dyads used";
  switch (problem.kind) {
    case RankProblem::Kind::kTooFewObservations:
      return "too few dyads: " + std::to_string(dyads) + " complete dyads for " +
             std::to_string(names.size() + 1) + " coefficients";
    case RankProblem::Kind::kConstantResponse:
      return "the dependent matrix " + dependent + " is constant" + over;
    case RankProblem::Kind::kConstantPredictor:
      return "the explanatory matrix " + list() + (problem.predictors.size() > 1 ? " are" : " is") +
             " constant" + over + " (it cannot be told apart from the intercept)";
    case RankProblem::Kind::kCollinear:
      return "the design is rank-deficient: " + list() +
             " is a linear combination of the other explanatory matrices and the intercept" + over +
             " (remove one of them)";
  }
  return "the design cannot be fitted";
}

double Statistic(const OlsFit& fit, Eigen::Index coefficient, TestStatistic statistic) {
  return statistic == TestStatistic::kT ? fit.t_values[coefficient] : fit.coefficients[coefficient];
}

}  // namespace

std::string RegressionOptions::Validate() const {
  if (null_hypothesis == NullHypothesis::kClassical) return {};
  return permutation.Validate();
}

std::string ToString(NullHypothesis null_hypothesis) {
  switch (null_hypothesis) {
    case NullHypothesis::kDoubleSemiPartialling: return "dsp";
    case NullHypothesis::kPermuteY: return "y";
    case NullHypothesis::kPermuteX: return "x";
    case NullHypothesis::kFreedmanLane: return "freedman-lane";
    case NullHypothesis::kClassical: return "classical";
  }
  return "?";
}

std::string ToString(TestStatistic statistic) {
  return statistic == TestStatistic::kT ? "t" : "beta";
}

std::string ToString(DyadMode mode) {
  return mode == DyadMode::kDirected ? "directed" : "undirected";
}

RegressionResult RunQapRegression(const LabelledMatrix& dependent,
                                  const std::vector<LabelledMatrix>& explanatory,
                                  const RegressionOptions& options) {
  if (const std::string problem = options.Validate(); !problem.empty()) throw OptionsError(problem);
  if (explanatory.empty()) throw OptionsError("--x: at least one explanatory matrix is needed");
  const Eigen::Index n = dependent.size();
  for (const LabelledMatrix& x : explanatory) {
    if (x.labels != dependent.labels) {
      throw DataError(x.source + ": node labels are not aligned with " + dependent.source +
                      " (align the matrices first)");
    }
  }
  if (options.dyads.mode == DyadMode::kUndirected) {
    RequireSymmetric(dependent);
    for (const LabelledMatrix& x : explanatory) RequireSymmetric(x);
  }

  const auto k = static_cast<Eigen::Index>(explanatory.size());
  const DyadIndex dyads(n, options.dyads);
  std::vector<std::string> names;  // as messages name them: "TPR (data/TPR.csv)"
  for (const LabelledMatrix& x : explanatory) {
    names.push_back(x.source.empty() || x.source == x.name ? x.name : x.name + " (" + x.source + ")");
  }

  const std::string dependent_description =
      dependent.source.empty() ? dependent.name : dependent.name + " (" + dependent.source + ")";
  Eigen::VectorXd y(dyads.size());
  dyads.Gather(dependent.values, y);
  Eigen::MatrixXd x(dyads.size(), k);
  for (Eigen::Index c = 0; c < k; ++c) dyads.Gather(explanatory[static_cast<std::size_t>(c)].values, x.col(c));

  RegressionResult result;
  result.options = options;
  result.options.permutation.permutation_list.reset();
  result.options.permutation.progress = nullptr;
  result.dependent_name = dependent.name;
  result.dependent_source = dependent.source;
  result.node_labels = dependent.labels;
  result.nodes = n;
  result.dyads_total = dyads.size();

  // Observed fit on the complete dyads.
  ListwiseRefit observed_refit(y, x);
  const std::vector<Eigen::Index> complete = observed_refit.CompleteRows();
  result.dyads_used = static_cast<Eigen::Index>(complete.size());
  auto observed_or_problem = observed_refit.Fit();
  if (const auto* problem = std::get_if<RankProblem>(&observed_or_problem)) {
    throw ModelError(DescribeRankProblem(*problem, names, dependent_description, result.dyads_used));
  }
  const OlsFit observed = std::get<OlsFit>(std::move(observed_or_problem));
  const Eigen::Index df = observed.residual_degrees_of_freedom();
  result.r_squared = observed.r_squared;
  result.adjusted_r_squared = observed.adjusted_r_squared;
  result.f_statistic = observed.f_statistic;
  result.f_df1 = k;
  result.f_df2 = df;
  result.f_p_value = boost::math::cdf(boost::math::complement(
      boost::math::fisher_f(static_cast<double>(k), static_cast<double>(df)), observed.f_statistic));

  Eigen::VectorXd y_used(result.dyads_used);
  Eigen::MatrixXd x_used(result.dyads_used, k);
  for (std::size_t r = 0; r < complete.size(); ++r) {
    y_used[static_cast<Eigen::Index>(r)] = y[complete[r]];
    x_used.row(static_cast<Eigen::Index>(r)) = x.row(complete[r]);
  }
  const double sd_y = SampleStandardDeviation(y_used);
  const boost::math::students_t t_distribution(static_cast<double>(df));
  for (Eigen::Index c = 0; c <= k; ++c) {
    CoefficientEstimate estimate;
    estimate.name = c == 0 ? "(intercept)" : explanatory[static_cast<std::size_t>(c - 1)].name;
    estimate.source = c == 0 ? "" : explanatory[static_cast<std::size_t>(c - 1)].source;
    estimate.coefficient = observed.coefficients[c];
    estimate.standard_error = observed.standard_errors[c];
    estimate.t = observed.t_values[c];
    estimate.standardized =
        c == 0 ? kNaN : observed.coefficients[c] * SampleStandardDeviation(x_used.col(c - 1)) / sd_y;
    estimate.classical_p =
        2.0 * boost::math::cdf(boost::math::complement(t_distribution, std::abs(estimate.t)));
    result.coefficients.push_back(std::move(estimate));
  }

  const NullHypothesis null = options.null_hypothesis;
  if (null == NullHypothesis::kClassical) return result;

  // Matrices whose permutation defines each coefficient's null, built on the
  // dyads of the observed fit (Dekker et al. residualize on the model's sample).
  std::vector<DyadMatrix> permuted_matrix(static_cast<std::size_t>(k));
  std::vector<Eigen::VectorXd> fitted_reduced(static_cast<std::size_t>(k));
  for (Eigen::Index c = 0; c < k; ++c) {
    const auto slot = static_cast<std::size_t>(c);
    if (null == NullHypothesis::kPermuteX) {
      permuted_matrix[slot] = explanatory[slot].values;
      continue;
    }
    if (null != NullHypothesis::kDoubleSemiPartialling && null != NullHypothesis::kFreedmanLane) continue;
    const Eigen::MatrixXd others = WithoutColumn(x_used, c);
    const Eigen::VectorXd target = null == NullHypothesis::kDoubleSemiPartialling
                                       ? Eigen::VectorXd(x_used.col(c))
                                       : y_used;
    auto partial = FitOls(others, target);
    if (const auto* problem = std::get_if<RankProblem>(&partial)) {
      throw ModelError(DescribeRankProblem(*problem, names, dependent_description, result.dyads_used));
    }
    const OlsFit& partial_fit = std::get<OlsFit>(partial);
    Eigen::VectorXd residual_all = Eigen::VectorXd::Constant(dyads.size(), kNaN);
    for (std::size_t r = 0; r < complete.size(); ++r) {
      residual_all[complete[r]] = partial_fit.residuals[static_cast<Eigen::Index>(r)];
    }
    permuted_matrix[slot] = dyads.Scatter(residual_all);
    if (null == NullHypothesis::kFreedmanLane) {
      // Fitted values of the reduced model wherever its predictors are observed.
      const Eigen::MatrixXd others_all = WithoutColumn(x, c);
      fitted_reduced[slot] = Eigen::VectorXd::Constant(dyads.size(), partial_fit.coefficients[0]);
      for (Eigen::Index j = 0; j < others_all.cols(); ++j) {
        fitted_reduced[slot] += partial_fit.coefficients[j + 1] * others_all.col(j);
      }
    }
  }

  const std::size_t count = options.permutation.permutation_list
                                ? options.permutation.permutation_list->size()
                                : options.permutation.permutations;
  result.seed = options.permutation.seed.value_or(GenerateSeed());
  result.permutations = count;
  result.permutations_from_file = options.permutation.permutation_list.has_value();
  const auto nodes = static_cast<std::uint32_t>(n);
  const PermutationPlan plan = options.permutation.permutation_list
                                   ? PermutationPlan(*options.permutation.permutation_list, nodes)
                                   : PermutationPlan(result.seed, count, nodes);
  if (result.permutations_from_file) {
    for (const Permutation& p : *options.permutation.permutation_list) {
      if (p.size() != nodes) {
        throw OptionsError("--permutations: a permutation has " + std::to_string(p.size()) +
                           " entries but the analysis has " + std::to_string(n) + " nodes");
      }
    }
  }

  // Column c holds coefficient c's null statistic; column k + 1 holds R^2 under y.
  Eigen::MatrixXd distribution = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(count), k + 2, kNaN);
  const TestStatistic statistic = options.statistic;

  detail::ForEachPermutation(
      plan, options.permutation.threads, options.permutation.progress,
      [&] { return ListwiseRefit(y, x); },
      [&](ListwiseRefit& refit, std::size_t index, const Permutation& p) {
        const auto row = static_cast<Eigen::Index>(index);
        // y permutation: every coefficient under the y null, and R^2.
        dyads.GatherPermuted(dependent.values, p, refit.response());
        if (auto fit = refit.Fit(); const auto* ok = std::get_if<OlsFit>(&fit)) {
          distribution(row, k + 1) = ok->r_squared;
          if (null == NullHypothesis::kPermuteY) {
            for (Eigen::Index c = 0; c <= k; ++c) distribution(row, c) = Statistic(*ok, c, statistic);
          }
        }
        refit.response() = y;
        if (null == NullHypothesis::kPermuteY) return;
        for (Eigen::Index c = 0; c < k; ++c) {
          const auto slot = static_cast<std::size_t>(c);
          if (null == NullHypothesis::kFreedmanLane) {
            dyads.GatherPermuted(permuted_matrix[slot], p, refit.response());
            refit.response() += fitted_reduced[slot];
          } else {
            dyads.GatherPermuted(permuted_matrix[slot], p, refit.predictors().col(c));
          }
          if (auto fit = refit.Fit(); const auto* ok = std::get_if<OlsFit>(&fit)) {
            distribution(row, c + 1) = Statistic(*ok, c + 1, statistic);
          }
          if (null == NullHypothesis::kFreedmanLane) {
            refit.response() = y;
          } else {
            refit.predictors().col(c) = x.col(c);
          }
        }
      });

  const PValueRule rule = options.permutation.pvalue_rule;
  for (Eigen::Index c = 0; c <= k; ++c) {
    if (c == 0 && null != NullHypothesis::kPermuteY) continue;
    CoefficientEstimate& estimate = result.coefficients[static_cast<std::size_t>(c)];
    const Eigen::VectorXd column = distribution.col(c);
    estimate.permutation = SummarizeNullDistribution(
        std::span<const double>(column.data(), static_cast<std::size_t>(column.size())),
        Statistic(observed, c, statistic), rule);
    estimate.undefined = count - estimate.permutation->valid;
  }
  const Eigen::VectorXd r_squared_column = distribution.col(k + 1);
  result.r_squared_test = SummarizeNullDistribution(
      std::span<const double>(r_squared_column.data(), static_cast<std::size_t>(r_squared_column.size())),
      observed.r_squared, rule);
  if (options.keep_null_distribution) result.null_distribution = std::move(distribution);
  return result;
}

}  // namespace qap
