// Turning a permutation distribution into p-values.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "qap/core/dyads.hpp"
#include "qap/core/enum_names.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/permutation.hpp"

namespace qap {

enum class PValueRule {
  kPlusOne,     // (b + 1) / (m + 1): exact-level test, never zero (Phipson & Smyth 2010)
  kProportion,  // b / m: the rule of sna and asnipe
};
// The help is what reports print after the name ("plus-one: p = ...").
inline constexpr EnumName<PValueRule> kPValueRuleNames[] = {
    {PValueRule::kPlusOne, "plus-one", "p = (b + 1) / (m + 1)"},
    {PValueRule::kProportion, "proportion", "p = b / m"},
};
constexpr std::span<const EnumName<PValueRule>> EnumTable(PValueRule) { return kPValueRuleNames; }

namespace detail {
// The message of a count out of range or not a whole number; `got` is the
// count as given.
[[nodiscard]] std::string PermutationCountOutOfRange(const std::string& got);
}  // namespace detail

// Empty when `count` is a valid number of permutations (1 .. kMaxPermutations);
// otherwise why not, without an option name: the one rule for every front end,
// each of which names its own key (the command line's `--perms`, a manifest's
// `permutations`, the engine's Validate). Any integer type, so a signed count
// (a manifest's TOML integer) is reported as written, -5 and not 0.
template <std::integral T>
[[nodiscard]] std::string CheckPermutationCount(T count) {
  if (count >= 1 && static_cast<std::uint64_t>(count) <= kMaxPermutations) return {};
  return detail::PermutationCountOutOfRange(std::to_string(count));
}

// The number of threads a request means: itself when positive; for 0,
// OpenMP's default team size, omp_get_max_threads(), which is OMP_NUM_THREADS
// when that is set and every core otherwise. Never below 1.
[[nodiscard]] int ResolveThreads(int requested);

// Called now and then with (permutations done, total), from one thread at a time.
using ProgressCallback = std::function<void(std::size_t, std::size_t)>;

// Settings shared by every permutation test: plain values, so an options
// struct can be copied into its result, compared, printed and validated on
// its own. What a run is given rather than set to (a list of permutations, a
// progress callback) is in PermutationInputs.
struct PermutationOptions {
  std::size_t permutations = 5000;    // ignored when the inputs give a list
  std::optional<std::uint64_t> seed;  // generated (and reported) when empty
  int threads = 0;  // 0: OpenMP's default (ResolveThreads); the result never depends on it
  PValueRule pvalue_rule = PValueRule::kPlusOne;

  // Empty when valid; otherwise the error, naming the option by its field
  // ("permutations", "threads"; each front end spells it: FormatError).
  [[nodiscard]] std::optional<OptionsError> Validate() const;
  bool operator==(const PermutationOptions&) const = default;
};

// The run inputs of a permutation test, passed beside the options:
//  * fixed: permutations to use instead of drawing them (--permutations FILE),
//    shared and never copied: the plan and the result hold the same list;
//  * progress: called as permutation blocks finish.
// Default-constructed: draw options.permutations, report nothing.
struct PermutationInputs {
  PermutationList fixed;
  ProgressCallback progress;
};

// Empty when the options and inputs can run together; otherwise the error,
// naming the option by its field ("permutation_list" for the list). A list
// replaces the count, so the count is checked only when there is no list.
[[nodiscard]] std::optional<OptionsError> ValidatePermutationRun(const PermutationOptions& options,
                                                                 const PermutationInputs& inputs);

// The permutations a run uses: the inputs' list when there is one (each must
// have `nodes` entries, else OptionsError), otherwise options.permutations
// drawn from the (seed, block) streams. The run and its result share it, so
// whoever writes the permutations used reads this very plan.
std::shared_ptr<const PermutationPlan> MakePermutationPlan(const PermutationOptions& options,
                                                           const PermutationInputs& inputs,
                                                           std::uint32_t nodes, std::uint64_t seed);

struct PermutationTest {
  std::size_t valid = 0;                // permutations whose statistic was defined
  std::size_t count_greater_equal = 0;  // #{stat* >= obs}
  std::size_t count_less_equal = 0;     // #{stat* <= obs}
  std::size_t count_as_extreme = 0;     // #{|stat*| >= |obs|}
  double p_greater_equal = 0.0;
  double p_less_equal = 0.0;
  double p_two_sided = 0.0;  // from count_as_extreme
};

// Running counts of null statistics at least as extreme as an observed one.
// Tallies of disjoint sets of permutations merge exactly (integers), so the
// result does not depend on which thread saw which permutation.
class NullTally {
 public:
  explicit NullTally(double observed = 0.0);
  void Add(double value);  // NaN (an undefined refit) is not counted
  void Merge(const NullTally& other);
  [[nodiscard]] PermutationTest Finish(PValueRule rule) const;

 private:
  double observed_;
  double tolerance_;
  PermutationTest counts_;
};

// Counts how often the null statistics are at least as extreme as `observed`.
// NaN entries (permutations whose refit was undefined) are left out of m;
// with none left (m = 0) every p-value is NaN under either rule.
// Values within a relative 1e-10 of `observed` count as ties, so that the
// identity permutation, which reproduces the observed value up to rounding,
// is always counted.
PermutationTest SummarizeNullDistribution(std::span<const double> null_values, double observed,
                                          PValueRule rule);

// The p-value of `count` null statistics at least as extreme among `valid`
// ones: (b + 1) / (m + 1) or b / m by `rule`. NaN when valid is 0: with no
// valid permutation there is no test, and the plus-one rule's (0 + 1) / (0 + 1)
// = 1 would look like a result. One formula for the engine and the writers
// that report both rules.
double PermutationPValue(std::size_t count, std::size_t valid, PValueRule rule);

// "***" below 0.01, "**" below 0.05, "*" below 0.10, else "".
std::string SignificanceStars(double p_value);

// The star levels SignificanceStars uses, strongest first.
struct StarLevel {
  double below;       // p < below earns the stars
  const char* stars;  // "***"
};
inline constexpr StarLevel kStarLevels[] = {{0.01, "***"}, {0.05, "**"}, {0.10, "*"}};

// The fewest permutations the count warnings recommend: B + 1 = 2000 is a
// multiple of 1 / level for every star level, so each level falls on the
// lattice of attainable p-values (Davison & Hinkley 1997, sec. 4.2), and the
// Monte Carlo standard error of a p-value of 0.05 is sqrt(0.05 * 0.95 / 1999)
// = 0.0049, a tenth of that level.
inline constexpr std::size_t kRecommendedPermutations = 1999;

// Sentences a report prints in its header when the number of permutations
// limits what the p-values can say (empty when it does not), free of any
// front end's option names:
//  * more permutations than the n! distinct orderings of `nodes` nodes: drawn
//    permutations repeat and the p-values are no finer than 1 / n!;
//  * so few permutations that the step between attainable p-values (1 / (B + 1)
//    under plus-one, 1 / B under proportion) is not below the strongest star
//    level (0.01): some star levels cannot be reached, or every one is decided
//    by a single permutation, so the stars reflect B as much as the data
//    (B <= 99 under plus-one, B <= 100 under proportion).
// Between 100 and kRecommendedPermutations nothing is said: every level can be
// reached, only less precisely, and 999 is a common choice.
std::vector<std::string> PermutationCountWarnings(std::size_t nodes, std::size_t permutations,
                                                  PValueRule rule);

}  // namespace qap
