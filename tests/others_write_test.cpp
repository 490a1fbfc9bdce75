// Files other tools write (issue 13, "every file a network researcher already
// has"): the files in tests/data/others_write/, written by R (base, haven,
// igraph) and Python (networkx, python-igraph, pandas, numpy) from one 4 x 4
// matrix and one gravity panel (make_files.R and make_files.py beside them;
// README.md there says which call wrote which file). Each reads into the
// labels and values it was written from, or is refused with the message the
// documentation promises.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "qap/core/errors.hpp"
#include "qap/core/labelled_matrix.hpp"
#include "qap/io/matrix_io.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

constexpr double kNa = std::numeric_limits<double>::quiet_NaN();

std::string DataPath(const std::string& name) {
  return testing::SourcePath("tests/data/others_write/" + name);
}

const std::vector<std::string> kIds = {"CHN", "DEU", "USA", "C\u00f4te d'Ivoire"};
const std::vector<std::string> kShort = {"CHN", "DEU", "USA", "CIV"};
const std::vector<std::string> kPositions = {"1", "2", "3", "4"};
const std::vector<std::string> kIgraphIds = {"0", "1", "2", "3"};

// The matrix both scripts write; m(CHN, Côte d'Ivoire) is missing.
const std::vector<std::vector<double>> kM = {
    {0, 1.5, 2, kNa}, {3, 0, 4.25, 5}, {6, 7, 0, 8}, {9, 10, 11, 0}};
// The same as an edge list of its nonzero cells: the missing cell is no edge, so 0.
const std::vector<std::vector<double>> kTies = {
    {0, 1.5, 2, 0}, {3, 0, 4.25, 5}, {6, 7, 0, 8}, {9, 10, 11, 0}};
const std::vector<std::vector<double>> kBinary = {
    {0, 1, 1, 0}, {1, 0, 1, 1}, {1, 1, 0, 1}, {1, 1, 1, 0}};

::testing::AssertionResult Reads(const LabelledMatrix& m, const std::vector<std::string>& labels,
                                 const std::vector<std::vector<double>>& values) {
  if (m.labels != labels) {
    std::string got;
    for (const std::string& label : m.labels) got += "[" + label + "]";
    return ::testing::AssertionFailure() << "labels " << got;
  }
  if (m.size() != static_cast<Eigen::Index>(values.size())) {
    return ::testing::AssertionFailure() << "size " << m.size();
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = 0; j < values.size(); ++j) {
      const double got = m.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      const double want = values[i][j];
      if (std::isnan(want) ? !std::isnan(got) : got != want) {
        return ::testing::AssertionFailure() << "cell (" << labels[i] << ", " << labels[j]
                                             << ") is " << got << ", expected " << want;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Same(const LabelledMatrix& a, const LabelledMatrix& b) {
  std::vector<std::vector<double>> values(static_cast<std::size_t>(b.size()));
  for (Eigen::Index i = 0; i < b.size(); ++i) {
    for (Eigen::Index j = 0; j < b.size(); ++j) {
      values[static_cast<std::size_t>(i)].push_back(b.values(i, j));
    }
  }
  return Reads(a, b.labels, values);
}

LabelledMatrix Read(const std::string& name, ReadOptions options = {}) {
  return ReadLabelledMatrix(DataPath(name), options);
}

bool HasNote(const LabelledMatrix& m, const std::string& fragment) {
  for (const std::string& note : m.notes) {
    if (note.find(fragment) != std::string::npos) return true;
  }
  return false;
}

ReadOptions Position() {
  ReadOptions options;
  options.labels = LabelSource::kPosition;
  return options;
}

// --- R's matrix writers ------------------------------------------------------

TEST(OthersWrite, RWriteCsvWithDimnames) {
  const LabelledMatrix m = Read("r_write_csv.csv");
  EXPECT_TRUE(Reads(m, kIds, kM));
  EXPECT_EQ(m.name, "r_write_csv");
  EXPECT_TRUE(m.notes.empty());
}

TEST(OthersWrite, RWriteTableSpaceSeparatedWithQuotesAndNoCorner) {
  EXPECT_TRUE(Reads(Read("r_write_table.txt"), kIds, kM));
}

TEST(OthersWrite, RWriteTableTabSeparatedWithoutQuotes) {
  EXPECT_TRUE(Reads(Read("r_write_table_tab.tsv"), kIds, kM));
}

TEST(OthersWrite, RWriteCsvWithoutRowNamesIsRefusedUnlessReadByPosition) {
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [] { Read("r_write_csv_no_row_names.csv"); },
      "R's write.csv(m, row.names = FALSE) writes this): read it by position (labels "
      "position"));
  const LabelledMatrix m = Read("r_write_csv_no_row_names.csv", Position());
  EXPECT_TRUE(Reads(m, kPositions, kM));
  EXPECT_TRUE(HasNote(m, "nodes by position")) << m.notes.size();
}

TEST(OthersWrite, RWriteCsvWithoutDimnamesIsRefusedUnlessReadByPosition) {
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [] { Read("r_write_csv_no_dimnames.csv"); },
      "R's write.csv(m) writes for a matrix without dimnames. Read it by position (labels "
      "position), or name the nodes in R first: dimnames(m) <- list(ids, ids)"));
  EXPECT_TRUE(Reads(Read("r_write_csv_no_dimnames.csv", Position()), kPositions, kM));
}

TEST(OthersWrite, RWriteTableOfBareNumbersIsNumberedByPosition) {
  const LabelledMatrix m = Read("r_bare.txt");
  EXPECT_TRUE(Reads(m, kPositions, kM));
  EXPECT_TRUE(HasNote(m, "the file has no labels: nodes are numbered 1..4 by position"));
}

// --- pandas and numpy --------------------------------------------------------

TEST(OthersWrite, PandasMatrixWithAnEmptyCellForNaN) {
  EXPECT_TRUE(Reads(Read("pandas_matrix.csv"), kIds, kM));
}

TEST(OthersWrite, NumpySavetxtIsNumberedByPosition) {
  for (const char* name : {"numpy_savetxt.txt", "numpy_savetxt.csv"}) {
    const LabelledMatrix m = Read(name);
    EXPECT_TRUE(Reads(m, kPositions, kTies)) << name;
    EXPECT_TRUE(HasNote(m, "numbered 1..4 by position")) << name;
  }
}

// --- Long tables with a header -----------------------------------------------

// The original bug: i,j,y,x read whole once gave x for y. Both columns are
// candidates, so the table is refused, naming them; FILE:COLUMN picks one,
// and a pair the table does not list is missing.
TEST(OthersWrite, LongTableWithTwoValueColumnsNeedsOneNamed) {
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [] { Read("r_long_two_values.csv"); },
      "the table has 2 value columns (\"y\", \"x\"): name the one to read, as FILE:COLUMN"));
  const std::vector<std::vector<double>> y = {
      {kNa, 1.5, 2, kNa}, {3, kNa, 4.25, 5}, {6, 7, kNa, 8}, {9, 10, 11, kNa}};
  const LabelledMatrix m = ReadLabelledMatrix(DataPath("r_long_two_values.csv") + ":y", {});
  EXPECT_TRUE(Reads(m, kIds, y));
  EXPECT_EQ(m.name, "y");
  const LabelledMatrix x = ReadLabelledMatrix(DataPath("r_long_two_values.csv") + ":x", {});
  EXPECT_EQ(x.values(1, 3), 50.0);
  ReadOptions zero;
  zero.absent_edge = AbsentEdge::kZero;
  const LabelledMatrix z = ReadLabelledMatrix(DataPath("r_long_two_values.csv") + ":y", zero);
  EXPECT_EQ(z.values(0, 3), 0.0);  // --absent zero: the unlisted CHN -> Côte d'Ivoire
  EXPECT_EQ(z.values(0, 0), 0.0);
}

TEST(OthersWrite, NetworkxThroughPandasSourceTargetWeight) {
  EXPECT_TRUE(Reads(Read("nx_pandas_edgelist.csv"), kShort, kTies));
}

// --- Headerless edge lists ---------------------------------------------------

TEST(OthersWrite, IgraphEdgelistOfZeroBasedIds) {
  for (const char* name : {"r_igraph.edgelist", "py_igraph.edgelist"}) {
    const LabelledMatrix m = Read(name);
    EXPECT_TRUE(Reads(m, kIgraphIds, kBinary)) << name;
    EXPECT_EQ(m.name, std::string(name).substr(0, std::string(name).find('.'))) << name;
  }
  ReadOptions edge_list;
  edge_list.format = InputFormat::kEdgeList;
  EXPECT_TRUE(Reads(Read("py_igraph.edgelist", edge_list), kIgraphIds, kBinary));
}

// More lines than a square matrix of that width has: an edge list of ids.
// As many lines as numbers per line: a bare matrix, unless the format is said.
TEST(OthersWrite, ALineCountTellsAnIgraphEdgelistFromABareMatrix) {
  EXPECT_TRUE(Reads(ParseLabelledMatrix("0 1\n1 0\n0 0\n", "short.edgelist", {}), {"0", "1"},
                    {{1, 1}, {1, 0}}));
  const std::string two = "0 1\n1 0\n";
  EXPECT_TRUE(Reads(ParseLabelledMatrix(two, "bare.txt", {}), {"1", "2"}, {{0, 1}, {1, 0}}));
  ReadOptions edge_list;
  edge_list.format = InputFormat::kEdgeList;
  EXPECT_TRUE(
      Reads(ParseLabelledMatrix(two, "two.edgelist", edge_list), {"0", "1"}, {{0, 1}, {1, 0}}));
  // A comma-separated list of ids is no tool's edge-list format: refused, naming both readings.
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [] { ParseLabelledMatrix("0,1\n1,2\n2,0\n", "ids.csv", {}); },
      "is read with input_format edgelist"));
}

TEST(OthersWrite, IgraphNcolNamesAndWeights) {
  for (const char* name : {"r_igraph.ncol", "py_igraph.ncol"}) {
    EXPECT_TRUE(Reads(Read(name), kShort, kTies)) << name;
  }
}

TEST(OthersWrite, NetworkxWriteEdgelistWithoutData) {
  EXPECT_TRUE(Reads(Read("nx_edgelist_data_false.txt"), kShort, kBinary));
}

TEST(OthersWrite, NetworkxWriteEdgelistWithAttributeDicts) {
  const LabelledMatrix m = Read("nx_edgelist_dict.txt");
  EXPECT_TRUE(Reads(m, kShort, kTies));
  // Named, the attribute is data: an unlisted pair is missing (--absent zero: no tie).
  const LabelledMatrix named = Read("nx_edgelist_dict.txt:weight");
  EXPECT_TRUE(Reads(named, kShort,
                    {{kNa, 1.5, 2, kNa}, {3, kNa, 4.25, 5}, {6, 7, kNa, 8}, {9, 10, 11, kNa}}));
  EXPECT_EQ(named.name, "weight");
  ReadOptions zero;
  zero.absent_edge = AbsentEdge::kZero;
  EXPECT_TRUE(Same(Read("nx_edgelist_dict.txt:weight", zero), m));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [] { Read("nx_edgelist_dict.txt:trade"); },
      "no edge carries the attribute \"trade\"; the attributes are \"weight\""));
}

// Several attributes put commas in a blank-separated line: still an edge
// list. Read whole it is refused, naming the numeric attributes; the text one
// ("kind") is no matrix.
TEST(OthersWrite, NetworkxWriteEdgelistWithSeveralAttributes) {
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [] { Read("nx_edgelist_two_attributes.txt"); },
      "the edges carry 2 numeric attributes (\"weight\", \"distance\")"));
  ReadOptions zero;
  zero.absent_edge = AbsentEdge::kZero;
  EXPECT_TRUE(Reads(Read("nx_edgelist_two_attributes.txt:weight", zero), kShort, kTies));
  const LabelledMatrix distance = Read("nx_edgelist_two_attributes.txt:distance");
  EXPECT_EQ(distance.values(1, 3), 2400.0);        // DEU -> CIV
  EXPECT_TRUE(std::isnan(distance.values(0, 3)));  // CHN -> CIV: no edge
}

TEST(OthersWrite, NetworkxWriteEdgelistWithEmptyDicts) {
  EXPECT_TRUE(Reads(Read("nx_edgelist_empty_dict.txt"), kShort, kBinary));
}

TEST(OthersWrite, NetworkxWriteWeightedEdgelist) {
  EXPECT_TRUE(Reads(Read("nx_weighted_edgelist.txt"), kShort, kTies));
  ReadOptions missing;
  missing.absent_edge = AbsentEdge::kMissing;  // --absent missing: an unlisted pair is unknown
  const LabelledMatrix m = Read("nx_weighted_edgelist.txt", missing);
  EXPECT_TRUE(
      Reads(m, kShort, {{kNa, 1.5, 2, kNa}, {3, kNa, 4.25, 5}, {6, 7, kNa, 8}, {9, 10, 11, kNa}}));
}

// --- The gravity panel: CSV, Stata, SPSS ---------------------------------------

// Year 2023: USA -> Côte d'Ivoire is not listed, DEU -> CHN's trade is NA,
// and no row is a node with itself.
std::vector<std::vector<double>> Gravity2023(const std::string& column) {
  std::vector<std::vector<double>> values(4, std::vector<double>(4, kNa));
  for (int e = 1; e <= 4; ++e) {
    for (int i = 1; i <= 4; ++i) {
      if (e == i || (e == 3 && i == 4)) continue;
      double& cell = values[static_cast<std::size_t>(e - 1)][static_cast<std::size_t>(i - 1)];
      if (column == "trade") cell = (e == 2 && i == 1) ? kNa : 100 * e + 10 * i + 0.25;
      if (column == "dist") cell = 1000 * std::min(e, i) + 100 * std::max(e, i);
      if (column == "rta") cell = (e + i) % 2;
    }
  }
  return values;
}

ReadOptions Data2023() {
  ReadOptions options;
  options.columns = {"trade", "dist", "rta"};
  options.where = {{"year", "2023"}};
  return options;
}

// --data FILE --where year=2023 --y trade --x dist rta: the same three
// matrices from R's CSV, haven's .dta and .sav, pandas' .dta and pandas' CSV
// with its unnamed index column.
TEST(OthersWrite, GravityPanelReadsAlikeFromCsvStataAndSpss) {
  const std::vector<LabelledMatrix> csv = ReadLabelledMatrices(DataPath("gravity.csv"), Data2023());
  ASSERT_EQ(csv.size(), 3U);
  const std::vector<std::string> names = {"trade", "dist", "rta"};
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(csv[k].name, names[k]);
    EXPECT_TRUE(Reads(csv[k], kIds, Gravity2023(names[k]))) << names[k];
  }
  for (const char* name :
       {"gravity.dta", "gravity.sav", "gravity_pandas.dta", "gravity_pandas_index.csv"}) {
    const std::vector<LabelledMatrix> other = ReadLabelledMatrices(DataPath(name), Data2023());
    ASSERT_EQ(other.size(), 3U) << name;
    for (std::size_t k = 0; k < 3; ++k) {
      EXPECT_EQ(other[k].name, names[k]) << name;
      EXPECT_TRUE(Same(other[k], csv[k])) << name << " " << names[k];
    }
  }
}

// FILE:COLUMN with a row filter reads the same matrix as --data.
TEST(OthersWrite, GravityColumnBySpecEqualsData) {
  const MatrixSpec spec = SplitMatrixSpec(DataPath("gravity.csv") + ":trade");
  EXPECT_EQ(spec.path, DataPath("gravity.csv"));
  EXPECT_EQ(spec.column, "trade");
  EXPECT_EQ(SplitMatrixSpec(DataPath("gravity.csv")).column, std::nullopt);
  ReadOptions where;
  where.where = {{"year", "2023"}};
  for (const char* name : {"gravity.csv", "gravity.dta", "gravity.sav"}) {
    const LabelledMatrix m = ReadLabelledMatrix(DataPath(name) + ":trade", where);
    EXPECT_EQ(m.name, "trade");
    EXPECT_TRUE(Reads(m, kIds, Gravity2023("trade"))) << name;
  }
  // 2022 has every pair and no NA.
  where.where = {{"year", "2022.0"}};  // numbers compare as numbers
  const LabelledMatrix m = ReadLabelledMatrix(DataPath("gravity.dta") + ":trade", where);
  EXPECT_EQ(m.values(2, 3), 340.0);
  EXPECT_EQ(m.values(1, 0), 210.0);
}

TEST(OthersWrite, GravityPanelWithoutARowFilterIsRefusedNamingThePair) {
  ReadOptions all = Data2023();
  all.where.clear();
  for (const char* name : {"gravity.csv", "gravity.dta", "gravity.sav"}) {
    EXPECT_TRUE(
        testing::ThrowsWithMessage<InputError>([&] { ReadLabelledMatrices(DataPath(name), all); },
                                               "duplicate pair \"CHN\" -> \"DEU\": two rows"))
        << name;
    EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
        [&] { ReadLabelledMatrices(DataPath(name), all); }, "needs a row filter such as year=2023"))
        << name;
  }
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { ReadLabelledMatrices(DataPath("gravity.csv"), all); }, "(lines 2 and 14)"));
}

TEST(OthersWrite, ARowFilterThatKeepsNothingListsTheValues) {
  ReadOptions options = Data2023();
  options.where = {{"year", "2030"}};
  for (const char* name : {"gravity.csv", "gravity.dta", "gravity.sav"}) {
    EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
        [&] { ReadLabelledMatrices(DataPath(name), options); },
        "no row of 23 matches the row filter (\"year\" holds \"2022\", \"2023\")"))
        << name;
  }
}

TEST(OthersWrite, AColumnTheTableDoesNotHaveIsRefusedListingItsColumns) {
  for (const char* name : {"gravity.csv", "gravity.dta", "gravity.sav"}) {
    EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
        [&] { ReadLabelledMatrix(DataPath(name) + ":tarde", {}); },
        "no column \"tarde\"; the columns are \"exporter\", \"importer\", \"year\", \"trade\", "
        "\"dist\", \"rta\""))
        << name;
  }
}

}  // namespace
}  // namespace qap
