// Exact rescaling of an input matrix by a power of two before any sum is
// taken (docs/method.md, "Scaling").
//
// Why: the fits square and sum dyad values. Near 1e154 the sums of squares
// overflow, near 1e-155 they underflow, and the results became inf, 0 or a
// false "constant"/"collinear" verdict. Multiplying by 2^-e changes only the
// exponent of each double, so every sum, product, quotient and square root
// taken afterwards is the old one times a power of two, rounded the same way:
// t, p, R^2, F, r and the rank decisions come out bit for bit as they would
// in exact-range arithmetic, and b and its standard error map back by
// 2^(e_y - e_k) exactly.
//
// A matrix whose largest |value| lies in [2^-kSafeExponent, 2^kSafeExponent]
// is used as it is (no copy, the same bits as before): at that range no sum
// of squares or covariance product of a fit can overflow or underflow, with
// up to 2^30 dyads, any spread down to one unit in the last place, and the
// 1e10 condition bound of the rank test.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "qap/core/dyads.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/labelled_matrix.hpp"

namespace qap::detail {

inline constexpr int kSafeExponent = 100;

// Above this many binary orders between the largest and smallest nonzero
// |value|, scaling the largest below 1 (so sums of squares stay finite)
// would push the smallest under DBL_MIN: no single scale holds the matrix.
inline constexpr int kLargestSpanExponent = DBL_MAX_EXP - 3;  // 1021 binary orders, ~3e307

// "2.5e+600" for log10_value = 600.4: a magnitude given by its logarithm,
// for messages about numbers a double cannot hold.
inline std::string OrderOfMagnitude(double log10_value) {
  double exponent = std::floor(log10_value);
  double mantissa = std::pow(10.0, log10_value - exponent);
  if (mantissa >= 9.95) {
    mantissa /= 10.0;
    exponent += 1.0;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1fe%+.0f", mantissa, exponent);
  return text;
}

// The exponent e such that the matrix times 2^-e is safe to fit: 0 when it
// already is (or has no nonzero finite value over the selected dyads), else
// the one that puts its largest |value| in [0.5, 1). Only the selected dyads
// count: permutations map them onto each other, and a diagonal that is not
// analysed must not set the scale. Throws DataError, naming the matrix and
// its range, when no power of two can hold the whole matrix.
inline int ChooseScaleExponent(const DyadIndex& dyads, const DyadMatrix& values,
                               const std::string& name) {
  double largest = 0.0;
  double smallest = std::numeric_limits<double>::infinity();
  dyads.ForEachDyad([&](Eigen::Index, std::uint32_t row, std::uint32_t column) {
    const double magnitude = std::abs(values(row, column));
    if (!std::isfinite(magnitude) || magnitude == 0.0) return;
    largest = std::max(largest, magnitude);
    smallest = std::min(smallest, magnitude);
  });
  if (largest == 0.0) return 0;
  const int top = std::ilogb(largest);
  const int bottom = std::ilogb(smallest);
  if (top - bottom > kLargestSpanExponent) {
    throw DataError(
        name + ": its nonzero values range from about " + OrderOfMagnitude(std::log10(smallest)) +
        " to " + OrderOfMagnitude(std::log10(largest)) +
        " in magnitude, more than the ~307 orders of " +
        "magnitude a double can hold at one scale while its sums of squares stay finite; the " +
        "smallest would be lost (set values that small to 0, or transform the matrix, e.g. log)");
  }
  if (top >= -kSafeExponent && top < kSafeExponent) return 0;
  return top + 1;
}

// values * 2^-exponent (missing and infinite cells stay as they are).
inline DyadMatrix ScaledByPowerOfTwo(const DyadMatrix& values, int exponent) {
  return values.unaryExpr([exponent](double v) { return std::ldexp(v, -exponent); });
}

}  // namespace qap::detail
