#include "qap/trade/attributes.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <tuple>

#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/text.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/text_encoding.hpp"
#include "qap/io/xlsx_reader.hpp"

namespace qap {

namespace {

// Values a series can plausibly hold; anything outside is a unit or column
// mix-up (a percentile rank or a standard error read as the estimate), not data.
struct ValueRange {
  double low;
  double high;
  const char* what;
};
// WGI estimates are standard normal units, in practice within about -2.5..2.5;
// beyond +-5 no published estimate has ever been.
constexpr ValueRange kWgiEstimateRange{-5.0, 5.0,
                                       "a WGI estimate (standard normal units, about -2.5 to 2.5)"};

std::optional<double> ParseValue(const detail::CsvField& field, const std::string& file,
                                 std::size_t column, const ValueRange* range = nullptr) {
  const std::string text(Trim(field.text));
  if (text.empty() || text == ".." || text == "NA" || text == "#N/A") return std::nullopt;
  const auto value = ParseFiniteNumber(text);
  if (!value) {
    throw InputError({file, field.line, field.column, column + 1},
                     "\"" + text + "\" is not a number");
  }
  if (range != nullptr && (*value < range->low || *value > range->high)) {
    throw InputError({file, field.line, field.column, column + 1},
                     text + " is outside " + FormatRoundTrip(range->low) + ".." +
                         FormatRoundTrip(range->high) + ", the range of " + range->what +
                         ": is this the right column or file?");
  }
  return value;
}

int ParseYear(const std::string& text, const std::string& file, const detail::CsvField& field,
              std::size_t column) {
  const std::string trimmed(Trim(text));
  const auto year = qap::ParseYear(trimmed);
  if (!year) {
    throw InputError({file, field.line, field.column, column + 1},
                     "\"" + trimmed + "\" is not a year (four digits, 1900 to 2100)");
  }
  return *year;
}

// A column named by a year: "2023" (API layout) or "2023 [YR2023]" (DataBank).
std::optional<int> YearOfColumn(const std::string& name) {
  const bool databank = name.size() == 13 && name.compare(4, 4, " [YR") == 0 &&
                        name.back() == ']' && name.compare(8, 4, name, 0, 4) == 0;
  if (name.size() != 4 && !databank) return std::nullopt;
  int year = 0;
  if (std::from_chars(name.data(), name.data() + 4, year).ec != std::errc() || year < 1900 ||
      year > 2100) {
    return std::nullopt;
  }
  return year;
}

// "2023" or DataBank's "YR2023" in a Time column.
std::optional<int> YearOfCell(std::string text) {
  text = std::string(Trim(text));
  if (text.size() == 6 && text.compare(0, 2, "YR") == 0) text = text.substr(2);
  return YearOfColumn(text);
}

// The series code of a DataBank "series in columns" header:
// "GDP per capita (current US$) [NY.GDP.PCAP.CD]" -> "NY.GDP.PCAP.CD".
std::optional<std::string> SeriesOfColumn(const std::string& name) {
  if (name.size() < 3 || name.back() != ']') return std::nullopt;
  const auto open = name.rfind('[');
  if (open == std::string::npos || open + 2 >= name.size()) return std::nullopt;
  return name.substr(open + 1, name.size() - open - 2);
}

// Collects what a reader did with each economy it met, and refuses a second
// value for the same economy and series (nothing is overwritten in silence).
class EconomyRows {
 public:
  EconomyRows(const CountryTable& countries, AttributeReadReport& report)
      : countries_(countries), report_(report) {}

  // The ISO3 code of a row's economy, or nothing (aggregate or unresolved, recorded).
  std::optional<std::string> Resolve(const std::string& code_text, const std::string& name_text,
                                     std::size_t line) {
    const std::string code(Trim(code_text));
    const std::string name(Trim(name_text));
    const EconomyMatch match = countries_.Match(code, name);
    switch (match.kind) {
      case EconomyMatch::Kind::kAggregate:
        ++report_.aggregates[code.empty() ? name : code];
        return std::nullopt;
      case EconomyMatch::Kind::kUnresolved:
        if (seen_unresolved_.insert(code + '\n' + name).second) {
          report_.unresolved.push_back({code, name, report_.file, line});
        }
        return std::nullopt;
      case EconomyMatch::Kind::kEconomy:
        if (match.by_name && !code.empty()) report_.resolved_by_name[code] = match.iso3;
        ++report_.rows_read;
        return match.iso3;
    }
    return std::nullopt;
  }

  // Throws when `key` (economy and series, or economy, series and year) was
  // already given on another line.
  void Claim(const std::string& key, const std::string& what, const detail::CsvRecord& record) {
    const auto [it, inserted] = lines_.emplace(key, record.line);
    if (!inserted) {
      throw InputError({report_.file, record.line, 1, 1},
                       what + " is given twice, on lines " + std::to_string(it->second) + " and " +
                           std::to_string(record.line) + "; remove one");
    }
  }

 private:
  const CountryTable& countries_;
  AttributeReadReport& report_;
  std::set<std::string> seen_unresolved_;
  std::map<std::string, std::size_t> lines_;
};

// A World Bank wide table (API, bulk or DataBank layout) of any series.
// `slot` maps a series code to where its values go (or nothing to leave the
// row out); `sink` receives each value.
struct WorldBankSink {
  std::function<std::optional<std::size_t>(const std::string& series)> slot;
  std::function<void(std::size_t slot, const std::string& iso3, int year, double value)> store;
  const ValueRange* range = nullptr;  // refused outside, naming the cell
};

// Footer lines DataBank writes under the data.
bool IsDataBankFooter(const detail::CsvRecord& record) {
  std::size_t used = 0;
  for (const auto& f : record.fields) used += Trim(f.text).empty() ? 0U : 1U;
  if (used != 1) return false;
  const std::string first(Trim(record.fields.front().text));
  return first.rfind("Data from database:", 0) == 0 || first.rfind("Last Updated:", 0) == 0;
}

bool AllEmpty(const detail::CsvRecord& record) {
  return std::all_of(record.fields.begin(), record.fields.end(),
                     [](const detail::CsvField& f) { return Trim(f.text).empty(); });
}

// Reads the records after a World Bank header; returns the layout name.
std::string ReadWorldBankTable(detail::CsvReader& reader, const detail::CsvRecord& header,
                               const WorldBankSink& sink, EconomyRows& economies,
                               AttributeReadReport& report, std::set<std::string>& series_seen,
                               std::size_t& rows_of_wanted_series) {
  const std::string& path = report.file;
  // Unnamed columns (the API layout's trailing comma) are left out.
  const detail::CsvTable table(header, path);
  const auto& columns = table.columns();
  const std::size_t code_column = table.RequireColumn("Country Code");
  const auto name_column =
      columns.contains("Country Name") ? std::optional(columns.at("Country Name")) : std::nullopt;
  auto name_of = [&](const detail::CsvRecord& r) {
    return name_column ? r.fields[*name_column].text : std::string();
  };

  std::optional<std::size_t> series_column;
  for (const char* candidate : {"Indicator Code", "Series Code"}) {
    if (columns.contains(candidate)) series_column = columns.at(candidate);
  }
  std::vector<std::pair<std::size_t, int>> year_columns;
  std::vector<std::pair<std::size_t, std::string>> series_columns;
  for (const auto& [name, column] : columns) {
    if (const auto year = YearOfColumn(name)) year_columns.emplace_back(column, *year);
    if (const auto series = SeriesOfColumn(name)) series_columns.emplace_back(column, *series);
  }
  const auto time_column =
      columns.contains("Time") ? std::optional(columns.at("Time")) : std::nullopt;
  std::string layout;
  if (series_column && !year_columns.empty()) {
    layout = columns.contains("Indicator Code") ? "World Bank API/bulk CSV (series in rows)"
                                                : "World Bank DataBank (series in rows)";
  } else if (time_column && !series_columns.empty()) {
    layout = "World Bank DataBank (series in columns)";
  } else {
    throw InputError({path, header.line, 1, 1},
                     "a World Bank header without the columns of a layout this engine reads: "
                     "expected \"Indicator "
                     "Code\" or \"Series Code\" with year columns (\"2022\" or \"2022 [YR2022]\"), "
                     "or \"Time\" with "
                     "series columns (\"... [NY.GDP.PCAP.CD]\"); DataBank files with countries in "
                     "columns are not "
                     "read: choose Series (or Time) in columns when downloading");
  }

  bool footer = false;
  detail::CsvRecord record;
  while (reader.Next(record)) {
    if (footer || IsDataBankFooter(record)) {
      if (!IsDataBankFooter(record) && !AllEmpty(record)) {
        throw InputError({path, record.line, 1, 1},
                         "data after DataBank's footer (\"Data from database\", \"Last "
                         "Updated\"): the file was edited or two downloads were joined");
      }
      footer = true;
      continue;
    }
    if (record.fields.size() != header.fields.size()) {
      if (AllEmpty(record)) continue;
      detail::RefuseFieldCount(header, record, path);
    }
    if (AllEmpty(record)) continue;
    // A row is one series over the years (series in rows) or one year of every
    // series (series in columns). The layouts differ only in which cells hold
    // wanted values and in what identifies the row; resolving the economy,
    // refusing a repeated row and storing the cells are one path.
    struct Cell {
      std::size_t column;
      std::size_t slot;
      int year;
    };
    std::vector<Cell> cells;
    bool wanted = false;
    std::string row_key;   // with the economy, what must not repeat
    std::string row_what;  // the same, for the message
    if (series_column) {
      const std::string series(Trim(record.fields[*series_column].text));
      series_seen.insert(series);
      if (const auto slot = sink.slot(series)) {
        wanted = true;
        for (const auto& [column, year] : year_columns) cells.push_back({column, *slot, year});
      }
      row_key = series;
      row_what = ", series " + series;
    } else {
      const auto& time = record.fields[*time_column];
      const auto year = YearOfCell(time.text);
      if (!year) {
        throw InputError({path, record.line, time.column, *time_column + 1},
                         "\"" + time.text + "\" is not a year");
      }
      for (const auto& [column, series] : series_columns) {
        series_seen.insert(series);
        if (const auto slot = sink.slot(series)) cells.push_back({column, *slot, *year});
      }
      wanted = !cells.empty();
      row_key = std::to_string(*year);
      row_what = ", year " + row_key;
    }
    if (!wanted) {
      ++report.other_series_rows;
      continue;
    }
    ++rows_of_wanted_series;
    const auto iso3 =
        economies.Resolve(record.fields[code_column].text, name_of(record), record.line);
    if (!iso3) continue;
    economies.Claim(*iso3 + '\n' + row_key, "economy " + *iso3 + row_what, record);
    for (const Cell& cell : cells) {
      if (const auto value =
              ParseValue(record.fields[cell.column], path, cell.column, sink.range)) {
        sink.store(cell.slot, *iso3, cell.year, *value);
      }
    }
  }
  return layout;
}

// The first record of the first 30 holding a "Country Code" column: the
// header of every World Bank layout, below whatever preamble there is.
std::optional<detail::CsvRecord> FindWorldBankHeader(detail::CsvReader& reader) {
  detail::CsvRecord record;
  for (int i = 0; i < 30 && reader.Next(record); ++i) {
    for (const auto& field : record.fields) {
      if (Trim(field.text) == "Country Code") return record;
    }
  }
  return std::nullopt;
}

std::string ListSome(const std::set<std::string>& values, std::size_t at_most = 8) {
  std::string out;
  std::size_t shown = 0;
  for (const std::string& v : values) {
    if (v.empty()) continue;
    if (shown == at_most) {
      out += ", ...";
      break;
    }
    out += (shown++ == 0 ? "" : ", ") + v;
  }
  return out.empty() ? "none" : out;
}

// Reads a whole World Bank table (API, bulk or DataBank layout) from `text`:
// the header among the first 30 lines, then every row into `sink`; returns
// the layout's name. WDI and WGI files differ only in which series they keep
// and in what they say when the file is not theirs: `no_header` (at
// `no_header_at`) without a header, `no_rows` and the series the file does
// have when no row holds a wanted one.
std::string ReadWorldBankText(const std::string& text, const std::string& path,
                              const WorldBankSink& sink, EconomyRows& economies,
                              AttributeReadReport& counts, const SourcePosition& no_header_at,
                              const std::string& no_header, const std::string& no_rows) {
  detail::CsvReader reader(text, detail::DetectDelimiter(text), path);
  const auto header = FindWorldBankHeader(reader);
  if (!header) throw InputError(no_header_at, no_header);
  std::set<std::string> series_seen;
  std::size_t wanted_rows = 0;
  std::string layout =
      ReadWorldBankTable(reader, *header, sink, economies, counts, series_seen, wanted_rows);
  if (wanted_rows == 0) throw InputError({path, 0, 0, 0}, no_rows + ListSome(series_seen));
  return layout;
}

// Reads a small table whose rows each name an economy in `economy_column`:
// checks the named columns and every row's width, resolves the economy, and
// calls row(iso3, fields, line, column_of) for each row.
template <typename Row>
void ForEachEconomyRow(const std::string& path, const CountryTable& countries,
                       const std::string& economy_column, const std::vector<std::string>& required,
                       Row row) {
  const std::string text = detail::ReadWholeFile(path, detail::kEconomyTableReadLimit);
  const auto records = detail::TokenizeCsv(text, detail::DetectDelimiter(text), path);
  if (records.empty()) throw InputError({path, 0, 0, 0}, "the file is empty");
  const detail::CsvTable table(records[0], path);
  std::map<std::string, std::size_t> column_of;
  for (const std::string& name : required) column_of[name] = table.RequireColumn(name);
  const std::size_t economy = table.RequireColumn(economy_column);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& fields = records[r].fields;
    detail::RefuseFieldCount(records[0], records[r], path);
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

AttributeTable ParseWdiIndicator(std::string_view bytes, const std::string& path,
                                 const std::string& indicator_code, const CountryTable& countries,
                                 AttributeReadReport* report) {
  const detail::DecodedText decoded = detail::DecodeText(std::string(bytes), path);
  AttributeReadReport counts;
  counts.file = path;
  counts.encoding = decoded.encoding;
  AttributeTable table;
  table.name = indicator_code;
  table.source = path;
  EconomyRows economies(countries, counts);
  WorldBankSink sink;
  sink.slot = [&](const std::string& series) -> std::optional<std::size_t> {
    return series == indicator_code ? std::optional<std::size_t>(0) : std::nullopt;
  };
  sink.store = [&](std::size_t, const std::string& iso3, int year, double value) {
    table.values[iso3][year] = value;
  };
  counts.layout = ReadWorldBankText(
      decoded.text, path, sink, economies, counts, {path, 0, 0, 0},
      "no World Bank header row in the first 30 lines: expected \"Country Name\","
      "\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"1960\",... (API/bulk "
      "download), Country Name,Country Code,Series Name,Series Code,\"2022 [YR2022]\",... "
      "or Country Name,Country Code,Time,Time Code,\"... [" +
          indicator_code + "]\" (DataBank)",
      "no rows of indicator " + indicator_code + "; the file has ");
  if (report != nullptr) *report = counts;
  return table;
}

std::string DescribeUnresolved(const AttributeReadReport& report, std::size_t at_most) {
  std::string out;
  for (std::size_t i = 0; i < report.unresolved.size() && i < at_most; ++i) {
    const UnresolvedEconomy& u = report.unresolved[i];
    out += (i == 0 ? "" : "; ") +
           (u.name.empty() ? u.code : u.name + (u.code.empty() ? "" : " (" + u.code + ")")) +
           ", line " + std::to_string(u.line);
  }
  if (report.unresolved.size() > at_most) {
    out += "; and " + std::to_string(report.unresolved.size() - at_most) + " more";
  }
  return out;
}

AttributeTable ReadLongAttribute(const std::string& path, const std::string& name,
                                 const CountryTable& countries) {
  AttributeTable table;
  table.name = name;
  table.source = path;
  std::map<std::pair<std::string, int>, std::size_t> line_of;
  ForEachEconomyRow(
      path, countries, "iso3", {"year", "value"},
      [&](const std::string& iso3, const auto& fields, std::size_t line, const auto& column) {
        const std::size_t year_column = column.at("year");
        const std::size_t value_column = column.at("value");
        const int year =
            ParseYear(fields[year_column].text, path, fields[year_column], year_column);
        if (const auto [it, inserted] = line_of.emplace(std::pair{iso3, year}, line); !inserted) {
          throw InputError({path, line, 1, 1},
                           "economy " + iso3 + ", year " + std::to_string(year) +
                               " is given twice, on lines " + std::to_string(it->second) + " and " +
                               std::to_string(line) + "; remove one");
        }
        if (const auto value = ParseValue(fields[value_column], path, value_column)) {
          table.values[iso3][year] = *value;
        }
      });
  return table;
}

namespace {

std::optional<std::size_t> WgiDimension(std::string code) {
  code = Lower(Trim(code));
  if (code.size() > 4 && code.substr(code.size() - 4) == ".est")
    code = code.substr(0, code.size() - 4);
  for (std::size_t k = 0; k < kWgiDimensions.size(); ++k) {
    if (code == kWgiDimensions[k]) return k;
  }
  return std::nullopt;
}

WgiTables EmptyWgiTables(const std::string& path) {
  WgiTables tables;
  for (std::size_t k = 0; k < tables.size(); ++k) {
    tables[k].name = std::string("WGI.") + kWgiDimensions[k];
    tables[k].source = path;
  }
  return tables;
}

bool IsWgiLongHeader(const detail::CsvRecord& header) {
  bool indicator = false;
  bool estimate = false;
  for (const auto& f : header.fields) {
    const std::string name = Lower(Trim(f.text));
    indicator = indicator || name == "indicator";
    estimate = estimate || name == "estimate";
  }
  return indicator && estimate;
}

// The long layout (CSV, or the 2024 workbook's sheet): one row per economy,
// year and indicator. `next` yields the records after the header.
template <typename Next>
void ReadWgiLong(const detail::CsvRecord& header, Next next, EconomyRows& economies,
                 AttributeReadReport& report, WgiTables& tables) {
  const std::string& path = report.file;
  const detail::CsvTable table(header, path, /*case_insensitive=*/true);
  const std::size_t code_column = table.RequireColumn("code");
  const std::size_t year_column = table.RequireColumn("year");
  const std::size_t indicator_column = table.RequireColumn("indicator");
  const std::size_t estimate_column = table.RequireColumn("estimate");
  const auto name_column = table.FindColumn("countryname");
  const detail::CsvRecord* record = nullptr;
  while ((record = next()) != nullptr) {
    if (record->fields.size() != header.fields.size()) {
      if (AllEmpty(*record)) continue;
      detail::RefuseFieldCount(header, *record, path);
    }
    const auto k = WgiDimension(record->fields[indicator_column].text);
    if (!k) {
      ++report.other_series_rows;
      continue;
    }
    const auto iso3 = economies.Resolve(
        record->fields[code_column].text,
        name_column ? record->fields[*name_column].text : std::string(), record->line);
    if (!iso3) continue;
    const int year =
        ParseYear(record->fields[year_column].text, path, record->fields[year_column], year_column);
    economies.Claim(
        *iso3 + '\n' + kWgiDimensions[*k] + '\n' + std::to_string(year),
        "economy " + *iso3 + ", indicator " + kWgiDimensions[*k] + ", year " + std::to_string(year),
        *record);
    if (const auto value = ParseValue(record->fields[estimate_column], path, estimate_column,
                                      &kWgiEstimateRange)) {
      tables[*k].values[*iso3][year] = *value;
    }
  }
}

// "Political StabilityNoViolence" -> pv: the indicator sheets of the release
// workbooks up to 2023.
std::optional<std::size_t> WgiSheetDimension(const std::string& sheet) {
  std::string key;
  for (char c : sheet) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0)
      key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  static const std::array<const char*, 6> kSheets = {"voiceandaccountability",
                                                     "politicalstabilitynoviolence",
                                                     "governmenteffectiveness",
                                                     "regulatoryquality",
                                                     "ruleoflaw",
                                                     "controlofcorruption"};
  for (std::size_t k = 0; k < kSheets.size(); ++k) {
    if (key.rfind(kSheets[k], 0) == 0) return k;
  }
  return std::nullopt;
}

// One indicator sheet: a year row, then "Country/Territory","Code",
// "Estimate","StdErr","NumSrc","Rank","Lower","Upper" per year, then a row
// per economy.
void ReadWgiIndicatorSheet(const detail::XlsxSheet& sheet, std::size_t k, EconomyRows& economies,
                           AttributeReadReport& report, WgiTables& tables) {
  const std::string where = report.file + " [sheet " + sheet.name + "]";
  std::size_t header = sheet.rows.size();
  for (std::size_t r = 1; r < sheet.rows.size() && r < 40; ++r) {
    const auto& fields = sheet.rows[r].fields;
    const bool has_code = std::any_of(fields.begin(), fields.end(),
                                      [](const auto& f) { return Trim(f.text) == "Code"; });
    const bool has_estimate = std::any_of(fields.begin(), fields.end(),
                                          [](const auto& f) { return Trim(f.text) == "Estimate"; });
    if (has_code && has_estimate) {
      header = r;
      break;
    }
  }
  if (header == sheet.rows.size()) {
    throw InputError({where, 0, 0, 0},
                     "no header row with \"Code\" and \"Estimate\" in the first 40 rows: not the "
                     "WGI release workbook layout");
  }
  const auto& names = sheet.rows[header];
  const auto& years = sheet.rows[header - 1];
  if (years.line + 1 != names.line) {
    throw InputError({where, names.line, 1, 1},
                     "the row above the \"Estimate\" header does not hold the years");
  }
  std::optional<std::size_t> code_column;
  std::optional<std::size_t> name_column;
  std::vector<std::pair<std::size_t, int>> estimates;  // column, year
  for (std::size_t c = 0; c < names.fields.size(); ++c) {
    const std::string name(Trim(names.fields[c].text));
    if (name == "Code" && !code_column) code_column = c;
    if ((name == "Country/Territory" || name == "Country") && !name_column) name_column = c;
    if (name != "Estimate") continue;
    // The year stands over the first column of its block of six.
    std::optional<int> year;
    for (std::size_t back = 0; back < 6 && back <= c; ++back) {
      if (c - back < years.fields.size()) {
        if (const auto y = YearOfCell(years.fields[c - back].text)) {
          year = y;
          break;
        }
      }
    }
    if (!year) {
      throw InputError({where, years.line, c + 1, c + 1},
                       "no year above the \"Estimate\" column " + std::to_string(c + 1));
    }
    estimates.emplace_back(c, *year);
  }
  if (!code_column) throw InputError({where, names.line, 1, 1}, "no \"Code\" column");
  for (std::size_t r = header + 1; r < sheet.rows.size(); ++r) {
    const detail::CsvRecord& row = sheet.rows[r];
    auto cell = [&](std::size_t c) {
      return c < row.fields.size() ? row.fields[c].text : std::string();
    };
    if (Trim(cell(*code_column)).empty() && (!name_column || Trim(cell(*name_column)).empty()))
      continue;
    const auto iso3 = economies.Resolve(cell(*code_column),
                                        name_column ? cell(*name_column) : std::string(), row.line);
    if (!iso3) continue;
    economies.Claim(*iso3 + '\n' + kWgiDimensions[k], "sheet " + sheet.name + ": economy " + *iso3,
                    row);
    for (const auto& [column, year] : estimates) {
      if (column >= row.fields.size()) continue;
      detail::CsvField field = row.fields[column];
      if (const auto value = ParseValue(field, where, column, &kWgiEstimateRange))
        tables[k].values[*iso3][year] = *value;
    }
  }
}

WgiTables ParseWgiWorkbook(std::string_view bytes, const std::string& path,
                           const CountryTable& countries, AttributeReadReport& counts) {
  const auto sheets = detail::ParseXlsxWorkbook(bytes, path);
  WgiTables tables = EmptyWgiTables(path);
  EconomyRows economies(countries, counts);
  counts.encoding = "xlsx";
  // 2024 release: one long sheet.
  for (const auto& sheet : sheets) {
    if (sheet.rows.empty() || !IsWgiLongHeader(sheet.rows.front())) continue;
    counts.layout = "WGI release workbook, long sheet \"" + sheet.name + "\"";
    std::size_t r = 1;
    ReadWgiLong(
        sheet.rows.front(),
        [&]() -> const detail::CsvRecord* {
          return r < sheet.rows.size() ? &sheet.rows[r++] : nullptr;
        },
        economies, counts, tables);
    return tables;
  }
  // Releases up to 2023: a sheet per indicator, all six needed.
  std::array<const detail::XlsxSheet*, 6> by_dimension{};
  for (const auto& sheet : sheets) {
    if (const auto k = WgiSheetDimension(sheet.name)) {
      if (by_dimension[*k] != nullptr) {
        throw InputError({path, 0, 0, 0}, "two sheets hold " + std::string(kWgiDimensions[*k]) +
                                              ": \"" + by_dimension[*k]->name + "\" and \"" +
                                              sheet.name + "\"");
      }
      by_dimension[*k] = &sheet;
    }
  }
  std::string missing;
  for (std::size_t k = 0; k < by_dimension.size(); ++k) {
    if (by_dimension[k] == nullptr)
      missing += std::string(missing.empty() ? "" : ", ") + kWgiDimensions[k];
  }
  if (!missing.empty()) {
    std::string names;
    for (const auto& sheet : sheets) names += (names.empty() ? "\"" : ", \"") + sheet.name + "\"";
    throw InputError(
        {path, 0, 0, 0},
        "not a WGI release workbook: expected a long sheet (code, year, indicator, estimate, ...) "
        "or one "
        "sheet per indicator (VoiceandAccountability, Political StabilityNoViolence, "
        "GovernmentEffectiveness, RegulatoryQuality, RuleofLaw, ControlofCorruption); missing " +
            missing + "; the workbook has sheets " + (names.empty() ? "none" : names) +
            ". Other workbooks are not read: export the data as CSV");
  }
  counts.layout = "WGI release workbook, one sheet per indicator";
  for (std::size_t k = 0; k < by_dimension.size(); ++k) {
    ReadWgiIndicatorSheet(*by_dimension[k], k, economies, counts, tables);
  }
  return tables;
}

}  // namespace

WgiTables ReadWgi(const std::string& path, const CountryTable& countries,
                  AttributeReadReport* report) {
  return ParseWgi(detail::ReadWholeFile(path), path, countries, report);
}

WgiTables ParseWgi(std::string_view bytes, const std::string& path, const CountryTable& countries,
                   AttributeReadReport* report) {
  AttributeReadReport counts;
  counts.file = path;
  if (detail::LooksLikeZip(bytes) || detail::LooksLikeOle2(bytes)) {
    WgiTables tables = ParseWgiWorkbook(bytes, path, countries, counts);
    if (report != nullptr) *report = counts;
    return tables;
  }
  const detail::DecodedText decoded = detail::DecodeText(std::string(bytes), path);
  counts.encoding = decoded.encoding;
  WgiTables tables = EmptyWgiTables(path);
  EconomyRows economies(countries, counts);
  detail::CsvReader reader(decoded.text, detail::DetectDelimiter(decoded.text), path);
  detail::CsvRecord header;
  if (!reader.Next(header)) throw InputError({path, 0, 0, 0}, "the file is empty");
  if (IsWgiLongHeader(header)) {
    counts.layout = "WGI long CSV";
    detail::CsvRecord record;
    ReadWgiLong(
        header,
        [&]() -> const detail::CsvRecord* { return reader.Next(record) ? &record : nullptr; },
        economies, counts, tables);
  } else {
    WorldBankSink sink;
    sink.slot = [](const std::string& series) -> std::optional<std::size_t> {
      // Only the estimates: WGIData.csv also has .STD.ERR, .NO.SRC, .PER.RNK, ...
      const std::string lower = Lower(series);
      if (lower.size() < 4 || lower.substr(lower.size() - 4) != ".est") return std::nullopt;
      return WgiDimension(lower);
    };
    sink.store = [&](std::size_t k, const std::string& iso3, int year, double value) {
      tables[k].values[iso3][year] = value;
    };
    sink.range = &kWgiEstimateRange;
    counts.layout = ReadWorldBankText(
        decoded.text, path, sink, economies, counts, {path, header.line, 1, 1},
        "not a WGI file this engine reads: expected the long layout "
        "(code,countryname,year,indicator,"
        "estimate,...), a World Bank layout with series VA.EST ... CC.EST (\"Country "
        "Code\",\"Indicator "
        "Code\",\"1996\",... as in WGIData.csv, or DataBank's Country Code,Series Code,\"1996 "
        "[YR1996]\",...), or the release workbook (.xlsx)",
        "no WGI estimates (series VA.EST, PV.EST, GE.EST, RQ.EST, RL.EST, CC.EST); the file has ");
  }
  if (report != nullptr) *report = counts;
  return tables;
}

MembershipTable MembershipTable::Read(const std::string& path, const CountryTable& countries) {
  MembershipTable table;
  // A calendar date: "1995-13-45" has the shape but no such day, and
  // comparing it as text would still place it in some year.
  auto is_date = [](const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    const auto year = qap::ParseYear(std::string_view(s).substr(0, 4), 1800, 2200);
    const auto two = [&](std::size_t at) {
      const char a = s[at];
      const char b = s[at + 1];
      return (a >= '0' && a <= '9' && b >= '0' && b <= '9') ? (a - '0') * 10 + (b - '0') : -1;
    };
    const int month = two(5);
    const int day = two(8);
    if (!year || month < 1 || month > 12 || day < 1) return false;
    constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
    return day <= kDays[static_cast<std::size_t>(month - 1)] + (month == 2 && leap ? 1 : 0);
  };
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> line_of;
  ForEachEconomyRow(
      path, countries, "iso3", {"organisation", "joined", "left"},
      [&](const std::string& iso3, const auto& fields, std::size_t line, const auto& column) {
        Spell spell{std::string(Trim(fields[column.at("organisation")].text)),
                    std::string(Trim(fields[column.at("joined")].text)),
                    std::string(Trim(fields[column.at("left")].text))};
        for (const char* which : {"joined", "left"}) {
          const std::string& date = std::string(which) == "joined" ? spell.joined : spell.left;
          if ((std::string(which) == "joined" || !date.empty()) && !is_date(date)) {
            const auto& field = fields[column.at(which)];
            throw InputError({path, line, field.column, column.at(which) + 1},
                             "\"" + date + "\" is not a date (YYYY-MM-DD, a day of the calendar)");
          }
        }
        if (!spell.left.empty() && spell.left < spell.joined) {
          const auto& field = fields[column.at("left")];
          throw InputError({path, line, field.column, column.at("left") + 1},
                           iso3 + " leaves " + spell.organisation + " on " + spell.left +
                               ", before it joins on " + spell.joined);
        }
        if (const auto [it, inserted] =
                line_of.emplace(std::tuple{iso3, spell.organisation, spell.joined}, line);
            !inserted) {
          throw InputError({path, line, 1, 1}, iso3 + " joining " + spell.organisation + " on " +
                                                   spell.joined + " is given twice, on lines " +
                                                   std::to_string(it->second) + " and " +
                                                   std::to_string(line) + "; remove one");
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

int MembershipTable::Count(const std::string& iso3, int year,
                           const std::set<std::string>& organisations) const {
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
  std::map<std::string, std::size_t> line_of;
  ForEachEconomyRow(
      path, countries, "iso3", {"from_year", "to_year"},
      [&](const std::string& iso3, const auto& fields, std::size_t line, const auto& column) {
        const std::size_t from = column.at("from_year");
        const std::size_t to = column.at("to_year");
        const int first = ParseYear(fields[from].text, path, fields[from], from);
        const int last =
            Trim(fields[to].text).empty() ? 9999 : ParseYear(fields[to].text, path, fields[to], to);
        if (last < first) {
          throw InputError({path, line, fields[to].column, to + 1},
                           iso3 + ": to_year " + std::to_string(last) + " is before from_year " +
                               std::to_string(first));
        }
        if (const auto [it, inserted] = line_of.emplace(iso3, line); !inserted) {
          throw InputError({path, line, 1, 1},
                           iso3 + " is listed twice, on lines " + std::to_string(it->second) +
                               " and " + std::to_string(line) + "; give one row per economy");
        }
        table.years_[iso3] = {first, last};
      });
  return table;
}

bool AdvancedEconomies::IsAdvanced(const std::string& iso3, int year) const {
  const auto it = years_.find(iso3);
  return it != years_.end() && year >= it->second.first && year <= it->second.second;
}

}  // namespace qap
