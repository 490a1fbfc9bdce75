// Issue 16, point 3a: a statistic that is zero in exact arithmetic must come
// out as 0 with p = 1, not as rounding noise tested against rounding noise.
//
// The worked case: Y and X1 antisymmetric (y_i - y_j), X2 symmetric
// (|z_i - z_j|). Over the directed off-diagonal dyads the antisymmetric and the
// symmetric matrices are orthogonal subspaces, and both contain their own
// permutations P A P' (a permuted antisymmetric matrix is antisymmetric). So
// the coefficient of X2 and the intercept are exactly 0 in the observed fit
// and in every permuted fit of every null: the permuted Y* (y null), the
// permuted X2* (x null), the permuted residual of X2 on X1 (dsp: still
// symmetric) and the permuted reduced-model residual of Y (freedman-lane:
// still antisymmetric) all keep the two subspaces apart.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "qap/core/correlation.hpp"
#include "qap/core/regression.hpp"
#include "test_datasets.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using Synthetic = testing::Dataset;
using testing::kPermutationNulls;
using testing::kStatistics;
using testing::Orthogonal;
using testing::RelativelyNear;
using testing::SameNullDistribution;

bool Mentions(const std::vector<std::string>& warnings, const std::string& what) {
  for (const std::string& w : warnings) {
    if (w.find(what) != std::string::npos && w.find("zero up to rounding") != std::string::npos)
      return true;
  }
  return false;
}

TEST(ZeroUpToRounding, OrthogonalRegressorGetsPOneUnderEveryNullAndAlgorithm) {
  const Synthetic s = Orthogonal(20, 1601);
  for (NullHypothesis null : kPermutationNulls) {
    for (PermutationAlgorithm algorithm :
         {PermutationAlgorithm::kAuto, PermutationAlgorithm::kRefit}) {
      for (TestStatistic statistic : kStatistics) {
        for (PValueRule rule : {PValueRule::kPlusOne, PValueRule::kProportion}) {
          RegressionOptions options;
          options.null_hypothesis = null;
          options.algorithm = algorithm;
          options.statistic = statistic;
          options.permutation.permutations = 300;
          options.permutation.seed = 16;
          options.permutation.pvalue_rule = rule;
          const RegressionResult r = RunQapRegression(s.y, s.x, options);
          const std::string label = ToString(null) + " " + ToString(algorithm) + " " +
                                    ToString(statistic) + " " + ToString(rule);
          ASSERT_EQ(r.used_projection_kernel, algorithm == PermutationAlgorithm::kAuto) << label;
          const CoefficientEstimate& x2 = r.coefficients[2];
          EXPECT_EQ(x2.coefficient, 0.0) << label;
          EXPECT_EQ(x2.t, 0.0) << label;
          EXPECT_EQ(x2.classical_p, 1.0) << label;
          EXPECT_TRUE(x2.zero_up_to_rounding) << label;
          ASSERT_TRUE(x2.permutation.has_value()) << label;
          EXPECT_EQ(x2.permutation->valid, 300U) << label;
          EXPECT_EQ(x2.permutation->count_as_extreme, 300U) << label;
          EXPECT_EQ(x2.permutation->p_two_sided, 1.0) << label;
          EXPECT_EQ(x2.permutation->p_greater_equal, 1.0) << label;
          EXPECT_EQ(x2.permutation->p_less_equal, 1.0) << label;
          EXPECT_TRUE(Mentions(r.warnings, "X2")) << label;
          // The intercept is exactly 0 too (Y and X1 have mean 0, b_X2 = 0).
          EXPECT_EQ(r.coefficients[0].t, 0.0) << label;
          EXPECT_TRUE(Mentions(r.warnings, "(intercept)")) << label;
          if (null == NullHypothesis::kPermuteY) {
            EXPECT_EQ(r.coefficients[0].permutation->p_two_sided, 1.0) << label;
          }
          // X1 is untouched: a real effect, tested as usual.
          const CoefficientEstimate& x1 = r.coefficients[1];
          EXPECT_FALSE(x1.zero_up_to_rounding) << label;
          EXPECT_FALSE(Mentions(r.warnings, "X1")) << label;
          EXPECT_GT(std::abs(x1.t), 3.0) << label;
          EXPECT_LT(x1.permutation->p_two_sided, 0.05) << label;
        }
      }
    }
  }
}

// The kernel and the refit agree permutation by permutation on the orthogonal
// case too: both give exactly 0 where exact arithmetic does.

TEST(ZeroUpToRounding, KernelAndRefitAgreePermutationByPermutationOnTheOrthogonalCase) {
  const Synthetic s = Orthogonal(20, 1603);
  for (NullHypothesis null : kPermutationNulls) {
    for (TestStatistic statistic : kStatistics) {
      RegressionOptions options;
      options.null_hypothesis = null;
      options.statistic = statistic;
      options.permutation.permutations = 130;
      options.permutation.seed = 17;
      options.keep_null_distribution = true;
      const RegressionResult fast = RunQapRegression(s.y, s.x, options);
      options.algorithm = PermutationAlgorithm::kRefit;
      const RegressionResult reference = RunQapRegression(s.y, s.x, options);
      ASSERT_TRUE(fast.used_projection_kernel);
      ASSERT_TRUE(
          SameNullDistribution(fast.null_distribution, reference.null_distribution, 1e-9, 1e-9))
          << ToString(null) << " " << ToString(statistic);
      EXPECT_TRUE((fast.null_distribution.col(2).array() == 0.0).all()) << ToString(null);
      EXPECT_EQ(fast.coefficients[2].permutation->count_greater_equal,
                reference.coefficients[2].permutation->count_greater_equal);
    }
  }
}

// Guards the tolerance against being too loose. X1 and X2 symmetric, the
// noise E antisymmetric: E is orthogonal to 1, X1 and X2, so Y = X1 + beta X2
// + E has b_X2 = beta exactly and residual E, and the exact t of X2 is
// beta |x2~| sqrt(df) / |E| (x2~: X2 centred and partialled on X1), computed
// here in long double. With beta 1e-9 and 1e-12 of X1's coefficient over
// 9,900 dyads, t is about 1e-7 and 1e-10: tiny, but real, and kept. (A
// tolerance growing like sqrt(N) would zero the second.)
TEST(ZeroUpToRounding, SmallButRealCoefficientIsKept) {
  const Eigen::Index n = 100;
  std::mt19937_64 random(testing::AnnouncedSeed(1604));
  std::normal_distribution<double> normal;
  Synthetic base{testing::BlankMatrix("Y", n),
                 {testing::BlankMatrix("X1", n), testing::BlankMatrix("X2", n)}};
  DyadMatrix noise = DyadMatrix::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < i; ++j) {
      base.x[0].values(i, j) = base.x[0].values(j, i) = normal(random);
      base.x[1].values(i, j) = base.x[1].values(j, i) = normal(random);
      noise(i, j) = normal(random);
      noise(j, i) = -noise(i, j);
    }
  }
  for (double beta : {1e-9, 1e-12}) {
    Synthetic s = base;
    s.y.values = s.x[0].values + beta * s.x[1].values + noise;
    // Exact t in long double, over the directed off-diagonal dyads.
    using Real = long double;
    const Real count = static_cast<Real>(n * (n - 1));
    Real mean1 = 0, mean2 = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < n; ++j) {
        if (i == j) continue;
        mean1 += s.x[0].values(i, j);
        mean2 += s.x[1].values(i, j);
      }
    }
    mean1 /= count;
    mean2 /= count;
    Real s11 = 0, s12 = 0, s22 = 0, ee = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < n; ++j) {
        if (i == j) continue;
        const Real a = s.x[0].values(i, j) - mean1;
        const Real b = s.x[1].values(i, j) - mean2;
        s11 += a * a;
        s12 += a * b;
        s22 += b * b;
        ee += static_cast<Real>(noise(i, j)) * noise(i, j);
      }
    }
    const Real partial = s22 - s12 * s12 / s11;  // |x2~|^2
    const double exact_t = static_cast<double>(static_cast<Real>(beta) * std::sqrt(partial) *
                                               std::sqrt((count - 3) / ee));
    for (NullHypothesis null : kPermutationNulls) {
      for (PermutationAlgorithm algorithm :
           {PermutationAlgorithm::kAuto, PermutationAlgorithm::kRefit}) {
        RegressionOptions options;
        options.null_hypothesis = null;
        options.algorithm = algorithm;
        options.permutation.permutations = 20;
        options.permutation.seed = 5;
        const RegressionResult r = RunQapRegression(s.y, s.x, options);
        const std::string label =
            std::to_string(beta) + " " + ToString(null) + " " + ToString(algorithm);
        const CoefficientEstimate& x2 = r.coefficients[2];
        EXPECT_FALSE(x2.zero_up_to_rounding) << label;
        EXPECT_FALSE(Mentions(r.warnings, "X2")) << label;
        EXPECT_TRUE(RelativelyNear(x2.t, exact_t, 1e-3)) << label;
        EXPECT_TRUE(RelativelyNear(x2.coefficient, beta, 1e-3)) << label;
        ASSERT_TRUE(x2.permutation.has_value()) << label;
        EXPECT_EQ(x2.permutation->valid, 20U) << label;
      }
    }
  }
}

// Y times 2^100 and 2^-100: the same decision, p-values and warning (the
// statistic and its tolerance are both free of the scale of Y).
TEST(ZeroUpToRounding, DecisionIsScaleInvariant) {
  const Synthetic s = Orthogonal(20, 1605);
  for (NullHypothesis null : kPermutationNulls) {
    RegressionOptions options;
    options.null_hypothesis = null;
    options.permutation.permutations = 200;
    options.permutation.seed = 9;
    const RegressionResult base = RunQapRegression(s.y, s.x, options);
    ASSERT_TRUE(base.coefficients[2].zero_up_to_rounding);
    for (int exponent : {100, -100}) {
      Synthetic scaled = s;
      scaled.y.values =
          s.y.values.unaryExpr([exponent](double v) { return std::ldexp(v, exponent); });
      const RegressionResult r = RunQapRegression(scaled.y, scaled.x, options);
      EXPECT_EQ(r.warnings, base.warnings) << ToString(null) << " 2^" << exponent;
      for (std::size_t c = 0; c < r.coefficients.size(); ++c) {
        EXPECT_EQ(r.coefficients[c].zero_up_to_rounding, base.coefficients[c].zero_up_to_rounding);
        EXPECT_EQ(r.coefficients[c].t, base.coefficients[c].t);
        if (!r.coefficients[c].permutation) continue;
        EXPECT_EQ(r.coefficients[c].permutation->count_as_extreme,
                  base.coefficients[c].permutation->count_as_extreme)
            << ToString(null) << " 2^" << exponent << " " << r.coefficients[c].name;
        EXPECT_EQ(r.coefficients[c].permutation->count_greater_equal,
                  base.coefficients[c].permutation->count_greater_equal);
      }
    }
  }
}

}  // namespace
}  // namespace qap
