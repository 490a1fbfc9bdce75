// Readers under hostile input (issue 11, classes 2-5 and 10): the shared
// header + rows mechanism, layout detection that never depends on node
// labels, duplicates in DL and Pajek, whole-field numbers and years, range
// checks on attribute files, and reads bounded against endless inputs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/permutation.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/interchange.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/io/permutation_file.hpp"
#include "qap/study/study.hpp"
#include "qap/trade/attributes.hpp"
#include "qap/trade/country_table.hpp"
#include "qap/trade/trade_data.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

namespace fs = std::filesystem;

const CountryTable& Countries() {
  static const CountryTable table = CountryTable::Load(testing::SourcePath("tests/data/reference"));
  return table;
}

// A scratch folder per test, removed afterwards.
class ScratchFolder {
 public:
  ScratchFolder() {
    path_ = fs::temp_directory_path() /
            ("qap_readers_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  std::string Write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ErrorOf(const std::function<void()>& read) {
  try {
    read();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---------------------------------------------------------------------------
// The mechanism, once: RefuseFieldCount and RefuseDuplicateHeaderNames.

TEST(TabularRows, FieldCountNamesFileLineColumnAndTheExtraOrMissingField) {
  const auto records = detail::TokenizeCsv("a,b,c\n1,2,3\n1,2,3,4\n1,2\n", ',', "f.csv");
  EXPECT_NO_THROW(detail::RefuseFieldCount(records[0], records[1], "f.csv"));
  try {
    detail::RefuseFieldCount(records[0], records[2], "f.csv");
    FAIL() << "an extra field was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.position().line, 3U);
    EXPECT_EQ(e.position().column, 7U);  // where "4" starts
    EXPECT_EQ(e.position().field, 4U);
    EXPECT_TRUE(Contains(e.what(), "the first extra field is \"4\"")) << e.what();
  }
  try {
    detail::RefuseFieldCount(records[0], records[3], "f.csv");
    FAIL() << "a missing field was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.position().line, 4U);
    EXPECT_EQ(e.position().field, 3U);
    EXPECT_TRUE(Contains(e.what(), "row has 2 fields, expected 3")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "column 3 (\"c\") is missing")) << e.what();
  }
}

TEST(TabularRows, DuplicateHeaderNamesAreRefusedIgnoringCaseAndBlanksButNotEmptyNames) {
  const auto ok = detail::TokenizeCsv(",a,,b,\n", ',', "f.csv");
  EXPECT_NO_THROW(detail::RefuseDuplicateHeaderNames(ok[0], "f.csv"));
  const auto twice = detail::TokenizeCsv("year,value, Value \n", ',', "f.csv");
  try {
    detail::RefuseDuplicateHeaderNames(twice[0], "f.csv");
    FAIL() << "a duplicate header name was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.position().line, 1U);
    EXPECT_EQ(e.position().field, 3U);
    EXPECT_TRUE(Contains(e.what(), "two columns are named \"Value\" (columns 2 and 3)"))
        << e.what();
  }
  EXPECT_NO_THROW(
      detail::RefuseDuplicateHeaderNames(twice[0], "f.csv", /*case_insensitive=*/false));
}

// Every header + rows reader refuses a row with one field more (an unquoted
// comma) and a header naming a column twice, at the right line.
struct TabularReader {
  const char* name;
  std::string header;      // without a line end
  std::string row;         // a valid data row, without a line end
  std::string second_row;  // another valid data row
  std::string duplicate;   // a header naming a column twice (rows then get one field more)
  std::function<void(const std::string& text, const ScratchFolder& folder)> read;
};

class EveryTabularReader : public ::testing::TestWithParam<int> {};

std::vector<TabularReader> Readers() {
  ReadOptions edges;
  edges.format = InputFormat::kEdgeList;
  return {
      {"edge list", "source,target,value", "AAA,BBB,1", "BBB,AAA,2", "source,target,value,Value",
       [edges](const std::string& text, const ScratchFolder&) {
         ParseLabelledMatrix(text, "t.csv", edges);
       }},
      {"long trade file", "exporter,importer,hs,year,value", "AAA,BBB,850511,2023,5",
       "BBB,AAA,850511,2023,6", "exporter,importer,hs,year,value,Year",
       [](const std::string& text, const ScratchFolder&) {
         ParseTradeRecords(text, "t.csv", Countries(), {});
       }},
      {"World Bank API CSV", "Country Name,Country Code,Indicator Name,Indicator Code,2022,2023",
       "Beta,BBB,GDP per capita (current US$),NY.GDP.PCAP.CD,1,2",
       "Gamma,CCC,GDP per capita (current US$),NY.GDP.PCAP.CD,3,4",
       "Country Name,Country Code,Indicator Name,Indicator Code,2022,2023,2023",
       [](const std::string& text, const ScratchFolder&) {
         ParseWdiIndicator(text, "t.csv", "NY.GDP.PCAP.CD", Countries());
       }},
      {"long attribute file", "iso3,year,value", "BBB,2023,1", "CCC,2023,2",
       "iso3,year,value,VALUE",
       [](const std::string& text, const ScratchFolder& folder) {
         ReadLongAttribute(folder.Write("t.csv", text), "x", Countries());
       }},
  };
}

TEST_P(EveryTabularReader, RefusesAnExtraFieldAndADuplicateHeaderName) {
  const TabularReader reader = Readers()[static_cast<std::size_t>(GetParam())];
  SCOPED_TRACE(reader.name);
  ScratchFolder folder;
  const std::string valid = reader.header + "\n" + reader.row + "\n" + reader.second_row + "\n";
  EXPECT_EQ(ErrorOf([&] { reader.read(valid, folder); }), "no error");

  const std::string ragged = reader.header + "\n" + reader.row + "\n" + reader.second_row + ",x\n";
  const std::string extra = ErrorOf([&] { reader.read(ragged, folder); });
  EXPECT_TRUE(Contains(extra, "t.csv:3:")) << extra;
  EXPECT_TRUE(Contains(extra, "the first extra field is \"x\"")) << extra;

  const std::string short_row = reader.row.substr(0, reader.row.rfind(','));
  const std::string missing = ErrorOf(
      [&] { reader.read(reader.header + "\n" + reader.row + "\n" + short_row + "\n", folder); });
  EXPECT_TRUE(Contains(missing, "t.csv:3:")) << missing;
  EXPECT_TRUE(Contains(missing, "is missing")) << missing;

  const std::string twice = reader.duplicate + "\n" + reader.row + ",1\n";
  const std::string duplicate = ErrorOf([&] { reader.read(twice, folder); });
  EXPECT_TRUE(Contains(duplicate, "t.csv:1:")) << duplicate;
  EXPECT_TRUE(Contains(duplicate, "two columns are named")) << duplicate;
}

INSTANTIATE_TEST_SUITE_P(Readers, EveryTabularReader, ::testing::Range(0, 4));

// ---------------------------------------------------------------------------
// Layout: never from what the node labels are.

std::string MatrixWithLabels(const std::vector<std::string>& labels) {
  std::string text;
  for (const auto& l : labels) text += "," + l;
  text += "\n";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    text += labels[i];
    for (std::size_t j = 0; j < labels.size(); ++j)
      text += "," + std::to_string(i == j ? 0 : i + j);
    text += "\n";
  }
  return text;
}

TEST(Layout, AMatrixWhoseLabelsAreRoleNamesIsRefusedUntilTheFormatIsGiven) {
  for (const auto& labels : {std::vector<std::string>{"AUS", "I", "J", "W", "ZAF"},
                             std::vector<std::string>{"from", "to", "weight", "ego", "alter"}}) {
    const std::string text = MatrixWithLabels(labels);
    const std::string error = ErrorOf([&] { ParseLabelledMatrix(text, "m.csv", {}); });
    EXPECT_TRUE(Contains(error, "reads two ways")) << error;
    EXPECT_TRUE(Contains(error, "input_format (matrix or edgelist)")) << error;
    ReadOptions matrix;
    matrix.format = InputFormat::kMatrix;
    const LabelledMatrix m = ParseLabelledMatrix(text, "m.csv", matrix);
    EXPECT_EQ(m.labels, labels);
    EXPECT_EQ(m.values(1, 2), 3.0);
  }
}

TEST(Layout, EdgeListsAndOrdinaryMatricesAreStillDetected) {
  const LabelledMatrix edges =
      ParseLabelledMatrix("from,to,weight\nCHN,USA,5\nUSA,CHN,3\n", "e.csv", {});
  EXPECT_EQ(edges.labels, (std::vector<std::string>{"CHN", "USA"}));
  // pandas' to_csv writes an unnamed index column before the edge list.
  const LabelledMatrix indexed =
      ParseLabelledMatrix(",source,target,value\n0,CHN,USA,5\n1,USA,CHN,3\n", "e.csv", {});
  EXPECT_EQ(indexed.labels, (std::vector<std::string>{"CHN", "USA"}));
  const LabelledMatrix matrix =
      ParseLabelledMatrix(MatrixWithLabels({"CHN", "DEU", "USA"}), "m.csv", {});
  EXPECT_EQ(matrix.size(), 3);
}

TEST(Layout, AnEdgeListWithAHeaderAndNoEdgesSaysSo) {
  const std::string error =
      ErrorOf([] { ParseLabelledMatrix("source,target,value\n", "e.csv", {}); });
  EXPECT_TRUE(Contains(error, "header and no edges")) << error;
}

// ---------------------------------------------------------------------------
// Duplicates in DL and Pajek: refused, naming both lines.

TEST(Duplicates, DlLabelsAndEdgesNameBothLines) {
  const std::string labels = ErrorOf([] {
    ParseUcinetDl("dl n=3 format=fullmatrix\nlabels:\nA,B\nA\ndata:\n0 1 1\n1 0 1\n1 1 0\n",
                  "d.dl");
  });
  EXPECT_TRUE(Contains(labels, "duplicate node label \"A\"")) << labels;
  EXPECT_TRUE(Contains(labels, "lines 3 and 4")) << labels;
  const std::string edges = ErrorOf([] {
    ParseUcinetDl("dl n=2 format=edgelist1\nlabels:\nA,B\ndata:\n1 2 5\n2 1 1\n1 2 7\n", "d.dl");
  });
  EXPECT_TRUE(Contains(edges, "duplicate edge \"A\" -> \"B\" (lines 5 and 7)")) << edges;
}

TEST(Duplicates, PajekVerticesLabelsArcsAndEdgesNameBothLines) {
  const std::string vertex =
      ErrorOf([] { ParsePajek("*Vertices 2\n1 \"A\"\n1 \"B\"\n*Arcs\n1 2 1\n", "p.net"); });
  EXPECT_TRUE(Contains(vertex, "vertex 1 is listed twice (lines 2 and 3)")) << vertex;
  const std::string label = ErrorOf([] { ParsePajek("*Vertices 2\n1 \"A\"\n2 \"A\"\n", "p.net"); });
  EXPECT_TRUE(Contains(label, "duplicate node label \"A\"")) << label;
  const std::string arc =
      ErrorOf([] { ParsePajek("*Vertices 2\n1 A\n2 B\n*Arcs\n1 2 1\n1 2 4\n", "p.net"); });
  EXPECT_TRUE(Contains(arc, "duplicate arc \"A\" -> \"B\" (lines 5 and 6)")) << arc;
  // An edge is both directions: a later arc for either is a duplicate.
  const std::string edge =
      ErrorOf([] { ParsePajek("*Vertices 2\n1 A\n2 B\n*Edges\n1 2 1\n*Arcs\n2 1 4\n", "p.net"); });
  EXPECT_TRUE(Contains(edge, "(lines 5 and 7)")) << edge;
  EXPECT_NO_THROW(ParsePajek("*Vertices 2\n1 A\n2 B\n*Arcs\n1 2 1\n2 1 4\n", "p.net"));
}

// ---------------------------------------------------------------------------
// Numbers and years: whole fields, range-checked.

TEST(Numbers, WholeFieldOrNothing) {
  EXPECT_EQ(ParseFiniteNumber("-1"), -1.0);
  EXPECT_EQ(ParseFiniteNumber("+1.5e3"), 1500.0);
  for (const char* bad : {"+-1", "-+1", "++1", "+", "-", "1e400", "0x10", "1,5", " 1", "1 ", "inf",
                          "nan", "1e", ""}) {
    EXPECT_FALSE(ParseFiniteNumber(bad).has_value()) << bad;
  }
}

TEST(Numbers, MatrixCellsRefuseTwoSignsHexAndOverflowButTrimBlanks) {
  auto cell = [](const std::string& value, char delimiter = ',') {
    const std::string d(1, delimiter);
    return ErrorOf([&] {
      ReadOptions options;
      options.delimiter = delimiter;
      ParseLabelledMatrix(d + "A" + d + "B\nA" + d + "0" + d + value + "\nB" + d + "1" + d + "0\n",
                          "m.csv", options);
    });
  };
  EXPECT_TRUE(Contains(cell("+-1"), "is not a number")) << cell("+-1");
  EXPECT_TRUE(Contains(cell("1e400"), "out of the range of a double")) << cell("1e400");
  EXPECT_TRUE(Contains(cell("0x10"), "is not a number")) << cell("0x10");
  EXPECT_TRUE(Contains(cell("1,5", ';'), "is not a number")) << cell("1,5", ';');
  EXPECT_EQ(cell(" 1"),
            "no error");  // blanks around a cell are trimmed, as in R's read.csv(strip.white)
  EXPECT_EQ(cell("1 "), "no error");
  EXPECT_EQ(cell("+1"), "no error");
}

TEST(Numbers, YearsAreFourDigitsInRange) {
  EXPECT_EQ(ParseYear("2023"), 2023);
  for (const char* bad :
       {"2023abc", "20231", "202303", "+2023", "202", "1899", "2101", "２０２３"}) {
    EXPECT_FALSE(ParseYear(bad).has_value()) << bad;
  }
  const std::string header = "exporter,importer,hs,year,value\n";
  for (const char* bad : {"2023abc", "20231", "202303"}) {
    const std::string error = ErrorOf([&] {
      ParseTradeRecords(header + "AAA,BBB,850511," + bad + ",5\n", "t.csv", Countries(), {});
    });
    EXPECT_TRUE(Contains(error, "t.csv:2:") && Contains(error, "is not a year"))
        << bad << ": " << error;
  }
}

TEST(AttributeRanges, WgiEstimatesDatesAndSpellsAreChecked) {
  ScratchFolder folder;
  const std::string wgi = ErrorOf([&] {
    ReadWgi(
        folder.Write("wgi.csv", "code,countryname,year,indicator,estimate\nBBB,Beta,2023,cc,99\n"),
        Countries());
  });
  EXPECT_TRUE(Contains(wgi, "wgi.csv:2:") && Contains(wgi, "99 is outside -5..5")) << wgi;
  EXPECT_NO_THROW(
      ReadWgi(folder.Write("wgi_ok.csv",
                           "code,countryname,year,indicator,estimate\nBBB,Beta,2023,cc,-2.4\n"),
              Countries()));

  const std::string header = "iso3,organisation,joined,left,source\n";
  const std::string date = ErrorOf([&] {
    MembershipTable::Read(folder.Write("m1.csv", header + "BBB,WTO,1995-13-45,,test\n"),
                          Countries());
  });
  EXPECT_TRUE(Contains(date, "\"1995-13-45\" is not a date")) << date;
  const std::string feb = ErrorOf([&] {
    MembershipTable::Read(folder.Write("m2.csv", header + "BBB,WTO,2023-02-29,,t\n"), Countries());
  });
  EXPECT_TRUE(Contains(feb, "is not a date")) << feb;
  EXPECT_NO_THROW(MembershipTable::Read(folder.Write("m3.csv", header + "BBB,WTO,2024-02-29,,t\n"),
                                        Countries()));
  const std::string backwards = ErrorOf([&] {
    MembershipTable::Read(folder.Write("m4.csv", header + "BBB,G20,2020-01-01,2019-01-01,t\n"),
                          Countries());
  });
  EXPECT_TRUE(Contains(backwards, "before it joins")) << backwards;
  const std::string twice = ErrorOf([&] {
    MembershipTable::Read(
        folder.Write("m5.csv", header + "BBB,WTO,1995-01-01,,t\nBBB,WTO,1995-01-01,,t\n"),
        Countries());
  });
  EXPECT_TRUE(Contains(twice, "lines 2 and 3")) << twice;

  const std::string long_twice = ErrorOf([&] {
    ReadLongAttribute(
        folder.Write("l.csv", "iso3,year,value\nBBB,2023,1\nCCC,2023,2\nBBB,2023,3\n"), "x",
        Countries());
  });
  EXPECT_TRUE(Contains(long_twice, "economy BBB, year 2023 is given twice, on lines 2 and 4"))
      << long_twice;
  const std::string long_year = ErrorOf([&] {
    ReadLongAttribute(folder.Write("l2.csv", "iso3,year,value\nBBB,2023abc,1\n"), "x", Countries());
  });
  EXPECT_TRUE(Contains(long_year, "\"2023abc\" is not a year")) << long_year;

  const std::string advanced = ErrorOf([&] {
    AdvancedEconomies::Read(folder.Write("a.csv", "iso3,from_year,to_year\nBBB,1997,\nBBB,2001,\n"),
                            Countries());
  });
  EXPECT_TRUE(Contains(advanced, "BBB is listed twice, on lines 2 and 3")) << advanced;
  const std::string reversed = ErrorOf([&] {
    AdvancedEconomies::Read(folder.Write("a2.csv", "iso3,from_year,to_year\nBBB,2001,1999\n"),
                            Countries());
  });
  EXPECT_TRUE(Contains(reversed, "before from_year")) << reversed;
}

// ---------------------------------------------------------------------------
// Bounded reads.

template <typename F>
void ExpectRefusedQuickly(F read, const std::string& expected) {
  const auto start = std::chrono::steady_clock::now();
  const std::string error = ErrorOf(read);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(Contains(error, expected)) << error;
  EXPECT_LT(seconds, 3.0) << error;
}

TEST(BoundedReads, EndlessDevicesAreRefusedNotReadUntilMemoryRunsOut) {
  for (const char* device : {"/dev/zero", "/dev/urandom"}) {
    if (!fs::exists(device)) GTEST_SKIP() << device << " is missing here";
    SCOPED_TRACE(device);
    ExpectRefusedQuickly([&] { detail::ReadWholeFile(device); },
                         "is not a regular file and its first bytes are binary");
    ExpectRefusedQuickly([&] { ReadLabelledMatrix(device, {}); }, "its first bytes are binary");
    ExpectRefusedQuickly([&] { ReadPermutationFile(device, 5); }, device);
  }
  ExpectRefusedQuickly([] { ReadPermutationFile("/dev/zero", 5); },
                       "longer than a permutation of 5 nodes can be");
}

// A text stream that never ends (here: a pipe fed more than the limit) is
// refused at the limit, not read until memory runs out.
TEST(BoundedReads, AnEndlessTextStreamIsRefusedAtTheLimit) {
  FILE* pipe = ::popen("yes A,B,C 2>/dev/null", "r");
  ASSERT_NE(pipe, nullptr);
  const std::string path = "/dev/fd/" + std::to_string(::fileno(pipe));
  ExpectRefusedQuickly([&] { detail::ReadWholeFile(path, 1U << 20U); },
                       "is not a regular file and did not end within 1 MiB");
  ::pclose(pipe);
}

TEST(BoundedReads, ARegularFileLargerThanItsKindCanBeIsRefusedBeforeReading) {
  ScratchFolder folder;
  const std::string path = folder.Write("big.csv", std::string(10000, 'x'));
  EXPECT_TRUE(
      Contains(ErrorOf([&] { detail::ReadWholeFile(path, 1000); }), "is 10000 bytes, more than"));
  EXPECT_EQ(detail::ReadWholeFile(path, 10000).size(), 10000U);
}

// Each kind of file has its own bound: a manifest or a table of economies
// the size of a trade file is refused by its size, before it is read.
TEST(BoundedReads, ManifestsAndTablesOfEconomiesHaveTheirOwnSmallerBounds) {
  ScratchFolder folder;
  const std::string manifest =
      folder.Write("study.toml", "# " + std::string((16U << 20U) + 1, 'x') + "\n");
  EXPECT_TRUE(Contains(ErrorOf([&] { ReadStudyManifest(manifest); }), "can hold (16 MiB)"));
  folder.Write("countries.csv", std::string((64U << 20U) + 1, 'x'));
  EXPECT_TRUE(
      Contains(ErrorOf([&] { CountryTable::Load(folder.path().string()); }), "can hold (64 MiB)"));
}

TEST(BoundedReads, PermutationFilesStreamAndStillReadCommentsAndCrlf) {
  ScratchFolder folder;
  const std::string path = folder.Write(
      "p.txt", "# qap permutations\r\n# node order: 1=A;2=B;3=C\r\n2 1 3\r\n\r\n3,2,1");
  const auto read = ReadPermutationFile(path, 3);
  ASSERT_EQ(read.size(), 2U);
  EXPECT_EQ(read[1], (Permutation{2, 1, 0}));
  const std::string wide = folder.Write("wide.txt", "1 2 3" + std::string(5000, ' ') + "\n");
  EXPECT_TRUE(Contains(ErrorOf([&] { ReadPermutationFile(wide, 3); }), "wide.txt:1:"));
}

TEST(BoundedReads, ASymlinkLoopIsReportedAsSuchNotAsAMissingFile) {
  ScratchFolder folder;
  const fs::path a = folder.path() / "a.csv";
  const fs::path b = folder.path() / "b.csv";
  fs::create_symlink(b, a);
  fs::create_symlink(a, b);
  const std::string error = ErrorOf([&] { detail::ReadWholeFile(a.string()); });
  EXPECT_TRUE(Contains(error, "too many levels of symbolic links")) << error;
  EXPECT_FALSE(Contains(error, "no such file")) << error;
  const std::string permutations = ErrorOf([&] { ReadPermutationFile(a.string(), 3); });
  EXPECT_TRUE(Contains(permutations, "too many levels of symbolic links")) << permutations;
  const fs::path dangling = folder.path() / "dangling.csv";
  fs::create_symlink(folder.path() / "nowhere.csv", dangling);
  EXPECT_TRUE(Contains(ErrorOf([&] { detail::ReadWholeFile(dangling.string()); }),
                       "symbolic link to a file that does not exist"));
}

}  // namespace
}  // namespace qap
