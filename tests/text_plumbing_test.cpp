// Unit tests of the shared text helpers: trimming and case folding
// (qap/core/text.hpp), the CSV header lookup every tabular reader uses
// (CsvTable) and the Markdown table writer (qap/render/markdown.hpp).
#include <gtest/gtest.h>

#include <string>

#include "qap/core/errors.hpp"
#include "qap/core/text.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/render/markdown.hpp"

namespace qap {
namespace {

TEST(Text, TrimRemovesOnlySpacesAndTabsAtBothEnds) {
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim("\t \t"), "");
  EXPECT_EQ(Trim("abc"), "abc");
  EXPECT_EQ(Trim(" \tabc\t "), "abc");
  EXPECT_EQ(Trim("a b"), "a b");  // inner blanks are data
  EXPECT_EQ(Trim("  a b  "), "a b");
  // Line breaks and other white space are not blanks here: a reader reports
  // them rather than dropping them.
  EXPECT_EQ(Trim("\nabc\r"), "\nabc\r");
  EXPECT_EQ(Trim("\xC2\xA0x"), "\xC2\xA0x");  // non-breaking space
}

TEST(Text, LowerFoldsAsciiLettersOnly) {
  EXPECT_EQ(Lower(""), "");
  EXPECT_EQ(Lower("Country Code"), "country code");
  EXPECT_EQ(Lower("VA.EST"), "va.est");
  EXPECT_EQ(Lower("abc-123_[]"), "abc-123_[]");
  // UTF-8 bytes pass through untouched ("Ä" stays, "É" too).
  EXPECT_EQ(Lower("\xC3\x84X\xC3\x89"), "\xC3\x84x\xC3\x89");
  EXPECT_EQ(Lower(Trim("  MiXeD\t")), "mixed");
}

detail::CsvRecord Header(const std::string& text) {
  const auto records = detail::TokenizeCsv(text, ',', "t.csv");
  return records.front();
}

TEST(CsvTable, FindsColumnsByTrimmedName) {
  const detail::CsvTable table(Header(" code ,Year,,value\n"), "t.csv");
  EXPECT_EQ(table.RequireColumn("code"), 0U);
  EXPECT_EQ(table.RequireColumn("Year"), 1U);
  EXPECT_EQ(table.RequireColumn("value"), 3U);
  EXPECT_FALSE(table.FindColumn("year").has_value());  // case matters unless asked
  EXPECT_FALSE(table.FindColumn("").has_value());      // unnamed columns are not listed
  EXPECT_EQ(table.columns().size(), 3U);
}

TEST(CsvTable, FoldsCaseWhenAsked) {
  const detail::CsvTable table(Header("Code,YEAR,Estimate\n"), "t.csv", true);
  EXPECT_EQ(table.RequireColumn("code"), 0U);
  EXPECT_EQ(table.RequireColumn("year"), 1U);
  EXPECT_EQ(table.FindColumn("estimate"), 2U);
}

TEST(CsvTable, MissingColumnNamesFileLineAndColumn) {
  const auto records = detail::TokenizeCsv("# note\n\ncode,year\n", ',', "dir/t.csv");
  const detail::CsvTable table(records.back(), "dir/t.csv");
  try {
    (void)table.RequireColumn("estimate");
    FAIL() << "no InputError thrown";
  } catch (const InputError& e) {
    EXPECT_EQ(e.position().file, "dir/t.csv");
    EXPECT_EQ(e.position().line, records.back().line);
    EXPECT_EQ(e.position().column, 1U);
    const std::string message = e.what();
    EXPECT_NE(message.find("dir/t.csv:" + std::to_string(records.back().line) + ":1"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("missing column \"estimate\""), std::string::npos) << message;
  }
}

TEST(CsvTable, RefusesColumnsNamedTwiceIgnoringCase) {
  EXPECT_THROW(detail::CsvTable(Header("code,Code\n"), "t.csv"), InputError);
  EXPECT_THROW(detail::CsvTable(Header("code, code\n"), "t.csv", true), InputError);
}

TEST(Markdown, EscapesCellBordersAndEmphasis) {
  EXPECT_EQ(MarkdownEscape("a|b"), "a\\|b");
  EXPECT_EQ(MarkdownEscape("0.123***"), "0.123\\*\\*\\*");
  EXPECT_EQ(MarkdownEscape("log_gdp"), "log\\_gdp");
  EXPECT_EQ(MarkdownEscape("plain"), "plain");
  EXPECT_EQ(MarkdownEscape(""), "");
}

TEST(Markdown, TableAlignsLabelsLeftAndNumbersRight) {
  EXPECT_EQ(MarkdownTable({{"variable", "b"}, {"x|y", "1.5*"}}),
            "| variable | b |\n|---|---:|\n| x\\|y | 1.5\\* |\n");
  EXPECT_EQ(MarkdownTable({}), "");
}

}  // namespace
}  // namespace qap
