// Pictures as self-contained SVG (no plotting dependency): the permutation
// distribution of each coefficient, and a forest plot of a study's
// standardized coefficients across products.
#pragma once

#include <string>

#include "qap/core/regression.hpp"
#include "qap/study/study.hpp"

namespace qap {

// One histogram per permutation-tested coefficient (and R^2 under y) with the
// observed statistic marked and its two-sided p printed. Needs the null
// distribution (RegressionOptions::keep_null_distribution); OptionsError
// otherwise.
std::string RenderNullDistributionSvg(const RegressionResult& result);

// Standardized coefficients of one variant of a study: a panel per variable
// and direction, a row per product, the classical 95 % interval as a bar, a
// filled marker when the permutation test is significant at 10 %, and the
// stars beside it.
std::string RenderStudyForestSvg(const StudyResult& result, const std::string& variant);

}  // namespace qap
