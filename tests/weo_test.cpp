// The IMF WEO database reader (qap/weo.hpp) on excerpts of the file as the IMF
// ships it (tests/data/publishers/make_weo.py), and the --gdp-fill dispatcher.
#include "qap/trade/weo.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/text_encoding.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

const CountryTable& Countries() {
  static const CountryTable table = CountryTable::Load(testing::SourcePath("fixtures/reference"));
  return table;
}

std::string Publisher(const std::string& name) {
  return testing::SourcePath("tests/data/publishers/" + name);
}

const std::string kApr2024 = "weo_apr2024_excerpt_utf16le.xls";
const std::string kOct2023 = "weo_oct2023_excerpt_latin1.xls";

// A WEO file cut to the columns the reader needs; lines are numbered from the header (1).
std::string WeoText(const std::string& rows) {
  return "WEO Country Code\tISO\tWEO Subject Code\tCountry\tUnits\tScale\t2022\t2023\tEstimates "
         "Start After\r\n" +
         rows;
}

std::string Row(const std::string& weo, const std::string& iso, const std::string& subject,
                const std::string& name, const std::string& v2022, const std::string& v2023) {
  return weo + "\t" + iso + "\t" + subject + "\t" + name + "\tU.S. dollars\tUnits\t" + v2022 +
         "\t" + v2023 + "\t2022\r\n";
}

// The InputError ParseWeo throws on `text`, or a failure.
InputError WeoError(const std::string& text) {
  try {
    (void)ParseWeo(text, "weo.xls", "NGDPDPC", Countries(), nullptr);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError for:\n" << text;
  return InputError({}, "none");
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Weo, Utf16FileReadsGdpPerCapitaWithoutThousandsSeparators) {
  AttributeReadReport report;
  const AttributeTable gdp = ReadWeo(Publisher(kApr2024), "NGDPDPC", Countries(), &report);
  EXPECT_EQ(report.encoding, "UTF-16LE");
  EXPECT_EQ(report.layout, "IMF WEO database (by countries)");
  EXPECT_EQ(report.rows_read, 6U);
  EXPECT_TRUE(report.unresolved.empty());
  EXPECT_TRUE(report.aggregates.empty());
  EXPECT_EQ(gdp.name, "NGDPDPC");
  EXPECT_DOUBLE_EQ(*gdp.Get("CHN", 2023), 12614.06);  // "12,614.060"
  EXPECT_DOUBLE_EQ(*gdp.Get("DEU", 2023), 52727.006);
  EXPECT_DOUBLE_EQ(*gdp.Get("TWN", 2023), 32339.322);  // "Taiwan Province of China"
  EXPECT_DOUBLE_EQ(*gdp.Get("USA", 2023), 80412.41);
  // WEO's own codes UVK and WBG: Kosovo and West Bank and Gaza still land on their ISO codes.
  EXPECT_DOUBLE_EQ(*gdp.Get("XKX", 2023), 5943.051);
  EXPECT_DOUBLE_EQ(*gdp.Get("PSE", 2023), 3291.674);
  for (const auto& [code, iso3] : report.resolved_by_name) {
    EXPECT_TRUE((code == "UVK" && iso3 == "XKX") || (code == "WBG" && iso3 == "PSE"))
        << code << " -> " << iso3;
  }
  EXPECT_EQ(gdp.values.size(), 6U);
}

TEST(Weo, MissingValuesAreAbsentAndOnlyYearColumnsAreRead) {
  const AttributeTable gdp = ReadWeo(Publisher(kApr2024), "NGDPDPC", Countries());
  EXPECT_FALSE(gdp.Get("TWN", 1990).has_value());  // "--"
  EXPECT_TRUE(gdp.Get("TWN", 1989).has_value());
  EXPECT_FALSE(gdp.Get("XKX", 1999).has_value());  // "n/a"
  EXPECT_TRUE(gdp.Get("XKX", 2000).has_value());
  EXPECT_FALSE(gdp.Get("DEU", 2029).has_value());  // empty
  EXPECT_TRUE(gdp.Get("DEU", 2028).has_value());
  // 1980-2029, and nothing from "Estimates Start After" (which holds 2022 or 2023).
  EXPECT_EQ(gdp.values.at("USA").size(), 50U);
  EXPECT_EQ(gdp.values.at("USA").begin()->first, 1980);
  EXPECT_EQ(gdp.values.at("USA").rbegin()->first, 2029);
}

TEST(Weo, OtherSubjectsAreIgnoredAndCanBeAskedFor) {
  const AttributeTable per_capita = ReadWeo(Publisher(kApr2024), "NGDPDPC", Countries());
  const AttributeTable total = ReadWeo(Publisher(kApr2024), "NGDPD", Countries());
  const AttributeTable ppp = ReadWeo(Publisher(kApr2024), "PPPPC", Countries());
  EXPECT_DOUBLE_EQ(*per_capita.Get("USA", 2023), 80412.41);
  EXPECT_DOUBLE_EQ(*total.Get("USA", 2023), 27357.825);  // billions, as printed
  EXPECT_DOUBLE_EQ(*ppp.Get("USA", 2023), 85372.614);
  EXPECT_DOUBLE_EQ(*total.Get("CHN", 2023), 17700.899);
}

TEST(Weo, Latin1FileDecodesNames) {
  AttributeReadReport report;
  const AttributeTable gdp = ReadWeo(Publisher(kOct2023), "NGDPDPC", Countries(), &report);
  EXPECT_EQ(report.encoding, "Windows-1252");
  EXPECT_TRUE(report.unresolved.empty());
  EXPECT_DOUBLE_EQ(*gdp.Get("CIV", 2023), 2646.206);
  EXPECT_DOUBLE_EQ(*gdp.Get("STP", 2023), 2793.456);
  EXPECT_DOUBLE_EQ(*gdp.Get("TUR", 2023), 13383.0);
  EXPECT_EQ(gdp.values.at("CIV").rbegin()->first, 2028);  // the October 2023 file ends in 2028
  EXPECT_DOUBLE_EQ(*ReadWeo(Publisher(kOct2023), "NGDPD", Countries()).Get("STP", 2023), 0.667);
  const auto decoded = detail::DecodeText(detail::ReadWholeFile(Publisher(kOct2023)), kOct2023);
  EXPECT_TRUE(Contains(decoded.text, "\tS\xC3\xA3o Tom\xC3\xA9 and Pr\xC3\xADncipe\t"));
  EXPECT_TRUE(Contains(decoded.text, "\tC\xC3\xB4te d'Ivoire\t"));
}

TEST(Weo, NamesResolveWhenCodesDoNotAndUnresolvedEconomiesAreListed) {
  const std::string text = WeoText(
      Row("528", "ZZT", "NGDPDPC", "Taiwan Province of China", "32,625.000", "32,339.322") +
      Row("990", "XXA", "NGDPDPC", "Test Economy Not In The Table", "1,000.000", "1,100.000") +
      Row("001", "", "NGDPDPC", "World", "12,000.000", "13,000.000") +
      Row("111", "USA", "NGDPD", "United States", "25,000.000", "27,000.000") +
      "\r\nInternational Monetary Fund, World Economic Outlook Database, April 2024\r\n");
  AttributeReadReport report;
  const AttributeTable gdp = ParseWeo(text, "weo.xls", "NGDPDPC", Countries(), &report);
  EXPECT_DOUBLE_EQ(*gdp.Get("TWN", 2022), 32625.0);
  EXPECT_EQ(report.resolved_by_name, (std::map<std::string, std::string>{{"ZZT", "TWN"}}));
  ASSERT_EQ(report.unresolved.size(), 1U);
  EXPECT_EQ(report.unresolved[0],
            (UnresolvedEconomy{"XXA", "Test Economy Not In The Table", "weo.xls", 3}));
  EXPECT_EQ(report.aggregates, (std::map<std::string, std::size_t>{{"World", 1}}));
  EXPECT_EQ(report.rows_read, 1U);
  EXPECT_EQ(gdp.values.size(), 1U);  // not USA: its row is NGDPD
}

TEST(Weo, RefusesValuesThatAreNotNumbers) {
  for (const std::string bad :
       {"12.614,060", "1,2", "12,61", ",123", "0.1,234", "abc", "1,234.5x", "inf"}) {
    SCOPED_TRACE(bad);
    const InputError e =
        WeoError(WeoText(Row("111", "USA", "NGDPDPC", "United States", "70,000.000", bad)));
    EXPECT_EQ(e.position().line, 2U);
    EXPECT_EQ(e.position().field, 8U);
    EXPECT_TRUE(Contains(e.what(), "\"" + bad + "\" is not a number")) << e.what();
  }
}

TEST(Weo, RefusesRowsOfTheWrongWidth) {
  const InputError e =
      WeoError(WeoText(Row("111", "USA", "NGDPDPC", "United States", "1.0", "2.0") +
                       "134\tDEU\tNGDPDPC\tGermany\tU.S. dollars\tUnits\t1.0\t2022\r\n"));
  EXPECT_EQ(e.position().line, 3U);
  EXPECT_TRUE(Contains(e.what(), "row has 8 fields, expected 9 as in the header")) << e.what();
}

TEST(Weo, RefusesTheSameEconomyTwice) {
  // Once by ISO code, once by an alias of its name.
  const InputError e =
      WeoError(WeoText(Row("111", "USA", "NGDPDPC", "United States", "1.0", "2.0") +
                       Row("134", "DEU", "NGDPDPC", "Germany", "1.0", "2.0") +
                       Row("111", "", "NGDPDPC", "United States of America", "1.0", "2.0")));
  EXPECT_EQ(e.position().line, 4U);
  EXPECT_TRUE(Contains(e.what(), "USA")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "lines 2 and 4")) << e.what();
}

TEST(Weo, RefusesASubjectNoRowHasNamingTheOnesThereAre) {
  const InputError e = WeoError(WeoText(Row("111", "USA", "NGDPD", "United States", "1.0", "2.0") +
                                        Row("111", "USA", "PPPPC", "United States", "1.0", "2.0") +
                                        Row("134", "DEU", "NGDPD", "Germany", "1.0", "2.0")));
  EXPECT_TRUE(Contains(e.what(), "no rows of WEO subject NGDPDPC")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "NGDPD, PPPPC")) << e.what();
  EXPECT_THROW((void)ReadWeo(Publisher(kApr2024), "NGDP_RPCH", Countries()), InputError);
}

TEST(Weo, FooterIsAcceptedOnlyAtTheEnd) {
  const std::string footer =
      "\r\nInternational Monetary Fund, World Economic Outlook Database, April 2024\r\n";
  const std::string row = Row("111", "USA", "NGDPDPC", "United States", "1.0", "2.0");
  EXPECT_DOUBLE_EQ(
      *ParseWeo(WeoText(row + footer), "weo.xls", "NGDPDPC", Countries(), nullptr).Get("USA", 2023),
      2.0);
  const InputError e =
      WeoError(WeoText(row + footer + Row("134", "DEU", "NGDPDPC", "Germany", "1.0", "2.0")));
  EXPECT_EQ(e.position().line, 5U);
  EXPECT_TRUE(Contains(e.what(), "after the footer")) << e.what();
}

TEST(Weo, RefusesOtherLayouts) {
  EXPECT_TRUE(Contains(WeoError("iso3,year,value\nTWN,2023,1\n").what(), "WEO Subject Code"));
  EXPECT_TRUE(Contains(WeoError("").what(), "empty"));
  EXPECT_TRUE(Contains(WeoError(WeoText("")).what(), "no rows"));
}

class GdpFill : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& bytes) {
    const auto path = std::filesystem::path(::testing::TempDir()) / ("qap_weo_test_" + name);
    std::ofstream(path, std::ios::binary) << bytes;
    written_.push_back(path);
    return path.string();
  }
  void TearDown() override {
    for (const auto& path : written_) std::filesystem::remove(path);
  }

 private:
  std::vector<std::filesystem::path> written_;
};

TEST_F(GdpFill, ReadsTheWeoDatabaseFile) {
  AttributeReadReport report;
  const AttributeTable fill = ReadGdpFill(Publisher(kApr2024), Countries(), &report);
  EXPECT_EQ(report.layout, "IMF WEO database (by countries)");
  EXPECT_EQ(report.encoding, "UTF-16LE");
  EXPECT_DOUBLE_EQ(*fill.Get("TWN", 2023), 32339.322);  // NGDPDPC, not NGDPD or PPPPC
}

TEST_F(GdpFill, ReadsTheSimpleLayout) {
  AttributeReadReport report;
  const AttributeTable fill =
      ReadGdpFill(testing::SourcePath("fixtures/raw-2013-2023/imf_weo_gdp_per_capita_twn.csv"),
                  Countries(), &report);
  EXPECT_EQ(report.layout, "iso3,year,value");
  EXPECT_EQ(report.encoding, "UTF-8");
  EXPECT_DOUBLE_EQ(*fill.Get("TWN", 2013), 36879.41);
  EXPECT_EQ(report.rows_read, fill.values.at("TWN").size());
  EXPECT_EQ(fill.values.size(), 1U);
}

TEST_F(GdpFill, RefusesAnythingElseNamingBothLayouts) {
  const std::string wdi =
      Write("wdi.csv",
            "\"Country Name\",\"Country Code\",\"Indicator Name\"\n\"China\",\"CHN\",\"GDP\"\n");
  try {
    (void)ReadGdpFill(wdi, Countries());
    FAIL() << "a WDI file was taken for a --gdp-fill file";
  } catch (const InputError& e) {
    EXPECT_TRUE(Contains(e.what(), "WEO Subject Code")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "iso3,year,value")) << e.what();
  }
  // The simple layout is read as UTF-8 only: a Windows-1252 copy is refused, not misread.
  const std::string latin1 = Write("latin1.csv", "iso3,year,value\nC\xF4te d'Ivoire,2023,2646.2\n");
  EXPECT_THROW((void)ReadGdpFill(latin1, Countries()), InputError);
}

}  // namespace
}  // namespace qap
