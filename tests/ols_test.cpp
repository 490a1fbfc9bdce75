#include "qap/core/ols.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <random>

#include "test_support.hpp"

namespace qap {
namespace {

using testing::RelativelyNear;

TEST(Ols, MatchesAHandComputedSimpleRegression) {
  Eigen::MatrixXd x(5, 1);
  x << 1, 2, 3, 4, 5;
  Eigen::VectorXd y(5);
  y << 1, 2, 3, 4, 6;
  const auto result = FitOls(x, y);
  ASSERT_TRUE(std::holds_alternative<OlsFit>(result));
  const OlsFit& fit = std::get<OlsFit>(result);
  // b = Sxy/Sxx = 12/10, a = 3.2 - 1.2*3; SSE = 0.4 with 3 df; SST = 14.8.
  EXPECT_TRUE(RelativelyNear(fit.coefficients[1], 1.2, 1e-12));
  EXPECT_TRUE(RelativelyNear(fit.coefficients[0], -0.4, 1e-12));
  EXPECT_TRUE(RelativelyNear(fit.standard_errors[1], std::sqrt(0.4 / 3.0 / 10.0), 1e-12));
  EXPECT_TRUE(
      RelativelyNear(fit.standard_errors[0], std::sqrt(0.4 / 3.0 * (0.2 + 9.0 / 10.0)), 1e-12));
  EXPECT_TRUE(RelativelyNear(fit.t_values[1], 1.2 / std::sqrt(0.4 / 30.0), 1e-12));
  EXPECT_TRUE(RelativelyNear(fit.r_squared, 1.0 - 0.4 / 14.8, 1e-12));
  EXPECT_TRUE(RelativelyNear(fit.adjusted_r_squared, 1.0 - (0.4 / 14.8) * 4.0 / 3.0, 1e-12));
  EXPECT_TRUE(RelativelyNear(fit.f_statistic, fit.t_values[1] * fit.t_values[1], 1e-12));
}

// Reference: normal equations solved in long double.
TEST(Ols, MatchesLongDoubleNormalEquationsOnRandomData) {
  std::mt19937_64 random(testing::AnnouncedSeed(20261123));
  std::normal_distribution<double> normal;
  const Eigen::Index n = 200;
  Eigen::MatrixXd x(n, 3);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = normal(random);
    x(i, 1) = 1e4 * normal(random) + 3e4;
    x(i, 2) = normal(random) > 0 ? 1.0 : 0.0;
    y[i] = 1.0 + 2.0 * x(i, 0) - 3e-4 * x(i, 1) + 0.5 * x(i, 2) + normal(random);
  }
  using LongMatrix = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
  LongMatrix design(n, 4);
  design.col(0).setOnes();
  design.rightCols(3) = x.cast<long double>();
  const LongMatrix gram = design.transpose() * design;
  const LongMatrix inverse = gram.inverse();
  const Eigen::Matrix<long double, Eigen::Dynamic, 1> beta =
      inverse * design.transpose() * y.cast<long double>();
  const Eigen::Matrix<long double, Eigen::Dynamic, 1> residual =
      y.cast<long double>() - design * beta;
  const long double sigma2 = residual.squaredNorm() / static_cast<long double>(n - 4);

  const OlsFit fit = std::get<OlsFit>(FitOls(x, y));
  for (Eigen::Index c = 0; c < 4; ++c) {
    const auto se = static_cast<double>(std::sqrt(sigma2 * inverse(c, c)));
    EXPECT_TRUE(RelativelyNear(fit.coefficients[c], static_cast<double>(beta[c]), 1e-10)) << c;
    EXPECT_TRUE(RelativelyNear(fit.standard_errors[c], se, 1e-10)) << c;
    EXPECT_TRUE(RelativelyNear(fit.t_values[c], static_cast<double>(beta[c]) / se, 1e-10)) << c;
  }
}

TEST(Ols, SlopeTStatisticsAreInvariantToExtremeScaling) {
  std::mt19937_64 random(testing::AnnouncedSeed(7));
  std::normal_distribution<double> normal;
  Eigen::MatrixXd x(100, 2);
  Eigen::VectorXd y(100);
  for (Eigen::Index i = 0; i < 100; ++i) {
    x(i, 0) = normal(random);
    x(i, 1) = normal(random);
    y[i] = x(i, 0) - x(i, 1) + normal(random);
  }
  const OlsFit base = std::get<OlsFit>(FitOls(x, y));
  for (double scale : {1e12, 1e-12}) {
    Eigen::MatrixXd scaled = x;
    scaled.col(1) *= scale;
    const auto result = FitOls(scaled, y);
    ASSERT_TRUE(std::holds_alternative<OlsFit>(result)) << scale;
    const OlsFit& fit = std::get<OlsFit>(result);
    EXPECT_TRUE(RelativelyNear(fit.t_values[2], base.t_values[2], 1e-9)) << scale;
    EXPECT_TRUE(RelativelyNear(fit.coefficients[2] * scale, base.coefficients[2], 1e-9)) << scale;
    EXPECT_TRUE(RelativelyNear(fit.r_squared, base.r_squared, 1e-12)) << scale;
  }
}

TEST(Ols, ReportsConstantAndCollinearPredictorsByColumn) {
  Eigen::MatrixXd x(6, 3);
  x << 1, 5, 2, 2, 5, 4, 3, 5, 6, 4, 5, 8, 5, 5, 10, 6, 5, 12;
  Eigen::VectorXd y(6);
  y << 1, 3, 2, 5, 4, 6;
  auto constant = std::get<RankProblem>(FitOls(x, y));
  EXPECT_EQ(constant.kind, RankProblem::Kind::kConstantPredictor);
  EXPECT_EQ(constant.predictors, std::vector<Eigen::Index>{1});

  Eigen::MatrixXd collinear(6, 2);
  collinear.col(0) = x.col(0);
  collinear.col(1) = x.col(2);  // = 2 * column 0
  auto problem = std::get<RankProblem>(FitOls(collinear, y));
  EXPECT_EQ(problem.kind, RankProblem::Kind::kCollinear);
  EXPECT_EQ(problem.predictors.size(), 1U);

  EXPECT_EQ(std::get<RankProblem>(FitOls(x.leftCols(1), Eigen::VectorXd::Constant(6, 2.0))).kind,
            RankProblem::Kind::kConstantResponse);
  EXPECT_EQ(std::get<RankProblem>(FitOls(x.topRows(2), y.head(2))).kind,
            RankProblem::Kind::kTooFewObservations);
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

// The fast path's fit: same numbers as FitOls, and the design left holding an
// orthonormal basis of the centred, scaled design with its coordinates.
TEST(Ols, InPlaceFitEqualsFitOlsAndLeavesAnOrthonormalBasis) {
  std::mt19937_64 random(testing::AnnouncedSeed(20261130));
  std::normal_distribution<double> normal;
  const Eigen::Index n = 300;
  const Eigen::Index k = 4;
  Eigen::MatrixXd x(n, k);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = normal(random);
    x(i, 1) = 1e4 * normal(random) + 3e4;
    x(i, 2) = normal(random) > 0 ? 1.0 : 0.0;
    x(i, 3) = x(i, 0) + 0.01 * normal(random);  // near-collinear with column 0: pivoting matters
    y[i] = 1.0 + 2.0 * x(i, 0) - 3e-4 * x(i, 1) + 0.5 * x(i, 2) + normal(random);
  }
  const OlsFit reference = std::get<OlsFit>(FitOls(x, y));
  Eigen::MatrixXd design(n, k + 1);
  design.rightCols(k) = x;
  Eigen::MatrixXd coordinates;
  const auto result = FitOlsInPlace(design, y, coordinates);
  ASSERT_TRUE(std::holds_alternative<OlsFit>(result));
  const OlsFit& fit = std::get<OlsFit>(result);
  for (Eigen::Index c = 0; c <= k; ++c) {
    EXPECT_TRUE(RelativelyNear(fit.coefficients[c], reference.coefficients[c], 1e-10)) << c;
    EXPECT_TRUE(RelativelyNear(fit.standard_errors[c], reference.standard_errors[c], 1e-10)) << c;
    EXPECT_TRUE(RelativelyNear(fit.t_values[c], reference.t_values[c], 1e-10)) << c;
  }
  EXPECT_TRUE(RelativelyNear(fit.r_squared, reference.r_squared, 1e-12));
  EXPECT_TRUE(RelativelyNear(fit.condition_number, reference.condition_number, 1e-10));
  EXPECT_EQ(fit.residuals.size(), 0);
  // Q'Q = I and Q C = [1, (x - mean) / scale].
  EXPECT_LT(
      (design.transpose() * design - Eigen::MatrixXd::Identity(k + 1, k + 1)).cwiseAbs().maxCoeff(),
      1e-12);
  Eigen::MatrixXd scaled(n, k + 1);
  scaled.col(0).setOnes();
  for (Eigen::Index c = 0; c < k; ++c) {
    scaled.col(c + 1) = (x.col(c).array() - fit.predictor_means[c]) / fit.predictor_scales[c];
    EXPECT_TRUE(RelativelyNear(fit.predictor_scales[c], SampleStandardDeviation(x.col(c)), 1e-12));
  }
  EXPECT_LT((design * coordinates - scaled).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_TRUE(RelativelyNear(fit.response_scale, SampleStandardDeviation(y), 1e-12));
}

TEST(Ols, InPlaceFitNamesTheSameRankProblemsAsFitOls) {
  Eigen::MatrixXd x(6, 2);
  x << 1, 2, 2, 4, 3, 6, 4, 8, 5, 10, 6, 12;  // column 1 = 2 x column 0
  Eigen::VectorXd y(6);
  y << 1, 3, 2, 5, 4, 6;
  Eigen::MatrixXd design(6, 3);
  design.rightCols(2) = x;
  Eigen::MatrixXd coordinates;
  const auto in_place = FitOlsInPlace(design, y, coordinates);
  const auto reference = FitOls(x, y);
  ASSERT_TRUE(std::holds_alternative<RankProblem>(in_place));
  EXPECT_EQ(std::get<RankProblem>(in_place).kind, std::get<RankProblem>(reference).kind);
  EXPECT_EQ(std::get<RankProblem>(in_place).predictors,
            std::get<RankProblem>(reference).predictors);
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

// FitOls runs its own column-pivoting Householder QR (no N-sized temporaries);
// it must take the decisions Eigen's ColPivHouseholderQR takes on the same
// scaled design: the same rank, the same columns called collinear, the same
// solution.
TEST(Ols, OwnPivotedQrAgreesWithEigensColPivHouseholderQr) {
  std::mt19937_64 random(testing::AnnouncedSeed(77));
  std::normal_distribution<double> normal;
  for (int trial = 0; trial < 40; ++trial) {
    const Eigen::Index n = 30 + trial;
    const Eigen::Index k = 3 + trial % 4;  // at least 3, so column k - 1 is not column 1
    Eigen::MatrixXd x(n, k);
    for (Eigen::Index i = 0; i < x.size(); ++i)
      x.data()[i] = normal(random) * std::pow(10.0, trial % 7 - 3);
    if (trial % 3 == 1) x.col(k - 1) = 2.0 * x.col(0) - 0.5 * x.col(1);  // exactly collinear
    if (trial % 3 == 2)
      x.col(1) = (x.col(0).array() * 3.0 + 1.0).matrix();  // collinear once centred
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) y[i] = x(i, 0) + normal(random);

    Eigen::MatrixXd scaled(n, k + 1);
    scaled.col(0).setOnes();
    for (Eigen::Index c = 0; c < k; ++c) {
      scaled.col(c + 1) = (x.col(c).array() - x.col(c).mean()) / SampleStandardDeviation(x.col(c));
    }
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> eigen(scaled);
    eigen.setThreshold(kRankTolerance);
    const auto ours = FitOls(x, y);
    if (eigen.rank() < k + 1) {
      // Which member of an exactly collinear set is named "the" dependent one
      // is a tie broken by rounding; any member is a true answer, and the
      // count must agree.
      ASSERT_TRUE(std::holds_alternative<RankProblem>(ours)) << "trial " << trial;
      const RankProblem& problem = std::get<RankProblem>(ours);
      EXPECT_EQ(problem.kind, RankProblem::Kind::kCollinear);
      EXPECT_EQ(static_cast<Eigen::Index>(problem.predictors.size()), k + 1 - eigen.rank())
          << "trial " << trial;
      const std::vector<Eigen::Index> members =
          trial % 3 == 1 ? std::vector<Eigen::Index>{0, 1, k - 1} : std::vector<Eigen::Index>{0, 1};
      for (const Eigen::Index c : problem.predictors) {
        EXPECT_NE(std::find(members.begin(), members.end(), c), members.end())
            << "trial " << trial << " named " << c;
      }
      continue;
    }
    ASSERT_EQ(trial % 3, 0) << "a collinear design was called full rank, trial " << trial;
    ASSERT_TRUE(std::holds_alternative<OlsFit>(ours)) << "trial " << trial;
    const Eigen::VectorXd gamma = eigen.solve(y);
    const OlsFit& fit = std::get<OlsFit>(ours);
    for (Eigen::Index c = 1; c <= k; ++c) {
      const double slope = gamma[c] / SampleStandardDeviation(x.col(c - 1));
      EXPECT_TRUE(RelativelyNear(fit.coefficients[c], slope, 1e-10, 1e-12))
          << "trial " << trial << " column " << c;
    }
  }
}

}  // namespace
}  // namespace qap
