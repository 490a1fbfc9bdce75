// What `convert` decides from names (qap/io/conversion_names.hpp).
#include "qap/io/conversion_names.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace qap {
namespace {

TEST(ConversionNames, TheExtensionSaysTheFormat) {
  EXPECT_EQ(ConversionTargetFromExtension("out/a.csv"), ConversionTarget::kCsv);
  // Issue 13: .tsv writes tabs (it wrote commas).
  EXPECT_EQ(ConversionTargetFromExtension("a.tsv"), ConversionTarget::kTsv);
  EXPECT_EQ(ConversionTargetFromExtension("a.dl"), ConversionTarget::kUcinetDl);
  EXPECT_EQ(ConversionTargetFromExtension("a.net"), ConversionTarget::kPajek);
  EXPECT_EQ(ConversionTargetFromExtension("a.txt"), std::nullopt);
  EXPECT_EQ(ConversionTargetFromExtension("a"), std::nullopt);
  EXPECT_EQ(ConversionTargetFromExtension("a.CSV"), std::nullopt);  // as before: exact
}

// `convert --to` takes the table's words; each names the format its
// extension asks for.
TEST(ConversionNames, ToWordsAreTheTable) {
  EXPECT_EQ(EnumChoiceList<ConversionTarget>("|"), "csv|tsv|dl|pajek");
  for (const auto& [word, extension] :
       {std::pair{"csv", ".csv"}, {"tsv", ".tsv"}, {"dl", ".dl"}, {"pajek", ".net"}}) {
    EXPECT_EQ(ParseEnum<ConversionTarget>(word),
              ConversionTargetFromExtension(std::string("a") + extension))
        << word;
    EXPECT_FALSE(EnumHelp(*ParseEnum<ConversionTarget>(word)).empty()) << word;
  }
}

TEST(ConversionNames, AMatrixNameIsNeverAPath) {
  EXPECT_EQ(MatrixFileName("trade"), "trade.csv");
  EXPECT_EQ(MatrixFileName("a/b\\c:d"), "a_b_c_d.csv");
  EXPECT_EQ(MatrixFileName(""), "_.csv");
  EXPECT_EQ(MatrixFileName(".."), "_...csv");
  EXPECT_EQ(MatrixFileName(".hidden"), "_.hidden.csv");
}

}  // namespace
}  // namespace qap
