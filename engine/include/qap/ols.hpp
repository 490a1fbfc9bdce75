// Ordinary least squares with an intercept, for dyadic regressions.
//
// The design is centred and scaled column by column before a column-pivoting
// Householder QR, then coefficients and their covariance are mapped back. Why:
// dyadic covariates differ by many orders of magnitude (GDP per capita ~1e4,
// dummies ~1), and an unscaled rank test would call a small-scale column
// "collinear" or miss a real collinearity. t statistics of the slopes are
// invariant to the scaling, so nothing is lost.
//
// y itself is only centred, and the column means and scales are plain sums:
// values far outside 2^-100 .. 2^100 can overflow or underflow them.
// RunQapRegression first scales such matrices by a power of two
// (src/power_of_two_scale.hpp, docs/method.md "Scaling"); direct callers with
// extreme data must do the same.
#pragma once

#include <Eigen/Core>
#include <variant>
#include <vector>

namespace qap {

struct OlsFit {
  Eigen::VectorXd coefficients;     // intercept first, then one per predictor column
  Eigen::VectorXd standard_errors;  // same layout
  Eigen::VectorXd t_values;         // same layout
  Eigen::VectorXd residuals;        // one per observation
  Eigen::VectorXd predictor_means;   // one per predictor column
  Eigen::VectorXd predictor_scales;  // sample standard deviations (divisor N-1)
  double response_scale = 0.0;       // sample standard deviation of y
  double r_squared = 0.0;
  double adjusted_r_squared = 0.0;
  double f_statistic = 0.0;
  double residual_variance = 0.0;
  // 2-norm condition number of the centred and scaled design [1, Z]: large
  // values mean near-collinear predictors (kConditionWarning).
  double condition_number = 1.0;
  Eigen::Index observations = 0;     // N
  Eigen::Index predictors = 0;       // K, not counting the intercept
  [[nodiscard]] Eigen::Index residual_degrees_of_freedom() const { return observations - predictors - 1; }
};

// Why a design cannot be fitted.
struct RankProblem {
  enum class Kind { kTooFewObservations, kConstantResponse, kConstantPredictor, kCollinear };
  Kind kind = Kind::kCollinear;
  std::vector<Eigen::Index> predictors;  // predictor columns (0-based, no intercept) at fault
};

// Relative threshold on the pivots of the scaled design's R factor below which
// a column counts as a linear combination of the others (condition ~1e10).
inline constexpr double kRankTolerance = 1e-10;

// Above this condition number of the scaled design, outputs warn that
// near-collinearity inflates the standard errors (Belsley, Kuh & Welsch 1980
// treat 30 as strong dependence; 1000 leaves about three digits of the
// coefficients to trust).
inline constexpr double kConditionWarning = 1000.0;

// Regresses y on [1, predictors]. Rows are observations.
std::variant<OlsFit, RankProblem> FitOls(const Eigen::Ref<const Eigen::MatrixXd>& predictors,
                                         const Eigen::Ref<const Eigen::VectorXd>& response);

// FitOls without a second copy of the design, for the largest problems.
// `design` is N x (K + 1): column 0 is overwritten with ones, columns 1..K
// hold the predictors. On success the design is replaced by an orthonormal
// basis Q of the span of the centred and scaled design Z = [1, (x - mean) /
// scale], and `coordinates` (p x p) is Q'Z, so Z = Q * coordinates. The fit
// is FitOls's (same factorisation; Q'y and the residual sum of squares are
// taken from the formed Q in two streaming passes instead of applying the
// reflectors to a copy of y). The response must not alias the design.
// residuals are left empty: at a million dyads they would be one more vector
// nobody reads.
std::variant<OlsFit, RankProblem> FitOlsInPlace(Eigen::Ref<Eigen::MatrixXd> design,
                                                const Eigen::Ref<const Eigen::VectorXd>& response,
                                                Eigen::MatrixXd& coordinates);

// Sample standard deviation (divisor N-1).
double SampleStandardDeviation(const Eigen::Ref<const Eigen::VectorXd>& v);

}  // namespace qap
