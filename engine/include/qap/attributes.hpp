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

#include "qap/country_table.hpp"

namespace qap {

class AttributeTable {
 public:
  std::string name;    // e.g. "NY.GDP.PCAP.CD"
  std::string source;  // file
  std::map<std::string, std::map<int, double>> values;  // iso3 -> year -> value

  [[nodiscard]] std::optional<double> Get(const std::string& iso3, int year) const;
  // Fills economies/years this table lacks from `other` (e.g. IMF WEO for Taiwan).
  void FillGapsFrom(const AttributeTable& other);
};

struct AttributeReadReport {
  std::string file;
  std::size_t rows_read = 0;
  std::set<std::string> skipped_codes;  // codes not in the country table (aggregates, regions)
};

// WDI bulk CSV: preamble lines, then "Country Name","Country Code",
// "Indicator Name","Indicator Code","1960",...; rows of `indicator_code` only.
AttributeTable ReadWdiIndicator(const std::string& path, const std::string& indicator_code,
                                const CountryTable& countries, AttributeReadReport* report = nullptr);

AttributeTable ParseWdiIndicator(std::string_view text, const std::string& source, const std::string& indicator_code,
                                 const CountryTable& countries, AttributeReadReport* report = nullptr);

// iso3 (or any spelling),year,value.
AttributeTable ReadLongAttribute(const std::string& path, const std::string& name, const CountryTable& countries);

// The six WGI dimensions in the order VA, PV, GE, RQ, RL, CC (estimates).
inline constexpr std::array<const char*, 6> kWgiDimensions = {"va", "pv", "ge", "rq", "rl", "cc"};
using WgiTables = std::array<AttributeTable, 6>;

// Long layout (code,countryname,year,indicator,estimate,...; ".." missing) or
// DataBank wide (Country Name,Country Code,Series Name,Series Code,
// "1996 [YR1996]",...; series VA.EST ... CC.EST).
WgiTables ReadWgi(const std::string& path, const CountryTable& countries, AttributeReadReport* report = nullptr);
WgiTables ParseWgi(std::string_view text, const std::string& source, const CountryTable& countries,
                   AttributeReadReport* report = nullptr);

// Dated memberships (iso3,organisation,joined,left,source).
class MembershipTable {
 public:
  static MembershipTable Read(const std::string& path, const CountryTable& countries);
  // Organisations (of `organisations`, or all when empty) that `iso3` belongs
  // to on 31 December of `year`.
  [[nodiscard]] int Count(const std::string& iso3, int year, const std::set<std::string>& organisations = {}) const;
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
