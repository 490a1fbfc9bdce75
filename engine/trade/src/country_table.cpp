#include "qap/trade/country_table.hpp"

#include <cctype>
#include <filesystem>
#include <map>

#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"

namespace qap {

std::string FoldName(const std::string& name) {
  std::string out;
  bool space = false;
  for (char c : name) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

namespace {

// The required columns by name, looked up (and a missing one reported) as
// every tabular reader does; the first missing one in `required` is named.
std::map<std::string, std::size_t> HeaderIndex(const detail::CsvRecord& header,
                                               const std::string& file,
                                               std::initializer_list<const char*> required) {
  const detail::CsvTable table(header, file);
  std::map<std::string, std::size_t> index;
  for (const char* name : required) index[name] = table.RequireColumn(name);
  return index;
}

}  // namespace

CountryTable CountryTable::Load(const std::string& folder) {
  CountryTable table;
  const std::string countries = folder + "/countries.csv";
  {
    const std::string text = detail::ReadWholeFile(countries, detail::kEconomyTableReadLimit);
    const auto records = detail::TokenizeCsv(text, ',', countries);
    if (records.empty()) throw InputError({countries, 0, 0, 0}, "the file is empty");
    const auto column = HeaderIndex(records[0], countries, {"iso3", "m49", "name", "aliases"});
    for (std::size_t r = 1; r < records.size(); ++r) {
      const auto& fields = records[r].fields;
      detail::RefuseFieldCount(records[0], records[r], countries);
      const std::string iso3 = fields[column.at("iso3")].text;
      if (iso3.size() != 3) {
        throw InputError(
            {countries, records[r].line, fields[column.at("iso3")].column, column.at("iso3") + 1},
            "\"" + iso3 + "\" is not a three-letter code");
      }
      table.names_[iso3] = fields[column.at("name")].text;
      std::vector<std::string> spellings{iso3, fields[column.at("m49")].text,
                                         fields[column.at("name")].text};
      const std::string& aliases = fields[column.at("aliases")].text;
      std::size_t start = 0;
      while (start <= aliases.size()) {
        const std::size_t bar = aliases.find('|', start);
        spellings.push_back(
            aliases.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
      }
      for (const std::string& spelling : spellings) {
        const std::string folded = FoldName(spelling);
        if (folded.empty()) continue;
        const auto [it, inserted] = table.code_of_.emplace(folded, iso3);
        if (!inserted && it->second != iso3) {
          throw InputError({countries, records[r].line, 1, 1},
                           "\"" + spelling + "\" names both " + it->second + " and " + iso3);
        }
      }
    }
  }
  // Codes other sources use for an economy (WGI's ROM, the IMF's UVK, ISO
  // numeric codes where Comtrade deviates, ...). Optional, so a minimal table
  // for tests can leave it out.
  const std::string variants = folder + "/code_variants.csv";
  if (std::filesystem::exists(variants)) {
    const std::string text = detail::ReadWholeFile(variants, detail::kEconomyTableReadLimit);
    const auto records = detail::TokenizeCsv(text, ',', variants);
    if (!records.empty()) {
      const auto column = HeaderIndex(records[0], variants, {"code", "iso3"});
      for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& fields = records[r].fields;
        detail::RefuseFieldCount(records[0], records[r], variants);
        const std::string& code = fields[column.at("code")].text;
        const std::string& iso3 = fields[column.at("iso3")].text;
        if (!table.names_.contains(iso3)) {
          throw InputError(
              {variants, records[r].line, fields[column.at("iso3")].column, column.at("iso3") + 1},
              "\"" + iso3 + "\" is not an economy of countries.csv");
        }
        const auto [it, inserted] = table.code_of_.emplace(FoldName(code), iso3);
        if (!inserted && it->second != iso3) {
          throw InputError({variants, records[r].line, 1, 1},
                           "\"" + code + "\" names both " + it->second + " and " + iso3);
        }
      }
    }
  }
  const std::string aggregates = folder + "/aggregates.csv";
  const std::string text = detail::ReadWholeFile(aggregates, detail::kEconomyTableReadLimit);
  const auto records = detail::TokenizeCsv(text, ',', aggregates);
  if (!records.empty()) {
    const auto column = HeaderIndex(records[0], aggregates, {"code", "name", "kind"});
    for (std::size_t r = 1; r < records.size(); ++r) {
      const auto& fields = records[r].fields;
      detail::RefuseFieldCount(records[0], records[r], aggregates);
      const std::string& kind = fields[column.at("kind")].text;
      for (const char* key : {"code", "name"}) {
        const std::string folded = FoldName(fields[column.at(key)].text);
        // Aggregates are matched before economies, so a spelling shared with
        // an economy would drop that economy's rows in silence.
        if (const auto economy = table.code_of_.find(folded); economy != table.code_of_.end()) {
          throw InputError(
              {aggregates, records[r].line, fields[column.at(key)].column, column.at(key) + 1},
              "\"" + fields[column.at(key)].text + "\" is both an aggregate and a spelling of " +
                  economy->second);
        }
        table.aggregate_of_[folded] = kind;
      }
    }
  }
  return table;
}

std::optional<std::string> CountryTable::Resolve(const std::string& code_or_name) const {
  const auto it = code_of_.find(FoldName(code_or_name));
  if (it == code_of_.end()) return std::nullopt;
  return it->second;
}

EconomyMatch CountryTable::Match(const std::string& code, const std::string& name) const {
  EconomyMatch match;
  for (const std::string* key : {&code, &name}) {
    if (key->empty()) continue;
    if (const auto kind = Aggregate(*key)) {
      match.kind = EconomyMatch::Kind::kAggregate;
      match.aggregate = *kind;
      return match;
    }
  }
  for (const std::string* key : {&code, &name}) {
    if (key->empty()) continue;
    if (const auto iso3 = Resolve(*key)) {
      match.kind = EconomyMatch::Kind::kEconomy;
      match.iso3 = *iso3;
      match.by_name = key == &name;
      return match;
    }
  }
  return match;
}

std::optional<std::string> CountryTable::Aggregate(const std::string& code_or_name) const {
  const auto it = aggregate_of_.find(FoldName(code_or_name));
  if (it == aggregate_of_.end()) return std::nullopt;
  return it->second;
}

std::string CountryTable::Name(const std::string& iso3) const {
  const auto it = names_.find(iso3);
  return it == names_.end() ? iso3 : it->second;
}

}  // namespace qap
