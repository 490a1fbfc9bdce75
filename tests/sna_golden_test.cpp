// Engine vs R's sna 2.7-1 (tests/golden/sna/make_golden.R made the files; the
// tests read them and do not need R). Coefficients, t and R-squared agree to
// 1e-8 relative; with the same permutations (the perms_*.txt files) the
// permutation counts agree exactly.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "qap/core/alignment.hpp"
#include "qap/core/correlation.hpp"
#include "qap/core/permutation.hpp"
#include "qap/core/regression.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/permutation_file.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using testing::RelativelyNear;

using Row = std::map<std::string, std::string>;

std::vector<Row> ReadGolden(const std::string& relative) {
  const std::string path = testing::SourcePath(relative);
  const auto records = detail::TokenizeCsv(detail::ReadWholeFile(path), ',', path);
  std::vector<Row> rows;
  for (std::size_t r = 1; r < records.size(); ++r) {
    Row row;
    for (std::size_t c = 0; c < records[0].fields.size(); ++c)
      row[records[0].fields[c].text] = records[r].fields[c].text;
    rows.push_back(std::move(row));
  }
  return rows;
}

struct Case {
  std::string folder;
  std::string y;
  std::vector<std::string> x;
  std::string permutations;
};

const std::map<std::string, Case>& Cases() {
  static const std::map<std::string, Case> cases = {
      {"small", {"tests/data/small", "Y", {"X1", "X2", "X3"}, "tests/golden/sna/perms_n9.txt"}},
      {"small_missing",
       {"tests/data/small_missing", "Y", {"X1", "X2", "X3"}, "tests/golden/sna/perms_n9.txt"}},
      {"small_sym", {"tests/data/small_sym", "Y", {"X1", "X2"}, "tests/golden/sna/perms_n10.txt"}},
      {"rare_earth_2023_850511_export",
       {"fixtures/rare-earth-2023/850511/export",
        "REE",
        {"TPR", "PGDP", "TD", "ECI", "WGI"},
        "tests/golden/sna/perms_n58.txt"}},
  };
  return cases;
}

struct Loaded {
  LabelledMatrix y;
  std::vector<LabelledMatrix> x;
};

Loaded Load(const Case& c) {
  Loaded d;
  d.y = ReadLabelledMatrix(testing::SourcePath(c.folder + "/" + c.y + ".csv"), {});
  for (const auto& name : c.x)
    d.x.push_back(ReadLabelledMatrix(testing::SourcePath(c.folder + "/" + name + ".csv"), {}));
  std::vector<LabelledMatrix*> all{&d.y};
  for (auto& m : d.x) all.push_back(&m);
  AlignMatrices(all, AlignMode::kExact);
  return d;
}

NullHypothesis NullFromSna(const std::string& name) {
  if (name == "classical") return NullHypothesis::kClassical;
  if (name == "y") return NullHypothesis::kPermuteY;
  if (name == "x") return NullHypothesis::kPermuteX;
  return NullHypothesis::kDoubleSemiPartialling;
}

// Runs every (case, null, mode, statistic) group of a golden file and checks each row.
void CheckRegressionGolden(const std::string& file) {
  const std::vector<Row> rows = ReadGolden(file);
  ASSERT_FALSE(rows.empty()) << file;
  std::map<std::string, RegressionResult> results;
  std::size_t checked = 0;
  for (const Row& row : rows) {
    if (row.at("null") == "dsp_sna_buggy") continue;
    const std::string key =
        row.at("case") + "/" + row.at("null") + "/" + row.at("mode") + "/" + row.at("statistic");
    if (!results.contains(key)) {
      const Case& c = Cases().at(row.at("case"));
      const Loaded d = Load(c);
      RegressionOptions options;
      options.null_hypothesis = NullFromSna(row.at("null"));
      options.statistic =
          row.at("statistic") == "beta" ? TestStatistic::kCoefficient : TestStatistic::kT;
      options.dyads.mode = row.at("mode") == "graph" ? DyadMode::kUndirected : DyadMode::kDirected;
      options.permutation.pvalue_rule = PValueRule::kProportion;
      PermutationInputs inputs;
      inputs.fixed = std::make_shared<const std::vector<Permutation>>(ReadPermutationFile(
          testing::SourcePath(c.permutations), static_cast<std::uint32_t>(d.y.size())));
      results.emplace(key, RunQapRegression(d.y, d.x, options, inputs));
    }
    const RegressionResult& result = results.at(key);
    const std::string& variable = row.at("variable");
    const auto estimate =
        std::find_if(result.coefficients.begin(), result.coefficients.end(),
                     [&](const CoefficientEstimate& e) { return e.name == variable; });
    ASSERT_NE(estimate, result.coefficients.end()) << key << " " << variable;
    SCOPED_TRACE(key + " " + variable);
    EXPECT_TRUE(RelativelyNear(estimate->coefficient, std::stod(row.at("coefficient")), 1e-8));
    EXPECT_TRUE(RelativelyNear(estimate->t, std::stod(row.at("t")), 1e-8));
    EXPECT_TRUE(RelativelyNear(result.r_squared, std::stod(row.at("r2")), 1e-8));
    EXPECT_TRUE(RelativelyNear(result.adjusted_r_squared, std::stod(row.at("adj_r2")), 1e-8));
    EXPECT_TRUE(RelativelyNear(result.f_statistic, std::stod(row.at("f")), 1e-8));
    EXPECT_EQ(result.dyads_used, std::stol(row.at("n_dyads")));
    if (!row.at("count_abs").empty()) {
      ASSERT_TRUE(estimate->permutation.has_value());
      EXPECT_EQ(estimate->permutation->valid, std::stoul(row.at("reps")));
      EXPECT_EQ(estimate->permutation->count_greater_equal, std::stoul(row.at("count_ge")));
      EXPECT_EQ(estimate->permutation->count_less_equal, std::stoul(row.at("count_le")));
      EXPECT_EQ(estimate->permutation->count_as_extreme, std::stoul(row.at("count_abs")));
    } else if (row.at("null") != "classical") {
      EXPECT_FALSE(estimate->permutation.has_value());
    }
    ++checked;
  }
  EXPECT_GT(checked, 0U);
}

TEST(SnaGolden, RegressionOnSmallDirectedMissingAndUndirectedData) {
  CheckRegressionGolden("tests/golden/sna/regress.csv");
}

TEST(SnaGolden, RegressionOnTheRareEarthFixture) {
  CheckRegressionGolden("tests/golden/sna/regress_fixture_850511_export.csv");
}

// sna's qapspp recycles residuals over missing cells; the golden file holds
// what it gives with the same permutations. Ours must differ from it (and
// match the corrected reference, checked above).
TEST(SnaGolden, OurDspWithMissingCellsIsNotSnasRecycledOne) {
  std::map<std::string, std::string> buggy;
  std::map<std::string, std::string> corrected;
  for (const Row& row : ReadGolden("tests/golden/sna/regress.csv")) {
    if (row.at("case") != "small_missing" || row.at("variable") == "(intercept)") continue;
    const std::string counts =
        row.at("count_ge") + "/" + row.at("count_le") + "/" + row.at("count_abs");
    if (row.at("null") == "dsp_sna_buggy") buggy[row.at("variable")] = counts;
    if (row.at("null") == "dsp") corrected[row.at("variable")] = counts;
  }
  ASSERT_EQ(buggy.size(), 3U);
  ASSERT_EQ(corrected.size(), 3U);
  EXPECT_NE(buggy, corrected);
}

TEST(SnaGolden, CorrelationAgreesWithGcorAndQaptest) {
  for (const Row& row : ReadGolden("tests/golden/sna/correlate.csv")) {
    const Case& c = Cases().at(row.at("case"));
    SCOPED_TRACE(row.at("case") + " " + row.at("x"));
    Loaded d = Load(c);
    const auto x = std::find_if(d.x.begin(), d.x.end(),
                                [&](const LabelledMatrix& m) { return m.name == row.at("x"); });
    ASSERT_NE(x, d.x.end());
    CorrelationOptions options;
    options.dyads.mode = row.at("mode") == "graph" ? DyadMode::kUndirected : DyadMode::kDirected;
    options.permutation.pvalue_rule = PValueRule::kProportion;
    PermutationInputs inputs;
    inputs.fixed = std::make_shared<const std::vector<Permutation>>(ReadPermutationFile(
        testing::SourcePath(c.permutations), static_cast<std::uint32_t>(d.y.size())));
    const CorrelationResult result = RunQapCorrelation(d.y, *x, options, inputs);
    EXPECT_TRUE(RelativelyNear(result.correlation, std::stod(row.at("r")), 1e-10));
    EXPECT_EQ(result.test.valid, std::stoul(row.at("reps")));
    EXPECT_EQ(result.test.count_greater_equal, std::stoul(row.at("count_ge")));
    EXPECT_EQ(result.test.count_less_equal, std::stoul(row.at("count_le")));
    EXPECT_EQ(result.test.count_as_extreme, std::stoul(row.at("count_abs")));
  }
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

// With its own random permutations the engine estimates the same p-values as
// sna; they agree within Monte-Carlo error (4 standard errors of the
// difference of two binomial proportions).
TEST(SnaGolden, OwnPermutationsAgreeWithSnaWithinMonteCarloError) {
  const std::uint64_t seed = testing::AnnouncedSeed(31337);
  for (const std::string null : {"y", "dsp", "x"}) {
    const Case& c = Cases().at("small");
    const Loaded d = Load(c);
    RegressionOptions options;
    options.null_hypothesis = NullFromSna(null);
    options.permutation.permutations = 4000;
    options.permutation.seed = seed;
    options.permutation.pvalue_rule = PValueRule::kProportion;
    const RegressionResult result = RunQapRegression(d.y, d.x, options);
    for (const Row& row : ReadGolden("tests/golden/sna/regress.csv")) {
      if (row.at("case") != "small" || row.at("null") != null || row.at("statistic") != "t" ||
          row.at("count_abs").empty()) {
        continue;
      }
      const auto estimate =
          std::find_if(result.coefficients.begin(), result.coefficients.end(),
                       [&](const CoefficientEstimate& e) { return e.name == row.at("variable"); });
      ASSERT_NE(estimate, result.coefficients.end());
      const double sna_p = std::stod(row.at("count_abs")) / std::stod(row.at("reps"));
      const double ours = estimate->permutation->p_two_sided;
      const double pooled = std::clamp((sna_p * 400.0 + ours * 4000.0) / 4400.0, 1e-3, 1.0 - 1e-3);
      const double standard_error =
          std::sqrt(pooled * (1.0 - pooled) * (1.0 / 400.0 + 1.0 / 4000.0));
      EXPECT_LE(std::abs(ours - sna_p), 4.0 * standard_error) << null << " " << row.at("variable");
    }
  }
}

}  // namespace
}  // namespace qap
