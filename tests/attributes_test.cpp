// Readers of node attributes: WDI, WGI (both layouts), long files,
// memberships and the advanced-economy classification.
#include "qap/trade/attributes.hpp"

#include <gtest/gtest.h>

#include "qap/core/errors.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

const CountryTable& Countries() {
  static const CountryTable table = CountryTable::Load(testing::SourcePath("tests/data/reference"));
  return table;
}

TEST(Attributes, WdiBulkCsvSkipsThePreambleAggregatesAndOtherIndicators) {
  AttributeReadReport report;
  AttributeTable gdp = ReadWdiIndicator(testing::SourcePath("tests/data/wdi_small.csv"),
                                        "NY.GDP.PCAP.CD", Countries(), &report);
  EXPECT_DOUBLE_EQ(*gdp.Get("AAA", 2021), 100.5);
  EXPECT_FALSE(gdp.Get("AAA", 2022).has_value());  // "" is missing
  EXPECT_DOUBLE_EQ(*gdp.Get("BBB", 2023), 210.0);
  // The test reference table lacks the code WLD but knows "World" as an aggregate: counted, not
  // unresolved.
  EXPECT_EQ(report.aggregates, (std::map<std::string, std::size_t>{{"WLD", 1}}));
  EXPECT_TRUE(report.unresolved.empty());
  EXPECT_FALSE(gdp.Get("CCC", 2023).has_value());
  gdp.FillGapsFrom(
      ReadLongAttribute(testing::SourcePath("tests/data/weo_small.csv"), "WEO", Countries()));
  EXPECT_DOUBLE_EQ(*gdp.Get("CCC", 2023), 55000.0);
  EXPECT_THROW(
      ReadWdiIndicator(testing::SourcePath("tests/data/wdi_small.csv"), "NO.SUCH", Countries()),
      InputError);
}

TEST(Attributes, WgiLongAndDataBankLayoutsAgree) {
  AttributeReadReport report;
  const WgiTables long_form =
      ReadWgi(testing::SourcePath("tests/data/wgi_long_small.csv"), Countries(), &report);
  EXPECT_DOUBLE_EQ(*long_form[0].Get("AAA", 2023), 0.5);
  EXPECT_FALSE(long_form[1].Get("AAA", 2023).has_value());  // ".."
  EXPECT_DOUBLE_EQ(*long_form[5].Get("BBB", 2023), -1.25);
  ASSERT_EQ(report.unresolved.size(), 1U);
  EXPECT_EQ(report.unresolved[0].code, "XKX");
  EXPECT_EQ(report.unresolved[0].line, 5U);
  const WgiTables wide =
      ReadWgi(testing::SourcePath("tests/data/wgi_databank_small.csv"), Countries());
  EXPECT_DOUBLE_EQ(*wide[0].Get("AAA", 2023), 0.5);
  EXPECT_DOUBLE_EQ(*wide[5].Get("BBB", 2023), -1.25);
  EXPECT_FALSE(wide[5].Get("BBB", 2022).has_value());
}

TEST(Attributes, MembershipsCountOnTheLastDayOfTheYear) {
  const MembershipTable m =
      MembershipTable::Read(testing::SourcePath("tests/data/memberships_test.csv"), Countries());
  EXPECT_EQ(m.Count("CCC", 2022), 3);  // WTO, APEC, G20
  EXPECT_EQ(m.Count("CCC", 2023), 2);  // left G20 on 2023-06-30
  EXPECT_EQ(m.Count("BBB", 2024), 2);  // OECD from 2024-05-01
  EXPECT_EQ(m.Count("DDD", 2001), 1);  // joined 2001-12-11
  EXPECT_EQ(m.Count("DDD", 2000), 0);
  EXPECT_EQ(m.Count("CCC", 2022, {"WTO"}), 1);
  const AdvancedEconomies a =
      AdvancedEconomies::Read(testing::SourcePath("tests/data/advanced_test.csv"), Countries());
  EXPECT_TRUE(a.IsAdvanced("DDD", 2023));
  EXPECT_FALSE(a.IsAdvanced("DDD", 2022));
  EXPECT_FALSE(a.IsAdvanced("CCC", 2023));
}

}  // namespace
}  // namespace qap
