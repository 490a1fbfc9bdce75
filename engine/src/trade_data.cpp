#include "qap/trade_data.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "csv_tokenizer.hpp"
#include "qap/errors.hpp"

namespace qap {

namespace {

struct Layout {
  std::string name;
  // Column names, by role; empty when the layout has no such column.
  std::vector<std::string> reporter_iso, reporter_name, partner_iso, partner_name, flow, commodity, value, year;
  bool long_form = false;  // exporter,importer,hs,year,value
};

const std::vector<Layout>& Layouts() {
  static const std::vector<Layout> layouts = {
      {"comtrade", {"reporterISO"}, {"reporterDesc"}, {"partnerISO"}, {"partnerDesc"}, {"flowCode"}, {"cmdCode"},
       {"primaryValue", "PrimaryValue"}, {"refYear", "period"}, false},
      {"comtrade-legacy", {"Reporter ISO"}, {"Reporter"}, {"Partner ISO"}, {"Partner"}, {"Trade Flow", "Trade Flow Code"},
       {"Commodity Code"}, {"Trade Value (US$)"}, {"Year", "Period"}, false},
      {"long", {"exporter"}, {}, {"importer"}, {}, {}, {"hs"}, {"value"}, {"year"}, true},
  };
  return layouts;
}

std::optional<std::size_t> Find(const std::map<std::string, std::size_t>& header, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (const auto it = header.find(name); it != header.end()) return it->second;
  }
  return std::nullopt;
}

std::string Trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::string ToString(Reconciliation reconciliation) {
  return reconciliation == Reconciliation::kImporterFirst ? "importer" : "exporter";
}

TradeData ParseTradeRecords(std::string_view text, const std::string& source, const CountryTable& countries,
                            const TradeReadOptions& options) {
  detail::CsvReader reader(text, detail::DetectDelimiter(text), source);
  detail::CsvRecord header_record;
  if (!reader.Next(header_record)) throw InputError({source, 0, 0, 0}, "the file is empty");
  std::map<std::string, std::size_t> header;
  for (std::size_t c = 0; c < header_record.fields.size(); ++c) header[Trimmed(header_record.fields[c].text)] = c;

  const Layout* layout = nullptr;
  for (const Layout& candidate : Layouts()) {
    if (Find(header, candidate.reporter_iso) && Find(header, candidate.partner_iso) && Find(header, candidate.value)) {
      layout = &candidate;
      break;
    }
  }
  if (layout == nullptr) {
    throw InputError({source, header_record.line, 1, 1},
                     "not a trade file this engine reads: expected UN Comtrade columns (reporterISO, partnerISO, "
                     "flowCode, cmdCode, refYear, primaryValue), legacy Comtrade columns (Reporter ISO, Partner ISO, "
                     "Trade Flow, Commodity Code, Year, Trade Value (US$)) or exporter,importer,hs,year,value");
  }
  auto required = [&](const std::vector<std::string>& names, const char* role) {
    const auto found = Find(header, names);
    if (!found) {
      throw InputError({source, header_record.line, 1, 1},
                       "missing column \"" + names.front() + "\" (" + role + ") for the " + layout->name + " layout");
    }
    return *found;
  };
  const std::size_t reporter_iso = required(layout->reporter_iso, "reporter");
  const std::size_t partner_iso = required(layout->partner_iso, "partner");
  const std::size_t commodity = required(layout->commodity, "commodity code");
  const std::size_t value_column = required(layout->value, "trade value");
  const std::size_t year_column = required(layout->year, "year");
  const std::optional<std::size_t> flow_column = layout->long_form ? std::nullopt
                                                                   : std::optional(required(layout->flow, "flow"));
  const auto reporter_name = Find(header, layout->reporter_name);
  const auto partner_name = Find(header, layout->partner_name);

  TradeData data;
  data.report.file = source;
  data.report.layout = layout->name;
  detail::CsvRecord record;
  // Resolves an economy from its code column, falling back on the name column.
  bool partner_is_world = false;
  auto economy = [&](const detail::CsvRecord& r, std::size_t code_column, std::optional<std::size_t> name_column,
                     bool* skip) -> std::string {
    const std::string code = Trimmed(r.fields[code_column].text);
    const std::string name = name_column ? Trimmed(r.fields[*name_column].text) : std::string();
    for (const std::string& key : {code, name}) {
      if (key.empty()) continue;
      if (const auto aggregate = countries.Aggregate(key)) {
        ++data.report.dropped_aggregates[name.empty() ? code : name];
        partner_is_world = *aggregate == "world";
        *skip = true;
        return {};
      }
    }
    for (const std::string& key : {code, name}) {
      if (key.empty()) continue;
      if (const auto iso3 = countries.Resolve(key)) return *iso3;
    }
    const std::string shown = name.empty() ? code : name + " (" + code + ")";
    if (options.drop_unknown_economies) {
      ++data.report.dropped_unknown[shown];
      *skip = true;
      return {};
    }
    throw InputError({source, r.line, r.fields[code_column].column, code_column + 1},
                     "unknown economy \"" + shown +
                         "\": add its spelling to fixtures/reference/countries.csv, or drop unknown economies "
                         "with a report (--drop-unknown)");
  };
  while (reader.Next(record)) {
    if (record.fields.size() < header_record.fields.size()) {
      throw InputError({source, record.line, 1, record.fields.size()},
                       "row has " + std::to_string(record.fields.size()) + " fields, the header has " +
                           std::to_string(header_record.fields.size()));
    }
    TradeRecord row;
    row.line = record.line;
    if (flow_column) {
      const std::string flow = Trimmed(record.fields[*flow_column].text);
      if (flow == "X" || flow == "Export" || flow == "2") {
        row.flow = TradeFlow::kExport;
      } else if (flow == "M" || flow == "Import" || flow == "1") {
        row.flow = TradeFlow::kImport;
      } else if (flow == "RX" || flow == "RM" || flow == "Re-Export" || flow == "Re-Import" || flow == "3" ||
                 flow == "4") {
        ++data.report.re_exports_and_imports;
        continue;
      } else {
        const auto& f = record.fields[*flow_column];
        throw InputError({source, record.line, f.column, *flow_column + 1},
                         "unknown trade flow \"" + flow + "\" (expected X, M, RX, RM, Export, Import, ...)");
      }
    }
    bool skip = false;
    row.reporter = economy(record, reporter_iso, reporter_name, &skip);
    if (skip) continue;  // a reporter that is an aggregate or unknown
    partner_is_world = false;
    row.partner = economy(record, partner_iso, partner_name, &skip);
    const bool world_total = skip && partner_is_world;
    if (skip && !world_total) continue;
    row.commodity = Trimmed(record.fields[commodity].text);
    const bool hs6 = row.commodity.size() == 6 &&
                     std::all_of(row.commodity.begin(), row.commodity.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!hs6 && row.commodity != "TOTAL") {
      const auto& f = record.fields[commodity];
      throw InputError({source, record.line, f.column, commodity + 1},
                       "commodity code \"" + row.commodity + "\" is neither a six-digit HS code nor TOTAL");
    }
    const auto& year_field = record.fields[year_column];
    const std::string year_text = Trimmed(year_field.text);
    const auto [year_end, year_error] = std::from_chars(year_text.data(), year_text.data() + std::min<std::size_t>(4, year_text.size()), row.year);
    if (year_error != std::errc() || year_text.size() < 4 || row.year < 1900 || row.year > 2100) {
      throw InputError({source, record.line, year_field.column, year_column + 1}, "\"" + year_text + "\" is not a year");
    }
    (void)year_end;
    const auto& value_field = record.fields[value_column];
    const std::string value_text = Trimmed(value_field.text);
    const auto [value_end, value_error] =
        std::from_chars(value_text.data(), value_text.data() + value_text.size(), row.value);
    if (value_error != std::errc() || value_end != value_text.data() + value_text.size() || !std::isfinite(row.value)) {
      throw InputError({source, record.line, value_field.column, value_column + 1},
                       "trade value \"" + value_text + "\" is not a number");
    }
    if (row.value < 0.0) {
      throw InputError({source, record.line, value_field.column, value_column + 1},
                       "trade value " + value_text + " is negative");
    }
    if (layout->long_form) {
      row.flow = TradeFlow::kExport;  // exporter,importer: the exporter's report
    }
    if (world_total) {
      data.world_totals[{row.reporter, row.flow, row.commodity, row.year}] = row.value;
      continue;
    }
    if (row.reporter == row.partner) continue;  // self-trade is not trade
    data.records.push_back(std::move(row));
  }
  data.report.records = data.records.size();
  return data;
}

TradeData ReadTradeRecords(const std::string& path, const CountryTable& countries, const TradeReadOptions& options) {
  const std::string text = detail::ReadWholeFile(path);
  return ParseTradeRecords(text, path, countries, options);
}

LabelledMatrix BuildFlowMatrix(const TradeData& data, const std::string& commodity, int year,
                               Reconciliation reconciliation, FlowMatrixReport* report) {
  // (exporter, importer) -> value and line, per reporting side.
  std::map<std::pair<std::string, std::string>, std::pair<double, std::size_t>> by_exporter;
  std::map<std::pair<std::string, std::string>, std::pair<double, std::size_t>> by_importer;
  std::set<std::string> economies;
  for (const TradeRecord& r : data.records) {
    if (r.commodity != commodity || r.year != year) continue;
    const bool exporter_side = r.flow == TradeFlow::kExport;
    const auto key = exporter_side ? std::pair{r.reporter, r.partner} : std::pair{r.partner, r.reporter};
    auto& side = exporter_side ? by_exporter : by_importer;
    if (const auto [it, inserted] = side.emplace(key, std::pair{r.value, r.line}); !inserted) {
      throw InputError({data.report.file, r.line, 1, 0},
                       "duplicate flow record: " + r.reporter + (exporter_side ? " exports to " : " imports from ") +
                           r.partner + ", HS " + commodity + ", " + std::to_string(year) + " (also on line " +
                           std::to_string(it->second.second) + ")");
    }
    economies.insert(r.reporter);
    economies.insert(r.partner);
  }
  if (economies.empty()) {
    throw DataError(data.report.file + ": no records for commodity " + commodity + " in " + std::to_string(year));
  }
  LabelledMatrix flows;
  flows.name = "F_" + commodity + "_" + std::to_string(year);
  flows.source = data.report.file;
  flows.labels.assign(economies.begin(), economies.end());
  const auto n = static_cast<Eigen::Index>(flows.labels.size());
  flows.values = DyadMatrix::Zero(n, n);
  std::map<std::string, Eigen::Index> index;
  for (Eigen::Index i = 0; i < n; ++i) index[flows.labels[static_cast<std::size_t>(i)]] = i;
  FlowMatrixReport counts;
  counts.commodity = commodity;
  counts.year = year;
  counts.reconciliation = reconciliation;
  if (reconciliation == Reconciliation::kImporterFirst) {
    for (const auto& [key, value] : by_importer) {
      flows.values(index[key.first], index[key.second]) = value.first;
      ++counts.importer_reported;
    }
    for (const auto& [key, value] : by_exporter) {
      if (by_importer.contains(key)) continue;
      flows.values(index[key.first], index[key.second]) = value.first;
      ++counts.mirror_filled;
    }
  } else {
    for (const auto& [key, value] : by_exporter) {
      flows.values(index[key.first], index[key.second]) = value.first;
      ++counts.exporter_reported;
    }
  }
  if (report != nullptr) *report = counts;
  return flows;
}

}  // namespace qap
