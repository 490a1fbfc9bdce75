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
  EXPECT_NE(message("dl n=2\ndata:\n0 1\n1\n", true).find("x.dl:4: row 2 has 1 values, expected 2"),
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

// Issue 13, "files others write": the DL layouts UCINET users have, and the
// Pajek files networkx, igraph and Pajek itself write.

// The cells of a matrix, row by row.
void ExpectCells(const LabelledMatrix& m, const std::vector<std::vector<double>>& want) {
  ASSERT_EQ(m.size(), static_cast<Eigen::Index>(want.size()));
  for (std::size_t i = 0; i < want.size(); ++i) {
    for (std::size_t j = 0; j < want.size(); ++j) {
      EXPECT_EQ(m.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)), want[i][j])
          << m.name << " (" << i + 1 << ", " << j + 1 << ")";
    }
  }
}

LabelledMatrix OneDl(std::string_view text) {
  const auto matrices = ParseUcinetDl(text, "x.dl");
  EXPECT_EQ(matrices.size(), 1U);
  return matrices.front();
}

std::string DlError(std::string_view text) {
  try {
    (void)ParseUcinetDl(text, "x.dl");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// One triangle of a symmetric matrix, the other mirrored; the diagonal read
// when present and 0 when absent (as UCINET does; interchange.hpp).
TEST(UcinetDl, LowerAndUpperHalvesWithAndWithoutTheDiagonal) {
  // Diagonal present (the default): row i of lowerhalf holds columns 1..i.
  const std::vector<std::vector<double>> present = {{7, 1, 2}, {1, 8, 3}, {2, 3, 9}};
  ExpectCells(OneDl("dl n=3 format=lowerhalf\nlabels:\nA,B,C\ndata:\n7\n1 8\n2 3 9\n"), present);
  ExpectCells(
      OneDl("dl n=3 format=lowerhalf diagonal=present\nlabels:\nA,B,C\ndata:\n7\n1 8\n2 3 9\n"),
      present);
  // upperhalf row i holds columns i..n.
  ExpectCells(OneDl("dl n=3 format=upperhalf\nlabels:\nA,B,C\ndata:\n7 1 2\n8 3\n9\n"), present);
  // Diagonal absent: lowerhalf row 1 and upperhalf row 3 are empty (no line).
  const std::vector<std::vector<double>> absent = {{0, 1, 2}, {1, 0, 3}, {2, 3, 0}};
  ExpectCells(OneDl("dl n=3 format=lowerhalf diagonal=absent\ndata:\n1\n2 3\n"), absent);
  ExpectCells(OneDl("DL N=3\nFORMAT = UPPERHALF\nDIAGONAL = ABSENT\nDATA:\n1 2\n3\n"), absent);
  // fullmatrix without its diagonal: n - 1 values a row, (i, i) skipped.
  ExpectCells(OneDl("dl n=3 format=fullmatrix diagonal=absent\ndata:\n1 2\n4 3\n5 6\n"),
              {{0, 1, 2}, {4, 0, 3}, {5, 6, 0}});
  // Several matrices, labels and missing cells as in fullmatrix.
  const auto two = ParseUcinetDl(
      "dl n=2 nm=2 format=lowerhalf\nlabels:\nP,Q\nmatrix labels:\nM1,M2\ndata:\n1\nNA 2\n3\n4 5\n",
      "two.dl");
  ASSERT_EQ(two.size(), 2U);
  EXPECT_EQ(two[1].name, "M2");
  EXPECT_EQ(two[0].labels, (std::vector<std::string>{"P", "Q"}));
  EXPECT_FALSE(IsObserved(two[0].values(0, 1)));
  EXPECT_FALSE(IsObserved(two[0].values(1, 0)));
  ExpectCells(two[1], {{3, 4}, {4, 5}});
  // A file, found by its "dl" keyword: nr = nc = 4, lowerhalf, diagonal absent.
  const LabelledMatrix file = ReadLabelledMatrix(File("lowerhalf.dl"), {});
  EXPECT_EQ(file.labels, (std::vector<std::string>{"A", "B", "C", "D"}));
  ExpectCells(file, {{0, 1, 2, 4}, {1, 0, 3, 5}, {2, 3, 0, 6}, {4, 5, 6, 0}});
}

TEST(UcinetDl, RowsAndColumnsGivenApartMustAgree) {
  ExpectCells(OneDl("dl nr = 2, nc = 2\ndata:\n0 1\n2 0\n"), {{0, 1}, {2, 0}});
  ExpectCells(OneDl("dl n=2 nr=2 nc=2\ndata:\n0 1\n2 0\n"), {{0, 1}, {2, 0}});
  const std::string rectangular = DlError("dl nr=3 nc=2\ndata:\n1 0\n2 3\n0 4\n");
  EXPECT_NE(rectangular.find("x.dl:1: nr = 3 rows and nc = 2 columns: a rectangular (two-mode) "
                             "matrix; QAP needs square matrices"),
            std::string::npos)
      << rectangular;
  EXPECT_NE(DlError("dl nr=2\ndata:\n0 1\n2 0\n").find("gives nr without nc"), std::string::npos);
  EXPECT_NE(DlError("dl n=3 nr=2 nc=2\ndata:\n0 1\n2 0\n").find("n = 3 but nr = nc = 2"),
            std::string::npos);
}

// Too few or too many values in a row, or rows, name the line.
TEST(UcinetDl, MalformedHalvesNameTheLine) {
  EXPECT_NE(DlError("dl n=3 format=lowerhalf\ndata:\n7\n1 8\n3 9\n")
                .find("x.dl:5: row 3 has 2 values, expected 3 (lowerhalf, n = 3)"),
            std::string::npos)
      << DlError("dl n=3 format=lowerhalf\ndata:\n7\n1 8\n3 9\n");
  EXPECT_NE(DlError("dl n=3 format=lowerhalf diagonal=absent\ndata:\n1\n2 3 4\n")
                .find("x.dl:4: row 3 has 3 values, expected 2 (lowerhalf, diagonal absent, n = 3)"),
            std::string::npos)
      << DlError("dl n=3 format=lowerhalf diagonal=absent\ndata:\n1\n2 3 4\n");
  // The full matrix written where the upper half was announced: row 1 has 3 of 2.
  EXPECT_NE(DlError("dl n=3 format=upperhalf diagonal=absent\ndata:\n0 1 2\n1 0 3\n2 3 0\n")
                .find("x.dl:3: row 1 has 3 values, expected 2"),
            std::string::npos);
  EXPECT_NE(DlError("dl n=3 format=upperhalf\ndata:\n7 1 2\n8 3\n")
                .find("x.dl:4: the data end after 2 of 3 rows (upperhalf, n = 3)"),
            std::string::npos)
      << DlError("dl n=3 format=upperhalf\ndata:\n7 1 2\n8 3\n");
  EXPECT_NE(DlError("dl n=2 format=lowerhalf diagonal=absent\ndata:\n1\n2\n")
                .find("x.dl:4: more data rows than 1 (lowerhalf, diagonal absent, n = 2)"),
            std::string::npos)
      << DlError("dl n=2 format=lowerhalf diagonal=absent\ndata:\n1\n2\n");
  EXPECT_NE(DlError("dl n=2 format=lowerhalf diagonal=maybe\ndata:\n1\n")
                .find("diagonal must be \"present\" or \"absent\", got \"maybe\""),
            std::string::npos);
  EXPECT_NE(DlError("dl n=2 format=edgelist1 diagonal=absent\ndata:\n1 2\n")
                .find("diagonal = absent applies to fullmatrix, lowerhalf and upperhalf"),
            std::string::npos);
  EXPECT_NE(DlError("dl n=2 format=lowerhalf\nlabels embedded\ndata:\nA B\nA 1\nB 2 3\n")
                .find("labels embedded in lowerhalf data are not supported"),
            std::string::npos);
}

std::string PajekFile(const std::string& name) {
  return testing::SourcePath("tests/data/pajek/" + name);
}

const std::vector<std::string> kPajekIds = {"CHN", "DEU", "USA", "C\u00f4te d'Ivoire"};
// tests/data/pajek/README.md: the directed and the undirected ties.
const std::vector<std::vector<double>> kArcs = {
    {0, 1.5, 2, 0}, {3, 0, 4.25, 5}, {6, 7, 0, 8}, {9, 10, 11, 0}};
const std::vector<std::vector<double>> kEdges = {
    {0, 1.5, 2, 0}, {1.5, 0, 4.25, 5}, {2, 4.25, 0, 8}, {0, 5, 8, 0}};

TEST(Pajek, FilesNetworkxAndIgraphWrite) {
  const std::vector<std::string> positions = {"1", "2", "3", "4"};
  struct Case {
    const char* file;
    const std::vector<std::string>* labels;
    const std::vector<std::vector<double>>* cells;
  };
  for (const Case& c :
       {Case{"nx_directed.net", &kPajekIds, &kArcs}, Case{"nx_undirected.net", &kPajekIds, &kEdges},
        Case{"py_igraph_directed.net", &kPajekIds, &kArcs},
        Case{"py_igraph_names.net", &positions, &kEdges},
        Case{"r_igraph_directed.net", &kPajekIds, &kArcs},
        Case{"r_igraph_undirected.net", &kPajekIds, &kEdges},
        Case{"r_igraph_names.net", &positions, &kArcs}}) {
    SCOPED_TRACE(c.file);
    const LabelledMatrix m = ReadLabelledMatrix(PajekFile(c.file), {});  // found by content
    EXPECT_EQ(m.labels, *c.labels);
    ExpectCells(m, *c.cells);
  }
}

// Pajek's own files: "*Network name" before *Vertices, % comments anywhere.
TEST(Pajek, NetworkLineAndCommentsAsPajekWrites) {
  const LabelledMatrix m = ReadLabelledMatrix(PajekFile("pajek_network_comments.net"), {});
  EXPECT_EQ(m.labels, kPajekIds);
  ExpectCells(m, {{0, 1.5, 0, 0}, {3, 0, 4.25, 0}, {0, 4.25, 0, 8}, {0, 0, 0, 0}});
  EXPECT_TRUE(LooksLikePajek("*Network x\n*Vertices 2\n"));
  EXPECT_TRUE(LooksLikePajek("\xEF\xBB\xBF% comment\r\n\r\n*network\r\n% more\r\n*vertices 2\r\n"));
  EXPECT_TRUE(LooksLikePajek("*Vertices 2\n"));
  EXPECT_FALSE(LooksLikePajek("*Network x\n*Network y\n*Vertices 2\n"));
  EXPECT_FALSE(LooksLikePajek("*Networks\n*Vertices 2\n"));
  EXPECT_FALSE(LooksLikePajek("% only a comment\n"));
  EXPECT_FALSE(LooksLikePajek(",A,B\nA,0,1\nB,1,0\n"));
  const LabelledMatrix network_only =
      ParsePajek("*Network N\n*Vertices 2\n*Arcs\n1 2 5\n", "n.net");
  EXPECT_EQ(network_only.values(0, 1), 5.0);
  try {
    (void)ParsePajek("*Network A\n*Vertices 1\n*Network B\n*Vertices 1\n", "two.paj");
    FAIL() << "a second network was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "two.paj:3:1: a second network (the first \"*Network\" is on line 1)"),
              std::string::npos)
        << e.what();
  }
}

// Excel's "Unicode Text" (UTF-16LE with a byte-order mark, CRLF, tabs) reads
// as its UTF-8 twin; UTF-16 without a mark is refused, saying to save as UTF-8.
TEST(Utf16Matrix, ExcelUnicodeTextReadsAsTheUtf8File) {
  const LabelledMatrix utf16 = ReadLabelledMatrix(File("excel_unicode_text.txt"), {});
  const LabelledMatrix utf8 = ReadLabelledMatrix(File("excel_unicode_text_utf8.txt"), {});
  EXPECT_EQ(utf16.labels, (std::vector<std::string>{"CHN", "DEU", "C\u00f4te d'Ivoire"}));
  ExpectSameCells(utf16, utf8);
  EXPECT_FALSE(IsObserved(utf16.values(1, 2)));  // Excel's empty cell
  EXPECT_EQ(utf16.values(2, 1), 5.25);
  try {
    (void)ReadLabelledMatrix(testing::SourcePath("tests/bad_inputs/utf16_no_bom.txt"), {});
    FAIL() << "UTF-16 without a byte-order mark was read";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("UTF-16LE text without a byte-order mark"), std::string::npos)
        << message;
    EXPECT_NE(message.find("save it as UTF-8"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

// Found by fuzz_matrix: a first line of separators alone has no tokens, and
// the *Vertices check read the first of none.
TEST(Pajek, AFirstLineWithoutTokensIsRefusedNotRead) {
  for (const char* text : {",\nAA]\n,", ",", " \t\n"}) {
    EXPECT_THROW(ParsePajek(text, "fuzz.net"), InputError) << text;
  }
}

}  // namespace
}  // namespace qap
