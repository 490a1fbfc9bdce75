// Country identity: every spelling of an economy resolves to one ISO 3166
// alpha-3 code, so "Korea, Rep.", "Rep. of Korea" and "KOR" are one node, and
// Comtrade's aggregates (World, Areas nes, Bunkers, ...) are recognised so
// they can be dropped with a report rather than mistaken for countries.
//
// The table is data (fixtures/reference/countries.csv and aggregates.csv),
// not code; see fixtures/reference/README.md for its sources.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace qap {

// How a row's economy (its code column and, as a fallback, its name column)
// resolved against the table.
struct EconomyMatch {
  enum class Kind { kEconomy, kAggregate, kUnresolved };
  Kind kind = Kind::kUnresolved;
  std::string iso3;       // kEconomy
  std::string aggregate;  // kAggregate: "world", "area_nes", "region", ...
  bool by_name = false;   // the code did not resolve and the name did
};

class CountryTable {
 public:
  // Reads `folder`/countries.csv (iso3,m49,name,aliases) and aggregates.csv
  // (code,name,kind). Throws InputError on a malformed file or a spelling
  // that would map to two codes.
  static CountryTable Load(const std::string& folder);

  // The ISO3 code of a code (ISO3 or numeric M49/Comtrade) or a name, matched
  // case-insensitively with spaces folded; empty when unknown.
  [[nodiscard]] std::optional<std::string> Resolve(const std::string& code_or_name) const;
  // The economy of a row from its code and name columns: an aggregate by code
  // or name first (so "World" never resolves to a country), then the code,
  // then the name. Either may be empty.
  [[nodiscard]] EconomyMatch Match(const std::string& code, const std::string& name) const;
  // The aggregate kind ("world", "area_nes", ...) of a code or name, if it is one.
  [[nodiscard]] std::optional<std::string> Aggregate(const std::string& code_or_name) const;
  // The display name of an ISO3 code (the World Bank spelling).
  [[nodiscard]] std::string Name(const std::string& iso3) const;
  [[nodiscard]] std::size_t size() const noexcept { return names_.size(); }

 private:
  std::unordered_map<std::string, std::string> code_of_;       // folded spelling -> iso3
  std::unordered_map<std::string, std::string> aggregate_of_;  // folded spelling or code -> kind
  std::unordered_map<std::string, std::string> names_;         // iso3 -> name
};

// Lower case, trimmed, inner white space folded to one space.
std::string FoldName(const std::string& name);

}  // namespace qap
