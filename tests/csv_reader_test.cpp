// Unit tests of the labelled-matrix and edge-list readers.
#include <gtest/gtest.h>

#include <cmath>

#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/matrix_io.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using testing::MatrixFromText;

// Runs `body`, expects an InputError, and returns its message.
template <typename Body>
std::string InputErrorMessage(Body body) {
  try {
    body();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError thrown";
  return {};
}

TEST(CsvReader, ReadsQuotedLabelsWithCommasAndDoubledQuotes) {
  const LabelledMatrix m = MatrixFromText(
      ",\"Korea, Rep.\",\"Say \"\"hi\"\"\",C\n"
      "\"Korea, Rep.\",0,1,2\n"
      "\"Say \"\"hi\"\"\",3,0,4\n"
      "C,5,6,0\n");
  ASSERT_EQ(m.labels.size(), 3U);
  EXPECT_EQ(m.labels[0], "Korea, Rep.");
  EXPECT_EQ(m.labels[1], "Say \"hi\"");
  EXPECT_DOUBLE_EQ(m.values(1, 2), 4.0);
  EXPECT_DOUBLE_EQ(m.values(2, 0), 5.0);
}

TEST(CsvReader, RowsInAnotherOrderThanColumnsAreReorderedByLabel) {
  const LabelledMatrix m = MatrixFromText(",A,B\nB,7,0\nA,0,9\n");
  EXPECT_DOUBLE_EQ(m.values(0, 1), 9.0);  // row A, column B
  EXPECT_DOUBLE_EQ(m.values(1, 0), 7.0);  // row B, column A
}

TEST(CsvReader, AcceptsBomCrlfTabsAndSemicolons) {
  const LabelledMatrix with_bom = MatrixFromText("\xEF\xBB\xBF,A,B\r\nA,0,1.5\r\nB,2.5e-3,0\r\n");
  EXPECT_EQ(with_bom.labels[0], "A");
  EXPECT_DOUBLE_EQ(with_bom.values(1, 0), 2.5e-3);
  const LabelledMatrix tabs = MatrixFromText("\tA\tB\nA\t0\t1\nB\t2\t0\n");
  EXPECT_DOUBLE_EQ(tabs.values(1, 0), 2.0);
  const LabelledMatrix semicolons = MatrixFromText(";A;B\nA;0;1\nB;-3;0\n");
  EXPECT_DOUBLE_EQ(semicolons.values(1, 0), -3.0);
}

TEST(CsvReader, ExplicitDelimiterOverridesDetection) {
  ReadOptions options;
  options.delimiter = ';';
  const LabelledMatrix m = ParseLabelledMatrix(";A,x;B\nA,x;0;1\nB;2;0\n", "m.csv", options);
  EXPECT_EQ(m.labels[0], "A,x");
}

TEST(CsvReader, BlankAndNaCellsAreMissing) {
  const LabelledMatrix m = MatrixFromText(",A,B,C\nA,,NA,1\nB, NA ,0,\nC,1,2,0\n");
  EXPECT_FALSE(IsObserved(m.values(0, 0)));
  EXPECT_FALSE(IsObserved(m.values(0, 1)));
  EXPECT_FALSE(IsObserved(m.values(1, 0)));
  EXPECT_FALSE(IsObserved(m.values(1, 2)));
  EXPECT_TRUE(IsObserved(m.values(2, 1)));
}

TEST(CsvReader, NonNumericCellNamesFileLineColumnAndLabels) {
  const std::string message = InputErrorMessage([] { MatrixFromText(",A,B\nA,0,1\nB,abc,0\n"); });
  EXPECT_NE(message.find("M.csv:3:3"), std::string::npos) << message;
  EXPECT_NE(message.find("field 2"), std::string::npos) << message;
  EXPECT_NE(message.find("row \"B\", column \"A\""), std::string::npos) << message;
  EXPECT_NE(message.find("\"abc\" is not a number"), std::string::npos) << message;
}

TEST(CsvReader, NanAndInfinityAreRefused) {
  for (const char* bad : {"NaN", "nan", "Inf", "-inf", "+Infinity"}) {
    const std::string text = std::string(",A,B\nA,0,") + bad + "\nB,1,0\n";
    const std::string message = InputErrorMessage([&] { MatrixFromText(text); });
    EXPECT_NE(message.find("not a finite number"), std::string::npos) << bad << ": " << message;
    EXPECT_NE(message.find("M.csv:2:5"), std::string::npos) << message;
  }
  const std::string huge = InputErrorMessage([] { MatrixFromText(",A,B\nA,0,1e999\nB,1,0\n"); });
  EXPECT_NE(huge.find("out of the range"), std::string::npos) << huge;
}

TEST(CsvReader, StructuralErrorsAreReportedWithPositions) {
  EXPECT_NE(InputErrorMessage([] { MatrixFromText(",A,B\nA,0,1\n"); }).find("not square"),
            std::string::npos);
  EXPECT_NE(InputErrorMessage([] {
              MatrixFromText(",A,A\nA,0,1\nA,1,0\n");
            }).find("duplicate column label \"A\""),
            std::string::npos);
  EXPECT_NE(InputErrorMessage([] {
              MatrixFromText(",A,B\nA,0,1\nA,1,0\n");
            }).find("duplicate row label \"A\""),
            std::string::npos);
  EXPECT_NE(InputErrorMessage([] {
              MatrixFromText(",A,B\nA,0,1\nC,1,0\n");
            }).find("row label \"C\" is not among the column labels"),
            std::string::npos);
  const std::string ragged = InputErrorMessage([] { MatrixFromText(",A,B\nA,0,1,5\nB,1,0\n"); });
  EXPECT_NE(ragged.find("M.csv:2:"), std::string::npos) << ragged;
  EXPECT_NE(ragged.find("row has 4 fields, expected 3"), std::string::npos) << ragged;
  EXPECT_NE(
      InputErrorMessage([] { MatrixFromText(",A,B\nA,0,\"1\nB,1,0\n"); }).find("never closed"),
      std::string::npos);
  EXPECT_NE(InputErrorMessage([] { MatrixFromText(""); }).find("empty"), std::string::npos);
  EXPECT_NE(InputErrorMessage([] { MatrixFromText("A|B|C\n1|2|3\n"); }).find("single field"),
            std::string::npos);
  EXPECT_NE(InputErrorMessage([] { MatrixFromText(",A,\nA,0,1\n,1,0\n"); }).find("label is empty"),
            std::string::npos);
}

TEST(CsvReader, QuotedFieldSpanningLinesKeepsTheStartPosition) {
  const auto records = detail::TokenizeCsv("a,\"x\ny\",b\nc,d,e\n", ',', "f.csv");
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0].fields[1].text, "x\ny");
  EXPECT_EQ(records[0].fields[1].line, 1U);
  EXPECT_EQ(records[0].fields[1].column, 3U);
  EXPECT_EQ(records[1].line, 3U);
}

TEST(CsvReader, DetectsTheMostFrequentDelimiterOutsideQuotes) {
  EXPECT_EQ(detail::DetectDelimiter("\"a;b;c\",x,y\n"), ',');
  EXPECT_EQ(detail::DetectDelimiter("a\tb\tc,d\n"), '\t');
  EXPECT_EQ(detail::DetectDelimiter("a;b;c\n"), ';');
}

TEST(EdgeListReader, BuildsAMatrixWithAbsentPairsAsZeroOrMissing) {
  const std::string text = "source,target,value\nA,B,1.5\nB,C,2\n\"Korea, Rep.\",A,3\n";
  const LabelledMatrix zero = MatrixFromText(text);
  ASSERT_EQ(zero.labels.size(), 4U);
  EXPECT_EQ(zero.labels[3], "Korea, Rep.");
  EXPECT_DOUBLE_EQ(zero.values(0, 1), 1.5);
  EXPECT_DOUBLE_EQ(zero.values(3, 0), 3.0);
  EXPECT_DOUBLE_EQ(zero.values(1, 0), 0.0);
  ReadOptions missing;
  missing.absent_edge = AbsentEdge::kMissing;
  const LabelledMatrix with_missing = ParseLabelledMatrix(text, "e.csv", missing);
  EXPECT_FALSE(IsObserved(with_missing.values(1, 0)));
}

TEST(EdgeListReader, AcceptsOtherColumnOrderAndNamesAndRefusesDuplicates) {
  const LabelledMatrix m = MatrixFromText("weight,from,to\n4,A,B\n5,B,A\n");
  EXPECT_DOUBLE_EQ(m.values(0, 1), 4.0);
  EXPECT_DOUBLE_EQ(m.values(1, 0), 5.0);
  const std::string message =
      InputErrorMessage([] { MatrixFromText("source,target,value\nA,B,1\nA,B,2\n"); });
  EXPECT_NE(message.find("M.csv:3"), std::string::npos) << message;
  EXPECT_NE(message.find("duplicate pair \"A\" -> \"B\": two rows (lines 2 and 3)"),
            std::string::npos)
      << message;
}

TEST(EdgeListReader, ForcedEdgeListWithoutHeaderNamesIsAnError) {
  ReadOptions options;
  options.format = InputFormat::kEdgeList;
  EXPECT_THROW(ParseLabelledMatrix(",A,B\nA,0,1\nB,1,0\n", "x.csv", options), InputError);
}

TEST(FileReader, MissingFileAndDirectoryAreInputErrors) {
  EXPECT_NE(
      InputErrorMessage([] { ReadLabelledMatrix("/nonexistent/x.csv", {}); }).find("no such file"),
      std::string::npos);
  EXPECT_NE(
      InputErrorMessage([] { ReadLabelledMatrix(QAP_SOURCE_DIR, {}); }).find("is a directory"),
      std::string::npos);
}

TEST(FileReader, NameDefaultsToFileStemAndRoundTripsThroughCsv) {
  const LabelledMatrix m = ReadLabelledMatrix(testing::SourcePath("tests/data/small/X1.csv"), {});
  EXPECT_EQ(m.name, "X1");
  const LabelledMatrix again = ParseLabelledMatrix(FormatLabelledMatrixCsv(m), "again.csv", {});
  EXPECT_EQ(again.labels, m.labels);
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    for (Eigen::Index j = 0; j < m.size(); ++j) EXPECT_EQ(again.values(i, j), m.values(i, j));
  }
}

}  // namespace
}  // namespace qap
