// Numerical robustness (issue 6): extreme scales, near-collinearity, and
// degenerate data give correct results or a clear refusal.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cfloat>
#include <cmath>
#include <limits>
#include <random>

#include "qap/core/correlation.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/ols.hpp"
#include "qap/core/regression.hpp"
#include "test_datasets.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using Data = testing::Dataset;
using testing::RelativelyNear;

TEST(Numerical, PredictorsScaledBy1e12Or1eMinus12GiveTheSameTestsAndScaledCoefficients) {
  const Data base = testing::NearCollinear(1, 1.0);
  RegressionOptions options;
  options.permutation.permutations = 199;
  options.permutation.seed = 5;
  const RegressionResult reference = RunQapRegression(base.y, base.x, options);
  for (double scale : {1e12, 1e-12}) {
    Data scaled = base;
    scaled.x[1].values *= scale;
    const RegressionResult r = RunQapRegression(scaled.y, scaled.x, options);
    for (std::size_t c = 1; c < r.coefficients.size(); ++c) {
      EXPECT_TRUE(RelativelyNear(r.coefficients[c].t, reference.coefficients[c].t, 1e-9))
          << scale << " " << c;
      EXPECT_TRUE(RelativelyNear(r.coefficients[c].standardized,
                                 reference.coefficients[c].standardized, 1e-9));
      EXPECT_EQ(r.coefficients[c].permutation->count_as_extreme,
                reference.coefficients[c].permutation->count_as_extreme);
    }
    EXPECT_TRUE(RelativelyNear(r.coefficients[2].coefficient * scale,
                               reference.coefficients[2].coefficient, 1e-9));
    EXPECT_TRUE(RelativelyNear(r.condition_number, reference.condition_number, 1e-9));
  }
}

TEST(Numerical, AllDyadsEqualIsARefusalNotANumber) {
  Data d = testing::NearCollinear(3, 1.0);
  d.y.values.setConstant(4.2);
  RegressionOptions options;
  EXPECT_TRUE(testing::ThrowsWithMessage<ModelError>([&] { RunQapRegression(d.y, d.x, options); },
                                                     "the dependent matrix Y is constant"))
      << "expected ModelError";
  Data x_constant = testing::NearCollinear(4, 1.0);
  x_constant.x[1].values.setConstant(-1.0);
  EXPECT_THROW(RunQapRegression(x_constant.y, x_constant.x, options), ModelError);
}

// Issue 11, class 1: every matrix is scaled by a power of two before any sum
// (engine/core/src/power_of_two_scale.hpp), so multiplying Y or an X by 2^k or
// 10^k, k in [-300, 300], changes b and its standard error by the factor and
// nothing else: the same t, R^2 and permutation counts (same seed, same
// permutations) on the projection kernel and the listwise refit, under every
// permutation null. When the scaled coefficient itself leaves the range of a
// double the run is refused, naming the variable and its scale.
struct Scaling {
  int base;              // 2 or 10
  std::array<int, 4> k;  // exponents for Y, X1, X2, X3
};

long double Factor(int base, int k) { return std::pow(static_cast<long double>(base), k); }

Data Scaled(const Data& d, const Scaling& s) {
  Data out = d;
  out.y.values *= static_cast<double>(Factor(s.base, s.k[0]));
  for (std::size_t c = 0; c < 3; ++c)
    out.x[c].values *= static_cast<double>(Factor(s.base, s.k[c + 1]));
  return out;
}

TEST(Numerical, ScalingYOrAnyXBy2OrTenToTheKChangesOnlyBAndItsStandardError) {
  const Data base = testing::NearCollinear(11, 1.0);
  std::vector<Scaling> scalings;
  for (int base_number : {2, 10}) {
    for (int k : {-300, -170, -155, -101, -60, 60, 101, 154, 300}) {
      scalings.push_back({base_number, {k, k, k, k}});  // every matrix alike
      scalings.push_back({base_number, {k, 0, 0, 0}});  // Y alone
      scalings.push_back({base_number, {0, 0, k, 0}});  // one X alone
    }
  }
  std::mt19937_64 random(testing::AnnouncedSeed(1101));
  std::uniform_int_distribution<int> exponent(-300, 300);
  for (int draw = 0; draw < 12; ++draw) {
    scalings.push_back({draw % 2 == 0 ? 2 : 10,
                        {exponent(random), exponent(random), exponent(random), exponent(random)}});
  }
  for (NullHypothesis null :
       {NullHypothesis::kPermuteY, NullHypothesis::kPermuteX,
        NullHypothesis::kDoubleSemiPartialling, NullHypothesis::kFreedmanLane}) {
    RegressionOptions options;
    options.null_hypothesis = null;
    options.permutation.permutations = 59;
    options.permutation.seed = 77;
    options.algorithm = PermutationAlgorithm::kRefit;
    const RegressionResult reference = RunQapRegression(base.y, base.x, options);
    for (PermutationAlgorithm algorithm :
         {PermutationAlgorithm::kAuto, PermutationAlgorithm::kRefit}) {
      options.algorithm = algorithm;
      for (const Scaling& s : scalings) {
        const std::string label = ToString(null) + " " + ToString(algorithm) + " " +
                                  std::to_string(s.base) + "^(" + std::to_string(s.k[0]) + ", " +
                                  std::to_string(s.k[1]) + ", " + std::to_string(s.k[2]) + ", " +
                                  std::to_string(s.k[3]) + ")";
        // The coefficients and errors the scaled data must have, in long double's range.
        bool representable = true;
        for (std::size_t c = 0; c < 4; ++c) {
          const long double unit =
              Factor(s.base, s.k[0]) / (c == 0 ? 1.0L : Factor(s.base, s.k[c]));
          for (double v :
               {reference.coefficients[c].coefficient, reference.coefficients[c].standard_error}) {
            const long double expected = std::abs(static_cast<long double>(v) * unit);
            representable = representable && expected <= DBL_MAX && expected >= DBL_MIN;
          }
        }
        const Data data = Scaled(base, s);
        if (!representable) {
          try {
            RunQapRegression(data.y, data.x, options);
            ADD_FAILURE() << label << ": expected a refusal";
          } catch (const DataError& e) {
            EXPECT_NE(std::string(e.what()).find("outside the range of a double"),
                      std::string::npos)
                << e.what();
          }
          continue;
        }
        const RegressionResult r = RunQapRegression(data.y, data.x, options);
        EXPECT_EQ(r.used_projection_kernel, algorithm == PermutationAlgorithm::kAuto) << label;
        EXPECT_TRUE(RelativelyNear(r.r_squared, reference.r_squared, 1e-9)) << label;
        EXPECT_TRUE(RelativelyNear(r.f_statistic, reference.f_statistic, 1e-9)) << label;
        ASSERT_TRUE(r.r_squared_test.has_value());
        EXPECT_EQ(r.r_squared_test->count_greater_equal,
                  reference.r_squared_test->count_greater_equal)
            << label;
        for (std::size_t c = 0; c < 4; ++c) {
          const CoefficientEstimate& got = r.coefficients[c];
          const CoefficientEstimate& want = reference.coefficients[c];
          const auto unit = static_cast<double>(Factor(s.base, s.k[0]) /
                                                (c == 0 ? 1.0L : Factor(s.base, s.k[c])));
          EXPECT_TRUE(RelativelyNear(got.t, want.t, 1e-9)) << label << " coefficient " << c;
          EXPECT_TRUE(RelativelyNear(got.coefficient, want.coefficient * unit, 1e-9, 0.0))
              << label << " " << c;
          EXPECT_TRUE(RelativelyNear(got.standard_error, want.standard_error * unit, 1e-9, 0.0))
              << label << " " << c;
          if (c > 0) {
            EXPECT_TRUE(RelativelyNear(got.standardized, want.standardized, 1e-9))
                << label << " " << c;
          }
          ASSERT_EQ(got.permutation.has_value(), want.permutation.has_value()) << label;
          if (!got.permutation) continue;
          EXPECT_EQ(got.undefined, want.undefined) << label << " " << c;
          EXPECT_EQ(got.permutation->count_greater_equal, want.permutation->count_greater_equal)
              << label << " " << c;
          EXPECT_EQ(got.permutation->count_less_equal, want.permutation->count_less_equal)
              << label << " " << c;
          EXPECT_EQ(got.permutation->count_as_extreme, want.permutation->count_as_extreme)
              << label << " " << c;
          EXPECT_EQ(got.permutation->p_two_sided, want.permutation->p_two_sided)
              << label << " " << c;
        }
      }
    }
  }
}

// --statistic beta: tallies are taken in the scaled units (the same order), and
// a kept null distribution of b is reported in the input's units.
TEST(Numerical, KeptNullDistributionOfBIsInTheInputsUnits) {
  const Data base = testing::NearCollinear(17, 1.0);
  Data scaled = base;
  scaled.y.values *= std::ldexp(1.0, 400);
  scaled.x[0].values *= std::ldexp(1.0, -300);
  RegressionOptions options;
  options.statistic = TestStatistic::kCoefficient;
  options.keep_null_distribution = true;
  options.permutation.permutations = 29;
  options.permutation.seed = 3;
  for (PermutationAlgorithm algorithm :
       {PermutationAlgorithm::kAuto, PermutationAlgorithm::kRefit}) {
    options.algorithm = algorithm;
    const RegressionResult want = RunQapRegression(base.y, base.x, options);
    const RegressionResult got = RunQapRegression(scaled.y, scaled.x, options);
    ASSERT_EQ(got.null_distribution.rows(), 29);
    for (Eigen::Index r = 0; r < 29; ++r) {
      EXPECT_EQ(got.null_distribution(r, 1), std::ldexp(want.null_distribution(r, 1), 700)) << r;
      EXPECT_EQ(got.null_distribution(r, 2), std::ldexp(want.null_distribution(r, 2), 400)) << r;
      EXPECT_EQ(got.null_distribution(r, 4), want.null_distribution(r, 4)) << r;  // R^2
    }
    EXPECT_EQ(got.coefficients[1].coefficient, std::ldexp(want.coefficients[1].coefficient, 700));
    EXPECT_EQ(got.coefficients[1].permutation->count_as_extreme,
              want.coefficients[1].permutation->count_as_extreme);
  }
}

// With missing cells every permuted refit is listwise on its own dyads; the
// scaling is chosen over all analysed dyads, so it serves each of them.
TEST(Numerical, MissingCellsAtExtremeScalesGiveTheSameTests) {
  Data base = testing::NearCollinear(18, 1.0);
  base.y.values(1, 2) = std::numeric_limits<double>::quiet_NaN();
  base.x[1].values(4, 0) = std::numeric_limits<double>::quiet_NaN();
  RegressionOptions options;
  options.permutation.permutations = 59;
  options.permutation.seed = 8;
  for (NullHypothesis null : {NullHypothesis::kPermuteY, NullHypothesis::kDoubleSemiPartialling,
                              NullHypothesis::kFreedmanLane}) {
    options.null_hypothesis = null;
    const RegressionResult want = RunQapRegression(base.y, base.x, options);
    for (double factor : {1e154, 1e-155, 1e-300}) {
      Data scaled = base;
      scaled.y.values *= factor;
      scaled.x[2].values *= 1e-100;
      const RegressionResult got = RunQapRegression(scaled.y, scaled.x, options);
      EXPECT_FALSE(got.used_projection_kernel);
      EXPECT_EQ(got.dyads_used, want.dyads_used);
      for (std::size_t c = 1; c < 4; ++c) {
        EXPECT_TRUE(RelativelyNear(got.coefficients[c].t, want.coefficients[c].t, 1e-9))
            << factor << " " << c;
        EXPECT_EQ(got.coefficients[c].undefined, want.coefficients[c].undefined)
            << factor << " " << c;
        EXPECT_EQ(got.coefficients[c].permutation->count_as_extreme,
                  want.coefficients[c].permutation->count_as_extreme)
            << ToString(null) << " " << factor << " " << c;
      }
      EXPECT_EQ(got.r_squared_test->count_greater_equal, want.r_squared_test->count_greater_equal);
    }
  }
}

TEST(Numerical, CorrelationIsTheSameForEitherMatrixScaledBy2OrTenToTheK) {
  const Data d = testing::NearCollinear(12, 1.0);
  CorrelationOptions options;
  options.permutation.permutations = 199;
  options.permutation.seed = 9;
  const CorrelationResult reference = RunQapCorrelation(d.y, d.x[0], options);
  ASSERT_GT(std::abs(reference.correlation), 0.2);
  for (int base : {2, 10}) {
    for (int k : {-300, -170, -155, -101, 101, 154, 300}) {
      for (int which : {0, 1, 2}) {
        LabelledMatrix a = d.y;
        LabelledMatrix b = d.x[0];
        if (which != 1) a.values *= static_cast<double>(Factor(base, k));
        if (which != 0) b.values *= static_cast<double>(Factor(base, which == 2 ? -k : k));
        const CorrelationResult r = RunQapCorrelation(a, b, options);
        const std::string label =
            std::to_string(base) + "^" + std::to_string(k) + " on " + std::to_string(which);
        EXPECT_TRUE(RelativelyNear(r.correlation, reference.correlation, 1e-12)) << label;
        EXPECT_EQ(r.test.count_greater_equal, reference.test.count_greater_equal) << label;
        EXPECT_EQ(r.test.count_as_extreme, reference.test.count_as_extreme) << label;
      }
    }
  }
}

TEST(Numerical, CoefficientBeyondTheRangeOfADoubleIsRefusedNamingVariableAndScale) {
  Data d = testing::NearCollinear(13, 1.0);
  d.y.values *= 1e300;
  d.x[1].values *= 1e-300;
  RegressionOptions options;
  options.permutation.permutations = 19;
  options.permutation.seed = 1;
  try {
    RunQapRegression(d.y, d.x, options);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "the coefficient of X2 on Y is about -2.3e+599, outside the range of a double (2.2e-308 to "
        "1.8e+308): Y reaches about 4.1e+300 and X2 reaches about 3.8e-300; express Y or X2 in "
        "other "
        "units (e.g. multiply or divide by a power of ten)");
  }
}

TEST(Numerical, AMatrixSpanningMoreThanADoubleHoldsAtOneScaleIsRefused) {
  Data d = testing::NearCollinear(14, 1.0);
  for (Eigen::Index i = 0; i < d.x[0].size(); ++i) {
    for (Eigen::Index j = 0; j < d.x[0].size(); ++j)
      d.x[0].values(i, j) = 1e-20 * static_cast<double>(1 + (i + j) % 5);
  }
  d.x[0].values(3, 4) = 1e300;
  RegressionOptions options;
  options.permutation.permutations = 19;
  const std::string expected =
      "X1: its nonzero values range from about 1.0e-20 to 1.0e+300 in magnitude, more than the "
      "~307 orders of "
      "magnitude a double can hold at one scale while its sums of squares stay finite; the "
      "smallest would be "
      "lost (set values that small to 0, or transform the matrix, e.g. log)";
  for (PermutationAlgorithm algorithm :
       {PermutationAlgorithm::kAuto, PermutationAlgorithm::kRefit}) {
    options.algorithm = algorithm;
    try {
      RunQapRegression(d.y, d.x, options);
      ADD_FAILURE() << "expected DataError";
    } catch (const DataError& e) {
      EXPECT_EQ(std::string(e.what()), expected);
    }
  }
  try {
    RunQapCorrelation(d.y, d.x[0], {});
    ADD_FAILURE() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), expected);
  }
}

// The rank verdicts are taken in the scaled space, so they hold at any scale:
// data near 1e154 are not "collinear" and near 1e-170 not "constant" (see the
// property test above), while truly constant or collinear data still are.
TEST(Numerical, RankVerdictsAtExtremeScalesAreTrue) {
  RegressionOptions options;
  options.permutation.permutations = 19;
  for (double scale : {1e154, 1e-170}) {
    Data constant = testing::NearCollinear(15, 1.0);
    constant.y.values.setConstant(3.0 * scale);
    try {
      RunQapRegression(constant.y, constant.x, options);
      ADD_FAILURE() << "expected ModelError at " << scale;
    } catch (const ModelError& e) {
      EXPECT_NE(std::string(e.what()).find("the dependent matrix Y is constant"), std::string::npos)
          << e.what();
    }
    Data collinear = testing::NearCollinear(16, 1.0);
    collinear.y.values *= scale;
    for (LabelledMatrix& x : collinear.x) x.values *= scale;
    collinear.x[2].values = 2.0 * collinear.x[0].values - collinear.x[1].values;
    try {
      RunQapRegression(collinear.y, collinear.x, options);
      ADD_FAILURE() << "expected ModelError at " << scale;
    } catch (const ModelError& e) {
      EXPECT_NE(std::string(e.what()).find("is a linear combination"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace qap
