#include "qap/core/regression.hpp"

#include <algorithm>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <limits>
#include <variant>

#include "null_models.hpp"
#include "permutation_driver.hpp"
#include "power_of_two_scale.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/numeric.hpp"
#include "qap/core/ols.hpp"
#include "qap/core/permutation.hpp"

namespace qap {

namespace {

double Statistic(const OlsFit& fit, Eigen::Index coefficient, TestStatistic statistic) {
  return statistic == TestStatistic::kT ? fit.t_values[coefficient] : fit.coefficients[coefficient];
}

std::string Described(const LabelledMatrix& m) {
  return m.source.empty() || m.source == m.name ? m.name : m.name + " (" + m.source + ")";
}

// True when every selected dyad is observed in Y and finite in every X: the
// condition for the projection kernel (a permutation then maps the observed
// dyads onto themselves).
bool AllDyadsObserved(const DyadIndex& dyads, const LabelledMatrix& dependent,
                      const std::vector<LabelledMatrix>& explanatory) {
  bool all = true;
  dyads.ForEachDyad([&](Eigen::Index, std::uint32_t row, std::uint32_t column) {
    all = all && IsObserved(dependent.values(row, column));
    for (const LabelledMatrix& x : explanatory) all = all && std::isfinite(x.values(row, column));
  });
  return all;
}

// b_c and its standard error in the input's units: the fit ran on Y * 2^-e_y
// and X_c * 2^-e_c, so the slope's unit is 2^(e_y - e_c) and the intercept's
// 2^e_y. ldexp is exact unless the result leaves the range of normal doubles;
// then the number cannot be written down, and saying so beats printing inf
// or 0 (the t, p and R^2 are scale-free and would be right, but a table with
// an infinite coefficient is a wrong table).
void MapBack(CoefficientEstimate& estimate, int unit_exponent, const std::string& dependent,
             const std::string& dependent_scale, const std::string& predictor_scale) {
  const double coefficient = std::ldexp(estimate.coefficient, unit_exponent);
  const double standard_error = std::ldexp(estimate.standard_error, unit_exponent);
  const bool coefficient_lost =
      !std::isfinite(coefficient) || (coefficient != 0.0 && std::abs(coefficient) < DBL_MIN);
  const bool error_lost =
      !std::isfinite(standard_error) || (estimate.standard_error > 0.0 && standard_error < DBL_MIN);
  if (coefficient_lost || error_lost) {
    const double scaled = coefficient_lost ? estimate.coefficient : estimate.standard_error;
    const double log10_value = std::log10(std::abs(scaled)) + unit_exponent * std::log10(2.0);
    const bool intercept = predictor_scale.empty();
    const std::string what = intercept ? "the intercept" : "the coefficient of " + estimate.name;
    throw DataError(what + std::string(coefficient_lost ? "" : "'s standard error") + " on " +
                    dependent + " is about " + (scaled < 0.0 ? "-" : "") +
                    detail::OrderOfMagnitude(log10_value) +
                    ", outside the range of a double (2.2e-308 to 1.8e+308): " + dependent_scale +
                    (intercept ? "" : " and " + predictor_scale) + "; express " + dependent +
                    (intercept ? "" : " or " + estimate.name) +
                    " in other units (e.g. multiply or divide by a power of ten)");
  }
  estimate.coefficient = coefficient;
  estimate.standard_error = standard_error;
}

// "Y (y.csv) reaches about 1.0e+154": a matrix's largest |value| over the dyads, for messages.
std::string LargestMagnitude(const DyadIndex& dyads, const LabelledMatrix& matrix) {
  const DyadMatrix& values = matrix.values;
  double largest = 0.0;
  dyads.ForEachDyad([&](Eigen::Index, std::uint32_t row, std::uint32_t column) {
    const double magnitude = std::abs(values(row, column));
    if (std::isfinite(magnitude)) largest = std::max(largest, magnitude);
  });
  return Described(matrix) + " reaches about " +
         (largest > 0.0 ? detail::OrderOfMagnitude(std::log10(largest)) : "0");
}

// The message for an exact observed fit (OlsFit::exact_fit): names the
// predictor Y equals on every dyad used, when there is one.
std::string DescribeExactFit(const DyadIndex& dyads, const LabelledMatrix& dependent,
                             const std::vector<LabelledMatrix>& explanatory, Eigen::Index used) {
  std::vector<bool> identical(explanatory.size(), true);
  dyads.ForEachDyad([&](Eigen::Index, std::uint32_t row, std::uint32_t column) {
    const double y = dependent.values(row, column);
    if (!IsObserved(y)) return;
    for (const LabelledMatrix& x : explanatory) {
      if (!std::isfinite(x.values(row, column))) return;
    }
    for (std::size_t c = 0; c < explanatory.size(); ++c) {
      if (explanatory[c].values(row, column) != y) identical[c] = false;
    }
  });
  const std::string over = " on every one of the " + std::to_string(used) + " dyads used";
  const std::string exact =
      ": the fit is exact (no residual), so t is rounding noise and no test "
      "is possible; leave it out of the explanatory matrices";
  for (std::size_t c = 0; c < explanatory.size(); ++c) {
    if (!identical[c]) continue;
    return "the dependent matrix " + Described(dependent) + " is identical to predictor '" +
           explanatory[c].name + "'" +
           (explanatory[c].source.empty() || explanatory[c].source == explanatory[c].name
                ? ""
                : " (" + explanatory[c].source + ")") +
           over + exact;
  }
  std::string names;
  for (const LabelledMatrix& x : explanatory) names += (names.empty() ? "'" : ", '") + x.name + "'";
  return "the dependent matrix " + Described(dependent) +
         " is an exact linear function of the explanatory matrices (" + names + ")" + over +
         ": the fit is exact (no residual, R-squared 1 up to rounding), so t is rounding noise "
         "and no test is possible";
}

}  // namespace

std::uint64_t NullDistributionBytes(std::uint64_t permutations, std::size_t predictors) {
  // Statistic columns: intercept, predictors, R-squared; each kept twice over.
  const std::uint64_t per_permutation = (std::uint64_t{predictors} + 2U) * sizeof(double) * 2U;
  const std::uint64_t most = std::numeric_limits<std::uint64_t>::max();
  return permutations > most / per_permutation ? most : permutations * per_permutation;
}

std::optional<OptionsError> NullDistributionMemoryError(std::uint64_t permutations,
                                                        std::size_t predictors) {
  const std::uint64_t bytes = NullDistributionBytes(permutations, predictors);
  if (bytes <= kNullDistributionBudgetBytes) return std::nullopt;
  const std::uint64_t fits = kNullDistributionBudgetBytes / NullDistributionBytes(1, predictors);
  char need[32];
  std::snprintf(need, sizeof need, "%.1f GiB",
                static_cast<double>(bytes) / static_cast<double>(std::uint64_t{1} << 30U));
  // The options that keep the distribution are named by field, so each front
  // end names its own (qap/study/option_names.hpp).
  return OptionsError(std::vector<std::string>{
      "the JSON quantiles and ", "plot",
      " keep every permutation's statistics: " + std::to_string(permutations) +
          " permutations of " + std::to_string(predictors + 2) + " statistics need " + need +
          ", over the " + std::to_string(kNullDistributionBudgetBytes >> 30U) +
          " GiB budget; use at most " + std::to_string(fits) +
          " permutations with them, or another ",
      "format", " without ", "plot", " (the p-values need no such memory)"});
}

std::optional<OptionsError> RegressionOptions::Validate() const {
  if (null_hypothesis == NullHypothesis::kClassical) return std::nullopt;
  return permutation.Validate();
}

RegressionResult RunQapRegression(const LabelledMatrix& dependent,
                                  const std::vector<LabelledMatrix>& explanatory,
                                  const RegressionOptions& options,
                                  const PermutationInputs& inputs) {
  if (options.null_hypothesis != NullHypothesis::kClassical) {
    if (const auto problem = ValidatePermutationRun(options.permutation, inputs)) throw *problem;
  }
  if (explanatory.empty())
    throw OptionsError("explanatory", "at least one explanatory matrix is needed");
  if (options.keep_null_distribution && options.null_hypothesis != NullHypothesis::kClassical) {
    const std::size_t count =
        inputs.fixed ? inputs.fixed->size() : options.permutation.permutations;
    if (auto problem = NullDistributionMemoryError(count, explanatory.size())) throw *problem;
  }
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
  detail::RegressionProblem problem;
  problem.dyads = &dyads;
  problem.dependent = &dependent;
  problem.explanatory = &explanatory;
  problem.null_hypothesis = options.null_hypothesis;
  problem.statistic = options.statistic;
  for (const LabelledMatrix& x : explanatory) problem.names.push_back(Described(x));
  // Each matrix scaled once, before any sum is taken, when its range needs it
  // (power_of_two_scale.hpp); ordinary data are read in place.
  const int y_exponent = detail::ChooseScaleExponent(dyads, dependent.values, Described(dependent));
  std::vector<int> x_exponents;
  for (std::size_t c = 0; c < explanatory.size(); ++c) {
    x_exponents.push_back(
        detail::ChooseScaleExponent(dyads, explanatory[c].values, problem.names[c]));
  }
  std::vector<DyadMatrix> scaled_copies;
  scaled_copies.reserve(explanatory.size() + 1);  // pointers into it must stay valid
  auto values_to_fit = [&](const DyadMatrix& values, int exponent) {
    if (exponent == 0) return &values;
    return static_cast<const DyadMatrix*>(
        &scaled_copies.emplace_back(detail::ScaledByPowerOfTwo(values, exponent)));
  };
  problem.dependent_values = values_to_fit(dependent.values, y_exponent);
  for (std::size_t c = 0; c < explanatory.size(); ++c) {
    problem.explanatory_values.push_back(values_to_fit(explanatory[c].values, x_exponents[c]));
  }
  const NullHypothesis null = options.null_hypothesis;

  RegressionResult result;
  result.options = options;
  result.dependent_name = dependent.name;
  result.dependent_source = dependent.source;
  result.node_labels = dependent.labels;
  result.nodes = n;
  result.dyads_total = dyads.size();

  // The fast path fits the observed model where its permutation basis will
  // live and never copies the dyads; the listwise path gathers them.
  result.used_projection_kernel = null != NullHypothesis::kClassical &&
                                  options.algorithm == PermutationAlgorithm::kAuto &&
                                  AllDyadsObserved(dyads, dependent, explanatory);
  std::unique_ptr<detail::NullModel> model;
  std::variant<OlsFit, RankProblem> observed_or_problem;
  if (result.used_projection_kernel) {
    detail::ProjectionSetUp set_up = detail::MakeProjectionModel(problem);
    observed_or_problem = std::move(set_up.observed);
    model = std::move(set_up.model);
    result.dyads_used = dyads.size();
  } else {
    problem.y.resize(dyads.size());
    dyads.Gather(*problem.dependent_values, problem.y);
    problem.x.resize(dyads.size(), k);
    for (Eigen::Index c = 0; c < k; ++c) {
      dyads.Gather(*problem.explanatory_values[static_cast<std::size_t>(c)], problem.x.col(c));
    }
    for (Eigen::Index d = 0; d < dyads.size(); ++d) {
      if (IsObserved(problem.y[d]) && problem.x.row(d).array().isFinite().all())
        problem.complete.push_back(d);
    }
    result.dyads_used = static_cast<Eigen::Index>(problem.complete.size());
    // Observed fit on the complete dyads (no compacted copy when none is missing).
    const bool complete = result.dyads_used == result.dyads_total;
    Eigen::VectorXd y_compact;
    Eigen::MatrixXd x_compact;
    if (!complete) {
      y_compact.resize(result.dyads_used);
      x_compact.resize(result.dyads_used, k);
      for (std::size_t r = 0; r < problem.complete.size(); ++r) {
        y_compact[static_cast<Eigen::Index>(r)] = problem.y[problem.complete[r]];
        x_compact.row(static_cast<Eigen::Index>(r)) = problem.x.row(problem.complete[r]);
      }
    }
    observed_or_problem =
        FitOls(complete ? problem.x : x_compact, complete ? problem.y : y_compact);
  }
  if (const auto* rank = std::get_if<RankProblem>(&observed_or_problem)) {
    throw ModelError(
        detail::DescribeRankProblem(*rank, problem.names, Described(dependent), result.dyads_used));
  }
  const OlsFit observed = std::get<OlsFit>(std::move(observed_or_problem));
  if (observed.exact_fit)
    throw ModelError(DescribeExactFit(dyads, dependent, explanatory, result.dyads_used));
  const Eigen::Index df = observed.residual_degrees_of_freedom();
  result.r_squared = observed.r_squared;
  result.adjusted_r_squared = observed.adjusted_r_squared;
  result.condition_number = observed.condition_number;
  result.f_statistic = observed.f_statistic;
  result.f_df1 = k;
  result.f_df2 = df;
  // The fit ran on y scaled by 2^y_exponent; sigma is in y's units.
  result.residual_standard_error = std::ldexp(std::sqrt(observed.residual_variance), y_exponent);
  // An exact fit (R^2 = 1) makes F infinite: its p is 0, not an exception.
  result.f_p_value =
      std::isfinite(observed.f_statistic) && observed.f_statistic >= 0.0
          ? boost::math::cdf(boost::math::complement(
                boost::math::fisher_f(static_cast<double>(k), static_cast<double>(df)),
                observed.f_statistic))
          : (observed.f_statistic > 0.0 ? 0.0 : kNaN);
  const boost::math::students_t t_distribution(static_cast<double>(df));
  for (Eigen::Index c = 0; c <= k; ++c) {
    CoefficientEstimate estimate;
    estimate.name = c == 0 ? "(intercept)" : explanatory[static_cast<std::size_t>(c - 1)].name;
    estimate.source = c == 0 ? "" : explanatory[static_cast<std::size_t>(c - 1)].source;
    estimate.coefficient = observed.coefficients[c];
    estimate.standard_error = observed.standard_errors[c];
    estimate.t = observed.t_values[c];
    estimate.standardized = c == 0 ? kNaN
                                   : observed.coefficients[c] * observed.predictor_scales[c - 1] /
                                         observed.response_scale;
    estimate.classical_p =
        2.0 * boost::math::cdf(boost::math::complement(t_distribution, std::abs(estimate.t)));
    result.coefficients.push_back(std::move(estimate));
  }
  // Zero up to rounding, decided once here for both algorithms and every
  // null, on the observed fit they share (OlsFit::t_rounding_tolerance;
  // docs/method.md). A coefficient that is 0 in exact arithmetic (e.g. a
  // symmetric regressor against an antisymmetric Y) comes out of the QR as
  // rounding noise, and its permuted statistics too: testing noise against
  // noise gave stars at random. It is set to exactly 0 instead, and
  // zero_tolerance[c] (in the units the statistic is tallied in: t, or b in
  // the fit's scaled units, b = t * se) is where its permuted statistics
  // count as 0 as well. Permutations preserve |y| and every column's norm
  // (with no missing cell), so the observed bound is theirs up to the
  // condition number and |y| / |r| of each refit; lambda's margin over the
  // typical error covers that. Only such columns are touched: elsewhere a
  // permuted statistic near 0 cannot change a count, and is left as it is.
  std::vector<double> zero_tolerance(static_cast<std::size_t>(k + 1), -1.0);  // negative: not zero
  for (Eigen::Index c = 0; c <= k; ++c) {
    if (!(std::abs(observed.t_values[c]) <= observed.t_rounding_tolerance)) continue;
    CoefficientEstimate& estimate = result.coefficients[static_cast<std::size_t>(c)];
    estimate.zero_up_to_rounding = true;
    estimate.coefficient = 0.0;
    estimate.t = 0.0;
    if (c > 0) estimate.standardized = 0.0;
    estimate.classical_p = 1.0;
    zero_tolerance[static_cast<std::size_t>(c)] =
        options.statistic == TestStatistic::kT
            ? observed.t_rounding_tolerance
            : observed.t_rounding_tolerance * observed.standard_errors[c];
    result.warnings.push_back(
        estimate.name + ": coefficient is zero up to rounding (|t| = " +
        FormatSignificant(std::abs(observed.t_values[c]), 2) + ", within the rounding bound " +
        FormatSignificant(observed.t_rounding_tolerance, 2) + "): " +
        (c == 0 ? "the regressors account for the mean of " + dependent.name + " exactly"
                : "the regressor is orthogonal to " + dependent.name + " given the others") +
        "; b and t are set to 0" +
        (null == NullHypothesis::kClassical || (c == 0 && null != NullHypothesis::kPermuteY)
             ? ", classical p to 1"
             : ", classical p to 1 and its permutation p-values are set by ties (two-sided p = "
               "1)"));
  }
  if (y_exponent != 0 ||
      std::any_of(x_exponents.begin(), x_exponents.end(), [](int e) { return e != 0; })) {
    const std::string y_scale = LargestMagnitude(dyads, dependent);
    for (Eigen::Index c = 0; c <= k; ++c) {
      const int x_exponent = c == 0 ? 0 : x_exponents[static_cast<std::size_t>(c - 1)];
      MapBack(result.coefficients[static_cast<std::size_t>(c)], y_exponent - x_exponent,
              dependent.name, y_scale,
              c == 0 ? "" : LargestMagnitude(dyads, explanatory[static_cast<std::size_t>(c - 1)]));
    }
  }

  if (null == NullHypothesis::kClassical) return result;

  result.seed = options.permutation.seed.value_or(GenerateSeed());
  result.plan =
      MakePermutationPlan(options.permutation, inputs, static_cast<std::uint32_t>(n), result.seed);
  const PermutationPlan& plan = *result.plan;
  const std::size_t count = plan.count();
  result.permutations = count;
  result.permutations_from_file = inputs.fixed != nullptr;
  result.permutation_warnings =
      PermutationCountWarnings(static_cast<std::size_t>(n), count, options.permutation.pvalue_rule);
  if (!result.used_projection_kernel) model = detail::MakeListwiseRefitModel(problem);

  // Tallies: one per statistic column (intercept, K coefficients, R^2 under y).
  std::vector<NullTally> totals;
  for (Eigen::Index c = 0; c <= k; ++c) {
    const bool zero = zero_tolerance[static_cast<std::size_t>(c)] >= 0.0;
    totals.emplace_back(zero ? 0.0 : Statistic(observed, c, options.statistic));
  }
  totals.emplace_back(observed.r_squared);
  std::vector<std::size_t> refit_fallbacks(static_cast<std::size_t>(k + 2), 0);
  if (options.keep_null_distribution) {
    result.null_distribution =
        Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(count), k + 2, kNaN);
  }
  struct Workspace {
    std::unique_ptr<detail::NullEvaluator> evaluator;
    Eigen::MatrixXd statistics;
    std::vector<NullTally> tallies;
  };
  detail::ForEachPermutationBlock(
      plan, options.permutation.threads, inputs.progress,
      [&] {
        return Workspace{
            model->MakeEvaluator(),
            Eigen::MatrixXd(static_cast<Eigen::Index>(PermutationStream::kBlockSize), k + 2),
            totals};
      },
      [&](Workspace& w, std::size_t first, std::span<const Permutation> block) {
        const auto rows = static_cast<Eigen::Index>(block.size());
        auto statistics = w.statistics.topRows(rows);
        w.evaluator->Evaluate(block, statistics);
        for (Eigen::Index c = 0; c <= k; ++c) {
          const double tolerance = zero_tolerance[static_cast<std::size_t>(c)];
          if (tolerance < 0.0) continue;
          for (Eigen::Index r = 0; r < rows; ++r) {
            if (std::abs(statistics(r, c)) <= tolerance) statistics(r, c) = 0.0;
          }
        }
        for (Eigen::Index r = 0; r < rows; ++r) {
          for (Eigen::Index c = 0; c < k + 2; ++c)
            w.tallies[static_cast<std::size_t>(c)].Add(statistics(r, c));
        }
        if (options.keep_null_distribution) {
          result.null_distribution.middleRows(static_cast<Eigen::Index>(first), rows) = statistics;
        }
      },
      [&](const Workspace& w) {
        for (std::size_t c = 0; c < totals.size(); ++c) totals[c].Merge(w.tallies[c]);
        w.evaluator->AddRefitFallbacks(refit_fallbacks);
      });

  // Tallies compared scaled with scaled (the same order); a kept
  // distribution of b is shown in the input's units.
  if (options.keep_null_distribution && options.statistic == TestStatistic::kCoefficient) {
    for (Eigen::Index c = 0; c <= k; ++c) {
      const int unit = y_exponent - (c == 0 ? 0 : x_exponents[static_cast<std::size_t>(c - 1)]);
      if (unit != 0) {
        result.null_distribution.col(c) = result.null_distribution.col(c).unaryExpr(
            [unit](double v) { return std::ldexp(v, unit); });
      }
    }
  }
  const PValueRule rule = options.permutation.pvalue_rule;
  for (Eigen::Index c = 0; c <= k; ++c) {
    if (c == 0 && null != NullHypothesis::kPermuteY) continue;
    CoefficientEstimate& estimate = result.coefficients[static_cast<std::size_t>(c)];
    estimate.permutation = totals[static_cast<std::size_t>(c)].Finish(rule);
    estimate.undefined = count - estimate.permutation->valid;
    estimate.refit_fallbacks = refit_fallbacks[static_cast<std::size_t>(c)];
    // No valid permutation: no test. Finish gave NaN p-values (not the
    // plus-one rule's 1); the reader is told which variable and why.
    if (estimate.permutation->valid == 0) {
      result.warnings.push_back(
          estimate.name + ": all " + std::to_string(count) +
          " permutations gave an undefined statistic (no permuted model could be fitted: each "
          "was rank-deficient or had too few complete dyads), so it has no permutation test: "
          "its permutation p-values are NA");
    }
  }
  result.r_squared_test = totals.back().Finish(rule);
  return result;
}

}  // namespace qap
