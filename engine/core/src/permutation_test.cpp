#include "qap/core/permutation_test.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "qap/core/errors.hpp"

namespace qap {

std::string detail::PermutationCountOutOfRange(const std::string& got) {
  return "the number of permutations must be a whole number from 1 to " +
         std::to_string(kMaxPermutations) + ", got " + got;
}

int ResolveThreads(int requested) {
  // omp_get_max_threads() honours OMP_NUM_THREADS (read when the runtime
  // starts) and is the core count without it, so a user's OMP_NUM_THREADS=1
  // is obeyed when --threads is not given.
  return requested > 0 ? requested : std::max(1, omp_get_max_threads());
}

std::optional<OptionsError> PermutationOptions::Validate() const {
  if (std::string problem = CheckPermutationCount(permutations); !problem.empty()) {
    return OptionsError("permutations", problem);
  }
  if (threads < 0) {
    return OptionsError("threads",
                        "must be 0 (OpenMP's default: OMP_NUM_THREADS, else all cores) or a "
                        "positive number");
  }
  return std::nullopt;
}

std::optional<OptionsError> ValidatePermutationRun(const PermutationOptions& options,
                                                   const PermutationInputs& inputs) {
  if (!inputs.fixed) return options.Validate();
  if (inputs.fixed->empty())
    return OptionsError("permutation_list", "the permutation list is empty");
  // The list replaces the count: check the rest of the settings with a count
  // that passes, rather than refuse a run for a setting it does not use.
  PermutationOptions rest = options;
  rest.permutations = 1;
  return rest.Validate();
}

std::shared_ptr<const PermutationPlan> MakePermutationPlan(const PermutationOptions& options,
                                                           const PermutationInputs& inputs,
                                                           std::uint32_t nodes,
                                                           std::uint64_t seed) {
  if (!inputs.fixed)
    return std::make_shared<const PermutationPlan>(seed, options.permutations, nodes);
  for (const Permutation& p : *inputs.fixed) {
    if (p.size() != nodes) {
      throw OptionsError("permutation_list", "a permutation has " + std::to_string(p.size()) +
                                                 " entries but the analysis has " +
                                                 std::to_string(nodes) + " nodes");
    }
  }
  return std::make_shared<const PermutationPlan>(inputs.fixed, nodes);
}

NullTally::NullTally(double observed)
    : observed_(observed), tolerance_(1e-10 * std::abs(observed)) {}

void NullTally::Add(double value) {
  if (std::isnan(value)) return;
  ++counts_.valid;
  if (value >= observed_ - tolerance_) ++counts_.count_greater_equal;
  if (value <= observed_ + tolerance_) ++counts_.count_less_equal;
  if (std::abs(value) >= std::abs(observed_) - tolerance_) ++counts_.count_as_extreme;
}

void NullTally::Merge(const NullTally& other) {
  counts_.valid += other.counts_.valid;
  counts_.count_greater_equal += other.counts_.count_greater_equal;
  counts_.count_less_equal += other.counts_.count_less_equal;
  counts_.count_as_extreme += other.counts_.count_as_extreme;
}

PermutationTest NullTally::Finish(PValueRule rule) const {
  PermutationTest test = counts_;
  auto p_value = [&](std::size_t count) { return PermutationPValue(count, test.valid, rule); };
  test.p_greater_equal = p_value(test.count_greater_equal);
  test.p_less_equal = p_value(test.count_less_equal);
  test.p_two_sided = p_value(test.count_as_extreme);
  return test;
}

PermutationTest SummarizeNullDistribution(std::span<const double> null_values, double observed,
                                          PValueRule rule) {
  NullTally tally(observed);
  for (double value : null_values) tally.Add(value);
  return tally.Finish(rule);
}

double PermutationPValue(std::size_t count, std::size_t valid, PValueRule rule) {
  if (valid == 0) return std::nan("");
  const auto b = static_cast<double>(count);
  const auto m = static_cast<double>(valid);
  return rule == PValueRule::kPlusOne ? (b + 1.0) / (m + 1.0) : b / m;
}

std::string SignificanceStars(double p_value) {
  if (std::isnan(p_value)) return "";
  if (p_value < 0.01) return "***";
  if (p_value < 0.05) return "**";
  if (p_value < 0.10) return "*";
  return "";
}

}  // namespace qap
