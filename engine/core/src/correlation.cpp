#include "qap/core/correlation.hpp"

#include <cmath>

#include "permutation_driver.hpp"
#include "power_of_two_scale.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/numeric.hpp"
#include "qap/core/ols.hpp"
#include "qap/core/permutation.hpp"

namespace qap {

namespace {

// The means of a and b over the dyads observed in both, and how many those are.
struct CompleteMeans {
  double a = 0.0;
  double b = 0.0;
  Eigen::Index count = 0;
};

CompleteMeans MeansOverComplete(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  CompleteMeans means;
  for (Eigen::Index d = 0; d < a.size(); ++d) {
    if (IsObserved(a[d]) && IsObserved(b[d])) {
      means.a += a[d];
      means.b += b[d];
      ++means.count;
    }
  }
  if (means.count > 0) {
    means.a /= static_cast<double>(means.count);
    means.b /= static_cast<double>(means.count);
  }
  return means;
}

// Pearson's r over the dyads observed in both vectors (two-pass for accuracy).
double PearsonComplete(const Eigen::VectorXd& a, const Eigen::VectorXd& b, Eigen::Index* used) {
  const CompleteMeans means = MeansOverComplete(a, b);
  if (used != nullptr) *used = means.count;
  if (means.count < 2) return kNaN;
  const double mean_a = means.a;
  const double mean_b = means.b;
  double cross = 0.0;
  double square_a = 0.0;
  double square_b = 0.0;
  for (Eigen::Index d = 0; d < a.size(); ++d) {
    if (IsObserved(a[d]) && IsObserved(b[d])) {
      cross += (a[d] - mean_a) * (b[d] - mean_b);
      square_a += (a[d] - mean_a) * (a[d] - mean_a);
      square_b += (b[d] - mean_b) * (b[d] - mean_b);
    }
  }
  if (!(square_a > 0.0) || !(square_b > 0.0)) return kNaN;
  return cross / std::sqrt(square_a * square_b);
}

// Zero up to rounding (docs/method.md): the bound on the rounding error of r
// over the dyads observed in both. The computed r is the exact r of a + da and
// b + db with |da| <= eps |a| and |db| <= eps |b| (eps = RoundingErrorScale
// for 2 columns, a mean and a direction, as in a one-regressor fit; |a| is
// not centred, which covers what centring a large mean costs).
// r is the inner product of the unit vectors along a - mean and b - mean, and
// a perturbation d of a - mean turns its unit vector by at most |d| / |a - mean|,
// so to first order |dr| <= eps (|a| / |a - mean| + |b| / |b - mean|): free of
// the units of either matrix.
double CorrelationRoundingTolerance(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const CompleteMeans means = MeansOverComplete(a, b);
  const double mean_a = means.a;
  const double mean_b = means.b;
  double raw_a = 0.0, raw_b = 0.0, centred_a = 0.0, centred_b = 0.0;
  for (Eigen::Index d = 0; d < a.size(); ++d) {
    if (IsObserved(a[d]) && IsObserved(b[d])) {
      raw_a += a[d] * a[d];
      raw_b += b[d] * b[d];
      centred_a += (a[d] - mean_a) * (a[d] - mean_a);
      centred_b += (b[d] - mean_b) * (b[d] - mean_b);
    }
  }
  return RoundingErrorScale(2) * (std::sqrt(raw_a / centred_a) + std::sqrt(raw_b / centred_b));
}

}  // namespace

CorrelationResult RunQapCorrelation(const LabelledMatrix& first, const LabelledMatrix& second,
                                    const CorrelationOptions& options,
                                    const PermutationInputs& inputs) {
  if (const auto problem = ValidatePermutationRun(options.permutation, inputs)) throw *problem;
  if (first.labels != second.labels) {
    throw DataError(second.source + ": node labels are not aligned with " + first.source);
  }
  if (options.dyads.mode == DyadMode::kUndirected) {
    RequireSymmetric(first);
    RequireSymmetric(second);
  }
  const DyadIndex dyads(first.size(), options.dyads);
  // r is scale-free, but its sums of squares are not: each matrix is scaled
  // by a power of two when its range needs it (power_of_two_scale.hpp), the
  // permuted one once here rather than in every permutation.
  auto name = [](const LabelledMatrix& m) {
    return m.source.empty() || m.source == m.name ? m.name : m.name + " (" + m.source + ")";
  };
  const int first_exponent = detail::ChooseScaleExponent(dyads, first.values, name(first));
  const int second_exponent = detail::ChooseScaleExponent(dyads, second.values, name(second));
  DyadMatrix first_scaled;
  if (first_exponent != 0) first_scaled = detail::ScaledByPowerOfTwo(first.values, first_exponent);
  const DyadMatrix& permuted_values = first_exponent != 0 ? first_scaled : first.values;
  Eigen::VectorXd a(dyads.size());
  Eigen::VectorXd b(dyads.size());
  dyads.Gather(permuted_values, a);
  dyads.Gather(second.values, b);
  if (second_exponent != 0)
    b = b.unaryExpr([second_exponent](double v) { return std::ldexp(v, -second_exponent); });

  CorrelationResult result;
  result.options = options;
  result.first_name = first.name;
  result.first_source = first.source;
  result.second_name = second.name;
  result.second_source = second.source;
  result.nodes = first.size();
  result.dyads_total = dyads.size();
  result.correlation = PearsonComplete(a, b, &result.dyads_used);
  if (std::isnan(result.correlation)) {
    throw ModelError("the correlation of " + first.name + " and " + second.name +
                     " is undefined: fewer than 2 common dyads, or a matrix is constant over them");
  }

  // An r within rounding of 0 is 0, and so are the permuted r within the same
  // bound (computed once, from the observed dyads: with no missing cell every
  // permutation has the same norms). Testing rounding noise against rounding
  // noise would otherwise print stars at random.
  const double tolerance = CorrelationRoundingTolerance(a, b);
  const bool zero = std::abs(result.correlation) <= tolerance;
  if (zero) {
    result.warnings.push_back(
        "r is zero up to rounding (|r| = " + FormatSignificant(std::abs(result.correlation), 2) +
        ", within the rounding bound " + FormatSignificant(tolerance, 2) + "): " + first.name +
        " and " + second.name + " are uncorrelated; r is set to 0 and its p-values are set " +
        "by ties (two-sided p = 1)");
    result.correlation = 0.0;
  }
  auto snapped = [zero, tolerance](double r) { return zero && std::abs(r) <= tolerance ? 0.0 : r; };

  result.seed = options.permutation.seed.value_or(GenerateSeed());
  result.plan = MakePermutationPlan(options.permutation, inputs,
                                    static_cast<std::uint32_t>(first.size()), result.seed);
  const PermutationPlan& plan = *result.plan;
  result.permutations = plan.count();
  result.permutations_from_file = inputs.fixed != nullptr;
  result.permutation_warnings = PermutationCountWarnings(
      static_cast<std::size_t>(result.nodes), result.permutations, options.permutation.pvalue_rule);
  struct Workspace {
    Eigen::VectorXd permuted;
    NullTally tally;
  };
  NullTally total(result.correlation);
  detail::ForEachPermutationBlock(
      plan, options.permutation.threads, inputs.progress,
      [&] {
        return Workspace{Eigen::VectorXd(dyads.size()), NullTally(result.correlation)};
      },
      [&](Workspace& w, std::size_t, std::span<const Permutation> block) {
        for (const Permutation& p : block) {
          dyads.GatherPermuted(permuted_values, p, w.permuted);
          w.tally.Add(snapped(PearsonComplete(w.permuted, b, nullptr)));
        }
      },
      [&](const Workspace& w) { total.Merge(w.tally); });
  result.test = total.Finish(options.permutation.pvalue_rule);
  return result;
}

}  // namespace qap
