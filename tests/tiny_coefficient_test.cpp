// A real but tiny coefficient on a near-exact fit, and statistics that are
// undefined in every permutation.
//
// Y = 3 X1 + beta X2 + sigma E with beta 1e-9 or 1e-12 and sigma = beta / 10:
// X2's effect is tiny against X1's but the residual is smaller still, so its t
// is about 10 and real. What the fast path must get right here is the
// partialled sum of squares |M_W y|^2 (W: the design without X2), which is
// about beta^2 |x2~|^2, some 1e-19 of |y|^2 or less: taken as
// |y|^2 - |projection|^2 it is below the rounding of either term, came out
// as noise or negative, and every permutation of the x, dsp and freedman-lane
// nulls was NaN, reported with p = (0 + 1) / (0 + 1) = 1.
//
// The reference for each permuted t is computed independently here, in long
// double, by modified Gram-Schmidt with reorthogonalisation on the explicitly
// permuted vectors (no projection algebra shared with the engine).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>

#include "qap/core/regression.hpp"
#include "test_datasets.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using testing::kStatistics;
using testing::RelativelyNear;
using Real = long double;
using RealVector = std::vector<Real>;

Real Dot(const RealVector& a, const RealVector& b) {
  Real s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// t of the last column in the regression of y on [1, columns], by modified
// Gram-Schmidt applied twice (Parlett's "twice is enough"): with Q the
// orthonormalised columns, b_last = q_last'y / R_last and se = sigma / R_last,
// so t = q_last'y / sigma.
Real ExactLastT(const std::vector<RealVector>& columns, const RealVector& y) {
  const std::size_t n = y.size();
  std::vector<RealVector> q;
  std::vector<RealVector> all{RealVector(n, 1.0L)};
  all.insert(all.end(), columns.begin(), columns.end());
  for (RealVector v : all) {
    for (int pass = 0; pass < 2; ++pass) {
      for (const RealVector& u : q) {
        const Real c = Dot(u, v);
        for (std::size_t i = 0; i < n; ++i) v[i] -= c * u[i];
      }
    }
    const Real norm = std::sqrt(Dot(v, v));
    for (Real& x : v) x /= norm;
    q.push_back(std::move(v));
  }
  RealVector r = y;
  Real last = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (const RealVector& u : q) {
      const Real c = Dot(u, r);
      if (&u == &q.back()) last += c;
      for (std::size_t i = 0; i < n; ++i) r[i] -= c * u[i];
    }
  }
  const Real sigma = std::sqrt(Dot(r, r) / static_cast<Real>(n - q.size()));
  return last / sigma;
}

// Residual of y on [1, x] in long double (twice, as above).
RealVector ResidualOn(const RealVector& x, const RealVector& y) {
  const std::size_t n = y.size();
  RealVector ones(n, 1.0L / std::sqrt(static_cast<Real>(n)));
  RealVector u = x;
  for (int pass = 0; pass < 2; ++pass) {
    const Real c = Dot(ones, u);
    for (std::size_t i = 0; i < n; ++i) u[i] -= c * ones[i];
  }
  const Real norm = std::sqrt(Dot(u, u));
  for (Real& v : u) v /= norm;
  RealVector r = y;
  for (int pass = 0; pass < 2; ++pass) {
    for (const RealVector* b : {&ones, &u}) {
      const Real c = Dot(*b, r);
      for (std::size_t i = 0; i < n; ++i) r[i] -= c * (*b)[i];
    }
  }
  return r;
}

using NearExact = testing::Dataset;

NearExact MakeNearExact(Eigen::Index n, double beta, std::uint64_t seed) {
  std::mt19937_64 random(testing::AnnouncedSeed(seed));
  std::normal_distribution<double> normal;
  NearExact s{testing::BlankMatrix("Y", n),
              {testing::BlankMatrix("X1", n), testing::BlankMatrix("X2", n)}};
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      if (i == j) continue;
      s.x[0].values(i, j) = normal(random);
      s.x[1].values(i, j) = normal(random);
      s.y.values(i, j) =
          3.0 * s.x[0].values(i, j) + beta * s.x[1].values(i, j) + 0.1 * beta * normal(random);
    }
  }
  return s;
}

std::vector<Permutation> RandomPermutations(std::uint32_t n, std::size_t count,
                                            std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<Permutation> out;
  Permutation identity(n);
  std::iota(identity.begin(), identity.end(), 0U);
  out.push_back(identity);  // reproduces the observed fit
  while (out.size() < count) {
    Permutation p = identity;
    std::shuffle(p.begin(), p.end(), random);
    out.push_back(p);
  }
  return out;
}

// Every permuted t of X2 in long double, permuting the dyad vectors through
// the dyad index (a matrix of dyad numbers, permuted as the data are).
std::vector<double> ExactPermutedT(const NearExact& s, NullHypothesis null,
                                   const std::vector<Permutation>& list) {
  const Eigen::Index n = s.y.size();
  const DyadIndex dyads(n, DyadOptions{});
  const Eigen::Index count = dyads.size();
  auto gather = [&](const DyadMatrix& m) {
    Eigen::VectorXd v(count);
    dyads.Gather(m, v);
    return RealVector(v.data(), v.data() + count);
  };
  const RealVector y = gather(s.y.values);
  const RealVector x1 = gather(s.x[0].values);
  const RealVector x2 = gather(s.x[1].values);
  Eigen::VectorXd numbers(count);
  std::iota(numbers.data(), numbers.data() + count, 0.0);
  const DyadMatrix number_matrix = dyads.Scatter(numbers);
  // The vector the null permutes: x2, x2 partialled on X1, or y partialled on X1.
  const RealVector permuted_source = null == NullHypothesis::kPermuteX ? x2
                                     : null == NullHypothesis::kDoubleSemiPartialling
                                         ? ResidualOn(x1, x2)
                                         : ResidualOn(x1, y);
  std::vector<double> out;
  for (const Permutation& p : list) {
    Eigen::VectorXd source(count);
    dyads.GatherPermuted(number_matrix, p, source);
    RealVector permuted(static_cast<std::size_t>(count));
    for (Eigen::Index d = 0; d < count; ++d) {
      permuted[static_cast<std::size_t>(d)] = permuted_source[static_cast<std::size_t>(source[d])];
    }
    // freedman-lane: regress (M_W y)* + H_W y on [1, X1, X2]; H_W y lies in
    // the span of [1, X1], so X2's t is that of (M_W y)* alone.
    out.push_back(static_cast<double>(null == NullHypothesis::kFreedmanLane
                                          ? ExactLastT({x1, x2}, permuted)
                                          : ExactLastT({x1, permuted}, y)));
  }
  return out;
}

// The reproduction. Before the fix the fast path gave NaN in every
// permutation of these three nulls (valid = 0, p = 1).
TEST(TinyCoefficient, FastPathMatchesRefitAndExactOnNearExactFit) {
  const Eigen::Index n = 30;
  const std::vector<Permutation> list = RandomPermutations(static_cast<std::uint32_t>(n), 40, 1701);
  for (double beta : {1e-9, 1e-12}) {
    const NearExact s = MakeNearExact(n, beta, 1702);
    for (NullHypothesis null : {NullHypothesis::kPermuteX, NullHypothesis::kDoubleSemiPartialling,
                                NullHypothesis::kFreedmanLane}) {
      const std::vector<double> exact = ExactPermutedT(s, null, list);
      RegressionOptions options;
      options.null_hypothesis = null;
      const PermutationInputs inputs{std::make_shared<const std::vector<Permutation>>(list),
                                     nullptr};
      options.keep_null_distribution = true;
      const RegressionResult fast = RunQapRegression(s.y, s.x, options, inputs);
      options.algorithm = PermutationAlgorithm::kRefit;
      const RegressionResult reference = RunQapRegression(s.y, s.x, options, inputs);
      char beta_text[16];
      std::snprintf(beta_text, sizeof beta_text, "%g", beta);
      const std::string label = std::string(beta_text) + " " + ToString(null);
      ASSERT_TRUE(fast.used_projection_kernel) << label;
      ASSERT_FALSE(reference.used_projection_kernel) << label;
      const CoefficientEstimate& x2 = fast.coefficients[2];
      EXPECT_FALSE(x2.zero_up_to_rounding) << label;
      EXPECT_GT(std::abs(x2.t), 3.0) << label << ": the effect is real";
      // The digits this problem has: every algorithm rounds y to about
      // u |y|, against |M_W y| ~ 1e-10 |y| (beta 1e-9) or 1e-13 |y| (1e-12).
      const double tolerance = beta == 1e-9 ? 1e-5 : 1e-2;
      // The observed t: the identity permutation reproduces it.
      EXPECT_TRUE(RelativelyNear(fast.null_distribution(0, 2), x2.t, tolerance)) << label;
      // x and dsp permute a column of the design: the kernel computes them
      // itself. freedman-lane permutes M_W y, which the kernel can only form
      // as Y minus the X's, a difference that cancels by nine digits and
      // more here: it hands every permutation to the refit, and says so.
      if (null == NullHypothesis::kFreedmanLane) {
        EXPECT_EQ(x2.refit_fallbacks, list.size()) << label;
      } else {
        EXPECT_EQ(x2.refit_fallbacks, 0U) << label;
      }
      // X1's identity permutation reproduces the near-exact fit: its SSE is
      // |r|^2, some 1e-20 of |M_W y|^2, and only that one goes to the refit.
      EXPECT_EQ(fast.coefficients[1].refit_fallbacks, 1U) << label;
      EXPECT_EQ(reference.coefficients[2].refit_fallbacks, 0U) << label;
      for (std::size_t m = 0; m < list.size(); ++m) {
        const auto row = static_cast<Eigen::Index>(m);
        const double a = fast.null_distribution(row, 2);
        const double b = reference.null_distribution(row, 2);
        ASSERT_FALSE(std::isnan(a)) << label << " permutation " << m;
        ASSERT_FALSE(std::isnan(b)) << label << " permutation " << m;
        EXPECT_TRUE(RelativelyNear(a, exact[m], tolerance, 1.0))
            << label << " fast, permutation " << m;
        EXPECT_TRUE(RelativelyNear(b, exact[m], tolerance, 1.0))
            << label << " refit, permutation " << m;
        EXPECT_TRUE(RelativelyNear(a, b, tolerance, 1.0)) << label << " permutation " << m;
        // X1's t is huge and well conditioned: the two agree closely.
        EXPECT_TRUE(RelativelyNear(fast.null_distribution(row, 1),
                                   reference.null_distribution(row, 1), 1e-6))
            << label << " X1, permutation " << m;
      }
      ASSERT_TRUE(x2.permutation.has_value()) << label;
      EXPECT_EQ(x2.permutation->valid, list.size()) << label;
      EXPECT_EQ(x2.undefined, 0U) << label;
      // The counts agree wherever the comparison |t*| >= |t| is decided by
      // more than the digits this problem has. A permuted t within the
      // tolerance of the observed one (the identity permutation: t* = t up to
      // rounding) is a tie that either algorithm, or another compiler's
      // rounding, may count either way (it did under the ASan build).
      const double fast_t = std::abs(x2.t);
      const double reference_t = std::abs(reference.coefficients[2].t);
      std::size_t ties = 0;
      for (std::size_t m = 0; m < list.size(); ++m) {
        const auto row = static_cast<Eigen::Index>(m);
        const double a = std::abs(fast.null_distribution(row, 2));
        const double b = std::abs(reference.null_distribution(row, 2));
        if (RelativelyNear(a, fast_t, tolerance) || RelativelyNear(b, reference_t, tolerance)) {
          ++ties;
          continue;
        }
        EXPECT_EQ(a >= fast_t, b >= reference_t) << label << " permutation " << m;
      }
      EXPECT_LE(ties, 1U) << label << ": only the identity permutation ties";
      const auto fast_count = static_cast<double>(x2.permutation->count_as_extreme);
      const auto reference_count =
          static_cast<double>(reference.coefficients[2].permutation->count_as_extreme);
      EXPECT_LE(std::abs(fast_count - reference_count), static_cast<double>(ties)) << label;
      EXPECT_LT(x2.permutation->p_two_sided, 0.1)
          << label << ": t about 10 is extreme in every null";
    }
  }
}

// Ordinary data: the fallback never fires, under any null or statistic.
TEST(TinyCoefficient, FallbackNeverFiresOnOrdinaryData) {
  const Eigen::Index n = 25;
  std::mt19937_64 random(testing::AnnouncedSeed(1703));
  std::normal_distribution<double> normal;
  NearExact s{testing::BlankMatrix("Y", n),
              {testing::BlankMatrix("X1", n), testing::BlankMatrix("X2", n),
               testing::BlankMatrix("X3", n)}};
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      if (i == j) continue;
      for (LabelledMatrix& x : s.x) x.values(i, j) = normal(random);
      s.x[2].values(i, j) += 0.5 * s.x[0].values(i, j);  // some correlation
      s.y.values(i, j) = s.x[0].values(i, j) - 0.2 * s.x[1].values(i, j) + normal(random);
    }
  }
  for (NullHypothesis null :
       {NullHypothesis::kPermuteY, NullHypothesis::kPermuteX,
        NullHypothesis::kDoubleSemiPartialling, NullHypothesis::kFreedmanLane}) {
    for (TestStatistic statistic : kStatistics) {
      RegressionOptions options;
      options.null_hypothesis = null;
      options.statistic = statistic;
      options.permutation.permutations = 500;
      options.permutation.seed = 11;
      const RegressionResult r = RunQapRegression(s.y, s.x, options);
      ASSERT_TRUE(r.used_projection_kernel);
      for (const CoefficientEstimate& c : r.coefficients) {
        EXPECT_EQ(c.refit_fallbacks, 0U)
            << ToString(null) << " " << ToString(statistic) << " " << c.name;
        if (c.permutation) {
          EXPECT_EQ(c.permutation->valid, 500U) << ToString(null) << " " << c.name;
        }
      }
    }
  }
}

// The rule itself: no valid permutation, no p-value, under either rule.
TEST(TinyCoefficient, NoValidPermutationGivesNaNUnderEitherRule) {
  const double undefined[] = {std::nan(""), std::nan("")};
  for (PValueRule rule : {PValueRule::kPlusOne, PValueRule::kProportion}) {
    const PermutationTest test = SummarizeNullDistribution(undefined, 1.5, rule);
    EXPECT_EQ(test.valid, 0U);
    EXPECT_TRUE(std::isnan(test.p_two_sided)) << ToString(rule);
    EXPECT_TRUE(std::isnan(test.p_greater_equal)) << ToString(rule);
    EXPECT_TRUE(std::isnan(test.p_less_equal)) << ToString(rule);
    EXPECT_EQ(SignificanceStars(test.p_two_sided), "");
  }
  // One valid permutation is a test: (0 + 1) / (1 + 1) under plus-one.
  const double one[] = {std::nan(""), 0.5};
  EXPECT_EQ(SummarizeNullDistribution(one, 1.5, PValueRule::kPlusOne).p_two_sided, 0.5);
}

}  // namespace
}  // namespace qap
