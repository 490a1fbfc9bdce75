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
  Eigen::VectorXd coefficients;      // intercept first, then one per predictor column
  Eigen::VectorXd standard_errors;   // same layout
  Eigen::VectorXd t_values;          // same layout
  Eigen::VectorXd residuals;         // one per observation
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
  // Bound on the rounding error of every t value of this fit (see
  // RoundingErrorScale and docs/method.md "Zero up to rounding"): a |t| at
  // or below it cannot be told from 0 in double precision. 0 for an exact
  // fit (no residual), where t is not finite and nothing is decided.
  double t_rounding_tolerance = 0.0;
  // The residual cannot be told from 0: y is an exact linear function of the
  // predictors (e.g. one of them) up to the rounding of the data themselves,
  // |r| <= eps (|y| + sum_j |b_j| |x_j|) with eps = RoundingErrorScale(p) and
  // uncentred norms. t is then rounding noise over rounding noise (1e16), and
  // RunQapRegression refuses the model. A fit this close to exact that is not
  // exact would need residuals below the precision the data are stored in.
  bool exact_fit = false;
  Eigen::Index observations = 0;  // N
  Eigen::Index predictors = 0;    // K, not counting the intercept
  [[nodiscard]] Eigen::Index residual_degrees_of_freedom() const {
    return observations - predictors - 1;
  }
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

// Zero up to rounding (docs/method.md). The relative backward error eps of
// the sums a fit of p columns takes (centring, Householder QR, Q'y, the
// kernel's gathered dot products), in the one case it is used for: a
// statistic whose exact value is 0, i.e. an inner product of N terms of
// either sign that cancel. Each rounding error is proportional to the
// partial sum it rounds, and those partial sums are themselves a random
// walk, so the accumulated error stays a few u of |a| |b| whatever N: with
// probability 1 - 2 exp(-lambda^2 / 2) below lambda u |a| |b| in the
// random-rounding model of Higham & Mary (2019, SIAM J. Sci. Comput.
// 41:A2815). p columns add sqrt(p). The worst case, c N p u (Higham 2002,
// Thm 19.4), is never approached and grows with N: at 10^4 dyads it would
// zero a real coefficient of 1e-12 relative size (tests). Measured: the
// rounding noise of an exactly-zero t under every null and both algorithms
// stays within 3.1 u sqrt(df) |y| / |r| from 380 to 89,700 dyads; the bound
// built on eps = 8 sqrt(p) u was 39 times that or more (far more when a
// column's mean is large against its spread).
inline constexpr double kRoundingErrorLambda = 8.0;
double RoundingErrorScale(Eigen::Index columns);

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
