// Stata, SPSS and SAS files through ReadStat (issue 13): the files in
// tests/data/statistical/ (written by haven and pandas, make_files.R and
// make_files.py beside them) read as the records the CSV tokenizer gives, and
// each refusal of a file that is not what its extension says.
#include "qap/io/statistical_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

std::string DataPath(const std::string& name) {
  return testing::SourcePath("tests/data/statistical/" + name);
}

std::vector<std::string> Texts(const detail::CsvRecord& record) {
  std::vector<std::string> texts;
  for (const auto& field : record.fields) texts.push_back(field.text);
  return texts;
}

using Rows = std::vector<std::vector<std::string>>;

Rows AllRows(const StatisticalTable& table) {
  Rows rows;
  for (const auto& row : table.rows) rows.push_back(Texts(row));
  return rows;
}

const std::string kCote = "C\xC3\xB4te d'Ivoire";  // UTF-8, whatever the file stored

// A scratch file removed at the end of the test.
class ScratchFile {
 public:
  ScratchFile(const std::string& name, const std::string& bytes)
      : path_((std::filesystem::temp_directory_path() /
               ("qap_statistical_" + std::to_string(::getpid()) + "_" + name))
                  .string()) {
    std::ofstream out(path_, std::ios::binary);
    out << bytes;
  }
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(StatisticalFile, KnowsTheFourExtensionsInAnyCase) {
  EXPECT_EQ(StatisticalKindOf("panel.dta"), StatisticalKind::kStata);
  EXPECT_EQ(StatisticalKindOf("dir.x/PANEL.DTA"), StatisticalKind::kStata);
  EXPECT_EQ(StatisticalKindOf("panel.sav"), StatisticalKind::kSpss);
  EXPECT_EQ(StatisticalKindOf("panel.ZSav"), StatisticalKind::kSpss);
  EXPECT_EQ(StatisticalKindOf("panel.sas7bdat"), StatisticalKind::kSas);
  EXPECT_EQ(StatisticalKindOf("panel.SAS7BDAT"), StatisticalKind::kSas);
  EXPECT_TRUE(IsStatisticalFile("a.Dta"));
  EXPECT_FALSE(IsStatisticalFile("panel.csv"));
  EXPECT_FALSE(IsStatisticalFile("panel.dta.gz"));
  EXPECT_FALSE(IsStatisticalFile("dta"));
  EXPECT_FALSE(IsStatisticalFile(".dta"));  // a hidden file named "dta", not an extension
  EXPECT_FALSE(IsStatisticalFile("panel.xpt"));
  EXPECT_FALSE(IsStatisticalFile("panel.sas7bcat"));
}

// haven's files: the same gravity panel in every format (make_files.R). The
// differences are the formats' own: Stata keeps -99 in n (Stata has no
// user-defined missing values) and has .a in flow; SPSS has -99 declared
// user-missing in n; SAS (haven's write_sas) has no value labels, so no rta.
struct HavenCase {
  const char* file;
  const char* format;
  Rows rows;
};

const std::vector<std::string> kHavenHeader = {"exporter", "importer", "name",  "exp_id", "imp_id",
                                               "year",     "flow",     "share", "n",      "rta"};

std::vector<HavenCase> HavenCases() {
  const Rows stata = {
      {"CHN", "USA", "China", "156", "840", "2022", "1234.5", "0.25", "3", "1"},
      {"CHN", "DEU", "China", "156", "276", "2023", "0.30000000000000004", "0.5", "-99", "0"},
      {"USA", "CHN", "United States", "840", "156", "2023", "3", "", "7", "1"},
      {"CIV", "CHN", kCote, "384", "156", "2023", "", "1", "", "0"},
      {"DEU", "", "Germany", "276", "", "2023", "", "0", "0", ""}};  // flow: .a
  Rows spss = stata;
  spss[1][8] = "";           // -99 is user-missing
  spss[4][6] = "-2.5e-300";  // no extended missing written in SPSS
  Rows sas = spss;
  sas[1][8] = "-99";  // SAS has no user-defined missing values
  for (auto& row : sas) row.pop_back();
  return {{"gravity_118.dta", "Stata .dta (format 118)", stata},
          {"gravity_119.dta", "Stata .dta (format 119)", stata},
          {"gravity.sav", "SPSS .sav", spss},
          {"gravity.zsav", "SPSS .zsav", spss},
          {"gravity.sas7bdat", "SAS .sas7bdat", sas}};
}

TEST(StatisticalFile, ReadsHavensFilesInEveryFormat) {
  for (const HavenCase& c : HavenCases()) {
    SCOPED_TRACE(c.file);
    const StatisticalTable table = ReadStatisticalFile(DataPath(c.file));
    EXPECT_EQ(table.format, c.format);
    std::vector<std::string> header = kHavenHeader;
    if (c.rows.front().size() < header.size()) header.pop_back();
    EXPECT_EQ(Texts(table.header), header);
    EXPECT_EQ(AllRows(table), c.rows);
  }
}

// pandas: Stata's storage types (byte, int, long, float, double), a
// categorical as a value-labelled byte, a %td date, and the old format 114
// whose strings are Latin-1 in the file (make_files.py).
TEST(StatisticalFile, ReadsPandasFilesOfFormats114And118) {
  const Rows expected = {
      {"CHN", "USA", "China", "156", "840", "2022", "1234.5", "0.25", "1", "1", "23011"},
      {"CHN", "DEU", "China", "156", "276", "2023", "0.30000000000000004", "0.1", "-1", "0",
       "23011"},
      {"USA", "CHN", "United States", "840", "156", "2023", "3", "", "0", "1", "23011"},
      {"CIV", "CHN", kCote, "384", "156", "2023", "", "1", "100", "0", "23011"},
      {"DEU", "", "Germany", "276", "0", "2023", "-2.5e-300", "0", "-100", "0", "1"}};
  const std::vector<std::string> header = {"exporter", "importer", "name", "exp_id",
                                           "imp_id",   "year",     "flow", "share",
                                           "small",    "rta",      "date"};
  for (const int version : {114, 118}) {
    SCOPED_TRACE(version);
    const StatisticalTable table =
        ReadStatisticalFile(DataPath("pandas_" + std::to_string(version) + ".dta"));
    EXPECT_EQ(table.format, "Stata .dta (format " + std::to_string(version) + ")");
    EXPECT_EQ(Texts(table.header), header);
    // share is a 4-byte float: 0.1 prints as the float it is, not as its
    // widening to double (0.10000000149011612).
    EXPECT_EQ(AllRows(table), expected);
  }
}

TEST(StatisticalFile, PositionsAreObservationAndVariableNumbers) {
  const StatisticalTable table = ReadStatisticalFile(DataPath("gravity_118.dta"));
  EXPECT_EQ(table.header.line, 0U);
  for (std::size_t v = 0; v < table.header.fields.size(); ++v) {
    EXPECT_EQ(table.header.fields[v].line, 0U);
    EXPECT_EQ(table.header.fields[v].column, v + 1);
  }
  ASSERT_EQ(table.rows.size(), 5U);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    EXPECT_EQ(table.rows[r].line, r + 1);
    ASSERT_EQ(table.rows[r].fields.size(), table.header.fields.size());
    for (std::size_t v = 0; v < table.rows[r].fields.size(); ++v) {
      EXPECT_EQ(table.rows[r].fields[v].line, r + 1);
      EXPECT_EQ(table.rows[r].fields[v].column, v + 1);
      EXPECT_FALSE(table.rows[r].fields[v].quoted);
    }
  }
}

TEST(StatisticalFile, ParsesBytesLikeTheFile) {
  const std::string bytes = detail::ReadWholeFile(DataPath("gravity.zsav"));
  const StatisticalTable from_bytes =
      ParseStatisticalBytes(bytes, "memory.zsav", StatisticalKind::kSpss);
  const StatisticalTable from_file = ReadStatisticalFile(DataPath("gravity.zsav"));
  EXPECT_EQ(from_bytes.format, from_file.format);
  EXPECT_EQ(AllRows(from_bytes), AllRows(from_file));
}

TEST(StatisticalFile, RefusesACsvRenamedDta) {
  const ScratchFile csv("renamed.dta", "exporter,importer,value\nCHN,USA,1\n");
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { ReadStatisticalFile(csv.path()); },
      csv.path() + ": is not a Stata .dta file: it does not start the way one does"));
  for (const auto kind : {StatisticalKind::kSpss, StatisticalKind::kSas}) {
    EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
        [&] { ParseStatisticalBytes("exporter,importer\n", "x", kind); }, "x: is not a"));
  }
  // An SPSS file named .dta is not a Stata file either.
  const ScratchFile sav("spss.dta", detail::ReadWholeFile(DataPath("gravity.sav")));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>([&] { ReadStatisticalFile(sav.path()); },
                                                     "is not a Stata .dta file"));
}

TEST(StatisticalFile, RefusesATruncatedDtaWithReadStatsMessage) {
  const std::string bytes = detail::ReadWholeFile(DataPath("gravity_118.dta"));
  const ScratchFile truncated("truncated.dta", bytes.substr(0, bytes.size() / 2));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { ReadStatisticalFile(truncated.path()); },
      truncated.path() +
          ": cannot be read as a Stata .dta file: ReadStat: Unable to read from file; the file "
          "ends before its contents do (truncated?)"));
}

// Every prefix of every file (and the empty file) is either refused with an
// InputError or read; never a crash, never another exception. Under ASan this
// also checks the in-memory I/O handlers' bounds.
TEST(StatisticalFile, EveryPrefixOfEveryFileFailsCleanly) {
  const std::vector<std::pair<std::string, StatisticalKind>> files = {
      {"gravity_118.dta", StatisticalKind::kStata},
      {"pandas_114.dta", StatisticalKind::kStata},
      {"gravity.sav", StatisticalKind::kSpss},
      {"gravity.zsav", StatisticalKind::kSpss},
      {"gravity.sas7bdat", StatisticalKind::kSas}};
  for (const auto& [name, kind] : files) {
    SCOPED_TRACE(name);
    const std::string bytes = detail::ReadWholeFile(DataPath(name));
    std::size_t refused = 0;
    const std::size_t step = bytes.size() > 4096 ? 7 : 1;
    for (std::size_t size = 0; size < bytes.size(); size += step) {
      try {
        ParseStatisticalBytes(std::string_view(bytes).substr(0, size), name, kind);
      } catch (const InputError& e) {
        ++refused;
        EXPECT_EQ(std::string(e.what()).rfind(name + ": ", 0), 0U) << e.what();
      }
    }
    // Only a prefix that cuts trailing padding could read whole; almost every one is refused.
    EXPECT_GT(refused, bytes.size() / step / 2);
  }
}

// A header claiming more cells than kMaxStatisticalCells is refused before
// any observation is read: format 114 keeps the observation count in bytes
// 6-9 (here little-endian), after the variable count.
TEST(StatisticalFile, RefusesAHeaderClaimingTooManyCells) {
  std::string bytes = detail::ReadWholeFile(DataPath("pandas_114.dta"));
  ASSERT_EQ(bytes[1], '\x02');  // LSF
  for (std::size_t i = 0; i < 4; ++i)
    bytes[6 + i] = i < 3 ? '\xff' : '\x7f';  // 2^31 - 1 observations
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { ParseStatisticalBytes(bytes, "big.dta", StatisticalKind::kStata); },
      "big.dta: has 2147483647 observations of 11 variables, more than 2147483648 cells"));
}

TEST(StatisticalFile, RefusesAFileLargerThanTheLimitBeforeReadingIt) {
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { ReadStatisticalFile(DataPath("gravity.sav"), 1000); },
      "bytes, more than a valid file of this kind can hold"));
}

TEST(StatisticalFile, RefusesOtherExtensionsAndMissingFiles) {
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { ReadStatisticalFile(DataPath("make_files.R")); },
      "is not a Stata, SPSS or SAS data file (expected .dta, .sav, .zsav or .sas7bdat)"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { ReadStatisticalFile(DataPath("no_such_file.dta")); }, "no_such_file.dta"));
}

}  // namespace
}  // namespace qap
