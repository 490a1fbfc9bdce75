// The files `study run --output DIR` writes (qap/study/output_names.hpp): the
// CLI declares and writes exactly these, so the names are pinned here.
#include <gtest/gtest.h>

#include "qap/core/errors.hpp"
#include "qap/study/output_names.hpp"

namespace qap {
namespace {

TEST(StudyOutputNames, MainAndEachVariantPerFormatInOrder) {
  const StudyOutputNames names = NameStudyOutputs({"R1", "R2"}, {"markdown", "latex"}, "out", "R2");
  EXPECT_EQ(names.variants, (std::vector<std::string>{"main", "R1", "R2"}));
  std::vector<std::string> paths;
  for (const StudyOutputFile& file : names.tables) paths.push_back(file.path);
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "out/table3.md", "out/table3.tex", "out/table4-R1.md", "out/compare-R1.md",
                       "out/table4-R1.tex", "out/compare-R1.tex", "out/table4-R2.md",
                       "out/compare-R2.md", "out/table4-R2.tex", "out/compare-R2.tex"}));
  EXPECT_EQ(names.tables[0].kind, StudyOutputFile::Kind::kTable);
  EXPECT_EQ(names.tables[0].variant, "main");
  EXPECT_EQ(names.tables[3].kind, StudyOutputFile::Kind::kRobustnessComparison);
  EXPECT_EQ(names.tables[3].variant, "R1");
  EXPECT_EQ(names.tables[3].format, "markdown");
  EXPECT_EQ(names.printed_variant, "R2");
  EXPECT_EQ(names.printed_format, "markdown");
  EXPECT_EQ(names.printed_path, "out/compare-printed.md");
}

TEST(StudyOutputNames, PrintedComparisonFallsBackToMainAndText) {
  // R2 is not run, so Table 4 is compared with the main models; LaTeX and
  // JSON have no comparison layout, so it is text.
  const StudyOutputNames names = NameStudyOutputs({"R1"}, {"latex", "csv"}, "", "R2");
  EXPECT_EQ(names.printed_variant, "main");
  EXPECT_EQ(names.printed_format, "text");
  EXPECT_EQ(names.printed_path, "compare-printed.txt");
  EXPECT_EQ(names.tables.front().path, "table3.tex");
  EXPECT_EQ(NameStudyOutputs({}, {"csv"}, "d", "R1").printed_path, "d/compare-printed.csv");
}

TEST(StudyOutputNames, ExtensionsAndRefusals) {
  EXPECT_EQ(StudyFormatExtension("text"), "txt");
  EXPECT_EQ(StudyFormatExtension("csv"), "csv");
  EXPECT_EQ(StudyFormatExtension("markdown"), "md");
  EXPECT_EQ(StudyFormatExtension("latex"), "tex");
  EXPECT_EQ(StudyFormatExtension("json"), "json");
  EXPECT_THROW(StudyFormatExtension("html"), OptionsError);
  EXPECT_THROW(NameStudyOutputs({}, {}, "out", "R2"), OptionsError);
}

}  // namespace
}  // namespace qap
