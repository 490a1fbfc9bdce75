// Reader of the IMF WEO database file and the --gdp-fill dispatcher (layout in
// qap/weo.hpp). Deviations from the other attribute readers: the file is
// decoded first (the IMF ships UTF-16LE or Latin-1), numbers carry thousands
// separators, and a free-text footer line follows the data.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "qap/core/errors.hpp"
#include "qap/core/text.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/text_encoding.hpp"
#include "qap/trade/weo.hpp"

namespace qap {

namespace {

constexpr const char* kWeoLayout = "IMF WEO database (by countries)";
constexpr const char* kLongLayout = "iso3,year,value";
constexpr std::string_view kFooterStart = "International Monetary Fund";
constexpr const char* kWeoHeader =
    "WEO Country Code<TAB>ISO<TAB>WEO Subject Code<TAB>Country<TAB>Subject "
    "Descriptor<TAB>...<TAB>1980<TAB>...";
// How many of the file's subject codes a "no such subject" message lists.
constexpr std::size_t kSubjectsNamed = 8;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A WEO value: "12,614.060", "0.123", "-1,234.5"; "n/a", "--" and empty are
// missing. Commas must group thousands in the integer part, so "1,2" or
// "0.1,5" (a decimal comma, i.e. not this layout) is refused rather than misread.
std::optional<double> ParseWeoValue(const detail::CsvField& field, const std::string& source,
                                    std::size_t column) {
  const std::string text(Trim(field.text));
  if (text.empty() || text == "n/a" || text == "--") return std::nullopt;
  auto refuse = [&]() -> std::optional<double> {
    throw InputError({source, field.line, field.column, column + 1},
                     "\"" + text +
                         "\" is not a number (WEO values look like 12,614.060 with thousands "
                         "separators, missing "
                         "ones n/a or --)");
  };
  std::string digits;
  digits.reserve(text.size());
  bool after_point = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ',') {
      const bool grouped = !after_point && i > 0 && IsDigit(text[i - 1]) && i + 3 < text.size() &&
                           IsDigit(text[i + 1]) && IsDigit(text[i + 2]) && IsDigit(text[i + 3]) &&
                           (i + 4 == text.size() || text[i + 4] == ',' || text[i + 4] == '.');
      if (!grouped) return refuse();
      continue;
    }
    if (c == '.') after_point = true;
    digits.push_back(c);
  }
  double value = 0.0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value))
    return refuse();
  return value;
}

// Header fields that are a year ("1980" ... "2029"); "Estimates Start After"
// holds a year in its rows but is not one.
std::vector<std::pair<std::size_t, int>> WeoYearColumns(const detail::CsvRecord& header) {
  std::vector<std::pair<std::size_t, int>> years;
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const std::string name(Trim(header.fields[c].text));
    int year = 0;
    if (name.size() == 4 && std::all_of(name.begin(), name.end(), IsDigit) &&
        std::from_chars(name.data(), name.data() + 4, year).ec == std::errc() && year >= 1900 &&
        year <= 2100) {
      years.emplace_back(c, year);
    }
  }
  return years;
}

std::optional<std::size_t> FindColumn(const detail::CsvRecord& header, std::string_view name) {
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    if (Trim(header.fields[c].text) == name) return c;
  }
  return std::nullopt;
}

// The first record of `text`, read with the delimiter the text suggests.
std::optional<detail::CsvRecord> FirstRecord(std::string_view text, const std::string& source) {
  detail::CsvReader reader(text, detail::DetectDelimiter(text), source);
  detail::CsvRecord record;
  if (!reader.Next(record)) return std::nullopt;
  return record;
}

}  // namespace

AttributeTable ParseWeo(std::string_view text, const std::string& source,
                        const std::string& subject_code, const CountryTable& countries,
                        AttributeReadReport* report) {
  detail::CsvReader reader(text, '\t', source);
  detail::CsvRecord header;
  if (!reader.Next(header)) throw InputError({source, 0, 0, 0}, "the file is empty");
  detail::RefuseDuplicateHeaderNames(header, source);
  std::size_t iso_column = 0;
  std::size_t subject_column = 0;
  std::size_t country_column = 0;
  {
    const auto iso = FindColumn(header, "ISO");
    const auto subject = FindColumn(header, "WEO Subject Code");
    const auto country = FindColumn(header, "Country");
    if (!iso || !subject || !country) {
      throw InputError(
          {source, header.line, 1, 1},
          std::string("not the IMF WEO database file by countries: the header must name ISO, WEO "
                      "Subject Code and Country, tab-separated (") +
              kWeoHeader + ")");
    }
    iso_column = *iso;
    subject_column = *subject;
    country_column = *country;
  }
  const auto years = WeoYearColumns(header);
  if (years.empty()) {
    throw InputError({source, header.line, 1, 1},
                     std::string("the WEO header has no year columns (") + kWeoHeader + ")");
  }

  AttributeTable table;
  table.name = subject_code;
  table.source = source;
  AttributeReadReport counts;
  counts.file = source;
  counts.layout = kWeoLayout;
  std::map<std::string, std::size_t> line_of;  // iso3 -> line of its subject row
  std::set<std::pair<std::string, std::string>> unresolved_seen;
  std::vector<std::string> subjects;  // in file order, the first kSubjectsNamed
  std::set<std::string> subjects_seen;
  std::size_t data_rows = 0;
  std::size_t matched = 0;
  std::size_t footer_line = 0;
  detail::CsvRecord record;
  while (reader.Next(record)) {
    if (footer_line != 0) {
      throw InputError({source, record.line, 1, 1}, "a row after the footer line (line " +
                                                        std::to_string(footer_line) +
                                                        "): the file is not one WEO database file");
    }
    if (record.fields.size() == 1 && Trim(record.fields[0].text).starts_with(kFooterStart)) {
      footer_line = record.line;
      continue;
    }
    detail::RefuseFieldCount(header, record, source);
    ++data_rows;
    const std::string subject(Trim(record.fields[subject_column].text));
    if (subjects_seen.size() < 4 * kSubjectsNamed && subjects_seen.insert(subject).second &&
        subjects.size() < kSubjectsNamed) {
      subjects.push_back(subject);
    }
    if (subject != subject_code) continue;
    ++matched;
    const std::string code(Trim(record.fields[iso_column].text));
    const std::string name(Trim(record.fields[country_column].text));
    const EconomyMatch match = countries.Match(code, name);
    if (match.kind == EconomyMatch::Kind::kAggregate) {
      ++counts.aggregates[code.empty() ? name : code];
      continue;
    }
    if (match.kind == EconomyMatch::Kind::kUnresolved) {
      if (unresolved_seen.emplace(code, name).second) {
        counts.unresolved.push_back({code, name, source, record.line});
      }
      continue;
    }
    if (match.by_name) counts.resolved_by_name[code] = match.iso3;
    const auto [previous, inserted] = line_of.emplace(match.iso3, record.line);
    if (!inserted) {
      const auto& field = record.fields[iso_column];
      throw InputError({source, record.line, field.column, iso_column + 1},
                       match.iso3 + " (\"" + name + "\") has two rows of subject " + subject_code +
                           ": lines " + std::to_string(previous->second) + " and " +
                           std::to_string(record.line) + "; keep one");
    }
    ++counts.rows_read;
    auto& values = table.values[match.iso3];
    for (const auto& [column, year] : years) {
      if (const auto value = ParseWeoValue(record.fields[column], source, column))
        values[year] = *value;
    }
    if (values.empty()) table.values.erase(match.iso3);
  }
  if (data_rows == 0)
    throw InputError({source, header.line, 0, 0}, "the WEO file has a header but no rows");
  if (matched == 0) {
    std::string named;
    for (const std::string& s : subjects) named += (named.empty() ? "" : ", ") + s;
    if (subjects_seen.size() > subjects.size()) named += ", ...";
    throw InputError({source, 0, 0, 0},
                     "no rows of WEO subject " + subject_code + "; the file has subjects " + named);
  }
  if (report != nullptr) *report = std::move(counts);
  return table;
}

AttributeTable ReadWeo(const std::string& path, const std::string& subject_code,
                       const CountryTable& countries, AttributeReadReport* report) {
  const detail::DecodedText decoded = detail::DecodeText(detail::ReadWholeFile(path), path);
  AttributeTable table = ParseWeo(decoded.text, path, subject_code, countries, report);
  if (report != nullptr) report->encoding = decoded.encoding;
  return table;
}

AttributeTable ReadGdpFill(const std::string& path, const CountryTable& countries,
                           AttributeReadReport* report) {
  const detail::DecodedText decoded = detail::DecodeText(detail::ReadWholeFile(path), path);
  const auto header = FirstRecord(decoded.text, path);
  if (header && FindColumn(*header, "WEO Subject Code")) {
    AttributeTable table = ParseWeo(decoded.text, path, kWeoGdpPerCapitaSubject, countries, report);
    if (report != nullptr) report->encoding = decoded.encoding;
    return table;
  }
  if (header && FindColumn(*header, "iso3") && FindColumn(*header, "year") &&
      FindColumn(*header, "value")) {
    // ReadLongAttribute reads the file itself, as UTF-8; a transcoded copy
    // could not be handed to it, and its spellings would not match otherwise.
    if (decoded.encoding != "UTF-8" && decoded.encoding != "UTF-8 (BOM)") {
      throw InputError({path, header->line, 0, 0},
                       "the iso3,year,value file is " + decoded.encoding +
                           "; this layout is read as UTF-8 only: save it as UTF-8");
    }
    AttributeTable table = ReadLongAttribute(path, "GDP per capita", countries);
    if (report != nullptr) {
      *report = AttributeReadReport{};
      report->file = path;
      report->layout = kLongLayout;
      report->encoding = decoded.encoding;
      for (const auto& [iso3, values] : table.values) report->rows_read += values.size();
    }
    return table;
  }
  throw InputError(
      {path, header ? header->line : 0, header ? std::size_t{1} : 0, 0},
      std::string("not a --gdp-fill file: expected the IMF WEO database file (header ") +
          kWeoHeader + ") or a CSV with columns iso3,year,value");
}

}  // namespace qap
