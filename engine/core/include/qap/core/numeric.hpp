// Small numeric constants shared by the rooms, so "missing" is spelled one way.
#pragma once

#include <limits>

namespace qap {

// A missing cell or an undefined statistic (LabelledMatrix: NaN = missing).
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace qap
