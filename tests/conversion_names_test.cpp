// What `convert` decides from names (qap/io/conversion_names.hpp).
#include "qap/io/conversion_names.hpp"

#include <gtest/gtest.h>

namespace qap {
namespace {

TEST(ConversionNames, TheExtensionSaysTheFormat) {
  EXPECT_EQ(ConversionTargetFromExtension("out/a.csv"), ConversionTarget::kCsv);
  EXPECT_EQ(ConversionTargetFromExtension("a.tsv"), ConversionTarget::kCsv);
  EXPECT_EQ(ConversionTargetFromExtension("a.dl"), ConversionTarget::kUcinetDl);
  EXPECT_EQ(ConversionTargetFromExtension("a.net"), ConversionTarget::kPajek);
  EXPECT_EQ(ConversionTargetFromExtension("a.txt"), std::nullopt);
  EXPECT_EQ(ConversionTargetFromExtension("a"), std::nullopt);
  EXPECT_EQ(ConversionTargetFromExtension("a.CSV"), std::nullopt);  // as before: exact
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
