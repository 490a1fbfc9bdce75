// SVG pictures: rendered to PNG with rsvg-convert (Debian librsvg2-bin, which
// scripts/setup.sh test installs) to prove the files are valid SVG.
//
// rsvg-convert is an optional tool: without it the rendering step is skipped
// with a message (the SVG text is still checked), so a developer without
// librsvg2-bin is not handed a failure that says nothing about the code. In CI
// (the environment variable CI set, as CI services do) the tool must be there,
// so its absence fails instead of silently skipping the proof.
#include "qap/render/plot.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "qap/core/alignment.hpp"
#include "qap/core/errors.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

namespace fs = std::filesystem;

std::string FormatFixedForTest(double p) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", p);
  return buffer;
}

// Writes the SVG, converts it, and returns the PNG's size (0 on failure).
std::uintmax_t RenderToPng(const std::string& svg, const std::string& name) {
  const fs::path folder = fs::temp_directory_path() / ("qap_plot_" + std::to_string(::getpid()));
  fs::create_directories(folder);
  const fs::path in = folder / (name + ".svg");
  const fs::path out = folder / (name + ".png");
  std::ofstream(in) << svg;
  const std::string command =
      "rsvg-convert '" + in.string() + "' -o '" + out.string() + "' 2>/dev/null";
  const int status = std::system(command.c_str());
  const std::uintmax_t size = status == 0 && fs::exists(out) ? fs::file_size(out) : 0;
  fs::remove_all(folder);
  return size;
}

bool RsvgConvertInstalled() { return std::system("rsvg-convert --version > /dev/null 2>&1") == 0; }

// True under CI: CI is set and is neither empty, "0" nor "false".
bool RunningInCi() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  const std::string value = ci;
  return !value.empty() && value != "0" && value != "false";
}

// Returns from the test: a skip on a developer's machine, a failure in CI.
#define QAP_REQUIRE_RSVG_CONVERT()                                                    \
  do {                                                                                \
    if (!RsvgConvertInstalled()) {                                                    \
      if (RunningInCi())                                                              \
        FAIL() << "rsvg-convert not installed (Debian librsvg2-bin), and CI is set: " \
                  "scripts/setup.sh test installs it";                                \
      GTEST_SKIP() << "rsvg-convert not installed (Debian librsvg2-bin)";             \
    }                                                                                 \
  } while (false)

TEST(Plot, RsvgConvertIsInstalled) {
  QAP_REQUIRE_RSVG_CONVERT();
  SUCCEED();
}

TEST(Plot, NullDistributionHistogramsAreValidSvg) {
  LabelledMatrix y = ReadLabelledMatrix(testing::SourcePath("tests/data/small/Y.csv"), {});
  std::vector<LabelledMatrix> x = {
      ReadLabelledMatrix(testing::SourcePath("tests/data/small/X1.csv"), {}),
      ReadLabelledMatrix(testing::SourcePath("tests/data/small/X2.csv"), {})};
  std::vector<LabelledMatrix*> all{&y, &x[0], &x[1]};
  AlignMatrices(all, AlignMode::kExact);
  RegressionOptions options;
  options.permutation.permutations = 200;
  options.permutation.seed = 3;
  options.keep_null_distribution = true;
  const RegressionResult result = RunQapRegression(y, x, options);
  const std::string svg = RenderNullDistributionSvg(result);
  EXPECT_NE(svg.find("X1: permutation distribution of t"), std::string::npos);
  EXPECT_NE(svg.find("two-sided p = " +
                     FormatFixedForTest(result.coefficients[1].permutation->p_two_sided)),
            std::string::npos);
  options.keep_null_distribution = false;
  EXPECT_THROW(RenderNullDistributionSvg(RunQapRegression(y, x, options)), OptionsError);
  QAP_REQUIRE_RSVG_CONVERT();
  EXPECT_GT(RenderToPng(svg, "distribution"), 1000U);
}

TEST(Plot, StudyForestPlotIsValidSvg) {
  const StudyResult result =
      RunStudy(ReadStudyManifest(testing::SourcePath("tests/data/manifests/failing.toml")), {});
  const std::string svg = RenderStudyForestSvg(result, "main");
  EXPECT_NE(svg.find("TPR (export)"), std::string::npos);
  EXPECT_NE(svg.find(">failed<"), std::string::npos);  // the model that could not be estimated
  QAP_REQUIRE_RSVG_CONVERT();
  EXPECT_GT(RenderToPng(svg, "forest"), 1000U);
}

}  // namespace
}  // namespace qap
