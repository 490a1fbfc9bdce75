// UCINET DL and Pajek: hand-written files from the format descriptions, and
// round trips through qap's writers.
#include "qap/io/interchange.hpp"

#include <gtest/gtest.h>

#include "qap/core/errors.hpp"
#include "qap/core/numeric.hpp"
#include "qap/io/matrix_io.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

std::string File(const std::string& name) {
  return testing::SourcePath("tests/data/interchange/" + name);
}

TEST(UcinetDl, FullMatrixWithQuotedLabels) {
  const LabelledMatrix m = ReadLabelledMatrix(File("full.dl"), {});
  EXPECT_EQ(m.labels, (std::vector<std::string>{"Korea, Rep.", "JPN", "USA"}));
  EXPECT_EQ(m.name, "full");
  EXPECT_DOUBLE_EQ(m.values(0, 1), 1.5);
  EXPECT_DOUBLE_EQ(m.values(1, 2), 4.0);
  EXPECT_DOUBLE_EQ(m.values(2, 0), 5.0);
}

TEST(UcinetDl, SeveralMatricesWithMatrixLabels) {
  const auto matrices = ReadLabelledMatrices(File("multi.dl"), {});
  ASSERT_EQ(matrices.size(), 2U);
  EXPECT_EQ(matrices[0].name, "multi:TRADE");
  EXPECT_EQ(matrices[1].name, "multi:AID");
  EXPECT_DOUBLE_EQ(matrices[0].values(1, 2), 3.0);
  EXPECT_DOUBLE_EQ(matrices[1].values(0, 2), 1.0);
  try {
    ReadLabelledMatrix(File("multi.dl"), {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("holds 2 matrices (TRADE, AID); read one as"),
              std::string::npos)
        << e.what();
  }
}

TEST(UcinetDl, EdgeAndNodeListsAndEmbeddedLabels) {
  const LabelledMatrix edges = ReadLabelledMatrix(File("edgelist.dl"), {});
  EXPECT_EQ(edges.labels, (std::vector<std::string>{"A", "B", "C", "D"}));
  EXPECT_DOUBLE_EQ(edges.values(0, 1), 2.5);
  EXPECT_DOUBLE_EQ(edges.values(1, 2), 1.0);
  EXPECT_DOUBLE_EQ(edges.values(3, 0), 4.0);
  EXPECT_DOUBLE_EQ(edges.values(2, 3), 0.0);
  const LabelledMatrix nodes = ReadLabelledMatrix(File("nodelist.dl"), {});
  EXPECT_DOUBLE_EQ(nodes.values(0, 1), 1.0);
  EXPECT_DOUBLE_EQ(nodes.values(0, 2), 1.0);
  EXPECT_DOUBLE_EQ(nodes.values(2, 0), 1.0);
  EXPECT_DOUBLE_EQ(nodes.values(1, 0), 0.0);
  const LabelledMatrix embedded = ReadLabelledMatrix(File("embedded.dl"), {});
  EXPECT_EQ(embedded.labels, (std::vector<std::string>{"X", "Y"}));
  EXPECT_DOUBLE_EQ(embedded.values(1, 0), 8.0);
}

TEST(Pajek, ArcsAndEdges) {
  const LabelledMatrix m = ReadLabelledMatrix(File("network.net"), {});
  EXPECT_EQ(m.labels[0], "Korea, Rep.");
  EXPECT_DOUBLE_EQ(m.values(0, 1), 1.5);
  EXPECT_DOUBLE_EQ(m.values(2, 0), 5.0);
  EXPECT_DOUBLE_EQ(m.values(1, 2), 4.0);
  EXPECT_DOUBLE_EQ(m.values(2, 1), 4.0);  // an edge goes both ways
  EXPECT_DOUBLE_EQ(m.values(1, 0), 0.0);
}

TEST(Interchange, RoundTripsKeepEveryValue) {
  const LabelledMatrix original =
      ReadLabelledMatrix(testing::SourcePath("tests/data/small/X1.csv"), {});
  const auto through_dl = ParseUcinetDl(FormatUcinetDl({original}), "round.dl");
  ASSERT_EQ(through_dl.size(), 1U);
  EXPECT_EQ(through_dl[0].labels, original.labels);
  EXPECT_EQ(through_dl[0].values, original.values);  // shortest round-trip formatting: exact
  LabelledMatrix no_diagonal = original;
  for (Eigen::Index i = 0; i < no_diagonal.size(); ++i) no_diagonal.values(i, i) = 0.0;
  const LabelledMatrix through_pajek = ParsePajek(FormatPajek(no_diagonal), "round.net");
  EXPECT_EQ(through_pajek.labels, original.labels);
  EXPECT_EQ(through_pajek.values, no_diagonal.values);
  // Several matrices through one DL file.
  LabelledMatrix second = original;
  second.name = "SECOND";
  second.values *= 2.0;
  const auto both = ParseUcinetDl(FormatUcinetDl({original, second}), "two.dl");
  ASSERT_EQ(both.size(), 2U);
  EXPECT_EQ(both[1].name, "SECOND");
  EXPECT_EQ(both[1].values, second.values);
}

// Issue 13: the values of two matrices, NaN (missing) cells compared as such.
void ExpectSameCells(const LabelledMatrix& got, const LabelledMatrix& want) {
  EXPECT_EQ(got.labels, want.labels);
  ASSERT_EQ(got.size(), want.size());
  for (Eigen::Index i = 0; i < want.size(); ++i) {
    for (Eigen::Index j = 0; j < want.size(); ++j) {
      if (IsObserved(want.values(i, j))) {
        EXPECT_EQ(got.values(i, j), want.values(i, j)) << i << "," << j;
      } else {
        EXPECT_FALSE(IsObserved(got.values(i, j))) << i << "," << j << " should be missing";
      }
    }
  }
}

// A matrix with missing cells and labels the delimiters would split.
LabelledMatrix WithMissingCells() {
  LabelledMatrix m;
  m.name = "GAPS";
  m.labels = {"Korea, Rep.", "A\tB", "say \"hi\"", "x;y"};
  m.values = DyadMatrix::Zero(4, 4);
  for (Eigen::Index i = 0; i < 4; ++i) {
    for (Eigen::Index j = 0; j < 4; ++j)
      m.values(i, j) = 0.1 * static_cast<double>(i * 4 + j) - 0.7;
  }
  m.values(0, 1) = kNaN;
  m.values(2, 3) = kNaN;
  m.values(3, 0) = kNaN;
  m.values(1, 1) = kNaN;  // a missing diagonal cell
  return m;
}

// Issue 13: `convert A.csv A.tsv` wrote commas. The TSV writer writes tabs,
// and what it writes reads back identically, missing cells included.
TEST(Interchange, TsvIsTabSeparatedAndRoundTrips) {
  const LabelledMatrix m = WithMissingCells();
  const std::string tsv = FormatLabelledMatrixTsv(m);
  EXPECT_EQ(tsv.substr(0, tsv.find('\n')),
            "\t\"Korea, Rep.\"\t\"A\tB\"\t\"say \"\"hi\"\"\"\t\"x;y\"");
  EXPECT_NE(tsv.find("\tNA\t"), std::string::npos) << tsv;
  ExpectSameCells(ParseLabelledMatrix(tsv, "round.tsv", {}), m);
  // Only a label that needs it is quoted ("Korea, Rep." in this file).
  const LabelledMatrix small =
      ReadLabelledMatrix(testing::SourcePath("tests/data/small/X1.csv"), {});
  std::string plain = FormatLabelledMatrixTsv(small);
  ExpectSameCells(ParseLabelledMatrix(plain, "small.tsv", {}), small);
  for (auto at = plain.find("\"Korea, Rep.\""); at != std::string::npos;
       at = plain.find("\"Korea, Rep.\"")) {
    plain.erase(at, 13);
  }
  EXPECT_EQ(plain.find_first_of("\","), std::string::npos) << plain;
}

// Issue 13: DL keeps missing cells (written NA, read back as missing).
TEST(Interchange, DlKeepsMissingCells) {
  LabelledMatrix m = WithMissingCells();
  m.labels = {"KOR", "JPN", "USA", "CHN"};  // DL labels are quoted without escapes
  const auto back = ParseUcinetDl(FormatUcinetDl({m}), "gaps.dl");
  ASSERT_EQ(back.size(), 1U);
  ExpectSameCells(back[0], m);
}

// Issue 13: Pajek has no place for a missing cell; an absent arc read back
// as 0, so NA became 0 silently. Such a matrix is refused, naming the cells.
TEST(Interchange, PajekRefusesMissingCells) {
  LabelledMatrix m = WithMissingCells();
  m.labels = {"KOR", "JPN", "USA", "CHN"};
  try {
    (void)FormatPajek(m);
    FAIL() << "a matrix with missing cells was written to Pajek";
  } catch (const DataError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    const std::string message = e.what();
    EXPECT_NE(message.find("GAPS has 3 missing off-diagonal cells"), std::string::npos) << message;
    EXPECT_NE(message.find("(\"KOR\", \"JPN\"), (\"USA\", \"CHN\"), (\"CHN\", \"KOR\")"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("write CSV, TSV or DL"), std::string::npos) << message;
  }
  // More than three: the first three and "...".
  m.values(0, 2) = kNaN;
  try {
    (void)FormatPajek(m);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("4 missing off-diagonal cells (row, column): (\"KOR\", "
                                         "\"JPN\"), (\"KOR\", \"USA\"), (\"USA\", \"CHN\"), ..."),
              std::string::npos)
        << e.what();
  }
  // A missing diagonal is fine: Pajek output never holds the diagonal.
  LabelledMatrix diagonal_only =
      ReadLabelledMatrix(testing::SourcePath("tests/data/small/X1.csv"), {});
  for (Eigen::Index i = 0; i < diagonal_only.size(); ++i) diagonal_only.values(i, i) = kNaN;
  EXPECT_NO_THROW((void)FormatPajek(diagonal_only));
}

TEST(Interchange, BrokenFilesNameTheLine) {
  auto message = [](std::string_view text, bool dl) {
    try {
      if (dl) {
        ParseUcinetDl(text, "x.dl");
      } else {
        ParsePajek(text, "x.net");
      }
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("dl format=fullmatrix\ndata:\n0\n", true).find("must give n="),
            std::string::npos);
  EXPECT_NE(message("dl n=2\ndata:\n0 1\n1\n", true).find("x.dl:4: row has 1 values, expected 2"),
            std::string::npos)
      << message("dl n=2\ndata:\n0 1\n1\n", true);
  EXPECT_NE(message("dl n=2\ndata:\n0 1\n", true).find("the data end after 1 of 2 rows"),
            std::string::npos);
  EXPECT_NE(message("dl n=2 format=blockmatrix\ndata:\n", true).find("is not supported"),
            std::string::npos);
  EXPECT_NE(message("dl n=2\ndata:\n0 x\n1 0\n", true).find("\"x\" is not a finite number"),
            std::string::npos);
  EXPECT_NE(message("*Vertices 2\n*Arcs\n1 3\n", false)
                .find("x.net:3: \"3\" is not a vertex number 1..2"),
            std::string::npos)
      << message("*Vertices 2\n*Arcs\n1 3\n", false);
  EXPECT_NE(message("*Network\n", false).find("starts with \"*Vertices n\""), std::string::npos);
}

}  // namespace
}  // namespace qap
