// Differential and property tests of RunQapRegression and RunQapCorrelation.
#include "qap/core/regression.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/students_t.hpp>
#include <limits>
#include <numeric>
#include <random>

#include "qap/core/alignment.hpp"
#include "qap/core/correlation.hpp"
#include "qap/core/errors.hpp"
#include "test_datasets.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using testing::Dataset;
using testing::Fixture850511;
using testing::kPermutationNulls;
using testing::kStatistics;
using testing::LoadDataset;
using testing::RelativelyNear;
using testing::SameNullDistribution;
using testing::SmallMissing;

Permutation Identity(Eigen::Index n) {
  Permutation p(static_cast<std::size_t>(n));
  std::iota(p.begin(), p.end(), 0U);
  return p;
}

// FWL: permuting with the identity must give back each observed statistic, under
// every null, also with missing cells. sna's qapspp fails this with missing
// cells because it recycles the residual vector over the missing ones.
TEST(Regression, IdentityPermutationReproducesTheObservedStatisticUnderEveryNull) {
  for (const Dataset& d : {SmallMissing(), Fixture850511()}) {
    for (NullHypothesis null : kPermutationNulls) {
      for (TestStatistic statistic : kStatistics) {
        RegressionOptions options;
        options.null_hypothesis = null;
        options.statistic = statistic;
        const PermutationInputs identity{std::make_shared<const std::vector<Permutation>>(
                                             std::vector<Permutation>{Identity(d.y.size())}),
                                         nullptr};
        options.keep_null_distribution = true;
        const RegressionResult result = RunQapRegression(d.y, d.x, options, identity);
        for (std::size_t c = 1; c < result.coefficients.size(); ++c) {
          const CoefficientEstimate& estimate = result.coefficients[c];
          const double observed =
              statistic == TestStatistic::kT ? estimate.t : estimate.coefficient;
          EXPECT_TRUE(RelativelyNear(result.null_distribution(0, static_cast<Eigen::Index>(c)),
                                     observed, 1e-9))
              << ToString(null) << " " << estimate.name;
          ASSERT_TRUE(estimate.permutation.has_value());
          EXPECT_EQ(estimate.permutation->count_as_extreme, 1U);
          EXPECT_EQ(estimate.permutation->count_greater_equal, 1U);
          EXPECT_EQ(estimate.permutation->count_less_equal, 1U);
        }
        EXPECT_TRUE(RelativelyNear(result.null_distribution(0, result.null_distribution.cols() - 1),
                                   result.r_squared, 1e-9));
      }
    }
  }
}

TEST(Regression, ClassicalNullUsesStudentT) {
  const Dataset d = SmallMissing();
  RegressionOptions options;
  options.null_hypothesis = NullHypothesis::kClassical;
  const RegressionResult result = RunQapRegression(d.y, d.x, options);
  EXPECT_EQ(result.permutations, 0U);
  EXPECT_FALSE(result.r_squared_test.has_value());
  const boost::math::students_t t(static_cast<double>(result.f_df2));
  for (const CoefficientEstimate& c : result.coefficients) {
    EXPECT_FALSE(c.permutation.has_value());
    EXPECT_TRUE(RelativelyNear(
        c.classical_p, 2 * boost::math::cdf(boost::math::complement(t, std::abs(c.t))), 1e-12));
  }
  EXPECT_EQ(result.f_df1, 3);
  EXPECT_EQ(result.f_df2, result.dyads_used - 4);
}

TEST(Regression, StandardizedCoefficientIsBTimesSdRatioOverUsedDyads) {
  const Dataset d = Fixture850511();
  RegressionOptions options;
  options.null_hypothesis = NullHypothesis::kClassical;
  const RegressionResult result = RunQapRegression(d.y, d.x, options);
  const DyadIndex dyads(d.y.size(), {});
  Eigen::VectorXd y(dyads.size());
  dyads.Gather(d.y.values, y);
  const double sd_y =
      std::sqrt((y.array() - y.mean()).square().sum() / static_cast<double>(y.size() - 1));
  for (std::size_t k = 0; k < d.x.size(); ++k) {
    Eigen::VectorXd x(dyads.size());
    dyads.Gather(d.x[k].values, x);
    const double sd_x =
        std::sqrt((x.array() - x.mean()).square().sum() / static_cast<double>(x.size() - 1));
    EXPECT_TRUE(RelativelyNear(result.coefficients[k + 1].standardized,
                               result.coefficients[k + 1].coefficient * sd_x / sd_y, 1e-12));
  }
  EXPECT_EQ(result.dyads_used, 58 * 57);
}

// docs/study-method.md §8.3: on symmetric matrices, b, beta* and R^2 are the same on
// both triangles as on one; only N changes.
TEST(Regression, SymmetricDataGiveTheSameFitDirectedAndUndirected) {
  const Dataset d = Fixture850511();
  RegressionOptions directed;
  directed.null_hypothesis = NullHypothesis::kClassical;
  RegressionOptions undirected = directed;
  undirected.dyads.mode = DyadMode::kUndirected;
  const RegressionResult a = RunQapRegression(d.y, d.x, directed);
  const RegressionResult b = RunQapRegression(d.y, d.x, undirected);
  EXPECT_EQ(a.dyads_used, 2 * b.dyads_used);
  EXPECT_TRUE(RelativelyNear(a.r_squared, b.r_squared, 1e-10));
  for (std::size_t c = 0; c < a.coefficients.size(); ++c) {
    EXPECT_TRUE(RelativelyNear(a.coefficients[c].coefficient, b.coefficients[c].coefficient, 1e-9));
    if (c > 0) {
      EXPECT_TRUE(
          RelativelyNear(a.coefficients[c].standardized, b.coefficients[c].standardized, 1e-9));
    }
  }
}

TEST(Regression, UndirectedModeRefusesAnAsymmetricMatrixNamingTheCell) {
  const Dataset d = SmallMissing();
  RegressionOptions options;
  options.null_hypothesis = NullHypothesis::kClassical;
  options.dyads.mode = DyadMode::kUndirected;
  EXPECT_TRUE(testing::ThrowsWithMessage<DataError>([&] { RunQapRegression(d.y, d.x, options); },
                                                    "needs symmetric matrices, but cell"))
      << "expected DataError";
}

TEST(Regression, RankDeficientDesignsNameTheMatrices) {
  Dataset d = LoadDataset("tests/data/small", "Y", {"X1", "X2"});
  LabelledMatrix doubled = d.x[0];
  doubled.name = "X1_twice";
  doubled.values *= 2.0;
  LabelledMatrix constant = d.x[0];
  constant.name = "ONES";
  constant.values.setOnes();
  RegressionOptions options;
  options.null_hypothesis = NullHypothesis::kClassical;
  auto message = [&](std::vector<LabelledMatrix> x) {
    try {
      RunQapRegression(d.y, x, options);
    } catch (const ModelError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string collinear = message({d.x[0], d.x[1], doubled});
  EXPECT_NE(collinear.find("rank-deficient"), std::string::npos) << collinear;
  EXPECT_TRUE(collinear.find("X1_twice") != std::string::npos ||
              collinear.find("X1 ") != std::string::npos)
      << collinear;
  const std::string constant_message = message({d.x[0], constant});
  EXPECT_NE(constant_message.find("ONES ("), std::string::npos) << constant_message;
  EXPECT_NE(constant_message.find("is constant over the 72 dyads used"), std::string::npos)
      << constant_message;
}

TEST(Regression, PermutationListOfTheWrongSizeIsAnOptionsError) {
  const Dataset d = SmallMissing();
  RegressionOptions options;
  const PermutationInputs wrong_size{
      std::make_shared<const std::vector<Permutation>>(std::vector<Permutation>{Identity(4)}),
      nullptr};
  EXPECT_THROW(RunQapRegression(d.y, d.x, options, wrong_size), OptionsError);
  options.permutation.permutations = 0;
  EXPECT_THROW(RunQapRegression(d.y, d.x, options), OptionsError);
  EXPECT_TRUE(options.Validate().has_value());
}

// A permutation list is held once: the inputs, the plan the run used and the
// result all point at the same storage; a drawn plan is (seed, count) only.
TEST(Regression, ResultCarriesThePlanItRanSharingTheListNotCopyingIt) {
  const Dataset d = Fixture850511();
  RegressionOptions options;
  const PermutationInputs inputs{std::make_shared<const std::vector<Permutation>>(
                                     std::vector<Permutation>{Identity(d.y.size())}),
                                 nullptr};
  const RegressionResult listed = RunQapRegression(d.y, d.x, options, inputs);
  ASSERT_NE(listed.plan, nullptr);
  EXPECT_EQ(listed.plan->fixed().get(), inputs.fixed.get());
  EXPECT_EQ(listed.plan->count(), 1U);
  EXPECT_TRUE(listed.permutations_from_file);
  CorrelationOptions correlation;
  const CorrelationResult r = RunQapCorrelation(d.y, d.x[0], correlation, inputs);
  ASSERT_NE(r.plan, nullptr);
  EXPECT_EQ(r.plan->fixed().get(), inputs.fixed.get());

  options.permutation.permutations = 70;
  options.permutation.seed = 11;
  const RegressionResult drawn = RunQapRegression(d.y, d.x, options);
  ASSERT_NE(drawn.plan, nullptr);
  EXPECT_EQ(drawn.plan->fixed(), nullptr);
  EXPECT_EQ(drawn.plan->seed(), 11U);
  EXPECT_EQ(drawn.plan->count(), 70U);
  EXPECT_EQ(drawn.options, options);

  options.null_hypothesis = NullHypothesis::kClassical;
  EXPECT_EQ(RunQapRegression(d.y, d.x, options).plan, nullptr);
}

TEST(Regression, PValueRulesFollowTheirFormulas) {
  const Dataset d = Fixture850511();
  RegressionOptions options;
  options.permutation.permutations = 99;
  options.permutation.seed = testing::AnnouncedSeed(5);
  const RegressionResult plus_one = RunQapRegression(d.y, d.x, options);
  options.permutation.pvalue_rule = PValueRule::kProportion;
  const RegressionResult proportion = RunQapRegression(d.y, d.x, options);
  for (std::size_t c = 1; c < plus_one.coefficients.size(); ++c) {
    const PermutationTest& a = *plus_one.coefficients[c].permutation;
    const PermutationTest& b = *proportion.coefficients[c].permutation;
    EXPECT_EQ(a.count_as_extreme, b.count_as_extreme);
    EXPECT_DOUBLE_EQ(a.p_two_sided, (static_cast<double>(a.count_as_extreme) + 1.0) / 100.0);
    EXPECT_DOUBLE_EQ(b.p_two_sided, static_cast<double>(b.count_as_extreme) / 99.0);
    EXPECT_GT(a.p_two_sided, 0.0);
  }
}

TEST(Correlation, IsThreadInvariantAndIdentityReproducesR) {
  const Dataset d = SmallMissing();
  CorrelationOptions options;
  options.permutation.permutations = 300;
  options.permutation.seed = testing::AnnouncedSeed(3);
  options.permutation.threads = 1;
  const CorrelationResult serial = RunQapCorrelation(d.y, d.x[0], options);
  options.permutation.threads = 2;
  const CorrelationResult parallel = RunQapCorrelation(d.y, d.x[0], options);
  EXPECT_EQ(serial.test.count_as_extreme, parallel.test.count_as_extreme);
  EXPECT_EQ(serial.test.count_greater_equal, parallel.test.count_greater_equal);
  const PermutationInputs identity_list{std::make_shared<const std::vector<Permutation>>(
                                            std::vector<Permutation>{Identity(d.y.size())}),
                                        nullptr};
  const CorrelationResult identity = RunQapCorrelation(d.y, d.x[0], options, identity_list);
  EXPECT_EQ(identity.test.count_as_extreme, 1U);
  EXPECT_EQ(identity.test.count_greater_equal, 1U);
  EXPECT_EQ(identity.test.count_less_equal, 1U);
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

// Issue 3's contract: the projection kernel and the listwise refit give the
// same statistic for every permutation, to 1e-9 relative, under every null,
// for both statistics and every dyad mode.
TEST(ProjectionKernel, MatchesTheListwiseRefitPermutationByPermutation) {
  const Dataset fixture = Fixture850511();
  const Dataset small = LoadDataset("tests/data/small", "Y", {"X1", "X2", "X3"});
  const Dataset symmetric = LoadDataset("tests/data/small_sym", "Y", {"X1", "X2"});
  struct Scenario {
    const Dataset* data;
    DyadOptions dyads;
    const char* label;
  };
  const std::vector<Scenario> scenarios = {
      {&fixture, {DyadMode::kDirected, false}, "fixture directed"},
      {&fixture, {DyadMode::kUndirected, false}, "fixture undirected"},
      {&small, {DyadMode::kDirected, false}, "small directed"},
      {&symmetric, {DyadMode::kUndirected, true}, "symmetric undirected with diagonal"},
  };
  for (const Scenario& scenario : scenarios) {
    for (NullHypothesis null : kPermutationNulls) {
      for (TestStatistic statistic : kStatistics) {
        RegressionOptions options;
        options.null_hypothesis = null;
        options.statistic = statistic;
        options.dyads = scenario.dyads;
        options.permutation.permutations = 130;
        options.permutation.seed = testing::AnnouncedSeed(17);
        options.keep_null_distribution = true;
        const RegressionResult fast = RunQapRegression(scenario.data->y, scenario.data->x, options);
        options.algorithm = PermutationAlgorithm::kRefit;
        const RegressionResult reference =
            RunQapRegression(scenario.data->y, scenario.data->x, options);
        ASSERT_TRUE(fast.used_projection_kernel) << scenario.label;
        ASSERT_FALSE(reference.used_projection_kernel);
        ASSERT_TRUE(
            SameNullDistribution(fast.null_distribution, reference.null_distribution, 1e-9, 1e-9))
            << scenario.label << " " << ToString(null) << " " << ToString(statistic);
        for (std::size_t c = 0; c < fast.coefficients.size(); ++c) {
          ASSERT_EQ(fast.coefficients[c].permutation.has_value(),
                    reference.coefficients[c].permutation.has_value());
          if (!fast.coefficients[c].permutation) continue;
          EXPECT_EQ(fast.coefficients[c].permutation->count_as_extreme,
                    reference.coefficients[c].permutation->count_as_extreme);
        }
        EXPECT_EQ(fast.r_squared_test->count_greater_equal,
                  reference.r_squared_test->count_greater_equal);
      }
    }
  }
}

// The kernel projects raw input matrices, centred by a shift as they are
// gathered, and builds each permuted residual as a combination of them; the
// refit centres and scales every design afresh. Means far from zero and
// near-collinear predictors are where the two could part: they must not.
TEST(ProjectionKernel, MatchesTheRefitWithLargeMeansAndNearCollinearPredictors) {
  std::mt19937_64 random(testing::AnnouncedSeed(1130));
  std::normal_distribution<double> normal;
  const Eigen::Index n = 25;
  std::vector<std::string> labels;
  for (Eigen::Index i = 0; i < n; ++i) labels.push_back("n" + std::to_string(i));
  auto make = [&](const std::string& name) {
    LabelledMatrix m;
    m.name = name;
    m.source = name + ".csv";
    m.labels = labels;
    m.values = DyadMatrix::Zero(n, n);
    return m;
  };
  Dataset d;
  d.y = make("Y");
  for (const char* name : {"X1", "X2", "X3"}) d.x.push_back(make(name));
  Eigen::VectorXd a(n);
  for (Eigen::Index i = 0; i < n; ++i) a[i] = normal(random);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      if (i == j) continue;
      const double x1 = std::abs(a[i] - a[j]) + 0.3 * normal(random);
      d.x[0].values(i, j) = 1e5 + x1;                          // mean / sd about 1e5
      d.x[1].values(i, j) = 1e5 + x1 + 0.01 * normal(random);  // and nearly x1 (VIF about 1e3)
      d.x[2].values(i, j) = -2e6 + 10.0 * normal(random);
      d.y.values(i, j) = 5e4 + x1 + 0.1 * d.x[2].values(i, j) + normal(random);
    }
  }
  for (NullHypothesis null : kPermutationNulls) {
    RegressionOptions options;
    options.null_hypothesis = null;
    options.permutation.permutations = 200;
    options.permutation.seed = testing::AnnouncedSeed(5);
    options.keep_null_distribution = true;
    const RegressionResult fast = RunQapRegression(d.y, d.x, options);
    options.algorithm = PermutationAlgorithm::kRefit;
    const RegressionResult reference = RunQapRegression(d.y, d.x, options);
    ASSERT_TRUE(fast.used_projection_kernel);
    EXPECT_GT(fast.condition_number, 30.0);
    // t statistics are O(1) under the null; one that lands near zero (a dot
    // product of O(1) coordinates cancelling) is compared to 1e-9 absolutely,
    // as its relative error says nothing about either path.
    ASSERT_TRUE(
        SameNullDistribution(fast.null_distribution, reference.null_distribution, 1e-9, 1.0))
        << ToString(null);
  }
}

TEST(ProjectionKernel, MissingCellsFallBackToTheListwiseRefit) {
  const Dataset d = SmallMissing();
  RegressionOptions options;
  options.permutation.permutations = 10;
  options.permutation.seed = testing::AnnouncedSeed(2);
  EXPECT_FALSE(RunQapRegression(d.y, d.x, options).used_projection_kernel);
}

// Issue 11, class 11: keeping the null distribution has a stated budget; a run
// over it is refused before any permutation, never a std::bad_alloc.
TEST(Regression, KeepingTheNullDistributionIsBoundedByTheBudget) {
  EXPECT_EQ(NullDistributionBytes(1000, 5), 1000U * 7U * 8U * 2U);
  EXPECT_EQ(NullDistributionBytes(std::uint64_t{1} << 62U, 5),
            std::numeric_limits<std::uint64_t>::max());
  const std::uint64_t fits = kNullDistributionBudgetBytes / NullDistributionBytes(1, 5);
  EXPECT_FALSE(NullDistributionMemoryError(fits, 5).has_value());
  const std::string refused = NullDistributionMemoryError(fits + 1, 5)->what();
  EXPECT_NE(refused.find("GiB, over the 4 GiB budget; use at most " + std::to_string(fits) +
                         " permutations"),
            std::string::npos)
      << refused;
  const std::string largest = NullDistributionMemoryError(kMaxPermutations, 5)->what();
  EXPECT_NE(largest.find("1000000000 permutations of 7 statistics need 104.3 GiB"),
            std::string::npos)
      << largest;

  const Dataset d = SmallMissing();
  RegressionOptions options;
  options.permutation.seed = 1;
  options.permutation.permutations = kMaxPermutations;
  options.keep_null_distribution = true;
  try {
    RunQapRegression(d.y, d.x, options);
    ADD_FAILURE() << "a 10^9-permutation null distribution was not refused";
  } catch (const OptionsError& e) {
    EXPECT_NE(std::string(e.what()).find("over the 4 GiB budget"), std::string::npos) << e.what();
  }
  // Without the distribution the same count is only a (long) run: not refused up front.
  options.keep_null_distribution = false;
  EXPECT_FALSE(options.Validate().has_value());
}

TEST(Regression, PermutationCountHasOneRangeForEveryCaller) {
  EXPECT_EQ(CheckPermutationCount(1), "");
  EXPECT_EQ(CheckPermutationCount(kMaxPermutations), "");
  EXPECT_EQ(CheckPermutationCount(0),
            "the number of permutations must be a whole number from 1 to 1000000000, got 0");
  EXPECT_NE(CheckPermutationCount(kMaxPermutations + 1).find("got 1000000001"), std::string::npos);
  PermutationOptions options;
  options.permutations = std::size_t{1} << 40U;
  // The engine names the field, not a front end's flag (issue 12).
  const auto problem = options.Validate();
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->field(), "permutations");
  EXPECT_STREQ(
      problem->what(),
      "permutations: the number of permutations must be a whole number from 1 to 1000000000, got "
      "1099511627776");
}

// Issue 13: Y given again as an X fitted exactly and printed t = 1.9e16. An
// exact fit (the residual within the rounding of the data) is refused with a
// ModelError naming the predictor Y equals, on both paths and every null.
TEST(Regression, DependentGivenAgainAsAPredictorIsRefusedNamingIt) {
  for (const Dataset& d : {LoadDataset("tests/data/small", "Y", {"X1", "X2"}), SmallMissing()}) {
    LabelledMatrix again = d.y;
    again.name = "Y_again";
    again.source = "again.csv";
    // Where Y is missing the copy holds a value: identical on the dyads used.
    for (Eigen::Index i = 0; i < again.size(); ++i) {
      for (Eigen::Index j = 0; j < again.size(); ++j) {
        if (!IsObserved(again.values(i, j))) again.values(i, j) = 42.0;
      }
    }
    for (NullHypothesis null : {NullHypothesis::kClassical, NullHypothesis::kDoubleSemiPartialling,
                                NullHypothesis::kFreedmanLane}) {
      for (PermutationAlgorithm algorithm :
           {PermutationAlgorithm::kAuto, PermutationAlgorithm::kRefit}) {
        RegressionOptions options;
        options.null_hypothesis = null;
        options.permutation.permutations = 19;
        options.permutation.seed = 1;
        options.algorithm = algorithm;
        try {
          RunQapRegression(d.y, {d.x[0], again}, options);
          ADD_FAILURE() << "Y as its own predictor was fitted, " << ToString(null);
        } catch (const ModelError& e) {
          const std::string message = e.what();
          EXPECT_NE(message.find("is identical to predictor 'Y_again' (again.csv) on every one "
                                 "of the "),
                    std::string::npos)
              << message;
          EXPECT_NE(message.find("the fit is exact"), std::string::npos) << message;
        }
      }
    }
  }
}

// An exact linear function of the predictors is refused too, also when the
// predictors' large means cost the centring its digits; a fit that is merely
// very good (residual 1e-9 or 1e-11 of Y's spread) is not.
TEST(Regression, ExactLinearFunctionIsRefusedAndANearPerfectFitIsNot) {
  const Dataset d = LoadDataset("tests/data/small", "Y", {"X1", "X2"});
  RegressionOptions options;
  options.null_hypothesis = NullHypothesis::kClassical;
  auto fit = [&](const DyadMatrix& y, const std::vector<LabelledMatrix>& x) {
    LabelledMatrix dependent = d.y;
    dependent.name = "COMBO";
    dependent.values = y;
    return RunQapRegression(dependent, x, options);
  };
  auto refused = [&](const DyadMatrix& y, const std::vector<LabelledMatrix>& x) {
    try {
      fit(y, x);
    } catch (const ModelError& e) {
      return std::string(e.what());
    }
    return std::string("not refused");
  };
  const std::string combination =
      refused((2.0 * d.x[0].values - 3.0 * d.x[1].values).array() + 5.0, d.x);
  EXPECT_NE(combination.find("is an exact linear function of the explanatory matrices ('X1', "
                             "'X2') on every one of the 72 dyads used"),
            std::string::npos)
      << combination;
  std::vector<LabelledMatrix> shifted = d.x;
  for (LabelledMatrix& x : shifted) x.values.array() += 1e6;
  EXPECT_NE(refused(shifted[0].values - shifted[1].values, shifted).find("exact linear function"),
            std::string::npos);
  for (double noise : {1e-9, 1e-11}) {
    const RegressionResult r = fit(d.x[0].values + noise * d.y.values, d.x);
    EXPECT_GT(r.r_squared, 1.0 - 1e-12) << noise;
    EXPECT_TRUE(std::isfinite(r.coefficients[1].t)) << noise;
  }
}

// Issue 13: too few permutations for the stars, or more than the network has
// distinct orderings, are said in the result (and so in every header).
TEST(Regression, PermutationCountWarningsSayWhatTheCountAllows) {
  using W = std::vector<std::string>;
  EXPECT_EQ(PermutationCountWarnings(10, 10, PValueRule::kPlusOne),
            (W{"10 permutations: the smallest attainable p-value is 1/11 = 0.0909, which already "
               "earns a star (*, p < 0.10) while ** and *** cannot be reached: the stars say as "
               "much about the number of permutations as about the data; run at least 1,999 "
               "permutations"}));
  EXPECT_EQ(PermutationCountWarnings(3, 500, PValueRule::kPlusOne),
            (W{"500 permutations of 3 nodes, which have only 6 distinct orderings: permutations "
               "repeat, p-values are coarse (no finer than 1/6); enumerate the 6 orderings "
               "exactly or use a larger network"}));
  const W nine = PermutationCountWarnings(10, 9, PValueRule::kPlusOne);
  ASSERT_EQ(nine.size(), 1U);
  EXPECT_NE(nine[0].find("1/10 = 0.1, so no p-value can earn a star (* needs p < 0.10)"),
            std::string::npos)
      << nine[0];
  const W ninety_nine = PermutationCountWarnings(10, 99, PValueRule::kPlusOne);
  ASSERT_EQ(ninety_nine.size(), 1U);
  EXPECT_NE(ninety_nine[0].find("1/100 = 0.01, which already earns a star (**, p < 0.05) while "
                                "*** cannot be reached"),
            std::string::npos)
      << ninety_nine[0];
  EXPECT_TRUE(PermutationCountWarnings(10, 100, PValueRule::kPlusOne).empty());
  EXPECT_TRUE(PermutationCountWarnings(10, 999, PValueRule::kPlusOne).empty());
  EXPECT_TRUE(PermutationCountWarnings(10, 0, PValueRule::kPlusOne).empty());
  const W proportion = PermutationCountWarnings(10, 100, PValueRule::kProportion);
  ASSERT_EQ(proportion.size(), 1U);
  EXPECT_NE(proportion[0].find("100 permutations: p-values are multiples of 1/100 = 0.01"),
            std::string::npos)
      << proportion[0];
  EXPECT_TRUE(PermutationCountWarnings(10, 101, PValueRule::kProportion).empty());
  // 12! = 479,001,600 orderings; 13! is past kMaxPermutations.
  EXPECT_EQ(PermutationCountWarnings(12, 1000000000, PValueRule::kPlusOne).size(), 1U);
  EXPECT_TRUE(PermutationCountWarnings(13, 1000000000, PValueRule::kPlusOne).empty());
  EXPECT_TRUE(PermutationCountWarnings(4, 24, PValueRule::kPlusOne).size() == 1U);  // coarse only
  EXPECT_EQ(PermutationCountWarnings(4, 25, PValueRule::kPlusOne).size(), 2U);

  // The runs carry them; the classical null has none.
  const Dataset d = LoadDataset("tests/data/small", "Y", {"X1", "X2"});
  RegressionOptions options;
  options.permutation.permutations = 10;
  options.permutation.seed = 3;
  EXPECT_EQ(RunQapRegression(d.y, d.x, options).permutation_warnings,
            PermutationCountWarnings(9, 10, PValueRule::kPlusOne));
  options.permutation.permutations = 200;
  EXPECT_TRUE(RunQapRegression(d.y, d.x, options).permutation_warnings.empty());
  options.null_hypothesis = NullHypothesis::kClassical;
  options.permutation.permutations = 10;
  EXPECT_TRUE(RunQapRegression(d.y, d.x, options).permutation_warnings.empty());
  CorrelationOptions correlation;
  correlation.permutation.permutations = 10;
  correlation.permutation.seed = 3;
  EXPECT_EQ(RunQapCorrelation(d.y, d.x[0], correlation).permutation_warnings,
            PermutationCountWarnings(9, 10, PValueRule::kPlusOne));
}

}  // namespace
}  // namespace qap
