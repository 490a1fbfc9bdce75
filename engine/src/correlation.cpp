#include "qap/correlation.hpp"

#include <cmath>
#include <limits>

#include "permutation_driver.hpp"
#include "power_of_two_scale.hpp"
#include "qap/errors.hpp"
#include "qap/permutation.hpp"

namespace qap {

namespace {

// Pearson's r over the dyads observed in both vectors (two-pass for accuracy).
double PearsonComplete(const Eigen::VectorXd& a, const Eigen::VectorXd& b, Eigen::Index* used) {
  double sum_a = 0.0;
  double sum_b = 0.0;
  Eigen::Index count = 0;
  for (Eigen::Index d = 0; d < a.size(); ++d) {
    if (IsObserved(a[d]) && IsObserved(b[d])) {
      sum_a += a[d];
      sum_b += b[d];
      ++count;
    }
  }
  if (used != nullptr) *used = count;
  if (count < 2) return std::numeric_limits<double>::quiet_NaN();
  const double mean_a = sum_a / static_cast<double>(count);
  const double mean_b = sum_b / static_cast<double>(count);
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
  if (!(square_a > 0.0) || !(square_b > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  return cross / std::sqrt(square_a * square_b);
}

}  // namespace

CorrelationResult RunQapCorrelation(const LabelledMatrix& first, const LabelledMatrix& second,
                                    const CorrelationOptions& options) {
  if (const std::string problem = options.Validate(); !problem.empty()) throw OptionsError(problem);
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
  if (second_exponent != 0) b = b.unaryExpr([second_exponent](double v) { return std::ldexp(v, -second_exponent); });

  CorrelationResult result;
  result.options = options;
  result.options.permutation.permutation_list.reset();
  result.options.permutation.progress = nullptr;
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

  result.seed = options.permutation.seed.value_or(GenerateSeed());
  const PermutationPlan plan = MakePermutationPlan(options.permutation, static_cast<std::uint32_t>(first.size()), result.seed);
  result.permutations = plan.count();
  result.permutations_from_file = options.permutation.permutation_list.has_value();
  struct Workspace {
    Eigen::VectorXd permuted;
    NullTally tally;
  };
  NullTally total(result.correlation);
  detail::ForEachPermutationBlock(
      plan, options.permutation.threads, options.permutation.progress,
      [&] { return Workspace{Eigen::VectorXd(dyads.size()), NullTally(result.correlation)}; },
      [&](Workspace& w, std::size_t, std::span<const Permutation> block) {
        for (const Permutation& p : block) {
          dyads.GatherPermuted(permuted_values, p, w.permuted);
          w.tally.Add(PearsonComplete(w.permuted, b, nullptr));
        }
      },
      [&](const Workspace& w) { total.Merge(w.tally); });
  result.test = total.Finish(options.permutation.pvalue_rule);
  return result;
}

}  // namespace qap
