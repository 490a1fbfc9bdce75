// Numerical robustness (issue 6): extreme scales, near-collinearity, and
// degenerate data give correct results or a clear refusal.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <random>

#include "qap/errors.hpp"
#include "qap/ols.hpp"
#include "qap/regression.hpp"
#include "qap/report.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using testing::RelativelyNear;

struct Data {
  LabelledMatrix y;
  std::vector<LabelledMatrix> x;
};

LabelledMatrix Matrix(const std::string& name, Eigen::Index n) {
  LabelledMatrix m;
  m.name = name;
  m.source = name;
  for (Eigen::Index i = 0; i < n; ++i) m.labels.push_back("n" + std::to_string(i));
  m.values = DyadMatrix::Zero(n, n);
  return m;
}

Data Generate(std::uint64_t seed, double collinearity_noise) {
  std::mt19937_64 random(testing::AnnouncedSeed(seed));
  std::normal_distribution<double> normal;
  const Eigen::Index n = 25;
  Data d{Matrix("Y", n), {Matrix("X1", n), Matrix("X2", n), Matrix("X3", n)}};
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      const double x1 = normal(random);
      const double x2 = normal(random);
      d.x[0].values(i, j) = x1;
      d.x[1].values(i, j) = x2;
      d.x[2].values(i, j) = x1 + collinearity_noise * normal(random);
      d.y.values(i, j) = 1.0 + 0.5 * x1 - 0.25 * x2 + normal(random);
    }
  }
  return d;
}

TEST(Numerical, PredictorsScaledBy1e12Or1eMinus12GiveTheSameTestsAndScaledCoefficients) {
  const Data base = Generate(1, 1.0);
  RegressionOptions options;
  options.permutation.permutations = 199;
  options.permutation.seed = 5;
  const RegressionResult reference = RunQapRegression(base.y, base.x, options);
  for (double scale : {1e12, 1e-12}) {
    Data scaled = base;
    scaled.x[1].values *= scale;
    const RegressionResult r = RunQapRegression(scaled.y, scaled.x, options);
    for (std::size_t c = 1; c < r.coefficients.size(); ++c) {
      EXPECT_TRUE(RelativelyNear(r.coefficients[c].t, reference.coefficients[c].t, 1e-9)) << scale << " " << c;
      EXPECT_TRUE(RelativelyNear(r.coefficients[c].standardized, reference.coefficients[c].standardized, 1e-9));
      EXPECT_EQ(r.coefficients[c].permutation->count_as_extreme, reference.coefficients[c].permutation->count_as_extreme);
    }
    EXPECT_TRUE(RelativelyNear(r.coefficients[2].coefficient * scale, reference.coefficients[2].coefficient, 1e-9));
    EXPECT_TRUE(RelativelyNear(r.condition_number, reference.condition_number, 1e-9));
  }
}

// Near-collinear X1 and X3: the fit is still right (long-double normal
// equations as the reference) and the output warns.
TEST(Numerical, NearCollinearPredictorsAreFittedAccuratelyAndWarnedAbout) {
  const Data d = Generate(2, 1e-4);
  RegressionOptions options;
  options.null_hypothesis = NullHypothesis::kClassical;
  const RegressionResult r = RunQapRegression(d.y, d.x, options);
  EXPECT_GT(r.condition_number, kConditionWarning);
  const std::string text = RenderRegression(r, OutputFormat::kText, {});
  EXPECT_NE(text.find("Warning: the condition number of the scaled design"), std::string::npos) << text;
  // Reference: normal equations in long double over the directed dyads.
  const DyadIndex dyads(d.y.size(), {});
  using LongMatrix = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
  LongMatrix design(dyads.size(), 4);
  Eigen::Matrix<long double, Eigen::Dynamic, 1> y(dyads.size());
  for (Eigen::Index k = 0; k < dyads.size(); ++k) {
    design(k, 0) = 1.0L;
    for (Eigen::Index c = 0; c < 3; ++c) {
      design(k, c + 1) = static_cast<long double>(d.x[static_cast<std::size_t>(c)].values(dyads.row(k), dyads.column(k)));
    }
    y[k] = static_cast<long double>(d.y.values(dyads.row(k), dyads.column(k)));
  }
  const LongMatrix inverse = (design.transpose() * design).inverse();
  const Eigen::Matrix<long double, Eigen::Dynamic, 1> beta = inverse * design.transpose() * y;
  // (A plain loop: GCC 12 reports a null dereference inside Eigen's
  // long double difference expression here.)
  long double residual_square = 0.0L;
  for (Eigen::Index k = 0; k < dyads.size(); ++k) {
    const long double residual = y[k] - design.row(k).dot(beta);
    residual_square += residual * residual;
  }
  const long double sigma2 = residual_square / static_cast<long double>(dyads.size() - 4);
  for (Eigen::Index c = 1; c < 4; ++c) {
    const auto t = static_cast<double>(beta[c] / std::sqrt(sigma2 * inverse(c, c)));
    EXPECT_TRUE(RelativelyNear(r.coefficients[static_cast<std::size_t>(c)].t, t, 1e-7)) << c;
    EXPECT_TRUE(RelativelyNear(r.coefficients[static_cast<std::size_t>(c)].coefficient, static_cast<double>(beta[c]), 1e-7)) << c;
  }
}

TEST(Numerical, AllDyadsEqualIsARefusalNotANumber) {
  Data d = Generate(3, 1.0);
  d.y.values.setConstant(4.2);
  RegressionOptions options;
  try {
    RunQapRegression(d.y, d.x, options);
    FAIL() << "expected ModelError";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("the dependent matrix Y is constant"), std::string::npos) << e.what();
  }
  Data x_constant = Generate(4, 1.0);
  x_constant.x[1].values.setConstant(-1.0);
  EXPECT_THROW(RunQapRegression(x_constant.y, x_constant.x, options), ModelError);
}

}  // namespace
}  // namespace qap
