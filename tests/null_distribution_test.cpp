// Distribution tests: under a true null, permutation p-values are uniform.
//
// The data have strong row and column effects, so dyads sharing a node are
// correlated: exactly the dependence that makes classical OLS p-values too
// small and that QAP exists to handle. A fixed seed makes the check
// deterministic; the thresholds are loose enough for a correct test to pass
// and tight enough that a broken one (p-values piled at 0 or at 1) fails.
#include <gtest/gtest.h>

#include <boost/math/distributions/chi_squared.hpp>
#include <random>

#include "qap/core/regression.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

struct NodeEffectData {
  LabelledMatrix y;
  std::vector<LabelledMatrix> x;
};

// y and x1 share no signal; x2 drives y and is correlated with x1 through
// node effects, so x1 is a nuisance-correlated null predictor (DSP's case).
NodeEffectData Generate(std::mt19937_64& random, Eigen::Index n, double missing_share) {
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  NodeEffectData d;
  auto make = [&](const std::string& name) {
    LabelledMatrix m;
    m.name = name;
    m.source = name;
    for (Eigen::Index i = 0; i < n; ++i) m.labels.push_back("n" + std::to_string(i));
    m.values.resize(n, n);
    return m;
  };
  d.y = make("Y");
  d.x = {make("X1"), make("X2")};
  Eigen::VectorXd a(n), b(n), c(n), e(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    a[i] = normal(random);
    b[i] = normal(random);
    c[i] = normal(random);
    e[i] = normal(random);
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      const double x2 = a[i] + a[j] + 0.5 * normal(random);
      const double x1 = 0.7 * (a[i] + a[j]) + b[i] + b[j] + 0.5 * normal(random);
      d.x[1].values(i, j) = x2;
      d.x[0].values(i, j) = uniform(random) < missing_share ? std::nan("") : x1;
      d.y.values(i, j) = x2 + 2.0 * (c[i] + e[j]) + normal(random);
    }
  }
  return d;
}

double ChiSquareOfTenBins(const std::vector<double>& p_values) {
  std::vector<int> bins(10, 0);
  for (double p : p_values) ++bins[std::min<std::size_t>(9, static_cast<std::size_t>(p * 10.0))];
  const double expected = static_cast<double>(p_values.size()) / 10.0;
  double chi_square = 0.0;
  for (int count : bins) chi_square += (count - expected) * (count - expected) / expected;
  return chi_square;
}

void ExpectUniformNullPValues(NullHypothesis null, double missing_share) {
  std::mt19937_64 random(testing::AnnouncedSeed(777));
  const int datasets = 400;
  std::vector<double> p_values;
  int classical_rejections = 0;
  for (int s = 0; s < datasets; ++s) {
    const NodeEffectData d = Generate(random, 12, missing_share);
    RegressionOptions options;
    options.null_hypothesis = null;
    options.permutation.permutations = 199;
    options.permutation.seed = static_cast<std::uint64_t>(s) + 1;
    options.permutation.threads = 1;
    const RegressionResult result = RunQapRegression(d.y, d.x, options);
    // The null is exact for discrete p: with the plus-one rule P(p <= a) <= a;
    // jitter within the grid makes them continuous-uniform for the chi-square.
    const double p = result.coefficients[1].permutation->p_two_sided;
    p_values.push_back(
        std::max(0.0, p - std::uniform_real_distribution<double>(0.0, 1.0 / 200.0)(random)));
    classical_rejections += result.coefficients[1].classical_p < 0.05 ? 1 : 0;
  }
  const double chi_square = ChiSquareOfTenBins(p_values);
  const double critical = boost::math::quantile(boost::math::chi_squared(9), 0.999);
  EXPECT_LT(chi_square, critical) << ToString(null);
  const auto rejections =
      std::count_if(p_values.begin(), p_values.end(), [](double p) { return p < 0.05; });
  // Binomial(400, 0.05): mean 20, sd 4.4.
  EXPECT_LE(rejections, 35) << ToString(null);
  EXPECT_GE(rejections, 6) << ToString(null);
  std::printf("[ info     ] %s: permutation rejections at 5%%: %ld of %d; classical: %d\n",
              ToString(null).c_str(), static_cast<long>(rejections), datasets,
              classical_rejections);
}

TEST(NullDistribution, DoubleSemiPartiallingPValuesAreUniform) {
  ExpectUniformNullPValues(NullHypothesis::kDoubleSemiPartialling, 0.0);
}

TEST(NullDistribution, DoubleSemiPartiallingPValuesStayUniformWithMissingCells) {
  ExpectUniformNullPValues(NullHypothesis::kDoubleSemiPartialling, 0.1);
}

TEST(NullDistribution, FreedmanLanePValuesAreUniform) {
  ExpectUniformNullPValues(NullHypothesis::kFreedmanLane, 0.0);
}

}  // namespace
}  // namespace qap
