// SVG pictures: rendered to PNG with rsvg-convert (Debian librsvg2-bin, which
// scripts/setup.sh test installs) to prove the files are valid SVG.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "qap/core/alignment.hpp"
#include "qap/core/errors.hpp"
#include "qap/render/plot.hpp"
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
  const std::string command = "rsvg-convert '" + in.string() + "' -o '" + out.string() + "' 2>/dev/null";
  const int status = std::system(command.c_str());
  const std::uintmax_t size = status == 0 && fs::exists(out) ? fs::file_size(out) : 0;
  fs::remove_all(folder);
  return size;
}

TEST(Plot, RsvgConvertIsInstalled) {
  ASSERT_EQ(std::system("rsvg-convert --version > /dev/null 2>&1"), 0)
      << "rsvg-convert is missing: apt-get install librsvg2-bin (scripts/setup.sh test does)";
}

TEST(Plot, NullDistributionHistogramsAreValidSvg) {
  LabelledMatrix y = ReadLabelledMatrix(testing::SourcePath("tests/data/small/Y.csv"), {});
  std::vector<LabelledMatrix> x = {ReadLabelledMatrix(testing::SourcePath("tests/data/small/X1.csv"), {}),
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
  EXPECT_NE(svg.find("two-sided p = " + FormatFixedForTest(result.coefficients[1].permutation->p_two_sided)), std::string::npos);
  EXPECT_GT(RenderToPng(svg, "distribution"), 1000U);
  options.keep_null_distribution = false;
  EXPECT_THROW(RenderNullDistributionSvg(RunQapRegression(y, x, options)), OptionsError);
}

TEST(Plot, StudyForestPlotIsValidSvg) {
  const StudyResult result = RunStudy(ReadStudyManifest(testing::SourcePath("tests/data/manifests/failing.toml")), {});
  const std::string svg = RenderStudyForestSvg(result, "main");
  EXPECT_NE(svg.find("TPR (export)"), std::string::npos);
  EXPECT_NE(svg.find(">failed<"), std::string::npos);  // the model that could not be estimated
  EXPECT_GT(RenderToPng(svg, "forest"), 1000U);
}

}  // namespace
}  // namespace qap
