// The study manifest and runner (issue 5).
#include "qap/study/study.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/permutation_test.hpp"
#include "qap/render/study_report.hpp"
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
  EXPECT_NE(ManifestError("unknown_key.toml")
                .find("unknown_key.toml:3:1: unknown key \"colour\" in [study]"),
            std::string::npos)
      << ManifestError("unknown_key.toml");
  EXPECT_NE(ManifestError("type_error.toml")
                .find("type_error.toml:8:16: [model] permutations must be an integer"),
            std::string::npos)
      << ManifestError("type_error.toml");
  EXPECT_NE(ManifestError("duplicate_product.toml").find("lists 280530 twice"), std::string::npos);
  EXPECT_NE(ManifestError("empty_products.toml").find("at least one HS code"), std::string::npos);
  EXPECT_NE(
      ManifestError("missing_file.toml").find("missing_file.toml:5:9: [data] trade: no such file"),
      std::string::npos)
      << ManifestError("missing_file.toml");
  EXPECT_NE(ManifestError("bad_variant.toml").find("\"R9\" is not one of R1, R2, R3, R4"),
            std::string::npos);
  EXPECT_NE(ManifestError("syntax_error.toml").find("syntax_error.toml:2:"), std::string::npos)
      << ManifestError("syntax_error.toml");
  EXPECT_NE(ManifestError("unknown_section.toml").find("unknown section \"tables\""),
            std::string::npos);
}

TEST(StudyManifest, OverridesSetOneModelsOptions) {
  const StudyManifest m =
      ReadStudyManifest(testing::SourcePath("tests/data/manifests/override.toml"));
  const StudyResult r = RunStudy(m, {});
  ASSERT_EQ(r.models.size(), 2U);
  EXPECT_EQ(r.models[0].result->permutations, 99U);
  EXPECT_EQ(r.models[0].result->options.null_hypothesis, NullHypothesis::kDoubleSemiPartialling);
  EXPECT_EQ(r.models[1].result->permutations, 49U);
  EXPECT_EQ(r.models[1].result->options.null_hypothesis, NullHypothesis::kPermuteY);
  EXPECT_NE(ManifestError("override_unknown_product.toml")
                .find("[[override]] product 999999 is not in [study] products"),
            std::string::npos)
      << ManifestError("override_unknown_product.toml");
}

// Issue 11, class 6: an override changes only what it names.
TEST(StudyManifest, AnOverrideThatSetsNoSeedKeepsTheModelsDerivedSeed) {
  const std::string path = testing::SourcePath("tests/data/manifests/inline.toml");
  const std::string base =
      "[study]\nproducts = [\"280530\", \"360690\"]\ndirections = [\"export\"]\n"
      "[data]\nmatrices = \"../../../fixtures/rare-earth-2023/{hs}/{direction}/{variable}.csv\"\n"
      "[model]\npermutations = 99\nseed = 7\n";
  const StudyResult plain = RunStudy(ParseStudyManifest(base, path), {});
  // Restates [model]'s own values: nothing may move.
  const StudyResult restated = RunStudy(
      ParseStudyManifest(
          base + "[[override]]\nproduct = \"360690\"\npermutations = 99\nnull = \"dsp\"\n", path),
      {});
  const StudyResult seeded = RunStudy(
      ParseStudyManifest(base + "[[override]]\nproduct = \"360690\"\nseed = 11\n", path), {});
  ASSERT_EQ(plain.models.size(), 2U);
  ASSERT_EQ(restated.models.size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(restated.models[i].seed, plain.models[i].seed) << i;
    ASSERT_TRUE(plain.models[i].result && restated.models[i].result);
    for (std::size_t c = 1; c < plain.models[i].result->coefficients.size(); ++c) {
      EXPECT_EQ(restated.models[i].result->coefficients[c].permutation->count_as_extreme,
                plain.models[i].result->coefficients[c].permutation->count_as_extreme)
          << i << " " << c;
    }
  }
  // The derived seed is not the study seed, and an override's own seed is used as given.
  EXPECT_NE(plain.models[1].seed, 7U);
  EXPECT_EQ(seeded.models[1].seed, 11U);
  EXPECT_EQ(seeded.models[1].result->seed, 11U);
  EXPECT_EQ(seeded.models[0].seed, plain.models[0].seed);
}

// Issue 12: stars follow each model's own null. A model that an [[override]]
// sets to null = "classical" has no permutation p, so its stars come from the
// classical p; they were read against [model]'s null (dsp) and came out empty.
TEST(Study, StarsFollowEachModelsOwnNullAfterAnOverride) {
  const std::string path = testing::SourcePath("tests/data/manifests/inline.toml");
  const std::string manifest =
      "[study]\nproducts = [\"280530\", \"360690\"]\ndirections = [\"export\"]\n"
      "[data]\nmatrices = \"../../../fixtures/rare-earth-2023/{hs}/{direction}/{variable}.csv\"\n"
      "[model]\npermutations = 99\nseed = 7\n"
      "[[override]]\nproduct = \"360690\"\nnull = \"classical\"\n";
  const StudyResult r = RunStudy(ParseStudyManifest(manifest, path), {});
  ASSERT_EQ(r.models.size(), 2U);
  ASSERT_TRUE(r.models[1].result);
  ASSERT_EQ(r.models[1].result->options.null_hypothesis, NullHypothesis::kClassical);
  const std::string csv = RenderStudyTable(r, "main", "csv");
  const auto json = nlohmann::json::parse(RenderStudyTable(r, "main", "json"));
  std::size_t starred = 0;
  for (const CoefficientEstimate& c : r.models[1].result->coefficients) {
    if (c.name == "(intercept)") continue;
    const std::string expected = SignificanceStars(c.classical_p);
    starred += expected.empty() ? 0U : 1U;
    EXPECT_NE(csv.find("T3,export," + c.name + ",360690," + FormatFixed(c.standardized, 3) + "," +
                       expected + "\n"),
              std::string::npos)
        << c.name << " classical p " << c.classical_p << "\n"
        << csv;
    for (const auto& j : json["models"][1]["coefficients"]) {
      if (j["variable"] == c.name) {
        EXPECT_EQ(j["stars"], expected) << c.name;
      }
    }
  }
  // The fixture has significant coefficients, so the test can tell stars from none.
  EXPECT_GT(starred, 0U) << csv;
}

TEST(StudyManifest, ProductsDirectionsYearsAndCountsAreCheckedNamingKeyAndLine) {
  auto error = [](const std::string& name) { return ManifestError(name); };
  EXPECT_NE(
      error("product_not_hs6.toml")
          .find("product_not_hs6.toml:2:23: [study] products: \"abc\" is not a six-digit HS code"),
      std::string::npos)
      << error("product_not_hs6.toml");
  EXPECT_NE(error("product_path.toml")
                .find("product_path.toml:2:13: [study] products: \"../../../etc/280530\" is not a "
                      "six-digit"),
            std::string::npos)
      << error("product_path.toml");
  EXPECT_NE(error("duplicate_direction.toml")
                .find("duplicate_direction.toml:3:35: [study] directions lists export twice"),
            std::string::npos)
      << error("duplicate_direction.toml");
  EXPECT_NE(error("empty_directions.toml")
                .find("empty_directions.toml:3:14: [study] directions is empty"),
            std::string::npos)
      << error("empty_directions.toml");
  EXPECT_NE(error("year_wraps.toml")
                .find("year_wraps.toml:3:8: [study] year = 4294969319 is outside 1900 to 2100"),
            std::string::npos)
      << error("year_wraps.toml");
  EXPECT_NE(error("too_many_permutations.toml")
                .find("too_many_permutations.toml:8:16: [model] permutations = 1000000000000: the "
                      "number of permutations "
                      "must be a whole number from 1 to 1000000000"),
            std::string::npos)
      << error("too_many_permutations.toml");
  EXPECT_NE(error("override_too_many_permutations.toml")
                .find(":9:16: [override] permutations = 1000000001"),
            std::string::npos)
      << error("override_too_many_permutations.toml");
  EXPECT_NE(error("empty_years.toml").find("empty_years.toml:8:9: [robustness] years is empty"),
            std::string::npos)
      << error("empty_years.toml");
  EXPECT_NE(
      error("year_out_of_range.toml")
          .find("year_out_of_range.toml:8:22: [robustness] years: 20150 is outside 1900 to 2100"),
      std::string::npos)
      << error("year_out_of_range.toml");
  EXPECT_NE(error("duplicate_year.toml").find("[robustness] years lists 2013 twice"),
            std::string::npos)
      << error("duplicate_year.toml");

  // The edges of each range are accepted.
  const std::string path = testing::SourcePath("tests/data/manifests/inline.toml");
  const std::string head =
      "[study]\nproducts = [\"010121\"]\nyear = 2100\n[data]\nmatrices = \"x/{hs}.csv\"\n";
  const StudyManifest m =
      ParseStudyManifest(head +
                             "[model]\npermutations = 1000000000\nseed = 9223372036854775807\n"
                             "[robustness]\nyears = [1900, 2100]\n",
                         path);
  EXPECT_EQ(m.year, 2100);
  EXPECT_EQ(m.regression.permutation.permutations, 1000000000U);
  EXPECT_EQ(*m.regression.permutation.seed, 9223372036854775807ULL);
  EXPECT_EQ(m.robustness_years, (std::vector<int>{1900, 2100}));
  EXPECT_THROW(ParseStudyManifest(head + "[model]\npermutations = 0\n", path), InputError);
  EXPECT_THROW(ParseStudyManifest(head + "[model]\nseed = -1\n", path), InputError);
  EXPECT_THROW(ParseStudyManifest(
                   "[study]\nproducts = [\"TOTAL\"]\n[data]\nmatrices = \"x/{hs}.csv\"\n", path),
               InputError);
  EXPECT_THROW(ParseStudyManifest(
                   "[study]\nproducts = [\"28053\"]\n[data]\nmatrices = \"x/{hs}.csv\"\n", path),
               InputError);
  EXPECT_THROW(
      ParseStudyManifest(
          "[study]\nproducts = [\"280530\"]\nyear = 1899\n[data]\nmatrices = \"x/{hs}.csv\"\n",
          path),
      InputError);
}

TEST(StudyManifest, TheExampleManifestReadsBackWithItsDefaults) {
  const StudyManifest m =
      ReadStudyManifest(testing::SourcePath("fixtures/study/rare-earth-2023.toml"));
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

// A study CSV's footnotes (issue 13: in its .meta.json sidecar's "notes"),
// as the "# " lines the goldens made before it hold them.
std::string SidecarNotes(const std::string& meta) {
  const auto json = nlohmann::json::parse(meta);  // alive for the loop
  std::string out;
  for (const auto& note : json["notes"]) out += "# " + note.get<std::string>() + "\n";
  return out;
}

// The footnotes a golden CSV expects: its sidecar's when it has one (made
// by make_golden.sh after issue 13), else its comment lines.
std::string GoldenNotes(const std::string& file, const std::string& csv) {
  std::ifstream meta(testing::SourcePath("tests/golden/study/" + file + ".meta.json"));
  if (!meta) return csv;
  std::stringstream text;
  text << meta.rdbuf();
  return SidecarNotes(text.str());
}

std::string DroppedLines(const std::string& rendered) {
  std::stringstream in(rendered);
  std::string line;
  std::string out;
  while (std::getline(in, line)) {
    if (line.rfind("# ", 0) == 0 && line.find(" dropped (") != std::string::npos)
      out += line + "\n";
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
    std::string meta_a;  // a CSV's provenance is in its .meta.json (issue 13)
    std::string meta_b;
    EXPECT_EQ(without_threads(RenderStudyTable(a, "main", format, &meta_a) + meta_a),
              without_threads(RenderStudyTable(b, "main", format, &meta_b) + meta_b))
        << format;
    EXPECT_NE((RenderStudyTable(a, "main", format) + meta_a).find("threads"), std::string::npos)
        << format;
  }
  // Each model has its own seed, derived from the study's.
  EXPECT_NE(a.models[0].seed, a.models[1].seed);
}

// The whole fixture study (14 models and 4 x 14 robustness models, 5,000 DSP
// permutations each, fixed seed)
// against the table it produced when this test was written
// (tests/golden/study/make_golden.sh): any change to a number is deliberate.
TEST(Study, FixtureStudyMatchesItsGoldenTable) {
  const StudyManifest m =
      ReadStudyManifest(testing::SourcePath("fixtures/study/rare-earth-2023.toml"));
  StudyRunOptions
      one_thread;  // the goldens were made on all cores: this is also the thread-invariance check
  one_thread.threads = 1;
  const StudyResult r = RunStudy(m, one_thread);
  EXPECT_FALSE(r.any_failed());
  for (const auto& [variant, file] :
       std::vector<std::pair<std::string, std::string>>{{"main", "table3.csv"},
                                                        {"R1", "table4-R1.csv"},
                                                        {"R2", "table4-R2.csv"},
                                                        {"R3", "table4-R3.csv"},
                                                        {"R4", "table4-R4.csv"}}) {
    std::ifstream golden(testing::SourcePath("tests/golden/study/" + file));
    std::stringstream expected;
    expected << golden.rdbuf();
    std::string meta;
    EXPECT_EQ(DataLines(RenderStudyTable(r, variant, "csv", &meta)), DataLines(expected.str()))
        << variant;
    // The footnotes on dropped partners are in the sidecar: compared on their own.
    const std::string golden_notes = GoldenNotes(file, expected.str());
    EXPECT_EQ(DroppedLines(SidecarNotes(meta)), DroppedLines(golden_notes)) << variant;
    if (variant != "main") {
      EXPECT_NE(DroppedLines(golden_notes), "") << variant;
    }
  }
  // The renderers for people, against their own goldens (provenance lines left out).
  for (const auto& [format, file] : std::vector<std::pair<std::string, std::string>>{
           {"markdown", "table3.md"}, {"latex", "table3.tex"}}) {
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
  // (3442 -> 3422, 1772 -> 1722; docs/study-method.md §4.5).
  const std::map<std::pair<std::string, TradeDirection>, Eigen::Index> sizes = {
      {{"253090", TradeDirection::kExport}, 3422},
      {{"850511", TradeDirection::kImport}, 25440},
      {{"720299", TradeDirection::kImport}, 1722},
      {{"280530", TradeDirection::kExport}, 342}};
  for (const StudyModel& model : r.models) {
    if (model.variant != "main")
      continue;  // robustness models may drop partners lacking early years
    const auto it = sizes.find({model.product, model.direction});
    if (it != sizes.end()) {
      EXPECT_EQ(model.result->dyads_used, it->second) << model.product;
    }
  }
}

TEST(Study, AFailingModelIsReportedInItsColumnAndTheOthersRun) {
  const StudyManifest m =
      ReadStudyManifest(testing::SourcePath("tests/data/manifests/failing.toml"));
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

// docs/study-method.md §6: the printed blocks that are one column repeated, and the
// two sample sizes that are not n(n-1), must be flagged.
TEST(Study, ComparisonWithThePrintedTablesFlagsWhatCannotBeGenuine) {
  const StudyManifest m =
      ReadStudyManifest(testing::SourcePath("fixtures/study/rare-earth-2023.toml"));
  const StudyResult r = RunStudy(m, {});
  std::string meta;
  const std::string csv = RenderPrintedComparison(
      r, testing::SourcePath("fixtures/paper/tables34_as_printed.csv"), "R2", "csv", &meta);
  const std::string notes = SidecarNotes(meta);  // issue 13: out of the CSV
  EXPECT_EQ(csv.find('#'), std::string::npos) << csv;
  for (const char* block :
       {"# T3 import: all 7 columns are identical", "# T4 export: all 7 columns are identical",
        "# T4 import: all 7 columns are identical"}) {
    EXPECT_NE(notes.find(block), std::string::npos) << block;
  }
  EXPECT_EQ(notes.find("# T3 export: all 7 columns are identical"), std::string::npos);
  EXPECT_NE(csv.find("T3,export,N,253090,3422,3442,not n(n-1): nearest 3422 = 59x58 or 3540"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("T3,import,N,720299,1722,1772,not n(n-1): nearest 1722 = 42x41 or 1806"),
            std::string::npos);
  EXPECT_NE(csv.find("T3,export,N,850511,3306,3306,agrees"), std::string::npos);
  EXPECT_NE(csv.find("T3,import,TPR,850511,"), std::string::npos);
}

// Issue 12: a malformed printed-tables file is bad input (InputError, exit 3)
// naming file, line and column, never std::stod's exception (exit 1), a
// number read from the front of "12abc", or a cast of a huge N that overflows.
TEST(Study, MalformedPrintedTablesAreInputErrorsNamingLineAndColumn) {
  namespace fs = std::filesystem;
  const StudyResult r =
      RunStudy(ReadStudyManifest(testing::SourcePath("tests/data/manifests/ready.toml")), {});
  const fs::path folder = fs::temp_directory_path() / ("qap_printed_" + std::to_string(::getpid()));
  fs::create_directories(folder);
  auto error = [&](const std::string& row) {
    const fs::path file = folder / "printed.csv";
    std::ofstream(file)
        << "table,direction,variable,hs_code,coefficient,stars\nT3,export,TPR,280530,0.141,*\n"
        << row << "\n";
    try {
      RenderPrintedComparison(r, file.string(), "R2", "csv");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  for (const auto& [row, message] : std::vector<std::pair<std::string, std::string>>{
           {"T3,export,PGDP,280530,12abc,*",
            "the printed coefficient \"12abc\" of T3, export, PGDP, HS 280530 is not a number"},
           {"T3,export,PGDP,280530,,*",
            "the printed coefficient of T3, export, PGDP, HS 280530 is empty"},
           {"T3,export,PGDP,280530,1e400,*",
            "the printed coefficient \"1e400\" of T3, export, PGDP, HS 280530 is not a number"},
           {"T3,export,PGDP,280530,0.5,x",
            "the printed stars \"x\" of T3, export, PGDP, HS 280530 are not"},
           {"T3,export,N,280530,1e300,",
            "the printed N \"1e300\" of T3, export, HS 280530 is not a sample size"},
           {"T3,export,N,280530,342.5,",
            "the printed N \"342.5\" of T3, export, HS 280530 is not a sample size"},
           {"T3,export,N,280530,-2,",
            "the printed N \"-2\" of T3, export, HS 280530 is not a sample size"}}) {
    const std::string what = error(row);
    // The stars are the sixth field; every other problem is in the fifth.
    const int field = message.starts_with("the printed stars") ? 6 : 5;
    std::size_t field_start = 0;
    for (int commas = field - 1; commas > 0; --commas) field_start = row.find(',', field_start) + 1;
    const std::string where = (folder / "printed.csv").string() +
                              ":3:" + std::to_string(field_start + 1) + ": field " +
                              std::to_string(field) + ": ";
    EXPECT_NE(what.find(where + message), std::string::npos) << row << "\n" << what;
  }
  // The well-formed rows still compare.
  EXPECT_NE(error("T3,export,N,280530,342,").find("no error"), std::string::npos);
  fs::remove_all(folder);
}

// Every column that lost partners says so under the table, with the count and
// the ISO3 codes; the JSON carries each partner's reason.
TEST(Study, DroppedPartnersAreFootnotedUnderTheirColumn) {
  const StudyManifest m = ReadStudyManifest(testing::SourcePath("tests/data/manifests/ready.toml"));
  StudyResult r = RunStudy(m, {});
  ASSERT_EQ(r.models.size(), 2U);
  ASSERT_EQ(r.models[1].product, "360690");
  r.models[1].dropped = {{"AND", "no GDP per capita for 2023 in wdi.csv"},
                         {"KSV", "not in WGI"},
                         {"TLS", "no WGI 2013"}};
  r.models[0].dropped = {{"TWN", "no GDP per capita for 2023 in wdi.csv"}};
  const std::string three =
      "360690 export: 3 partners dropped (AND, KSV, TLS); reasons in the JSON output";
  const std::string one = "280530 export: 1 partner dropped (TWN); reasons in the JSON output";
  const std::string text = RenderStudyTable(r, "main", "text");
  EXPECT_NE(text.find("\n" + one + "\n" + three + "\n"), std::string::npos) << text;  // table order
  EXPECT_GT(text.find(one), text.find("\nN "));  // under the table
  EXPECT_NE(RenderStudyTable(r, "main", "markdown").find("\n" + three + "\n"), std::string::npos);
  EXPECT_NE(RenderStudyTable(r, "main", "latex").find("\\par " + three + ".\n\\end{table}"),
            std::string::npos)
      << RenderStudyTable(r, "main", "latex");
  std::string meta;
  const std::string csv = RenderStudyTable(r, "main", "csv", &meta);
  EXPECT_NE(SidecarNotes(meta).find("# " + three + "\n"), std::string::npos);
  EXPECT_EQ(DataLines(csv),
            DataLines(RenderStudyTable(RunStudy(m, {}), "main", "csv")));  // data rows untouched
  const auto json = nlohmann::json::parse(RenderStudyTable(r, "main", "json"));
  ASSERT_EQ(json["models"][1]["dropped_partners"].size(), 3U);
  EXPECT_EQ(json["models"][1]["dropped_partners"][1]["iso3"], "KSV");
  EXPECT_EQ(json["models"][1]["dropped_partners"][1]["reason"], "not in WGI");
  // Nothing dropped, no footnote.
  r.models[0].dropped.clear();
  r.models[1].dropped.clear();
  EXPECT_EQ(RenderStudyTable(r, "main", "text").find("dropped"), std::string::npos);
  // A failed model still lists whom it dropped.
  r.models[1].result.reset();
  r.models[1].failure = "TPR is constant";
  r.models[1].dropped = {{"AND", "no GDP"}};
  const auto failed = nlohmann::json::parse(RenderStudyTable(r, "main", "json"));
  EXPECT_EQ(failed["models"][1]["dropped_partners"][0]["iso3"], "AND");
  EXPECT_NE(RenderStudyTable(r, "main", "text").find("360690 export: 1 partner dropped (AND)"),
            std::string::npos);
}

// The fixture study: whatever the covariate builder dropped is what the
// footnotes and the JSON list, model by model.
TEST(Study, FootnotesAgreeWithTheJsonOnTheFixtureStudy) {
  StudyManifest m = ReadStudyManifest(testing::SourcePath("fixtures/study/rare-earth-2023.toml"));
  m.regression.permutation.permutations = 9;
  m.variants = {"R1"};
  const StudyResult r = RunStudy(m, {});
  for (const std::string variant : {"main", "R1"}) {
    const std::string text = RenderStudyTable(r, variant, "text");
    const auto json = nlohmann::json::parse(RenderStudyTable(r, variant, "json"));
    std::size_t listed = 0;
    for (const auto& model : json["models"]) {
      const std::size_t n = model["dropped_partners"].size();
      listed += n;
      const std::string head =
          model["product"].get<std::string>() + " " + model["direction"].get<std::string>() + ": ";
      if (n == 0) {
        EXPECT_EQ(text.find(head), std::string::npos) << head;
        continue;
      }
      std::string codes;
      for (const auto& d : model["dropped_partners"]) {
        EXPECT_FALSE(d["reason"].get<std::string>().empty());
        codes += (codes.empty() ? "" : ", ") + d["iso3"].get<std::string>();
      }
      EXPECT_NE(text.find(head + std::to_string(n) + (n == 1 ? " partner" : " partners") +
                          " dropped (" + codes + ")"),
                std::string::npos)
          << variant << " " << head;
    }
    if (variant == "R1") {
      EXPECT_GT(listed, 0U) << "R1 drops partners lacking early years";
    }
  }
}

// --compare-printed takes what the data are from their DATA_NOTE files.
TEST(Study, PrintedComparisonSaysSyntheticOnlyWhenTheInputsSaySo) {
  const StudyManifest synthetic =
      ReadStudyManifest(testing::SourcePath("tests/data/manifests/ready.toml"));
  const StudyResult a = RunStudy(synthetic, {});
  ASSERT_EQ(a.data_notes.size(), 1U);  // fixtures/rare-earth-2023/DATA_NOTE, above the matrices
  EXPECT_NE(a.data_notes[0].find("SYNTHETIC"), std::string::npos);
  const std::string printed = testing::SourcePath("fixtures/paper/tables34_as_printed.csv");
  const std::string text = RenderPrintedComparison(a, printed, "main", "text");
  EXPECT_NE(text.find("note: the inputs are synthetic (DATA_NOTE: SYNTHETIC data made by"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("data vintage"), std::string::npos);

  // The same matrices without their DATA_NOTE: taken as real data.
  namespace fs = std::filesystem;
  const fs::path folder =
      fs::temp_directory_path() / ("qap_study_real_" + std::to_string(::getpid()));
  fs::remove_all(folder);
  for (const char* product : {"280530", "360690"}) {
    fs::create_directories(folder / "m" / product);
    fs::copy(testing::SourcePath(std::string("fixtures/rare-earth-2023/") + product + "/export"),
             folder / "m" / product / "export");
  }
  {
    std::ofstream(folder / "real.toml")
        << "[study]\nproducts = [\"280530\", \"360690\"]\ndirections = [\"export\"]\n"
           "[data]\nmatrices = \"m/{hs}/{direction}/{variable}.csv\"\n"
           "[model]\npermutations = 9\nseed = 7\n";
  }
  const StudyResult b = RunStudy(ReadStudyManifest((folder / "real.toml").string()), {});
  EXPECT_TRUE(b.data_notes.empty());
  for (const char* format : {"text", "markdown", "csv"}) {
    std::string meta;  // a CSV's closing note is in its .meta.json (issue 13)
    const std::string real = RenderPrintedComparison(b, printed, "main", format, &meta) + meta;
    EXPECT_EQ(real.find("synthetic"), std::string::npos) << format << "\n" << real;
    EXPECT_NE(real.find("taken as real data: the numbers are expected to match the printed ones up "
                        "to the data vintage"),
              std::string::npos)
        << format << "\n"
        << real;
  }
  fs::remove_all(folder);
}

// The engine knows no install location: a raw manifest without reference_dir
// takes the caller's default or says what is missing.
TEST(StudyManifest, ReferenceDirComesFromTheCallerWhenTheManifestHasNone) {
  const std::string raw = testing::SourcePath("fixtures/raw-2013-2023/");
  const std::string text = "[study]\nproducts = [\"280530\"]\n[data]\ntrade = \"" + raw +
                           "comtrade_rare_earths_2013_2023.csv\"\nwdi = \"" + raw +
                           "wdi_gdp_per_capita.csv\"\nwgi = \"" + raw + "wgi_2013_2023.csv\"\n";
  try {
    ParseStudyManifest(text, "/somewhere/m.toml", {"", "set QAP_DATA_DIR"});
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("m.toml:4:9: [data] raw files need reference_dir"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("set QAP_DATA_DIR"), std::string::npos) << e.what();
  }
  const std::string reference = testing::SourcePath("fixtures/reference");
  const StudyManifest m = ParseStudyManifest(text, "/somewhere/m.toml", {reference, ""});
  ASSERT_TRUE(m.raw.has_value());
  EXPECT_EQ(m.raw->reference_dir, reference);
  EXPECT_EQ(m.raw->memberships, reference + "/memberships.csv");
  EXPECT_THROW(ParseStudyManifest(text, "/somewhere/m.toml", {"/no/such/folder", ""}), InputError);
  // A reference_dir in the manifest wins, relative to the manifest.
  const StudyManifest own =
      ParseStudyManifest(text + "reference_dir = \"../../reference\"\n",
                         testing::SourcePath("fixtures/study/x/m.toml"), {"/no/such/folder", ""});
  EXPECT_EQ(own.raw->reference_dir, testing::SourcePath("fixtures/reference"));
}

// `qap study init`'s example: relative paths as given, placeholders otherwise.
TEST(StudyManifest, ExampleManifestUsesTheGivenPathsOrPlaceholders) {
  const std::string full = ExampleStudyManifest({"../raw", "../matrices", "../reference"});
  EXPECT_NE(full.find("trade = \"../raw/comtrade_rare_earths_2013_2023.csv\""), std::string::npos)
      << full;
  EXPECT_NE(full.find("reference_dir = \"../reference\""), std::string::npos);
  EXPECT_NE(full.find("# matrices = \"../matrices/{hs}/{direction}/{variable}.csv\""),
            std::string::npos);
  EXPECT_EQ(full.find("EDIT"), std::string::npos);
  const std::string bare = ExampleStudyManifest({});
  EXPECT_NE(bare.find("# EDIT THESE"), std::string::npos) << bare;
  EXPECT_NE(bare.find("trade = \"EDIT-ME/comtrade.csv\""), std::string::npos);
  EXPECT_EQ(bare.find("\nreference_dir"), std::string::npos);
  // Both parse as TOML with the keys the reader knows (the files need not exist for this check).
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] {
        ParseStudyManifest(bare, "/nowhere/m.toml", {"/nowhere", ""});
      },
      "[data] trade: no such file or folder: /nowhere/EDIT-ME/comtrade.csv"))
      << "placeholders must not name existing files";
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

// Issue 16, point 3b: with difference = "signed" every matrix the study builds
// from the bundled raw fixtures is antisymmetric, ECI and WGI included (they
// stayed symmetric before, so against an antisymmetric Y their coefficients
// were exactly zero and the permutation test compared rounding noise).
TEST(Study, SignedDifferencesMakeEciAndWgiAntisymmetricOnTheFixtureData) {
  StudyManifest m = ReadStudyManifest(testing::SourcePath("fixtures/study/rare-earth-2023.toml"));
  m.covariates.difference = DifferenceKind::kSigned;
  m.regression.permutation.permutations = 9;
  m.variants = {"R1", "R2", "R3"};
  std::size_t checked = 0;
  StudyRunOptions options;
  options.matrices = [&](const StudyModel& model, const LabelledMatrix& y,
                         const std::vector<LabelledMatrix>& x) {
    const std::string where = model.variant + " " + model.product + " " + ToString(model.direction);
    EXPECT_TRUE((y.values + y.values.transpose()).cwiseAbs().maxCoeff() == 0.0) << where;
    ASSERT_EQ(x.size(), 5U);
    for (const LabelledMatrix& matrix : x) {
      // Exact: X_ij = -X_ji to the last bit (isApprox with 0 tolerance is ==).
      EXPECT_TRUE((matrix.values + matrix.values.transpose()).cwiseAbs().maxCoeff() == 0.0)
          << where << " " << matrix.name;
    }
    EXPECT_EQ(x[3].name, "ECI");
    EXPECT_EQ(x[4].name, "WGI");
    EXPECT_GT(x[3].values.cwiseAbs().maxCoeff(), 0.0) << where;  // not an all-zero matrix
    EXPECT_GT(x[4].values.cwiseAbs().maxCoeff(), 0.0) << where;
    ++checked;
  };
  const StudyResult r = RunStudy(m, options);
  EXPECT_EQ(checked, 4U * 14U);
  for (const StudyModel& model : r.models) {
    ASSERT_TRUE(model.result.has_value()) << model.product << " " << model.failure;
    // The definitions the JSON names are the signed ones.
    bool signed_eci = false;
    for (const auto& [name, definition] : model.definitions) {
      if (name == "ECI") signed_eci = definition.find("e_i - e_j (signed)") != std::string::npos;
    }
    EXPECT_TRUE(signed_eci) << model.variant << " " << model.product;
  }
  std::string meta;
  RenderStudyTable(r, "main", "csv", &meta);
  const auto provenance = nlohmann::json::parse(meta)["provenance"];  // issue 13: the sidecar
  EXPECT_EQ(provenance["difference"], "signed");
  EXPECT_NE(provenance["matrices"].get<std::string>().find("ECI = e_i - e_j (signed)"),
            std::string::npos)
      << meta;
}

// R4 takes a geometric mean of each dyad over the years: signed dyads are
// negative for one of each pair, so the combination is refused before any
// model runs, naming both options.
TEST(Study, RobustnessR4WithSignedDifferencesIsRefusedNamingBothOptions) {
  StudyManifest m = ReadStudyManifest(testing::SourcePath("fixtures/study/rare-earth-2023.toml"));
  m.covariates.difference = DifferenceKind::kSigned;
  std::size_t built = 0;
  StudyRunOptions options;
  options.matrices = [&](const StudyModel&, const LabelledMatrix&,
                         const std::vector<LabelledMatrix>&) { ++built; };
  try {
    RunStudy(m, options);
    FAIL() << "R4 with signed differences ran";
  } catch (const OptionsError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("[robustness] variants lists R4"), std::string::npos) << what;
    EXPECT_NE(what.find("[model] difference = \"signed\""), std::string::npos) << what;
  }
  EXPECT_EQ(built, 0U);
  m.variants = {"R1", "R2", "R3"};  // without R4 the same manifest is fine
  m.regression.permutation.permutations = 9;
  m.products = {"850511"};
  EXPECT_FALSE(RunStudy(m, {}).any_failed());
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

// Issue 12: a study names options by their manifest keys, never by a
// command-line flag.
TEST(StudyOptionNames, ABadPermutationCountNamesTheManifestKey) {
  const std::string path = testing::SourcePath("tests/data/manifests/inline.toml");
  const std::string base =
      "[study]\nproducts = [\"280530\"]\ndirections = [\"export\"]\n"
      "[data]\nmatrices = \"../../../fixtures/rare-earth-2023/{hs}/{direction}/{variable}.csv\"\n";
  // Refused while reading, with the value as written (it read "got 0").
  try {
    ParseStudyManifest(base + "[model]\npermutations = -5\n", path);
    ADD_FAILURE() << "a negative count was accepted";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(
        message.find(
            "[model] permutations = -5: the number of permutations must be a whole number from 1 "
            "to 1000000000, got -5"),
        std::string::npos)
        << message;
    EXPECT_EQ(message.find("--perms"), std::string::npos) << message;
  }
  // A manifest built in code is checked by the engine's Validate when the
  // study runs: the message names `permutations`, not `--perms`.
  StudyManifest m = ParseStudyManifest(base + "[model]\npermutations = 9\n", path);
  m.regression.permutation.permutations = 0;
  try {
    RunStudy(m, {});
    ADD_FAILURE() << "a study with 0 permutations ran";
  } catch (const OptionsError& e) {
    const std::string message = e.what();
    EXPECT_NE(
        message.find("permutations: the number of permutations must be a whole number from 1 to "
                     "1000000000, got 0"),
        std::string::npos)
        << message;
    EXPECT_EQ(message.find("--perms"), std::string::npos) << message;
    EXPECT_EQ(e.field(), "");  // already spelled for the manifest
  }
}

// The hint of a partner lacking an attribute names drop_incomplete, the
// manifest's key, in the model's failure.
TEST(StudyOptionNames, ADroppablePartnerNamesTheManifestKey) {
  const std::string path = testing::SourcePath("fixtures/study/inline.toml");
  // Without gdp_fill Taiwan has no GDP per capita in 2023 (as the CLI test of
  // --drop-incomplete finds).
  const std::string manifest =
      "[study]\nproducts = [\"850511\"]\ndirections = [\"import\"]\nyear = 2023\n"
      "[data]\ntrade = \"../raw-2013-2023/comtrade_rare_earths_2013_2023.csv\"\n"
      "wdi = \"../raw-2013-2023/wdi_gdp_per_capita.csv\"\n"
      "wgi = \"../raw-2013-2023/wgi_2013_2023.csv\"\nreference_dir = \"../reference\"\n"
      "[model]\npermutations = 9\nseed = 1\n";
  const StudyResult r = RunStudy(ParseStudyManifest(manifest, path), {});
  ASSERT_EQ(r.models.size(), 1U);
  ASSERT_FALSE(r.models[0].result.has_value());
  const std::string& failure = r.models[0].failure;
  EXPECT_NE(failure.find("partner TWN of CHN"), std::string::npos) << failure;
  EXPECT_NE(failure.find("(drop_incomplete)"), std::string::npos) << failure;
  EXPECT_EQ(failure.find("--drop-incomplete"), std::string::npos) << failure;
}

// Progress is a run input beside the options: called once per model.
TEST(StudyOptionNames, ProgressIsAParameterOfTheRun) {
  const StudyManifest m = ReadStudyManifest(testing::SourcePath("tests/data/manifests/ready.toml"));
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  RunStudy(m, {}, [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });
  ASSERT_EQ(calls.size(), 2U);
  EXPECT_EQ(calls.back(), std::make_pair(std::size_t{2}, std::size_t{2}));
}

}  // namespace
}  // namespace qap
