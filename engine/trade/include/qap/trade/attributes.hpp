// Node attributes by economy and year, read from the files people download:
// World Bank WDI bulk CSV, the Worldwide Governance Indicators (long 2024
// layout or DataBank wide), simple iso3,year,value files (e.g. IMF WEO values
// filling WDI gaps), dated organisation memberships and the IMF advanced-
// economy classification (fixtures/reference/).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "qap/trade/country_table.hpp"

namespace qap {

class AttributeTable {
 public:
  std::string name;                                     // e.g. "NY.GDP.PCAP.CD"
  std::string source;                                   // file
  std::map<std::string, std::map<int, double>> values;  // iso3 -> year -> value

  [[nodiscard]] std::optional<double> Get(const std::string& iso3, int year) const;
  // Fills economies/years this table lacks from `other` (e.g. IMF WEO for Taiwan).
  void FillGapsFrom(const AttributeTable& other);
};

// A row that names an economy no spelling in the country table matches: it is
// reported, never taken for an economy without data.
struct UnresolvedEconomy {
  std::string code;
  std::string name;
  std::string file;
  std::size_t line = 0;
  auto operator<=>(const UnresolvedEconomy&) const = default;
};

struct AttributeReadReport {
  std::string file;
  std::string layout;    // the publisher layout recognised
  std::string encoding;  // as detected: "UTF-8", "UTF-16LE", "Windows-1252", ...
  std::size_t rows_read = 0;
  std::map<std::string, std::size_t>
      aggregates;  // regions, income groups, World: rows left out, by code
  std::vector<UnresolvedEconomy> unresolved;  // one entry per economy (first line it appears on)
  std::map<std::string, std::string>
      resolved_by_name;  // code -> ISO3 where only the name column resolved
  std::size_t other_series_rows =
      0;  // rows of series the reader does not take (WGI standard errors, ...)
};

// World Bank indicator files, in every layout the World Bank ships:
//  * the API / bulk download (WDI's "API_NY.GDP.PCAP.CD_DS2_en_csv_v2_*.csv",
//    the WGI's WGIData.csv): a preamble ("Data Source","World Development
//    Indicators", "Last Updated Date",...), then
//    "Country Name","Country Code","Indicator Name","Indicator Code","1960",...
//    with a trailing comma on every line;
//  * DataBank, series in rows: Country Name,Country Code,Series Name,Series
//    Code,2022 [YR2022],... with ".." for missing and the footer lines "Data
//    from database: ..." and "Last Updated: ...";
//  * DataBank, series in columns: Country Name,Country Code,Time,Time Code,
//    "GDP per capita (current US$) [NY.GDP.PCAP.CD]",...
// The header is looked for in the first 30 lines, so a file whose preamble was
// removed reads too. Files may be UTF-8 (with or without BOM), UTF-16 or
// Windows-1252 (report->encoding). Economies resolve by code, then by name;
// aggregates (regions, income groups) are counted in report->aggregates and
// economies that resolve by neither are listed in report->unresolved. The same
// economy twice for a series is an error naming both lines.
AttributeTable ReadWdiIndicator(const std::string& path, const std::string& indicator_code,
                                const CountryTable& countries,
                                AttributeReadReport* report = nullptr);

// `bytes` as read from a file (any of the encodings above).
AttributeTable ParseWdiIndicator(std::string_view bytes, const std::string& source,
                                 const std::string& indicator_code, const CountryTable& countries,
                                 AttributeReadReport* report = nullptr);

// iso3 (or any spelling),year,value.
AttributeTable ReadLongAttribute(const std::string& path, const std::string& name,
                                 const CountryTable& countries);

// The six WGI dimensions in the order VA, PV, GE, RQ, RL, CC (estimates).
inline constexpr std::array<const char*, 6> kWgiDimensions = {"va", "pv", "ge", "rq", "rl", "cc"};
using WgiTables = std::array<AttributeTable, 6>;

// The Worldwide Governance Indicators in each form they are published:
//  * the long CSV (codeindyr,code,countryname,year,indicator,estimate,...;
//    indicator va ... cc; ".." missing);
//  * any of the World Bank layouts above with series VA.EST ... CC.EST (the
//    bulk WGIData.csv, DataBank); the .STD.ERR/.NO.SRC/.PER.RNK... series are
//    left out;
//  * the release workbook wgidataset.xlsx: one sheet per indicator (releases
//    up to 2023: "VoiceandAccountability", ..., a year row above
//    "Country/Territory","Code","Estimate","StdErr",... blocks) or the 2024
//    release's long sheet.
// Economies resolve by code (WGI's own ROM, ZAR, ADO, TMP, WBG, KSV included),
// then by name; see ReadWdiIndicator for the report.
WgiTables ReadWgi(const std::string& path, const CountryTable& countries,
                  AttributeReadReport* report = nullptr);
WgiTables ParseWgi(std::string_view bytes, const std::string& source, const CountryTable& countries,
                   AttributeReadReport* report = nullptr);

// One line per economy the report could not resolve: "Narnia (NRN), line 12".
std::string DescribeUnresolved(const AttributeReadReport& report, std::size_t at_most = 10);

// Dated memberships (iso3,organisation,joined,left,source).
class MembershipTable {
 public:
  static MembershipTable Read(const std::string& path, const CountryTable& countries);
  // Organisations (of `organisations`, or all when empty) that `iso3` belongs
  // to on 31 December of `year`.
  [[nodiscard]] int Count(const std::string& iso3, int year,
                          const std::set<std::string>& organisations = {}) const;
  [[nodiscard]] std::set<std::string> Organisations() const;
  // The organisations `iso3` belongs to on 31 December of `year`.
  [[nodiscard]] std::set<std::string> MemberOf(const std::string& iso3, int year) const;

 private:
  struct Spell {
    std::string organisation;
    std::string joined;  // YYYY-MM-DD
    std::string left;    // empty while a member
  };
  std::map<std::string, std::vector<Spell>> spells_;
};

// IMF WEO advanced economies (iso3,from_year,to_year; to_year empty = still).
class AdvancedEconomies {
 public:
  static AdvancedEconomies Read(const std::string& path, const CountryTable& countries);
  [[nodiscard]] bool IsAdvanced(const std::string& iso3, int year) const;

 private:
  std::map<std::string, std::pair<int, int>> years_;
};

}  // namespace qap
