#include "qap/core/permutation_test.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>

#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"

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
  for (const StarLevel& level : kStarLevels) {
    if (p_value < level.below) return level.stars;
  }
  return "";
}

namespace {

// "1,999": counts in sentences people read.
std::string WithThousands(std::size_t count) {
  std::string digits = std::to_string(count);
  for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3)
    digits.insert(static_cast<std::size_t>(at), ",");
  return digits;
}

}  // namespace

std::vector<std::string> PermutationCountWarnings(std::size_t nodes, std::size_t permutations,
                                                  PValueRule rule) {
  std::vector<std::string> warnings;
  if (permutations == 0) return warnings;
  const std::string count = WithThousands(permutations) + " permutations";
  // n! for n <= 20 fits 64 bits; 13! already exceeds kMaxPermutations.
  if (nodes >= 1 && nodes <= 12) {
    std::size_t orderings = 1;
    for (std::size_t k = 2; k <= nodes; ++k) orderings *= k;
    if (permutations > orderings) {
      warnings.push_back(count + " of " + std::to_string(nodes) + " nodes, which have only " +
                         WithThousands(orderings) +
                         " distinct orderings: permutations repeat, p-values are coarse (no "
                         "finer than 1/" +
                         WithThousands(orderings) + "); enumerate the " + WithThousands(orderings) +
                         " orderings exactly or use a larger network");
    }
  }
  const std::string recommend =
      "; run at least " + WithThousands(kRecommendedPermutations) + " permutations";
  const StarLevel& strongest = kStarLevels[0];
  const StarLevel& weakest = kStarLevels[std::size(kStarLevels) - 1];
  if (rule == PValueRule::kPlusOne) {
    const double smallest = 1.0 / static_cast<double>(permutations + 1);
    if (smallest < strongest.below) return warnings;
    std::string sentence = count + ": the smallest attainable p-value is 1/" +
                           WithThousands(permutations + 1) + " = " + FormatSignificant(smallest, 3);
    if (smallest < weakest.below) {
      std::string earned;
      std::string unreachable;
      double earned_below = 0.0;
      for (const StarLevel& level : kStarLevels) {
        if (smallest < level.below) {
          if (earned.empty()) {
            earned = level.stars;
            earned_below = level.below;
          }
        } else {
          unreachable = level.stars + (unreachable.empty() ? "" : " and " + unreachable);
        }
      }
      sentence += ", which already earns a star (" + earned + ", p < " +
                  FormatFixed(earned_below, 2) + ") while " + unreachable +
                  " cannot be reached: the stars say as much about the number of permutations "
                  "as about the data";
    } else {
      sentence += ", so no p-value can earn a star (" + std::string(weakest.stars) + " needs p < " +
                  FormatFixed(weakest.below, 2) + ")";
    }
    warnings.push_back(sentence + recommend);
  } else {
    const double step = 1.0 / static_cast<double>(permutations);
    if (step < strongest.below) return warnings;
    std::string levels;
    for (const StarLevel& level : kStarLevels) {
      levels += std::string(levels.empty() ? "" : ", ") + level.stars + " p < " +
                FormatFixed(level.below, 2);
    }
    warnings.push_back(count + ": p-values are multiples of 1/" + WithThousands(permutations) +
                       " = " + FormatSignificant(step, 3) + ", no finer than the star levels (" +
                       levels + "), and a p-value of 0 earns " + strongest.stars +
                       ": the stars say as much about the number of permutations as about "
                       "the data" +
                       recommend);
  }
  return warnings;
}

}  // namespace qap
