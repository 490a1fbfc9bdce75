// Long tables, headerless edge lists and R's matrix layouts, on text (issue
// 13). The files real tools write are read in others_write_test.cpp.
#include "qap/io/dyad_table.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/matrix_io.hpp"

namespace qap {
namespace {

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<LabelledMatrix> Read(const std::string& text, ReadOptions options = {}) {
  return ParseLabelledMatrices(text, "t.csv", options);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(BlankDelimiter, RunsOfBlanksSeparateAndQuotesStillWork) {
  EXPECT_EQ(detail::DetectDelimiter("A B 1.5\n"), detail::kBlankDelimiter);
  EXPECT_EQ(detail::DetectDelimiter("\"A\" \"B\"\n"), detail::kBlankDelimiter);
  EXPECT_EQ(detail::DetectDelimiter("United States,China\n"), ',');
  const auto records =
      detail::TokenizeCsv("  \"a b\"   c\t 1 \n\n d  e 2\n", detail::kBlankDelimiter, "f.txt");
  ASSERT_EQ(records.size(), 2U);
  ASSERT_EQ(records[0].fields.size(), 3U);
  EXPECT_EQ(records[0].fields[0].text, "a b");
  EXPECT_EQ(records[0].fields[1].text, "c");
  EXPECT_EQ(records[0].fields[2].text, "1");
  EXPECT_EQ(records[1].line, 3U);
  EXPECT_EQ(records[1].fields[0].column, 2U);
}

// The bug that printed R² = 1 with ***: `--y long.csv --x long.csv` took the
// column named y for both.
TEST(LongTable, SeveralValueColumnsAreRefusedUntilOneIsNamed) {
  const std::string text = "i,j,y,x\nA,B,1,2\nB,A,3,4\n";
  const std::string error = ErrorOf([&] { Read(text); });
  EXPECT_TRUE(Contains(error, "the table has 2 value columns (\"y\", \"x\")")) << error;
  EXPECT_TRUE(Contains(error, "t.csv:y")) << error;
  ReadOptions x;
  x.columns = {"x"};
  const auto m = Read(text, x);
  ASSERT_EQ(m.size(), 1U);
  EXPECT_EQ(m[0].name, "x");
  EXPECT_DOUBLE_EQ(m[0].values(0, 1), 2.0);
  EXPECT_DOUBLE_EQ(m[0].values(1, 0), 4.0);
  // A column read by name is data: the unlisted diagonal is missing, not 0.
  EXPECT_FALSE(IsObserved(m[0].values(0, 0)));
}

TEST(LongTable, TheOnlyValueColumnMayHaveAnyNameAndNoneMeansUnweighted) {
  const auto trade = Read("exporter,importer,trade_usd\nCHN,USA,5\nUSA,CHN,3\n");
  ASSERT_EQ(trade.size(), 1U);
  EXPECT_DOUBLE_EQ(trade[0].values(0, 1), 5.0);
  EXPECT_DOUBLE_EQ(trade[0].values(0, 0), 0.0);  // an edge list read whole: unlisted is 0
  const auto ties = Read("source,target\nA,B\nB,C\n");
  ASSERT_EQ(ties.size(), 1U);
  EXPECT_EQ(ties[0].labels, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_DOUBLE_EQ(ties[0].values(0, 1), 1.0);
  EXPECT_DOUBLE_EQ(ties[0].values(1, 0), 0.0);
}

TEST(LongTable, TwoPairsOfNodeColumnsAreRefused) {
  const std::string error = ErrorOf([] { Read("i,j,from,to,w\nA,B,C,D,1\n"); });
  EXPECT_TRUE(Contains(error, "two pairs of node columns (i,j and from,to)")) << error;
}

TEST(LongTable, RowFiltersCompareNumbersAsNumbersAndSayWhatTheColumnHolds) {
  const std::string panel = "i,j,year,trade\nA,B,2022,1\nA,B,2023,2\nB,A,2023.0,3\n";
  const std::string duplicate = ErrorOf([&] { Read(panel); });
  EXPECT_TRUE(Contains(duplicate, "the table has 2 value columns")) << duplicate;
  ReadOptions trade;
  trade.columns = {"trade"};
  const std::string twice = ErrorOf([&] { Read(panel, trade); });
  EXPECT_TRUE(Contains(twice, "duplicate pair \"A\" -> \"B\": two rows (lines 2 and 3)")) << twice;
  EXPECT_TRUE(Contains(twice, "such as year=2023")) << twice;
  trade.where = {ParseRowFilter("year=2023")};
  const auto m = Read(panel, trade);
  EXPECT_DOUBLE_EQ(m[0].values(0, 1), 2.0);
  EXPECT_DOUBLE_EQ(m[0].values(1, 0), 3.0);
  trade.where = {ParseRowFilter("year = 2030")};
  const std::string none = ErrorOf([&] { Read(panel, trade); });
  EXPECT_TRUE(Contains(none,
                       "no row of 3 matches the row filter (\"year\" holds \"2022\", "
                       "\"2023\", \"2023.0\")"))
      << none;
  EXPECT_TRUE(Contains(ErrorOf([] { ParseRowFilter("year"); }), "expected COLUMN=VALUE"));
}

TEST(LongTable, SeveralColumnsShareOneNodeSet) {
  ReadOptions both;
  both.columns = {"dist", "rta"};
  const auto m = Read("from,to,dist,rta\nA,B,10,1\nC,A,20,0\n", both);
  ASSERT_EQ(m.size(), 2U);
  EXPECT_EQ(m[0].labels, m[1].labels);
  EXPECT_EQ(m[0].name, "dist");
  EXPECT_EQ(m[1].name, "rta");
  EXPECT_DOUBLE_EQ(m[1].values(2, 0), 0.0);
  EXPECT_FALSE(IsObserved(m[1].values(1, 2)));
  both.columns = {"distance"};
  const std::string error = ErrorOf([&] { Read("from,to,dist\nA,B,1\n", both); });
  EXPECT_TRUE(Contains(error, "no column \"distance\"; the columns are \"from\", \"to\", \"dist\""))
      << error;
}

TEST(HeaderlessEdgeList, IgraphAndNetworkxLayouts) {
  // igraph write_graph(format = "edgelist"): 0-based ids, no weights.
  const auto ids = Read("0 1\n1 2\n2 0\n");
  EXPECT_EQ(ids[0].labels, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_DOUBLE_EQ(ids[0].values(2, 0), 1.0);
  // write_weighted_edgelist / igraph "ncol" with weights.
  const auto weighted = Read("CHN USA 2.5\nUSA CHN 1\n");
  EXPECT_DOUBLE_EQ(weighted[0].values(0, 1), 2.5);
  // networkx write_edgelist(data=True): a Python dict of attributes.
  const auto dict = Read("A B {'weight': 1.5, 'kind': 'x'}\nB A {'weight': 2}\n");
  ASSERT_EQ(dict.size(), 1U);
  EXPECT_DOUBLE_EQ(dict[0].values(0, 1), 1.5);
  EXPECT_DOUBLE_EQ(dict[0].values(1, 0), 2.0);
  const auto plain = Read("A B {}\nB C {}\n");
  EXPECT_DOUBLE_EQ(plain[0].values(1, 2), 1.0);
  const std::string two = ErrorOf([] { Read("A B {'weight': 1, 'count': 2}\n"); });
  EXPECT_TRUE(Contains(two, "2 numeric attributes (\"weight\", \"count\")")) << two;
}

TEST(RMatrixLayouts, WriteTableWithoutCornerIsRead) {
  const auto m = Read("\"A\" \"B\"\n\"A\" 0 1\n\"B\" 2 NA\n");
  ASSERT_EQ(m.size(), 1U);
  EXPECT_EQ(m[0].labels, (std::vector<std::string>{"A", "B"}));
  EXPECT_DOUBLE_EQ(m[0].values(1, 0), 2.0);
  EXPECT_FALSE(IsObserved(m[0].values(1, 1)));
  EXPECT_TRUE(m[0].notes.empty());
}

TEST(RMatrixLayouts, BareNumbersAreNumberedByPositionAndSaidSo) {
  const auto m = Read("0 1 2\n3 0 4\n5 6 0\n");
  EXPECT_EQ(m[0].labels, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_DOUBLE_EQ(m[0].values(2, 1), 6.0);
  ASSERT_EQ(m[0].notes.size(), 1U);
  EXPECT_TRUE(Contains(m[0].notes[0], "by position")) << m[0].notes[0];
}

TEST(RMatrixLayouts, WithoutDimnamesOrRowNamesIsRefusedUntilReadByPosition) {
  const std::string no_dimnames = "\"\",\"V1\",\"V2\"\n\"1\",0,1\n\"2\",2,0\n";
  const std::string error = ErrorOf([&] { Read(no_dimnames); });
  EXPECT_TRUE(Contains(error, "R's write.csv(m) writes for a matrix without dimnames")) << error;
  EXPECT_TRUE(Contains(error, "dimnames(m) <- list(ids, ids)")) << error;
  ReadOptions position;
  position.labels = LabelSource::kPosition;
  const auto m = Read(no_dimnames, position);
  EXPECT_EQ(m[0].labels, (std::vector<std::string>{"1", "2"}));
  EXPECT_DOUBLE_EQ(m[0].values(1, 0), 2.0);

  const std::string no_row_names = "\"A\",\"B\"\n0,1\n2,0\n";
  const std::string refused = ErrorOf([&] { Read(no_row_names); });
  EXPECT_TRUE(Contains(refused, "write.csv(m, row.names = FALSE)")) << refused;
  const auto by_position = Read(no_row_names, position);
  EXPECT_DOUBLE_EQ(by_position[0].values(1, 0), 2.0);
  EXPECT_FALSE(by_position[0].notes.empty());
}

TEST(MatrixSpec, AColonSplitsOnlyWhenTheFileBeforeItExists) {
  EXPECT_EQ(SplitMatrixSpec("no/such/file.csv:trade").path, "no/such/file.csv:trade");
  EXPECT_FALSE(SplitMatrixSpec("no/such/file.csv:trade").column);
  EXPECT_EQ(SplitMatrixSpec("-").path, "-");
  const MatrixSpec root = SplitMatrixSpec("/:x");
  EXPECT_EQ(root.path, "/");
  EXPECT_EQ(root.column, "x");
}

}  // namespace
}  // namespace qap
