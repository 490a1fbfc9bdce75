// The study manifest and runner (issue 5).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "qap/errors.hpp"
#include "qap/study.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

std::string ManifestError(const std::string& name) {
  try {
    ReadStudyManifest(testing::SourcePath("tests/data/manifests/" + name));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(StudyManifest, BadManifestsNameTheLine) {
  EXPECT_NE(ManifestError("unknown_key.toml").find("unknown_key.toml:3:1: unknown key \"colour\" in [study]"),
            std::string::npos)
      << ManifestError("unknown_key.toml");
  EXPECT_NE(ManifestError("type_error.toml").find("type_error.toml:8:16: [model] permutations must be an integer"),
            std::string::npos)
      << ManifestError("type_error.toml");
  EXPECT_NE(ManifestError("duplicate_product.toml").find("lists 280530 twice"), std::string::npos);
  EXPECT_NE(ManifestError("empty_products.toml").find("at least one HS code"), std::string::npos);
  EXPECT_NE(ManifestError("missing_file.toml").find("missing_file.toml:5:9: [data] trade: no such file"), std::string::npos)
      << ManifestError("missing_file.toml");
  EXPECT_NE(ManifestError("bad_variant.toml").find("\"R9\" is not one of R1, R2, R3, R4"), std::string::npos);
  EXPECT_NE(ManifestError("syntax_error.toml").find("syntax_error.toml:2:"), std::string::npos)
      << ManifestError("syntax_error.toml");
  EXPECT_NE(ManifestError("unknown_section.toml").find("unknown section \"tables\""), std::string::npos);
}

TEST(StudyManifest, OverridesSetOneModelsOptions) {
  const StudyManifest m = ReadStudyManifest(testing::SourcePath("tests/data/manifests/override.toml"));
  const StudyResult r = RunStudy(m, {});
  ASSERT_EQ(r.models.size(), 2U);
  EXPECT_EQ(r.models[0].result->permutations, 99U);
  EXPECT_EQ(r.models[0].result->options.null_hypothesis, NullHypothesis::kDoubleSemiPartialling);
  EXPECT_EQ(r.models[1].result->permutations, 49U);
  EXPECT_EQ(r.models[1].result->options.null_hypothesis, NullHypothesis::kPermuteY);
  EXPECT_NE(ManifestError("override_unknown_product.toml").find("[[override]] product 999999 is not in [study] products"),
            std::string::npos)
      << ManifestError("override_unknown_product.toml");
}

TEST(StudyManifest, TheExampleManifestReadsBackWithItsDefaults) {
  const StudyManifest m = ReadStudyManifest(testing::SourcePath("fixtures/study/rare-earth-2023.toml"));
  EXPECT_EQ(m.products.size(), 7U);
  EXPECT_EQ(m.directions.size(), 2U);
  EXPECT_EQ(m.regression.permutation.permutations, 5000U);
  EXPECT_EQ(m.regression.null_hypothesis, NullHypothesis::kDoubleSemiPartialling);
  ASSERT_TRUE(m.raw.has_value());
  EXPECT_EQ(m.sha256.size(), 64U);
}

std::string DataLines(const std::string& rendered) {
  std::stringstream in(rendered);
  std::string line;
  std::string out;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') out += line + "\n";
  }
  return out;
}

TEST(Study, ReadyMatricesRunAndAreThreadInvariant) {
  const StudyManifest m = ReadStudyManifest(testing::SourcePath("tests/data/manifests/ready.toml"));
  StudyRunOptions one;
  one.threads = 1;
  StudyRunOptions two;
  two.threads = 2;
  const StudyResult a = RunStudy(m, one);
  const StudyResult b = RunStudy(m, two);
  ASSERT_EQ(a.models.size(), 2U);
  EXPECT_FALSE(a.any_failed());
  EXPECT_EQ(a.models[0].result->dyads_used, 342);  // 19 x 18, the paper's N for 280530 exports
  EXPECT_EQ(a.models[1].result->dyads_used, 306);  // 18 x 17
  // Identical but for the provenance line that records the thread count.
  auto without_threads = [](const std::string& text) {
    std::stringstream in(text);
    std::string line;
    std::string out;
    while (std::getline(in, line)) {
      if (line.find("threads") == std::string::npos) out += line + "\n";
    }
    return out;
  };
  for (const char* format : {"text", "csv", "markdown", "latex", "json"}) {
    EXPECT_EQ(without_threads(RenderStudyTable(a, "main", format)), without_threads(RenderStudyTable(b, "main", format)))
        << format;
    EXPECT_NE(RenderStudyTable(a, "main", format).find("threads"), std::string::npos) << format;
  }
  // Each model has its own seed, derived from the study's.
  EXPECT_NE(a.models[0].seed, a.models[1].seed);
}

// The whole fixture study (14 models and 4 x 14 robustness models, 5,000 DSP
// permutations each, fixed seed)
// against the table it produced when this test was written
// (tests/golden/study/make_golden.sh): any change to a number is deliberate.
TEST(Study, FixtureStudyMatchesItsGoldenTable) {
  const StudyManifest m = ReadStudyManifest(testing::SourcePath("fixtures/study/rare-earth-2023.toml"));
  StudyRunOptions one_thread;  // the goldens were made on all cores: this is also the thread-invariance check
  one_thread.threads = 1;
  const StudyResult r = RunStudy(m, one_thread);
  EXPECT_FALSE(r.any_failed());
  for (const auto& [variant, file] : std::vector<std::pair<std::string, std::string>>{
           {"main", "table3.csv"}, {"R1", "table4-R1.csv"}, {"R2", "table4-R2.csv"}, {"R3", "table4-R3.csv"},
           {"R4", "table4-R4.csv"}}) {
    std::ifstream golden(testing::SourcePath("tests/golden/study/" + file));
    std::stringstream expected;
    expected << golden.rdbuf();
    EXPECT_EQ(DataLines(RenderStudyTable(r, variant, "csv")), DataLines(expected.str())) << variant;
  }
  // The renderers for people, against their own goldens (provenance lines left out).
  for (const auto& [format, file] : std::vector<std::pair<std::string, std::string>>{{"markdown", "table3.md"},
                                                                                      {"latex", "table3.tex"}}) {
    std::ifstream golden(testing::SourcePath("tests/golden/study/" + file));
    std::stringstream expected;
    expected << golden.rdbuf();
    auto body = [](const std::string& text) {
      std::stringstream in(text);
      std::string line;
      std::string out;
      while (std::getline(in, line)) {
        if (line.rfind("- ", 0) != 0 && line.rfind("%", 0) != 0) out += line + "\n";
      }
      return out;
    };
    EXPECT_EQ(body(RenderStudyTable(r, "main", format)), body(expected.str())) << format;
  }
  // The sample sizes are the paper's n(n-1), with its two typos corrected
  // (3442 -> 3422, 1772 -> 1722; paper-method.md §4.5).
  const std::map<std::pair<std::string, TradeDirection>, Eigen::Index> sizes = {
      {{"253090", TradeDirection::kExport}, 3422}, {{"850511", TradeDirection::kImport}, 25440},
      {{"720299", TradeDirection::kImport}, 1722}, {{"280530", TradeDirection::kExport}, 342}};
  for (const StudyModel& model : r.models) {
    if (model.variant != "main") continue;  // robustness models may drop partners lacking early years
    const auto it = sizes.find({model.product, model.direction});
    if (it != sizes.end()) {
      EXPECT_EQ(model.result->dyads_used, it->second) << model.product;
    }
  }
}

TEST(Study, AFailingModelIsReportedInItsColumnAndTheOthersRun) {
  const StudyManifest m = ReadStudyManifest(testing::SourcePath("tests/data/manifests/failing.toml"));
  const StudyResult r = RunStudy(m, {});
  ASSERT_EQ(r.models.size(), 2U);
  EXPECT_TRUE(r.models[0].result.has_value());
  EXPECT_FALSE(r.models[1].result.has_value());
  EXPECT_NE(r.models[1].failure.find("TPR"), std::string::npos) << r.models[1].failure;
  EXPECT_NE(r.models[1].failure.find("is constant"), std::string::npos);
  EXPECT_TRUE(r.any_failed());
  const std::string text = RenderStudyTable(r, "main", "text");
  EXPECT_NE(text.find("failed"), std::string::npos);
  EXPECT_NE(text.find("failed: 111111 export:"), std::string::npos) << text;
}

// paper-method.md §6: the printed blocks that are one column repeated, and the
// two sample sizes that are not n(n-1), must be flagged.
TEST(Study, ComparisonWithThePrintedTablesFlagsWhatCannotBeGenuine) {
  const StudyManifest m = ReadStudyManifest(testing::SourcePath("fixtures/study/rare-earth-2023.toml"));
  const StudyResult r = RunStudy(m, {});
  const std::string csv =
      RenderPrintedComparison(r, testing::SourcePath("fixtures/paper/tables34_as_printed.csv"), "R2", "csv");
  for (const char* block : {"# T3 import: all 7 columns are identical", "# T4 export: all 7 columns are identical",
                            "# T4 import: all 7 columns are identical"}) {
    EXPECT_NE(csv.find(block), std::string::npos) << block;
  }
  EXPECT_EQ(csv.find("# T3 export: all 7 columns are identical"), std::string::npos);
  EXPECT_NE(csv.find("T3,export,N,253090,3422,3442,not n(n-1): nearest 3422 = 59x58 or 3540"), std::string::npos) << csv;
  EXPECT_NE(csv.find("T3,import,N,720299,1722,1772,not n(n-1): nearest 1722 = 42x41 or 1806"), std::string::npos);
  EXPECT_NE(csv.find("T3,export,N,850511,3306,3306,agrees"), std::string::npos);
  EXPECT_NE(csv.find("T3,import,TPR,850511,"), std::string::npos);
}

}  // namespace
}  // namespace qap
