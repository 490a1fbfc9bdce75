// World Bank files (WDI and WGI) exactly as the World Bank ships them, read
// with the real country table: every layout gives the same numbers, WGI's own
// economy codes resolve, and every row the reader does not use is accounted
// for (aggregates counted, unresolved economies listed, nothing overwritten).
// The excerpts and the script that writes them: tests/data/publishers/.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "qap/core/errors.hpp"
#include "qap/trade/attributes.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

const CountryTable& RealCountries() {
  static const CountryTable table = CountryTable::Load(testing::SourcePath("fixtures/reference"));
  return table;
}

std::string Excerpt(const std::string& name) {
  return testing::SourcePath("tests/data/publishers/" + name);
}

// make_worldbank.py's GDP per capita: base * (1 + 0.031 (year - 2020)) + 0.123456789.
double ExpectedGdp(double base, int year) {
  return base * (1.0 + 0.031 * (year - 2020)) + 0.123456789;
}

const std::vector<std::string> kEconomies = {"AND", "CHN", "COD", "KOR", "XKX",
                                             "ROU", "TLS", "USA", "PSE"};

TEST(WorldBankLayouts, ApiDownloadWithPreambleBomCrlfAndTrailingComma) {
  AttributeReadReport report;
  const AttributeTable gdp = ReadWdiIndicator(Excerpt("wdi_api_gdp_per_capita_excerpt.csv"),
                                              "NY.GDP.PCAP.CD", RealCountries(), &report);
  EXPECT_EQ(report.encoding, "UTF-8 (BOM)");
  EXPECT_NE(report.layout.find("API"), std::string::npos) << report.layout;
  EXPECT_TRUE(testing::RelativelyNear(*gdp.Get("CHN", 2023), ExpectedGdp(10400, 2023), 1e-15));
  EXPECT_TRUE(testing::RelativelyNear(*gdp.Get("XKX", 2022), ExpectedGdp(5300, 2022), 1e-15));
  EXPECT_FALSE(gdp.Get("XKX", 2021).has_value());  // an empty cell is missing, not zero
  EXPECT_FALSE(gdp.Get("CHN", 1960).has_value());
  EXPECT_EQ(gdp.values.size(), kEconomies.size());
  for (const std::string& iso3 : kEconomies) EXPECT_TRUE(gdp.values.contains(iso3)) << iso3;
  // Regions and income groups are aggregates, counted by code, never economies.
  EXPECT_EQ(report.aggregates,
            (std::map<std::string, std::size_t>{{"AFE", 1}, {"HIC", 1}, {"INX", 1}, {"WLD", 1}}));
  EXPECT_TRUE(report.unresolved.empty());
  EXPECT_EQ(report.rows_read, kEconomies.size());
}

TEST(WorldBankLayouts, EveryLayoutGivesTheSameValues) {
  const AttributeTable api = ReadWdiIndicator(Excerpt("wdi_api_gdp_per_capita_excerpt.csv"),
                                              "NY.GDP.PCAP.CD", RealCountries());
  const AttributeTable no_preamble = ReadWdiIndicator(Excerpt("wdi_api_no_preamble_excerpt.csv"),
                                                      "NY.GDP.PCAP.CD", RealCountries());
  EXPECT_EQ(no_preamble.values, api.values);
  for (const char* file :
       {"wdi_databank_series_in_rows_excerpt.csv", "wdi_databank_series_in_columns_excerpt.csv"}) {
    AttributeReadReport report;
    const AttributeTable databank =
        ReadWdiIndicator(Excerpt(file), "NY.GDP.PCAP.CD", RealCountries(), &report);
    EXPECT_NE(report.layout.find("DataBank"), std::string::npos) << file;
    EXPECT_TRUE(report.unresolved.empty()) << file;
    std::map<std::string, std::map<int, double>> expected;
    for (const auto& [iso3, years] : api.values) {
      for (const auto& [year, value] : years) {
        if (year >= 2021) expected[iso3][year] = value;
      }
    }
    EXPECT_EQ(databank.values, expected) << file;  // ".." is missing; the footer is not data
  }
}

TEST(WorldBankLayouts, WgiCodesResolveInEveryWgiLayout) {
  AttributeReadReport long_report;
  const WgiTables long_form =
      ReadWgi(Excerpt("wgi_long_2024_excerpt.csv"), RealCountries(), &long_report);
  EXPECT_TRUE(long_report.unresolved.empty());
  EXPECT_EQ(long_report.layout, "WGI long CSV");
  // ROM, ZAR, ADO, TMP, WBG and KSV are WGI's own codes: each must reach its economy.
  for (const std::string& iso3 : kEconomies) {
    for (std::size_t k = 0; k < 6; ++k)
      EXPECT_TRUE(long_form[k].Get(iso3, 2023).has_value()) << iso3 << " " << k;
  }
  EXPECT_FALSE(long_form[1].Get("XKX", 2021).has_value());  // ".." in the file

  AttributeReadReport bulk_report;
  const WgiTables bulk =
      ReadWgi(Excerpt("wgi_bulk_WGIData_excerpt.csv"), RealCountries(), &bulk_report);
  EXPECT_EQ(bulk_report.other_series_rows,
            kEconomies.size() * 6 * 5);  // .STD.ERR, .NO.SRC, .PER.RNK...
  const WgiTables columns =
      ReadWgi(Excerpt("wgi_databank_series_in_columns_excerpt.csv"), RealCountries());
  for (std::size_t k = 0; k < 6; ++k) {
    std::map<std::string, std::map<int, double>> bulk_recent;
    for (const auto& [iso3, years] : bulk[k].values) {
      for (const auto& [year, value] : years) {
        if (year >= 2021) bulk_recent[iso3][year] = value;
      }
    }
    EXPECT_EQ(bulk_recent, long_form[k].values) << kWgiDimensions[k];
    EXPECT_EQ(columns[k].values, long_form[k].values) << kWgiDimensions[k];
  }
}

TEST(WorldBankLayouts, WgiReleaseWorkbooksBothGenerations) {
  AttributeReadReport old_report;
  const WgiTables sheets =
      ReadWgi(Excerpt("wgi_workbook_2023_excerpt.xlsx"), RealCountries(), &old_report);
  AttributeReadReport new_report;
  const WgiTables long_sheet =
      ReadWgi(Excerpt("wgi_workbook_2024_excerpt.xlsx"), RealCountries(), &new_report);
  EXPECT_NE(old_report.layout.find("one sheet per indicator"), std::string::npos)
      << old_report.layout;
  EXPECT_NE(new_report.layout.find("long sheet"), std::string::npos) << new_report.layout;
  EXPECT_TRUE(old_report.unresolved.empty());
  EXPECT_TRUE(new_report.unresolved.empty());
  for (std::size_t k = 0; k < 6; ++k) {
    EXPECT_EQ(sheets[k].values, long_sheet[k].values) << kWgiDimensions[k];
    for (const char* iso3 : {"AND", "COD", "ROU", "TLS", "PSE", "XKX", "CHN", "DEU", "USA"}) {
      EXPECT_TRUE(sheets[k].values.contains(iso3)) << iso3 << " " << kWgiDimensions[k];
    }
  }
  // The gaps make_xlsx.py leaves, and the value Excel wrote in E notation.
  EXPECT_FALSE(sheets[3].Get("AND", 2021).has_value());
  EXPECT_FALSE(sheets[5].Get("TLS", 2023).has_value());
  EXPECT_FALSE(sheets[1].Get("XKX", 2021).has_value());
  EXPECT_DOUBLE_EQ(*sheets[2].Get("CHN", 2022), -4.5199999999999997E-3);
}

TEST(WorldBankLayouts, EconomiesThatDoNotResolveAreListedNotDropped) {
  const std::string text =
      "code,countryname,year,indicator,estimate\n"
      "ROM,Romania,2023,va,0.5\n"
      "NRN,Narnia,2023,va,1.0\n"
      "NRN,Narnia,2023,pv,1.0\n"
      "XYZ,Romania (hand-typed code),2023,va,0.1\n"
      "QQQ,Andorra,2023,va,1.2\n";
  AttributeReadReport report;
  const WgiTables wgi = ParseWgi(text, "wgi.csv", RealCountries(), &report);
  ASSERT_EQ(report.unresolved.size(), 2U);  // one entry per economy, at its first line
  EXPECT_EQ(report.unresolved[0], (UnresolvedEconomy{"NRN", "Narnia", "wgi.csv", 3}));
  EXPECT_EQ(report.unresolved[1].code, "XYZ");
  EXPECT_EQ(report.unresolved[1].line, 5U);
  // The name column is the fallback when the code does not resolve.
  EXPECT_EQ(report.resolved_by_name, (std::map<std::string, std::string>{{"QQQ", "AND"}}));
  EXPECT_DOUBLE_EQ(*wgi[0].Get("AND", 2023), 1.2);
  EXPECT_NE(DescribeUnresolved(report).find("Narnia (NRN), line 3"), std::string::npos)
      << DescribeUnresolved(report);
}

void ExpectInputError(const std::function<void()>& read, const std::string& fragment,
                      std::size_t line) {
  try {
    read();
    ADD_FAILURE() << "no error; expected one containing \"" << fragment << "\"";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_EQ(e.position().line, line) << e.what();
  }
}

TEST(WorldBankLayouts, RefusesWhatCouldBeReadTwoWays) {
  const std::string header = "Country Name,Country Code,Indicator Name,Indicator Code,2022,2023\n";
  // The same economy twice (here once by an alias code): the second row would overwrite the first.
  ExpectInputError(
      [&] {
        ParseWdiIndicator(
            header + "Romania,ROU,GDP,NY.GDP.PCAP.CD,1,2\nRomania,ROM,GDP,NY.GDP.PCAP.CD,3,4\n",
            "wdi.csv", "NY.GDP.PCAP.CD", RealCountries());
      },
      "lines 2 and 3", 3);
  // An unquoted comma in a name shifts every value: refused, not read shifted.
  ExpectInputError(
      [&] {
        ParseWdiIndicator(header + "Korea, Rep.,KOR,GDP,NY.GDP.PCAP.CD,1,2\n", "wdi.csv",
                          "NY.GDP.PCAP.CD", RealCountries());
      },
      "7 fields", 2);
  ExpectInputError(
      [&] {
        ParseWdiIndicator(
            "Country Name,Country Code,Indicator Code,2023,2023\nChina,CHN,NY.GDP.PCAP.CD,1,2\n",
            "wdi.csv", "NY.GDP.PCAP.CD", RealCountries());
      },
      "two columns are named \"2023\"", 1);
  ExpectInputError(
      [&] {
        ParseWdiIndicator(
            "Country Name,Country Code,Series Code,2023 [YR2023]\nChina,CHN,NY.GDP.PCAP.CD,1\n\n"
            "Data from database: World Development Indicators\nChina,CHN,NY.GDP.PCAP.CD,2\n",
            "databank.csv", "NY.GDP.PCAP.CD", RealCountries());
      },
      "after DataBank's footer", 5);
  ExpectInputError(
      [&] {
        ParseWdiIndicator(header + "China,CHN,GDP,NY.GDP.PCAP.KD,1,2\n", "wdi.csv",
                          "NY.GDP.PCAP.CD", RealCountries());
      },
      "the file has NY.GDP.PCAP.KD", 0);
  ExpectInputError(
      [&] { ParseWdiIndicator("a,b\n1,2\n", "other.csv", "NY.GDP.PCAP.CD", RealCountries()); },
      "no World Bank header row", 0);
  ExpectInputError(
      [&] {
        ParseWgi(
            "code,countryname,year,indicator,estimate\nROM,Romania,2023,va,0.5\nROU,Romania,2023,"
            "va,0.6\n",
            "wgi.csv", RealCountries());
      },
      "lines 2 and 3", 3);
  ExpectInputError([&] { ParseWgi("not,a,wgi,file\n1,2,3,4\n", "x.csv", RealCountries()); },
                   "not a WGI file", 1);
}

TEST(WorldBankLayouts, Windows1252FileIsTranscodedAndSaysSo) {
  // DataBank exports opened and re-saved by a spreadsheet on Windows come back in Windows-1252.
  const std::string text =
      "Country Name,Country Code,Series Name,Series Code,2023 [YR2023]\r\n"
      "C\xF4te d'Ivoire,CIV,GDP per capita (current US$),NY.GDP.PCAP.CD,2700\r\n"
      "Cura\xE7"
      "ao,,GDP per capita (current US$),NY.GDP.PCAP.CD,21000\r\n";
  AttributeReadReport report;
  const AttributeTable gdp =
      ParseWdiIndicator(text, "databank.csv", "NY.GDP.PCAP.CD", RealCountries(), &report);
  EXPECT_EQ(report.encoding, "Windows-1252");
  EXPECT_DOUBLE_EQ(*gdp.Get("CIV", 2023), 2700.0);
  EXPECT_DOUBLE_EQ(*gdp.Get("CUW", 2023), 21000.0);  // no code: resolved by its (transcoded) name
}

}  // namespace
}  // namespace qap
