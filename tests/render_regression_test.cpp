// The tests of the core rooms' results that also check what the render room
// makes of them (RenderRegression, RenderCorrelation, RenderStudyTable). They
// live here so the files they came from (regression_test.cpp,
// numerical_test.cpp, zero_up_to_rounding_test.cpp, tiny_coefficient_test.cpp)
// build into qap_core_tests without the trade, study and render libraries.
// The data sets come from test_datasets.hpp, as in the files they came from.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "qap/core/alignment.hpp"
#include "qap/core/correlation.hpp"
#include "qap/core/dyads.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/ols.hpp"
#include "qap/core/regression.hpp"
#include "qap/render/report.hpp"
#include "qap/render/study_report.hpp"
#include "qap/study/study.hpp"
#include "test_datasets.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using testing::RelativelyNear;

// A study of one model: product 850511, exports, the main specification.
StudyResult OneModelStudy(RegressionResult result) {
  StudyResult study;
  study.manifest.products = {"850511"};
  study.manifest.directions = {TradeDirection::kExport};
  StudyModel model;
  model.variant = "main";
  model.product = "850511";
  model.result = std::move(result);
  study.models.push_back(std::move(model));
  return study;
}

// What a run writes in `format`: for CSV the table and its .meta.json
// sidecar (where the warnings and notes went, issue 13).
std::string Written(const RegressionResult& r, OutputFormat format,
                    const RenderContext& context = {}) {
  std::string out = RenderRegression(r, format, context);
  if (format == OutputFormat::kCsv) out += RenderRegressionCsvMeta(r, context);
  return out;
}
std::string Written(const CorrelationResult& r, OutputFormat format,
                    const RenderContext& context = {}) {
  std::string out = RenderCorrelation(r, format, context);
  if (format == OutputFormat::kCsv) out += RenderCorrelationCsvMeta(r, context);
  return out;
}
std::string WrittenTable(const StudyResult& study, const std::string& variant,
                         const std::string& format) {
  std::string meta;
  std::string out = RenderStudyTable(study, variant, format, &meta);
  return out + meta;
}

// The fields of each record of `csv` (RFC 4180: quotes, doubled quotes).
std::vector<std::vector<std::string>> CsvRecords(const std::string& csv) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
    } else if (c == '\n') {
      record.push_back(field);
      records.push_back(record);
      record.clear();
      field.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !record.empty()) {
    record.push_back(field);
    records.push_back(record);
  }
  return records;
}

// Issue 13: a CSV is a plain rectangle R's read.csv and Python's csv module
// read as it is: the header first, every record as wide as the header, no
// comment or blank line, every column named, a missing value NA, not empty.
void ExpectRectangularCsv(const std::string& csv, const std::vector<std::string>& header,
                          const std::string& what) {
  ASSERT_FALSE(csv.empty()) << what;
  EXPECT_EQ(csv.back(), '\n') << what;
  std::size_t start = 0;
  while (start < csv.size()) {
    const std::size_t end = csv.find('\n', start);
    const std::string line = csv.substr(start, end - start);
    EXPECT_FALSE(line.empty()) << what << ": a blank line";
    EXPECT_NE(line.front(), '#') << what << ": " << line;
    start = end == std::string::npos ? csv.size() : end + 1;
  }
  const auto records = CsvRecords(csv);
  ASSERT_GE(records.size(), 2U) << what << ": a header and at least one row\n" << csv;
  EXPECT_EQ(records.front(), header) << what;
  for (const std::string& name : records.front()) EXPECT_FALSE(name.empty()) << what;
  for (std::size_t r = 1; r < records.size(); ++r) {
    EXPECT_EQ(records[r].size(), header.size()) << what << ", record " << r << "\n" << csv;
  }
}

const std::vector<std::string> kRegressionCsvHeader{
    "variable",           "file",        "coefficient", "standardized",
    "std_error",          "t",           "p_ge",        "p_le",
    "p_two_sided",        "count_ge",    "count_le",    "count_as_extreme",
    "valid_permutations", "classical_p", "stars"};

// Text wrapped at 100 columns read back as one line per sentence: a line
// break followed by its hanging indent is a space.
std::string Unwrapped(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == ' ') {
      while (i + 1 < text.size() && text[i + 1] == ' ') ++i;
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

// Columns a line takes on a terminal: UTF-8 code points.
std::size_t Columns(const std::string& line) {
  return static_cast<std::size_t>(std::count_if(line.begin(), line.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

// The lines of `text` wider than 100 columns, with their widths.
std::string WideLines(const std::string& text) {
  std::string wide;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (Columns(line) > 100) wide += std::to_string(Columns(line)) + ": " + line + "\n";
    start = end + 1;
  }
  return wide;
}

// The line of `text` that starts with `start`, or "".
std::string LineStartingWith(const std::string& text, const std::string& start) {
  const std::size_t at = text.find("\n" + start);
  if (at == std::string::npos) return {};
  return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

// From regression_test.cpp.
namespace regression_cases {

using testing::Dataset;
using testing::Fixture850511;
using testing::SmallMissing;

TEST(Regression, ResultsAreIdenticalForAnyThreadCount) {
  const Dataset d = Fixture850511();
  for (NullHypothesis null : {NullHypothesis::kDoubleSemiPartialling, NullHypothesis::kPermuteY,
                              NullHypothesis::kFreedmanLane}) {
    RegressionOptions options;
    options.null_hypothesis = null;
    options.permutation.permutations = 200;
    options.permutation.seed = testing::AnnouncedSeed(11);
    options.keep_null_distribution = true;
    options.permutation.threads = 1;
    const RegressionResult serial = RunQapRegression(d.y, d.x, options);
    for (int threads : {2, 3}) {
      options.permutation.threads = threads;
      const RegressionResult parallel = RunQapRegression(d.y, d.x, options);
      // Bitwise equality: every permutation lands in its own row whatever thread ran it.
      EXPECT_TRUE(
          (serial.null_distribution.array() == parallel.null_distribution.array() ||
           (serial.null_distribution.array().isNaN() && parallel.null_distribution.array().isNaN()))
              .all())
          << ToString(null) << " threads " << threads;
      EXPECT_EQ(RenderRegression(serial, OutputFormat::kJson, {}),
                RenderRegression(parallel, OutputFormat::kJson, {}));
    }
  }
}

TEST(Regression, InterceptIsPermutationTestedOnlyUnderTheYNull) {
  const Dataset d = SmallMissing();
  for (NullHypothesis null : {NullHypothesis::kDoubleSemiPartialling, NullHypothesis::kPermuteY,
                              NullHypothesis::kPermuteX, NullHypothesis::kFreedmanLane}) {
    RegressionOptions options;
    options.null_hypothesis = null;
    options.permutation.permutations = 20;
    options.permutation.seed = testing::AnnouncedSeed(1);
    const RegressionResult result = RunQapRegression(d.y, d.x, options);
    EXPECT_EQ(result.coefficients[0].permutation.has_value(), null == NullHypothesis::kPermuteY)
        << ToString(null);
    EXPECT_TRUE(result.coefficients[1].permutation.has_value());
    EXPECT_TRUE(result.r_squared_test.has_value());
    const std::string text = RenderRegression(result, OutputFormat::kText, {});
    EXPECT_EQ(text.find("not permutation-tested") != std::string::npos,
              null != NullHypothesis::kPermuteY);
  }
}

}  // namespace regression_cases

// From numerical_test.cpp.
namespace numerical_cases {

using Data = testing::Dataset;

// Near-collinear X1 and X3: the fit is still right (long-double normal
// equations as the reference) and the output warns.
TEST(Numerical, NearCollinearPredictorsAreFittedAccuratelyAndWarnedAbout) {
  const Data d = testing::NearCollinear(2, 1e-4);
  RegressionOptions options;
  options.null_hypothesis = NullHypothesis::kClassical;
  const RegressionResult r = RunQapRegression(d.y, d.x, options);
  EXPECT_GT(r.condition_number, kConditionWarning);
  const std::string text = RenderRegression(r, OutputFormat::kText, {});
  EXPECT_NE(text.find("Warning: the condition number of the scaled design"), std::string::npos)
      << text;
  // Reference: normal equations in long double over the directed dyads.
  const DyadIndex dyads(d.y.size(), {});
  using LongMatrix = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
  LongMatrix design(dyads.size(), 4);
  Eigen::Matrix<long double, Eigen::Dynamic, 1> y(dyads.size());
  for (Eigen::Index k = 0; k < dyads.size(); ++k) {
    design(k, 0) = 1.0L;
    for (Eigen::Index c = 0; c < 3; ++c) {
      design(k, c + 1) = static_cast<long double>(
          d.x[static_cast<std::size_t>(c)].values(dyads.row(k), dyads.column(k)));
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
    EXPECT_TRUE(RelativelyNear(r.coefficients[static_cast<std::size_t>(c)].coefficient,
                               static_cast<double>(beta[c]), 1e-7))
        << c;
  }
}

}  // namespace numerical_cases

// From zero_up_to_rounding_test.cpp.
namespace zero_cases {

using Synthetic = testing::Dataset;
using testing::Orthogonal;

TEST(ZeroUpToRounding, WarningReachesEveryOutputFormat) {
  const Synthetic s = Orthogonal(20, 1602);
  RegressionOptions options;
  options.permutation.permutations = 50;
  options.permutation.seed = 3;
  const RegressionResult r = RunQapRegression(s.y, s.x, options);
  for (OutputFormat format :
       {OutputFormat::kText, OutputFormat::kCsv, OutputFormat::kJson, OutputFormat::kMarkdown}) {
    const std::string out = Written(r, format);
    EXPECT_NE(out.find("X2: coefficient is zero up to rounding"), std::string::npos)
        << ToString(format) << "\n"
        << out;
  }
  // No stars for a coefficient that is zero.
  const std::string csv = RenderRegression(r, OutputFormat::kCsv, {});
  const std::size_t row = csv.find("\nX2,");
  ASSERT_NE(row, std::string::npos);
  EXPECT_EQ(csv.substr(csv.find('\n', row + 1) - 1, 1), ",") << csv.substr(row);
}

// The study's tables show a zeroed coefficient as 0 without stars; a
// footnote under each table says why, and the JSON carries the warnings.
TEST(ZeroUpToRounding, StudyTablesFootnoteAZeroedCoefficient) {
  const Synthetic s = Orthogonal(20, 1603);
  RegressionOptions options;
  options.permutation.permutations = 50;
  options.permutation.seed = 5;
  const StudyResult study = OneModelStudy(RunQapRegression(s.y, s.x, options));
  for (const char* format : {"text", "csv", "markdown", "latex"}) {
    const std::string out = WrittenTable(study, "main", format);
    EXPECT_NE(out.find("850511 export: X2 is zero up to rounding"), std::string::npos)
        << format << "\n"
        << out;
    EXPECT_EQ(out.find("X1 is zero up to rounding"), std::string::npos) << format;
    EXPECT_EQ(out.find("(intercept) is zero up to rounding"), std::string::npos)
        << "the table has no intercept row";
  }
  const std::string json = RenderStudyTable(study, "main", "json");
  EXPECT_NE(json.find("X2: coefficient is zero up to rounding"), std::string::npos) << json;
}

// The same rule for qap correlate: a symmetric and an antisymmetric matrix
// have r = 0 exactly, and so does every permutation of the first.
TEST(ZeroUpToRounding, CorrelationOfOrthogonalMatricesIsZeroWithPOne) {
  const Synthetic s = Orthogonal(20, 1606);
  for (const LabelledMatrix* first : {&s.y, &s.x[1]}) {
    const LabelledMatrix& second = first == &s.y ? s.x[1] : s.y;
    for (PValueRule rule : {PValueRule::kPlusOne, PValueRule::kProportion}) {
      CorrelationOptions options;
      options.permutation.permutations = 200;
      options.permutation.seed = 4;
      options.permutation.pvalue_rule = rule;
      const CorrelationResult r = RunQapCorrelation(*first, second, options);
      EXPECT_EQ(r.correlation, 0.0);
      EXPECT_EQ(r.test.p_two_sided, 1.0);
      EXPECT_EQ(r.test.p_greater_equal, 1.0);
      EXPECT_EQ(r.test.p_less_equal, 1.0);
      ASSERT_EQ(r.warnings.size(), 1U);
      EXPECT_NE(r.warnings[0].find("zero up to rounding"), std::string::npos);
      for (OutputFormat format : {OutputFormat::kText, OutputFormat::kCsv, OutputFormat::kJson,
                                  OutputFormat::kMarkdown}) {
        EXPECT_NE(Written(r, format).find("zero up to rounding"), std::string::npos)
            << ToString(format);
      }
    }
  }
  // A real correlation is untouched and carries no warning.
  CorrelationOptions options;
  options.permutation.permutations = 200;
  options.permutation.seed = 4;
  const CorrelationResult real = RunQapCorrelation(s.y, s.x[0], options);
  EXPECT_GT(std::abs(real.correlation), 0.1);
  EXPECT_TRUE(real.warnings.empty());
}

}  // namespace zero_cases

// From tiny_coefficient_test.cpp.
namespace tiny_cases {

using NearExact = testing::Dataset;

// Every permutation undefined: X1 is X2 permuted by q, and the permutation
// list is q alone, three times. Under the x null the permuted X2 is then X1
// itself, so every refit for X2 is rank-deficient. There is no test: p is
// NaN (NA, null) under both rules, not (0 + 1) / (0 + 1) = 1, without stars,
// and a warning names X2 and why, in every output format and in the study
// tables. X1 is unaffected (its permutations are fine).
TEST(TinyCoefficient, StatisticUndefinedInEveryPermutationHasNoPValue) {
  const Eigen::Index n = 12;
  std::mt19937_64 random(testing::AnnouncedSeed(1704));
  std::normal_distribution<double> normal;
  NearExact s{testing::BlankMatrix("Y", n),
              {testing::BlankMatrix("X1", n), testing::BlankMatrix("X2", n)}};
  Permutation q(static_cast<std::size_t>(n));
  std::iota(q.begin(), q.end(), 0U);
  std::rotate(q.begin(), q.begin() + 1, q.end());  // i -> i + 1 (mod n)
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      if (i != j) s.x[1].values(i, j) = normal(random);
    }
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      if (i == j) continue;
      // X1 = X2[q, q]: the permuted X2 the null will draw.
      s.x[0].values(i, j) =
          s.x[1].values(q[static_cast<std::size_t>(i)], q[static_cast<std::size_t>(j)]);
      s.y.values(i, j) = s.x[0].values(i, j) + 0.5 * s.x[1].values(i, j) + normal(random);
    }
  }
  for (PermutationAlgorithm algorithm :
       {PermutationAlgorithm::kAuto, PermutationAlgorithm::kRefit}) {
    for (PValueRule rule : {PValueRule::kPlusOne, PValueRule::kProportion}) {
      RegressionOptions options;
      options.null_hypothesis = NullHypothesis::kPermuteX;
      options.algorithm = algorithm;
      options.permutation.pvalue_rule = rule;
      PermutationInputs inputs;
      inputs.fixed =
          std::make_shared<const std::vector<Permutation>>(std::vector<Permutation>{q, q, q});
      const RegressionResult r = RunQapRegression(s.y, s.x, options, inputs);
      const std::string label = ToString(algorithm) + " " + ToString(rule);
      ASSERT_EQ(r.used_projection_kernel, algorithm == PermutationAlgorithm::kAuto) << label;
      const CoefficientEstimate& x2 = r.coefficients[2];
      ASSERT_TRUE(x2.permutation.has_value()) << label;
      EXPECT_EQ(x2.permutation->valid, 0U) << label;
      EXPECT_EQ(x2.undefined, 3U) << label;
      EXPECT_TRUE(std::isnan(x2.permutation->p_two_sided))
          << label << " " << x2.permutation->p_two_sided;
      EXPECT_TRUE(std::isnan(x2.permutation->p_greater_equal)) << label;
      EXPECT_TRUE(std::isnan(x2.permutation->p_less_equal)) << label;
      // The kernel cannot tell a permuted column inside the others' span from
      // rounding; it asked the refit, which found the rank deficiency.
      EXPECT_EQ(x2.refit_fallbacks, algorithm == PermutationAlgorithm::kAuto ? 3U : 0U) << label;
      const CoefficientEstimate& x1 = r.coefficients[1];
      EXPECT_EQ(x1.permutation->valid, 3U) << label;
      EXPECT_FALSE(std::isnan(x1.permutation->p_two_sided)) << label;
      const std::string warning = "X2: all 3 permutations gave an undefined statistic";
      ASSERT_EQ(
          std::count_if(r.warnings.begin(), r.warnings.end(),
                        [&](const std::string& w) { return w.find(warning) != std::string::npos; }),
          1)
          << label;
      for (OutputFormat format : {OutputFormat::kText, OutputFormat::kCsv, OutputFormat::kJson,
                                  OutputFormat::kMarkdown}) {
        const std::string out = Written(r, format);
        EXPECT_NE(out.find(warning), std::string::npos) << label << " " << ToString(format) << "\n"
                                                        << out;
        EXPECT_EQ(out.find("rank-deficient refit"), std::string::npos) << ToString(format);
        EXPECT_EQ(out.find("left out of its p-values"), std::string::npos)
            << ToString(format) << ": the all-undefined case has its own sentence";
      }
      // CSV: the p columns are NA and the stars column empty.
      const std::string csv = RenderRegression(r, OutputFormat::kCsv, {});
      const std::size_t row = csv.find("\nX2,");
      ASSERT_NE(row, std::string::npos);
      const std::string line = csv.substr(row + 1, csv.find('\n', row + 1) - row - 1);
      EXPECT_NE(line.find(",NA,NA,NA,"), std::string::npos) << line;
      EXPECT_EQ(line.back(), ',') << line;
      // JSON: null p-values under both rules.
      const std::string json = RenderRegression(r, OutputFormat::kJson, {});
      EXPECT_EQ(json.find("\"p_two_sided\":1.0"), std::string::npos) << json;
      // The study tables: no stars, and a footnote naming X2.
      const StudyResult study = OneModelStudy(r);
      for (const char* format : {"text", "csv", "markdown", "latex"}) {
        const std::string table = WrittenTable(study, "main", format);
        EXPECT_NE(table.find("850511 export: X2 has no permutation p-value (all 3 permutations"),
                  std::string::npos)
            << format << "\n"
            << table;
      }
      const std::string study_json = RenderStudyTable(study, "main", "json");
      EXPECT_NE(study_json.find(warning), std::string::npos) << study_json;
    }
  }
}

}  // namespace tiny_cases

// Issue 13: PermutationCountWarnings are printed in the header of every
// format, under the options in effect (before the table), and lead the JSON's
// warnings; a run with enough permutations prints none.
TEST(RenderRegression, PermutationCountWarningsAreInEveryHeader) {
  const testing::Dataset d = testing::LoadDataset("tests/data/small", "Y", {"X1", "X2"});
  RegressionOptions options;
  options.permutation.permutations = 10;
  options.permutation.seed = 2;
  const RegressionResult r = RunQapRegression(d.y, d.x, options);
  ASSERT_EQ(r.permutation_warnings.size(), 1U);
  const std::string& warning = r.permutation_warnings[0];
  const std::string text = RenderRegression(r, OutputFormat::kText, {});
  EXPECT_NE(Unwrapped(text).find("\nWarning: " + warning + "\n"), std::string::npos) << text;
  EXPECT_LT(Unwrapped(text).find(warning), Unwrapped(text).find("Nodes: ")) << text;
  // CSV: the warning is in the sidecar, first, not in the table.
  const std::string csv = RenderRegression(r, OutputFormat::kCsv, {});
  EXPECT_EQ(csv.find(warning), std::string::npos) << csv;
  EXPECT_EQ(nlohmann::json::parse(RenderRegressionCsvMeta(r, {}))["warnings"][0], warning);
  const std::string markdown = RenderRegression(r, OutputFormat::kMarkdown, {});
  EXPECT_NE(markdown.find("Warning: 10 permutations"), std::string::npos) << markdown;
  EXPECT_LT(markdown.find("Warning: 10 permutations"), markdown.find("Nodes: ")) << markdown;
  const auto json = nlohmann::json::parse(RenderRegression(r, OutputFormat::kJson, {}));
  ASSERT_FALSE(json["warnings"].empty());
  EXPECT_EQ(json["warnings"][0], warning);

  CorrelationOptions correlation;
  correlation.permutation.permutations = 10;
  correlation.permutation.seed = 2;
  const CorrelationResult c = RunQapCorrelation(d.y, d.x[0], correlation);
  ASSERT_EQ(c.permutation_warnings.size(), 1U);
  for (OutputFormat format : {OutputFormat::kText, OutputFormat::kMarkdown}) {
    const std::string out = RenderCorrelation(c, format, {});
    EXPECT_LT(out.find("Warning: 10 permutations"), out.find("odes: ")) << out;
  }
  EXPECT_EQ(nlohmann::json::parse(RenderCorrelationCsvMeta(c, {}))["warnings"][0],
            c.permutation_warnings[0]);
  EXPECT_EQ(nlohmann::json::parse(RenderCorrelation(c, OutputFormat::kJson, {}))["warnings"][0],
            c.permutation_warnings[0]);

  options.permutation.permutations = 199;
  const RegressionResult enough = RunQapRegression(d.y, d.x, options);
  EXPECT_EQ(RenderRegression(enough, OutputFormat::kText, {}).find("permutations: the smallest"),
            std::string::npos);
  EXPECT_TRUE(
      nlohmann::json::parse(RenderRegression(enough, OutputFormat::kJson, {}))["warnings"].empty());
}

// Issue 13: every CSV of regress and correlate is a bare rectangle whose
// missing values are NA; the provenance (options, seed, version, inputs and
// their hashes, model statistics, warnings) is in the sidecar's JSON.
TEST(RenderRegression, CsvIsABareTableAndItsProvenanceIsInTheSidecar) {
  const testing::Dataset d = testing::SmallMissing();
  for (NullHypothesis null : {NullHypothesis::kDoubleSemiPartialling, NullHypothesis::kClassical}) {
    RegressionOptions options;
    options.null_hypothesis = null;
    options.permutation.permutations = 99;
    options.permutation.seed = 7;
    const RegressionResult r = RunQapRegression(d.y, d.x, options);
    RenderContext context;
    context.input_notes = {"Y: the file has no labels: nodes are numbered 1..4 by position"};
    const std::string csv = RenderRegression(r, OutputFormat::kCsv, context);
    ExpectRectangularCsv(csv, kRegressionCsvHeader, ToString(null));
    const auto records = CsvRecords(csv);
    ASSERT_EQ(records.size(), r.coefficients.size() + 1) << csv;
    for (std::size_t c = 0; c < r.coefficients.size(); ++c) {
      EXPECT_EQ(records[c + 1][0], r.coefficients[c].name);
      EXPECT_EQ(std::stod(records[c + 1][2]), r.coefficients[c].coefficient) << "round trip";
      for (const std::string& field : records[c + 1]) {
        if (&field != &records[c + 1].back()) {
          EXPECT_FALSE(field.empty()) << csv;
        }
      }
    }
    // The intercept has no standardized coefficient; under the classical null
    // and, for the intercept, under dsp no permutation test either: NA.
    EXPECT_EQ(records[1][3], "NA") << csv;
    EXPECT_EQ(records[1][6], "NA") << csv;
    if (null == NullHypothesis::kClassical) {
      EXPECT_EQ(records[2][6], "NA") << csv;
    }
    const auto meta = nlohmann::json::parse(RenderRegressionCsvMeta(r, context));
    EXPECT_EQ(meta["qap_version"], std::string(EngineVersion()));
    EXPECT_EQ(meta["command"], "regress");
    EXPECT_EQ(meta["options"]["null"], ToString(null));
    EXPECT_EQ(meta["options"]["seed"],
              null == NullHypothesis::kClassical ? nlohmann::json(nullptr) : nlohmann::json(7));
    EXPECT_EQ(meta["inputs"]["dependent"]["file"], r.dependent_source);
    EXPECT_TRUE(meta["inputs"]["dependent"]["sha256"].is_string()) << meta.dump(2);
    EXPECT_EQ(meta["inputs"]["explanatory"].size(), r.coefficients.size() - 1);
    EXPECT_EQ(meta["nodes"], r.nodes);
    EXPECT_EQ(meta["model"]["r_squared"].get<double>(), r.r_squared);
    EXPECT_EQ(meta["notes"], nlohmann::json(context.input_notes));
    EXPECT_FALSE(meta["footnotes"].empty());
    EXPECT_FALSE(meta.contains("coefficients")) << "the rows are the CSV's";
  }
  CorrelationOptions options;
  options.permutation.permutations = 99;
  options.permutation.seed = 7;
  const CorrelationResult c = RunQapCorrelation(d.y, d.x[0], options);
  const std::string csv = RenderCorrelation(c, OutputFormat::kCsv, {});
  ExpectRectangularCsv(csv,
                       {"first", "second", "r", "p_ge", "p_le", "p_two_sided", "count_ge",
                        "count_le", "count_as_extreme", "valid_permutations", "stars"},
                       "correlate");
  EXPECT_EQ(CsvRecords(csv).size(), 2U);
  EXPECT_EQ(std::stod(CsvRecords(csv)[1][2]), c.correlation);
  const auto meta = nlohmann::json::parse(RenderCorrelationCsvMeta(c, {}));
  EXPECT_EQ(meta["command"], "correlate");
  EXPECT_EQ(meta["options"]["seed"], 7);
  EXPECT_TRUE(meta["inputs"]["first"]["sha256"].is_string()) << meta.dump(2);
  EXPECT_EQ(CsvMetaPath("out/r.csv"), "out/r.csv.meta.json");
}

// The readers' notes about the inputs (labels numbered by position, ...)
// reach every format: "Note:" lines under the options in effect, "notes" in
// the JSON and in the CSV's sidecar.
TEST(RenderRegression, InputNotesAreInEveryFormat) {
  const testing::Dataset d = testing::LoadDataset("tests/data/small", "Y", {"X1", "X2"});
  RegressionOptions options;
  options.permutation.permutations = 20;
  options.permutation.seed = 2;
  const RegressionResult r = RunQapRegression(d.y, d.x, options);
  CorrelationOptions correlation;
  correlation.permutation.permutations = 20;
  correlation.permutation.seed = 2;
  const CorrelationResult c = RunQapCorrelation(d.y, d.x[0], correlation);
  RenderContext context;
  const std::string note = "Y: the file has no labels: nodes are numbered 1..4 by position";
  context.input_notes = {note};
  for (OutputFormat format : {OutputFormat::kText, OutputFormat::kMarkdown}) {
    for (const std::string& out :
         {RenderRegression(r, format, context), RenderCorrelation(c, format, context)}) {
      const std::size_t at = out.find("Note: " + note + "\n");
      ASSERT_NE(at, std::string::npos) << out;
      EXPECT_GT(at, out.find("Options in effect:")) << out;
      EXPECT_LT(at, out.find("Nodes: ")) << out;
    }
  }
  EXPECT_EQ(nlohmann::json::parse(RenderRegression(r, OutputFormat::kJson, context))["notes"][0],
            note);
  EXPECT_EQ(nlohmann::json::parse(RenderCorrelation(c, OutputFormat::kJson, context))["notes"][0],
            note);
  EXPECT_EQ(nlohmann::json::parse(RenderRegressionCsvMeta(r, context))["notes"][0], note);
  EXPECT_EQ(nlohmann::json::parse(RenderCorrelationCsvMeta(c, context))["notes"][0], note);
  // No notes, no line.
  EXPECT_EQ(RenderRegression(r, OutputFormat::kText, {}).find("Note: "), std::string::npos);
  EXPECT_TRUE(nlohmann::json::parse(RenderRegression(r, OutputFormat::kJson, {}))["notes"].empty());
}

// The study's CSV tables: bare rectangles, a missing cell NA, the
// provenance and footnotes in the sidecar.
TEST(RenderRegression, StudyCsvTablesAreBareTables) {
  const testing::Dataset d = testing::SmallMissing();
  RegressionOptions options;
  options.permutation.permutations = 20;
  options.permutation.seed = 2;
  StudyResult study = OneModelStudy(RunQapRegression(d.y, d.x, options));
  study.manifest.products.push_back("999999");  // a column without a model: NA
  std::string meta;
  const std::string csv = RenderStudyTable(study, "main", "csv", &meta);
  ExpectRectangularCsv(csv, {"table", "direction", "variable", "hs_code", "coefficient", "stars"},
                       "study table");
  bool missing = false;
  for (const auto& record : CsvRecords(csv)) {
    if (record[3] == "999999") {
      EXPECT_EQ(record[4], "NA");
      missing = true;
    }
  }
  EXPECT_TRUE(missing) << csv;
  const auto json = nlohmann::json::parse(meta);
  EXPECT_EQ(json["command"], "study run");
  EXPECT_TRUE(json["provenance"].contains("manifest")) << meta;
  EXPECT_TRUE(json["notes"].is_array());
}

// Issue 13: a regression made by hand with names as long as users give them
// and numbers at the edges of what the table prints.
RegressionResult LongNamesAndExtremeNumbers(NullHypothesis null, TestStatistic statistic) {
  RegressionResult r;
  r.options.null_hypothesis = null;
  r.options.statistic = statistic;
  const bool permuted = null != NullHypothesis::kClassical;
  r.permutations = permuted ? 4999 : 0;
  r.seed = 18446744073709551615ULL;
  r.dependent_name = "bilateral_dependence_2023";
  r.dependent_source = "data/rare-earths/850511/export/bilateral_dependence_2023.csv";
  r.nodes = 190;
  r.dyads_total = 35910;
  r.dyads_used = 35004;
  const std::vector<std::string> names{"(intercept)",
                                       "trade_dependence_2013",
                                       "trade_dependence_2023",
                                       "gdp_ppp_ratio",
                                       "ECI",
                                       "Côte_d'Ivoire_share_of_world_exports_2013",
                                       "Côte_d'Ivoire_share_of_world_exports_2023",
                                       "distance_between_capitals_km_2013",
                                       "distance_between_capitals_km_2023"};
  const std::vector<double> b{-1.23456789e-05, 0.0394737, -4.56789e+12, 1.23e-305, -98765.4321,
                              3.3e-300,        -0.5,      7.5e-07,      1.0};
  const std::vector<double> t{-12345.678, 2.5e7, -3.14159, 1.96, 0.0, -1.5e15, 42.0, -0.001, 7.0};
  const std::vector<double> p{1e-300, 0.5, 1.234e-100, 0.05, 1.0, 0.0, 1e-5, 0.999, 2.2e-16};
  const auto k = static_cast<Eigen::Index>(names.size());
  if (permuted) r.null_distribution = Eigen::MatrixXd(4999, k + 1);
  std::mt19937_64 random(7);
  std::normal_distribution<double> normal;
  for (std::size_t i = 0; i < names.size(); ++i) {
    CoefficientEstimate c;
    c.name = names[i];
    c.source = i == 0 ? "" : "data/rare-earths/850511/export/" + names[i] + ".csv";
    c.coefficient = b[i];
    c.standardized = i == 0 ? std::nan("") : -123.4567 / static_cast<double>(i);
    c.standard_error = std::abs(b[i]) / 3.0 + 1e-300;
    c.t = t[i];
    c.classical_p = p[i];
    if (permuted && (i > 0 || null == NullHypothesis::kPermuteY)) {
      c.permutation = PermutationTest{4999, 1, 4999, 1, 0.0002, 1.0, 0.0002};
    }
    const double scale = i % 2 == 0 ? 1e-7 : 1e+12;
    for (Eigen::Index row = 0; permuted && row < r.null_distribution.rows(); ++row) {
      r.null_distribution(row, static_cast<Eigen::Index>(i)) = scale * normal(random);
    }
    r.coefficients.push_back(std::move(c));
  }
  if (permuted) {
    r.null_distribution.col(k).setConstant(0.5);
    r.r_squared_test = PermutationTest{4999, 1, 4999, 1, 0.0002, 1.0, 0.0002};
  }
  r.r_squared = 0.999999;
  r.adjusted_r_squared = 0.999998;
  r.f_statistic = 1.23456789e+12;
  r.f_df1 = k - 1;
  r.f_df2 = 34995;
  r.f_p_value = 0.0;
  r.residual_standard_error = 1.23456789e-07;
  r.condition_number = 123456.789;
  r.warnings.push_back(names[5] +
                       ": coefficient is zero up to rounding (|t| = 1.2e-15, within the rounding "
                       "bound 3.4e-13): the regressor is orthogonal to " +
                       r.dependent_name + " given the others; b and t are set to 0");
  if (permuted) {
    r.permutation_warnings = PermutationCountWarnings(6, 4999, PValueRule::kPlusOne);
    r.permutation_warnings.push_back(PermutationCountWarnings(58, 10, PValueRule::kPlusOne)[0]);
  }
  return r;
}

RenderContext LongContext() {
  RenderContext context;
  context.align_mode = AlignMode::kIntersect;
  for (const char* label : {"Côte d'Ivoire", "Bosnia and Herzegovina", "Congo, Dem. Rep.",
                            "Micronesia, Fed. Sts.", "St. Vincent and the Grenadines"}) {
    context.alignment.dropped.push_back(
        {label,
         {"data/rare-earths/850511/export/trade_dependence_2013.csv",
          "data/rare-earths/850511/export/gdp_ppp_ratio.csv"}});
  }
  context.input_notes.push_back(
      "trade_dependence_2013: the file has no labels: nodes are numbered 1..190 by position, "
      "whatever the other files call them, so check that the order is the same");
  return context;
}

TEST(RenderRegression, TextFitsOneHundredColumnsWithLongNamesAndExtremeNumbers) {
  for (NullHypothesis null : {NullHypothesis::kDoubleSemiPartialling, NullHypothesis::kPermuteY,
                              NullHypothesis::kClassical}) {
    for (TestStatistic statistic : {TestStatistic::kT, TestStatistic::kCoefficient}) {
      const RegressionResult r = LongNamesAndExtremeNumbers(null, statistic);
      const std::string text = RenderRegression(r, OutputFormat::kText, LongContext());
      SCOPED_TRACE(ToString(null) + ", " + ToString(statistic) + "\n" + text);
      EXPECT_EQ(WideLines(text), "");
      // Each variable has one row, told apart from the others.
      std::vector<std::string> shown;
      const std::size_t table = text.find("\nVariable ");
      ASSERT_NE(table, std::string::npos);
      std::size_t line = text.find('\n', table + 1) + 1;
      for (std::size_t i = 0; i < r.coefficients.size(); ++i) {
        const std::size_t end = text.find('\n', line);
        const std::string row = text.substr(line, end - line);
        shown.push_back(row.substr(0, row.find(' ')));
        line = end + 1;
      }
      for (std::size_t i = 0; i < shown.size(); ++i) {
        EXPECT_EQ(std::count(shown.begin(), shown.end(), shown[i]), 1) << shown[i];
        // A shortened name keeps its start.
        EXPECT_EQ(r.coefficients[i].name.substr(0, 5), shown[i].substr(0, 5));
      }
      EXPECT_EQ(shown[3], "gdp_ppp_ratio");  // short enough to stay whole
      EXPECT_NE(text.find("Names shortened to fit 100 columns"), std::string::npos);
      EXPECT_NE(text.find("\nResidual standard error: 1.23457e-07 on 34995 degrees of freedom\n"),
                std::string::npos);
      EXPECT_EQ(text.find("Null distribution of") != std::string::npos,
                null != NullHypothesis::kClassical);
      // The warnings and notes are whole once unwrapped.
      const std::string joined = Unwrapped(text);
      for (const std::string& warning : r.warnings)
        EXPECT_NE(joined.find("Warning: " + warning + "\n"), std::string::npos) << warning;
      for (const std::string& warning : r.permutation_warnings)
        EXPECT_NE(joined.find("Warning: " + warning + "\n"), std::string::npos) << warning;
      EXPECT_NE(joined.find("Note: " + LongContext().input_notes[0] + "\n"), std::string::npos);
      EXPECT_NE(joined.find("\"St. Vincent and the Grenadines\" (missing from"), std::string::npos);
    }
  }
}

TEST(RenderRegression, CorrelationTextFitsOneHundredColumns) {
  CorrelationResult r;
  r.first_name = "bilateral_dependence_2023";
  r.second_name = "Côte_d'Ivoire_share_of_world_exports_2023";
  r.first_source = "data/rare-earths/850511/export/" + r.first_name + ".csv";
  r.second_source = "data/rare-earths/850511/export/" + r.second_name + ".csv";
  r.permutations = 4999;
  r.seed = 18446744073709551615ULL;
  r.correlation = -0.999999;
  r.test = PermutationTest{4999, 4999, 1, 4999, 1.0, 0.0002, 1.0};
  r.nodes = 190;
  r.dyads_total = 35910;
  r.dyads_used = 35004;
  r.permutation_warnings = PermutationCountWarnings(6, 4999, PValueRule::kPlusOne);
  r.warnings.push_back(
      "r is zero up to rounding (|r| = 1.2e-17, within the rounding bound 3.4e-15): the two "
      "matrices are orthogonal; r is set to 0 and its permutation p-values count ties with it");
  const std::string text = RenderCorrelation(r, OutputFormat::kText, LongContext());
  EXPECT_EQ(WideLines(text), "") << text;
  EXPECT_NE(Unwrapped(text).find("Warning: " + r.warnings[0] + "\n"), std::string::npos) << text;
}

// Issue 13: the text's null quantiles are the JSON's (the same function), for
// every permutation-tested coefficient, and the text says when there are none.
TEST(RenderRegression, TextNullQuantilesAreTheJsonQuantiles) {
  const testing::Dataset d = testing::Fixture850511();
  for (NullHypothesis null : {NullHypothesis::kDoubleSemiPartialling, NullHypothesis::kPermuteY}) {
    RegressionOptions options;
    options.null_hypothesis = null;
    options.permutation.permutations = 99;
    options.permutation.seed = 5;
    options.keep_null_distribution = true;
    const RegressionResult r = RunQapRegression(d.y, d.x, options);
    const std::string text = RenderRegression(r, OutputFormat::kText, {});
    const auto json = nlohmann::json::parse(RenderRegression(r, OutputFormat::kJson, {}));
    const std::size_t section = text.find("\nNull distribution of t over the permutations");
    ASSERT_NE(section, std::string::npos) << text;
    const std::string quantiles = text.substr(section);
    EXPECT_NE(quantiles.find("\nVariable "), std::string::npos) << text;
    for (const char* header : {"min", "25%", "median", "75%", "max"})
      EXPECT_NE(LineStartingWith(quantiles, "Variable ").find(header), std::string::npos);
    for (const auto& c : json["coefficients"]) {
      const std::string name = c["variable"];
      const std::string row = LineStartingWith(quantiles, name + " ");
      if (c["permutation"].is_null()) {
        EXPECT_EQ(row, "") << name;
        continue;
      }
      const auto& q = c["permutation"]["quantiles"];
      std::string expected = name;
      for (const char* key : {"min", "p25", "p50", "p75", "max"})
        expected += " " + FormatSignificant(q[key].get<double>(), 6);
      std::string collapsed;
      for (const char ch : row) {
        if (ch != ' ' || (!collapsed.empty() && collapsed.back() != ' ')) collapsed += ch;
      }
      EXPECT_EQ(collapsed, expected) << text;
    }
    EXPECT_EQ(WideLines(text), "") << text;

    options.keep_null_distribution = false;
    const std::string counted =
        RenderRegression(RunQapRegression(d.y, d.x, options), OutputFormat::kText, {});
    EXPECT_NE(counted.find("\nNull distribution of t: quantiles not shown: the run did not keep "
                           "the distribution.\n"),
              std::string::npos)
        << counted;
  }
  // Over the text's memory budget: said in one line.
  RegressionResult big = LongNamesAndExtremeNumbers(NullHypothesis::kDoubleSemiPartialling,
                                                    TestStatistic::kCoefficient);
  big.null_distribution.resize(0, 0);
  big.permutations = 100000000;
  const std::string text = RenderRegression(big, OutputFormat::kText, {});
  EXPECT_NE(Unwrapped(text).find("Null distribution of b: quantiles not shown: keeping 100000000 "
                                 "permutations' statistics takes 14.9 GiB, over the text "
                                 "report's 256 MiB budget"),
            std::string::npos)
      << text;
  EXPECT_EQ(WideLines(text), "");
  // The classical null has no null distribution to speak of.
  const RegressionResult classical =
      LongNamesAndExtremeNumbers(NullHypothesis::kClassical, TestStatistic::kT);
  EXPECT_EQ(RenderRegression(classical, OutputFormat::kText, {}).find("Null distribution"),
            std::string::npos);
}

// Issue 13: sna's "Residual standard error", sqrt(RSS / (N - K - 1)), in the
// dependent's units, also when the fit scales an extreme y.
TEST(RenderRegression, ResidualStandardErrorIsSnasSigma) {
  testing::Dataset d = testing::Fixture850511();
  for (const double scale : {1.0, 1e200, 1e-200}) {
    testing::Dataset scaled = d;
    scaled.y.values *= scale;
    RegressionOptions options;
    options.null_hypothesis = NullHypothesis::kClassical;
    const RegressionResult r = RunQapRegression(scaled.y, scaled.x, options);
    // The residuals from the printed coefficients, over the off-diagonal dyads.
    long double rss = 0.0L;
    Eigen::Index used = 0;
    const Eigen::Index n = d.y.size();
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < n; ++j) {
        if (i == j) continue;
        long double fitted = r.coefficients[0].coefficient;
        for (std::size_t k = 0; k < d.x.size(); ++k)
          fitted +=
              static_cast<long double>(r.coefficients[k + 1].coefficient) * d.x[k].values(i, j);
        const long double residual = static_cast<long double>(d.y.values(i, j)) * scale - fitted;
        rss += residual * residual;
        ++used;
      }
    }
    ASSERT_EQ(used, r.dyads_used);
    const double expected = static_cast<double>(std::sqrt(rss / static_cast<long double>(r.f_df2)));
    EXPECT_EQ(r.f_df2, used - static_cast<Eigen::Index>(d.x.size()) - 1);
    EXPECT_TRUE(RelativelyNear(r.residual_standard_error, expected, 1e-9))
        << scale << ": " << r.residual_standard_error << " vs " << expected;
    const std::string text = RenderRegression(r, OutputFormat::kText, {});
    EXPECT_NE(text.find("\nResidual standard error: " + FormatSignificant(expected, 6) + " on " +
                        std::to_string(r.f_df2) + " degrees of freedom\n"),
              std::string::npos)
        << text;
  }
}

}  // namespace
}  // namespace qap
