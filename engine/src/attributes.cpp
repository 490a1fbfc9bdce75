#include "qap/attributes.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "csv_tokenizer.hpp"
#include "qap/errors.hpp"

namespace qap {

namespace {

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::optional<double> ParseValue(const detail::CsvField& field, const std::string& file, std::size_t column) {
  const std::string text = Trim(field.text);
  if (text.empty() || text == ".." || text == "NA" || text == "#N/A") return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    throw InputError({file, field.line, field.column, column + 1}, "\"" + text + "\" is not a number");
  }
  return value;
}

int ParseYear(const std::string& text, const std::string& file, const detail::CsvField& field, std::size_t column) {
  int year = 0;
  const std::string trimmed = Trim(text);
  const auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + std::min<std::size_t>(4, trimmed.size()), year);
  if (ec != std::errc() || trimmed.size() < 4 || year < 1900 || year > 2100) {
    throw InputError({file, field.line, field.column, column + 1}, "\"" + trimmed + "\" is not a year");
  }
  (void)end;
  return year;
}

std::map<std::string, std::size_t> Columns(const detail::CsvRecord& header) {
  std::map<std::string, std::size_t> columns;
  for (std::size_t c = 0; c < header.fields.size(); ++c) columns[Trim(header.fields[c].text)] = c;
  return columns;
}

std::size_t Require(const std::map<std::string, std::size_t>& columns, const std::string& name,
                    const std::string& file, std::size_t line) {
  const auto it = columns.find(name);
  if (it == columns.end()) throw InputError({file, line, 1, 1}, "missing column \"" + name + "\"");
  return it->second;
}

// Columns named by a year: WDI's "2023" or DataBank's "2023 [YR2023]".
std::vector<std::pair<std::size_t, int>> YearColumns(const std::map<std::string, std::size_t>& columns) {
  std::vector<std::pair<std::size_t, int>> years;
  for (const auto& [name, column] : columns) {
    int year = 0;
    const bool databank = name.size() > 4 && name[4] == ' ' && name.find("[YR") != std::string::npos;
    if ((name.size() == 4 || databank) && std::from_chars(name.data(), name.data() + 4, year).ec == std::errc() &&
        year > 1900) {
      years.emplace_back(column, year);
    }
  }
  return years;
}

// One wide row (an economy, then a value per year column) into `into`; an
// economy the country table does not know is recorded as skipped.
void ReadWideRow(const detail::CsvRecord& record, std::size_t code_column,
                 const std::vector<std::pair<std::size_t, int>>& years, const std::string& path,
                 const CountryTable& countries, AttributeReadReport& counts,
                 std::map<std::string, std::map<int, double>>& into) {
  const std::string code = Trim(record.fields[code_column].text);
  const auto iso3 = countries.Resolve(code);
  if (!iso3) {
    counts.skipped_codes.insert(code);
    return;
  }
  ++counts.rows_read;
  for (const auto& [column, year] : years) {
    if (column >= record.fields.size()) continue;
    if (const auto value = ParseValue(record.fields[column], path, column)) into[*iso3][year] = *value;
  }
}

// Reads a small table whose rows each name an economy in `economy_column`:
// checks the named columns and every row's width, resolves the economy, and
// calls row(iso3, fields, line, column_of) for each row.
template <typename Row>
void ForEachEconomyRow(const std::string& path, const CountryTable& countries, const std::string& economy_column,
                       const std::vector<std::string>& required, Row row) {
  const std::string text = detail::ReadWholeFile(path);
  const auto records = detail::TokenizeCsv(text, detail::DetectDelimiter(text), path);
  if (records.empty()) throw InputError({path, 0, 0, 0}, "the file is empty");
  const auto columns = Columns(records[0]);
  std::map<std::string, std::size_t> column_of;
  for (const std::string& name : required) column_of[name] = Require(columns, name, path, records[0].line);
  const std::size_t economy = Require(columns, economy_column, path, records[0].line);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& fields = records[r].fields;
    if (fields.size() != records[0].fields.size()) {
      throw InputError({path, records[r].line, 1, 1}, "row has " + std::to_string(fields.size()) +
                                                          " fields, the header has " +
                                                          std::to_string(records[0].fields.size()));
    }
    const auto iso3 = countries.Resolve(fields[economy].text);
    if (!iso3) {
      throw InputError({path, records[r].line, fields[economy].column, economy + 1},
                       "unknown economy \"" + fields[economy].text + "\"");
    }
    row(*iso3, fields, records[r].line, column_of);
  }
}

}  // namespace

std::optional<double> AttributeTable::Get(const std::string& iso3, int year) const {
  const auto economy = values.find(iso3);
  if (economy == values.end()) return std::nullopt;
  const auto value = economy->second.find(year);
  if (value == economy->second.end()) return std::nullopt;
  return value->second;
}

void AttributeTable::FillGapsFrom(const AttributeTable& other) {
  for (const auto& [iso3, years] : other.values) {
    for (const auto& [year, value] : years) values[iso3].try_emplace(year, value);
  }
}

AttributeTable ReadWdiIndicator(const std::string& path, const std::string& indicator_code,
                                const CountryTable& countries, AttributeReadReport* report) {
  return ParseWdiIndicator(detail::ReadWholeFile(path), path, indicator_code, countries, report);
}

AttributeTable ParseWdiIndicator(std::string_view text, const std::string& path, const std::string& indicator_code,
                                 const CountryTable& countries, AttributeReadReport* report) {
  detail::CsvReader reader(text, ',', path);
  detail::CsvRecord record;
  // Skip the preamble ("Data Source", "Last Updated Date") to the header.
  bool found_header = false;
  while (reader.Next(record)) {
    if (!record.fields.empty() && Trim(record.fields[0].text) == "Country Name") {
      found_header = true;
      break;
    }
  }
  if (!found_header) {
    throw InputError({path, 0, 0, 0}, "no WDI header row (\"Country Name\",\"Country Code\",\"Indicator Name\","
                                      "\"Indicator Code\",\"1960\",...)");
  }
  const auto columns = Columns(record);
  const std::size_t header_line = record.line;
  const std::size_t code_column = Require(columns, "Country Code", path, header_line);
  const std::size_t indicator_column = Require(columns, "Indicator Code", path, header_line);
  const auto year_columns = YearColumns(columns);
  AttributeTable table;
  table.name = indicator_code;
  table.source = path;
  AttributeReadReport counts;
  counts.file = path;
  std::size_t matched = 0;
  while (reader.Next(record)) {
    if (record.fields.size() <= std::max(indicator_column, code_column)) continue;
    if (Trim(record.fields[indicator_column].text) != indicator_code) continue;
    ++matched;
    ReadWideRow(record, code_column, year_columns, path, countries, counts, table.values);
  }
  if (matched == 0) throw InputError({path, 0, 0, 0}, "no rows of indicator " + indicator_code);
  if (report != nullptr) *report = counts;
  return table;
}

AttributeTable ReadLongAttribute(const std::string& path, const std::string& name, const CountryTable& countries) {
  AttributeTable table;
  table.name = name;
  table.source = path;
  ForEachEconomyRow(path, countries, "iso3", {"year", "value"},
                    [&](const std::string& iso3, const auto& fields, std::size_t, const auto& column) {
                      const std::size_t year_column = column.at("year");
                      const std::size_t value_column = column.at("value");
                      const int year = ParseYear(fields[year_column].text, path, fields[year_column], year_column);
                      if (const auto value = ParseValue(fields[value_column], path, value_column)) {
                        table.values[iso3][year] = *value;
                      }
                    });
  return table;
}

WgiTables ReadWgi(const std::string& path, const CountryTable& countries, AttributeReadReport* report) {
  return ParseWgi(detail::ReadWholeFile(path), path, countries, report);
}

WgiTables ParseWgi(std::string_view text, const std::string& path, const CountryTable& countries,
                   AttributeReadReport* report) {
  detail::CsvReader reader(text, detail::DetectDelimiter(text), path);
  detail::CsvRecord header;
  if (!reader.Next(header)) throw InputError({path, 0, 0, 0}, "the file is empty");
  const auto columns = Columns(header);
  WgiTables tables;
  for (std::size_t k = 0; k < tables.size(); ++k) {
    tables[k].name = std::string("WGI.") + kWgiDimensions[k];
    tables[k].source = path;
  }
  auto dimension = [](std::string code) -> std::optional<std::size_t> {
    for (auto& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (code.size() > 4 && code.substr(code.size() - 4) == ".est") code = code.substr(0, code.size() - 4);
    for (std::size_t k = 0; k < kWgiDimensions.size(); ++k) {
      if (code == kWgiDimensions[k]) return k;
    }
    return std::nullopt;
  };
  AttributeReadReport counts;
  counts.file = path;
  detail::CsvRecord record;
  if (columns.contains("indicator") && columns.contains("estimate")) {
    const std::size_t code_column = Require(columns, "code", path, header.line);
    const std::size_t year_column = Require(columns, "year", path, header.line);
    const std::size_t indicator_column = columns.at("indicator");
    const std::size_t estimate_column = columns.at("estimate");
    while (reader.Next(record)) {
      if (record.fields.size() != header.fields.size()) {
        throw InputError({path, record.line, 1, 1}, "row has " + std::to_string(record.fields.size()) +
                                                        " fields, the header has " +
                                                        std::to_string(header.fields.size()));
      }
      const auto k = dimension(Trim(record.fields[indicator_column].text));
      if (!k) continue;
      const std::string code = Trim(record.fields[code_column].text);
      const auto iso3 = countries.Resolve(code);
      if (!iso3) {
        counts.skipped_codes.insert(code);
        continue;
      }
      ++counts.rows_read;
      const int year = ParseYear(record.fields[year_column].text, path, record.fields[year_column], year_column);
      if (const auto value = ParseValue(record.fields[estimate_column], path, estimate_column)) {
        tables[*k].values[*iso3][year] = *value;
      }
    }
  } else if (columns.contains("Series Code") && columns.contains("Country Code")) {
    const std::size_t code_column = columns.at("Country Code");
    const std::size_t series_column = columns.at("Series Code");
    const auto year_columns = YearColumns(columns);
    while (reader.Next(record)) {
      if (record.fields.size() <= std::max(series_column, code_column)) continue;
      const auto k = dimension(Trim(record.fields[series_column].text));
      if (!k) continue;
      ReadWideRow(record, code_column, year_columns, path, countries, counts, tables[*k].values);
    }
  } else {
    throw InputError({path, header.line, 1, 1},
                     "not a WGI file this engine reads: expected code,year,indicator,estimate (long) or Country "
                     "Code,Series Code,\"1996 [YR1996]\",... (DataBank)");
  }
  if (report != nullptr) *report = counts;
  return tables;
}

MembershipTable MembershipTable::Read(const std::string& path, const CountryTable& countries) {
  MembershipTable table;
  auto is_date = [](const std::string& s) {
    return s.size() == 10 && s[4] == '-' && s[7] == '-' &&
           std::all_of(s.begin(), s.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
  };
  ForEachEconomyRow(path, countries, "iso3", {"organisation", "joined", "left"},
                    [&](const std::string& iso3, const auto& fields, std::size_t line, const auto& column) {
                      Spell spell{Trim(fields[column.at("organisation")].text), Trim(fields[column.at("joined")].text),
                                  Trim(fields[column.at("left")].text)};
                      for (const char* which : {"joined", "left"}) {
                        const std::string& date = std::string(which) == "joined" ? spell.joined : spell.left;
                        if ((std::string(which) == "joined" || !date.empty()) && !is_date(date)) {
                          const auto& field = fields[column.at(which)];
                          throw InputError({path, line, field.column, column.at(which) + 1},
                                           "\"" + date + "\" is not a date (YYYY-MM-DD)");
                        }
                      }
                      table.spells_[iso3].push_back(std::move(spell));
                    });
  return table;
}

std::set<std::string> MembershipTable::MemberOf(const std::string& iso3, int year) const {
  std::set<std::string> member_of;
  const auto it = spells_.find(iso3);
  if (it == spells_.end()) return member_of;
  const std::string end_of_year = std::to_string(year) + "-12-31";
  for (const Spell& spell : it->second) {
    if (spell.joined <= end_of_year && (spell.left.empty() || spell.left > end_of_year)) {
      member_of.insert(spell.organisation);
    }
  }
  return member_of;
}

int MembershipTable::Count(const std::string& iso3, int year, const std::set<std::string>& organisations) const {
  int count = 0;
  for (const std::string& organisation : MemberOf(iso3, year)) {
    count += organisations.empty() || organisations.contains(organisation) ? 1 : 0;
  }
  return count;
}

std::set<std::string> MembershipTable::Organisations() const {
  std::set<std::string> out;
  for (const auto& [iso3, spells] : spells_) {
    for (const Spell& s : spells) out.insert(s.organisation);
  }
  return out;
}

AdvancedEconomies AdvancedEconomies::Read(const std::string& path, const CountryTable& countries) {
  AdvancedEconomies table;
  ForEachEconomyRow(path, countries, "iso3", {"from_year", "to_year"},
                    [&](const std::string& iso3, const auto& fields, std::size_t, const auto& column) {
                      const std::size_t from = column.at("from_year");
                      const std::size_t to = column.at("to_year");
                      const int first = ParseYear(fields[from].text, path, fields[from], from);
                      const int last = Trim(fields[to].text).empty() ? 9999 : ParseYear(fields[to].text, path, fields[to], to);
                      table.years_[iso3] = {first, last};
                    });
  return table;
}

bool AdvancedEconomies::IsAdvanced(const std::string& iso3, int year) const {
  const auto it = years_.find(iso3);
  return it != years_.end() && year >= it->second.first && year <= it->second.second;
}

}  // namespace qap
