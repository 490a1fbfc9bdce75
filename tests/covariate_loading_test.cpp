// Reading the files covariates are built from (qap/trade/covariate_loading.hpp):
// defaults beside the reference folder, the read reports, the output names.
#include "qap/trade/covariate_loading.hpp"

#include <gtest/gtest.h>

#include "qap/core/errors.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using testing::SourcePath;

CovariateFiles SmallFiles() {
  CovariateFiles files;
  files.trade = SourcePath("tests/data/trade_covariates.csv");
  files.wdi = SourcePath("tests/data/wdi_small.csv");
  files.wgi = SourcePath("tests/data/wgi_long_small.csv");
  files.memberships = SourcePath("tests/data/memberships_test.csv");
  files.advanced = SourcePath("tests/data/advanced_test.csv");
  files.reference_dir = SourcePath("tests/data/reference");
  return files;
}

TEST(CovariateLoading, MembershipAndAdvancedFilesDefaultToTheReferenceFolder) {
  CovariateFiles files;
  files.trade = "t.csv";
  files.wdi = "w.csv";
  files.wgi = "g.csv";
  files.reference_dir = "ref";
  EXPECT_EQ(files.MembershipsFile(), "ref/memberships.csv");
  EXPECT_EQ(files.AdvancedFile(), "ref/imf_advanced_economies.csv");
  EXPECT_EQ(files.InputFiles(),
            (std::vector<std::string>{"t.csv", "w.csv", "", "g.csv", "ref/memberships.csv",
                                      "ref/imf_advanced_economies.csv"}));
  files.memberships = "m.csv";
  EXPECT_EQ(files.MembershipsFile(), "m.csv");
}

TEST(CovariateLoading, ReadsEveryFileAndReportsEachAttributeRead) {
  const CovariateData data = LoadCovariateData(SmallFiles());
  EXPECT_FALSE(data.trade.records.empty());
  EXPECT_EQ(data.reads.size(), 2U);  // WDI and WGI; no fill file
  const CovariateSources sources = data.Sources();
  EXPECT_EQ(sources.trade, &data.trade);
  EXPECT_EQ(sources.gdp_per_capita, &data.gdp_per_capita);
  EXPECT_EQ(sources.gdp_report, &data.gdp_report);
  EXPECT_EQ(sources.wgi_report, &data.wgi_report);
}

TEST(CovariateLoading, AFillFileAddsAReadAndFillsGaps) {
  CovariateFiles files = SmallFiles();
  files.gdp_fill = SourcePath("tests/data/weo_small.csv");
  const CovariateData data = LoadCovariateData(files);
  EXPECT_EQ(data.reads.size(), 3U);  // WDI, the fill file, WGI
  EXPECT_EQ(data.gdp_per_capita.Get("CCC", 2023), 55000.0);
}

TEST(CovariateLoading, AMissingDefaultFileNamesItsPath) {
  CovariateFiles files = SmallFiles();
  files.memberships.clear();  // tests/data/reference has no memberships.csv
  EXPECT_TRUE(
      testing::ThrowsWithMessage<Error>([&] { LoadCovariateData(files); }, "memberships.csv"));
}

TEST(CovariateLoading, OutputNamesFollowTheBuiltMatrices) {
  CovariateResult result;
  result.dependent.name = "REI";
  result.explanatory.resize(2);
  result.explanatory[0].name = "TPR";
  result.explanatory[1].name = "TD";
  EXPECT_EQ(
      CovariateOutputNames(result),
      (std::vector<std::string>{"REI.csv", "TPR.csv", "TD.csv", "partners.csv", "report.json"}));
}

}  // namespace
}  // namespace qap
