// MRQAP: OLS regression of one dyadic matrix on others, with permutation tests.
//
// Nulls (docs/method.md gives each formula):
//  * y   - permute rows and columns of the dependent matrix together
//          (Krackhardt 1988, Social Networks 10:359-381; sna "qapy").
//  * dsp - double semi-partialling (Dekker, Krackhardt & Snijders 2007,
//          Psychometrika 72:563-581; sna "qapspp", UCINET's default): for each
//          predictor, permute the residual matrix of that predictor regressed
//          on the others and refit.
//  * x   - permute one predictor matrix alone and refit (sna "qapx").
//  * freedman-lane - permute the residual matrix of the model without the
//          predictor and add back its fitted values (Freedman & Lane 1983,
//          J. Bus. Econ. Stat. 1:292-298).
//  * classical - Student t and F, no permutation.
//
// Deviations from sna, on purpose:
//  * Missing cells: sna's qapspp writes the residual vector of the complete
//    dyads back over all cells, recycling it when a cell is missing, so its null
//    distribution is wrong. Here every permuted matrix carries its missing cells
//    along and each refit is listwise on the dyads observed in all its inputs.
//  * One permutation per index is shared by every coefficient's test (and by the
//    R-squared test); sna draws fresh permutations for each coefficient. Each
//    test is valid on its own either way.
//  * The intercept is tested only under the y null: under dsp, x and
//    freedman-lane there is no matrix whose permutation is a null for it.
//  * p-values default to (b+1)/(m+1); sna's b/m is --pvalue proportion.
//  * Refits that are undefined for a permutation (rank-deficient) are left out
//    of that test's m and counted in `undefined`. When every permutation is
//    undefined there is no test: its p-values are NaN (printed NA, no stars)
//    and a warning names the variable, never p = (0 + 1) / (0 + 1) = 1.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "qap/core/dyads.hpp"
#include "qap/core/labelled_matrix.hpp"
#include "qap/core/permutation_test.hpp"

namespace qap {

enum class NullHypothesis {
  kDoubleSemiPartialling,
  kPermuteY,
  kPermuteX,
  kFreedmanLane,
  kClassical
};
// The help is what reports print after the name ("dsp (Dekker ...)").
inline constexpr EnumName<NullHypothesis> kNullHypothesisNames[] = {
    {NullHypothesis::kDoubleSemiPartialling, "dsp",
     "Dekker double semi-partialling: permute each predictor's residual matrix"},
    {NullHypothesis::kPermuteY, "y", "permute the dependent matrix"},
    {NullHypothesis::kPermuteX, "x", "permute each predictor matrix alone"},
    {NullHypothesis::kFreedmanLane, "freedman-lane", "permute residuals of the reduced model"},
    {NullHypothesis::kClassical, "classical", "Student t, no permutation"},
};
constexpr std::span<const EnumName<NullHypothesis>> EnumTable(NullHypothesis) {
  return kNullHypothesisNames;
}

enum class TestStatistic { kT, kCoefficient };
inline constexpr EnumName<TestStatistic> kTestStatisticNames[] = {
    {TestStatistic::kT, "t", "the coefficient's t statistic", "t"},
    // Reports write the coefficient as b in formulas (|b*| >= |b|).
    {TestStatistic::kCoefficient, "beta", "the coefficient itself", "b"},
};
constexpr std::span<const EnumName<TestStatistic>> EnumTable(TestStatistic) {
  return kTestStatisticNames;
}

// How permutation statistics are computed. Both give the same numbers (to
// rounding); kAuto takes the projection kernel whenever no selected dyad is
// missing and the listwise refit otherwise.
enum class PermutationAlgorithm {
  kAuto,
  kRefit,  // refit every permuted model from scratch: the reference, for cross-checks
};
inline constexpr EnumName<PermutationAlgorithm> kPermutationAlgorithmNames[] = {
    {PermutationAlgorithm::kAuto, "auto",
     "the projection kernel when no dyad is missing, else the listwise refit"},
    {PermutationAlgorithm::kRefit, "refit", "refit every permuted model (the reference)"},
};
constexpr std::span<const EnumName<PermutationAlgorithm>> EnumTable(PermutationAlgorithm) {
  return kPermutationAlgorithmNames;
}

struct RegressionOptions {
  NullHypothesis null_hypothesis = NullHypothesis::kDoubleSemiPartialling;
  TestStatistic statistic = TestStatistic::kT;
  PermutationAlgorithm algorithm = PermutationAlgorithm::kAuto;
  DyadOptions dyads;
  PermutationOptions permutation;
  // Keep every permutation's statistics in RegressionResult::null_distribution.
  bool keep_null_distribution = false;

  [[nodiscard]] std::optional<OptionsError> Validate() const;  // empty when valid
  bool operator==(const RegressionOptions&) const = default;   // settings only, so comparable
};

struct CoefficientEstimate {
  std::string name;           // "(intercept)" or the predictor's name
  std::string source;         // file the predictor came from
  double coefficient = 0.0;   // unstandardized b
  double standardized = 0.0;  // b * sd(x) / sd(y) over the dyads used; NaN for the intercept
  double standard_error = 0.0;
  double t = 0.0;
  double classical_p = 0.0;                    // two-sided, Student t with N - K - 1 df
  std::optional<PermutationTest> permutation;  // empty when not permutation-tested
  std::size_t undefined =
      0;  // permutations whose statistic was undefined (rank-deficient permuted model)
  // Permutations whose statistic the projection kernel handed to the listwise
  // refit because its own arithmetic would have lost the digits (docs/method.md
  // "Cancellation in the fast path"); 0 on ordinary data and under the refit.
  std::size_t refit_fallbacks = 0;
  // The fit's |t| was within rounding error of 0 (OlsFit::t_rounding_tolerance;
  // docs/method.md "Zero up to rounding"): b, standardized b and t are set to
  // exactly 0 and classical_p to 1; permuted statistics within the same bound
  // count as 0, so they tie with it. RegressionResult::warnings names it.
  bool zero_up_to_rounding = false;
};

struct RegressionResult {
  RegressionOptions options;  // as run
  // The permutations the run used, shared with it (a list is not copied):
  // whoever writes them (--save-permutations) reads this plan rather than
  // making another. Null under the classical null.
  std::shared_ptr<const PermutationPlan> plan;
  std::uint64_t seed = 0;
  std::size_t permutations = 0;  // 0 under the classical null
  bool permutations_from_file = false;
  bool used_projection_kernel = false;  // false: the listwise refit ran

  std::string dependent_name;
  std::string dependent_source;
  std::vector<std::string> node_labels;
  Eigen::Index nodes = 0;
  Eigen::Index dyads_total = 0;  // dyads the mode selects
  Eigen::Index dyads_used = 0;   // complete dyads in the observed fit

  std::vector<CoefficientEstimate> coefficients;  // intercept first
  double r_squared = 0.0;
  double adjusted_r_squared = 0.0;
  double f_statistic = 0.0;
  Eigen::Index f_df1 = 0;
  Eigen::Index f_df2 = 0;
  double f_p_value = 0.0;
  // sqrt(RSS / f_df2) in the dependent's units: sna's summary.netlm
  // "Residual standard error ... on f_df2 degrees of freedom".
  double residual_standard_error = 0.0;
  double condition_number = 1.0;  // of the centred, scaled design (see kConditionWarning)
  // R-squared against the y null (UCINET reports this whatever the
  // coefficients' null is); empty under the classical null.
  std::optional<PermutationTest> r_squared_test;
  // What a reader must know to trust the table, one sentence each, naming the
  // variable (e.g. a coefficient that is zero up to rounding). Every output
  // format prints them.
  std::vector<std::string> warnings;
  // What the number of permutations leaves the p-values able to say
  // (PermutationCountWarnings); reports print them in their header, and the
  // JSON's warnings list them first. Empty under the classical null.
  std::vector<std::string> permutation_warnings;

  // permutations x (coefficients + 1): each coefficient's null statistic, then
  // R-squared under the y null. Filled only when keep_null_distribution.
  Eigen::MatrixXd null_distribution;
};

// Memory a run may spend keeping its null distribution (keep_null_distribution:
// the JSON quantiles and the --plot histograms need every statistic). Counted:
// the distribution, permutations x (predictors + 2) doubles, and as much again
// for the sorted and plotted copies. Larger runs are refused before they start.
inline constexpr std::uint64_t kNullDistributionBudgetBytes = std::uint64_t{4} << 30U;  // 4 GiB

// Bytes the kept null distribution of such a run takes (saturating, never wraps).
std::uint64_t NullDistributionBytes(std::uint64_t permutations, std::size_t predictors);
// Nothing when it fits kNullDistributionBudgetBytes; otherwise the error giving
// the memory it would take and the largest permutation count that fits,
// naming the options that keep the distribution by field ("plot", "format").
std::optional<OptionsError> NullDistributionMemoryError(std::uint64_t permutations,
                                                        std::size_t predictors);

// `dependent` and `explanatory` must be aligned (same labels in the same
// order, see alignment.hpp). `inputs` gives a list of permutations to use
// instead of drawing options.permutation.permutations, and a progress
// callback. Throws OptionsError, DataError or ModelError.
RegressionResult RunQapRegression(const LabelledMatrix& dependent,
                                  const std::vector<LabelledMatrix>& explanatory,
                                  const RegressionOptions& options,
                                  const PermutationInputs& inputs = {});

}  // namespace qap
