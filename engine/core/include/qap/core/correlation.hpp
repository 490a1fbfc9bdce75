// QAP correlation: Pearson's r between two dyadic matrices, tested by
// permuting rows and columns of the first matrix together (Krackhardt 1987,
// Social Networks 9:171-186; sna's gcor with qaptest).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "qap/core/dyads.hpp"
#include "qap/core/labelled_matrix.hpp"
#include "qap/core/permutation_test.hpp"

namespace qap {

struct CorrelationOptions {
  DyadOptions dyads;
  PermutationOptions permutation;
  [[nodiscard]] std::optional<OptionsError> Validate() const { return permutation.Validate(); }
  bool operator==(const CorrelationOptions&) const = default;
};

struct CorrelationResult {
  CorrelationOptions options;  // as run
  // The permutations the run used, shared with it (a list is not copied):
  // --save-permutations writes this plan rather than making another.
  std::shared_ptr<const PermutationPlan> plan;
  std::uint64_t seed = 0;
  std::size_t permutations = 0;
  bool permutations_from_file = false;
  std::string first_name, first_source, second_name, second_source;
  Eigen::Index nodes = 0;
  Eigen::Index dyads_total = 0;
  Eigen::Index dyads_used = 0;  // dyads observed in both matrices
  double correlation = 0.0;     // exactly 0 when zero up to rounding (docs/method.md)
  PermutationTest test;
  std::vector<std::string> warnings;  // printed by every output format
  // PermutationCountWarnings for this run, printed in every format's header.
  std::vector<std::string> permutation_warnings;
};

// The matrices must be aligned. Missing cells move with the permuted matrix and
// each permutation's r uses the dyads observed in both. `inputs`: a list of
// permutations to use instead of drawing them, and a progress callback.
CorrelationResult RunQapCorrelation(const LabelledMatrix& first, const LabelledMatrix& second,
                                    const CorrelationOptions& options,
                                    const PermutationInputs& inputs = {});

}  // namespace qap
