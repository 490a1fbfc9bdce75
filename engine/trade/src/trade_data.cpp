#include "qap/trade/trade_data.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <tuple>

#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/text.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/text_encoding.hpp"

namespace qap {

namespace {

// The columns that break a flow down (Comtrade Plus customsCode, motCode,
// mosCode, partner2Code; legacy "Customs Proc. Code", "Mode of Transport
// Code", "2nd Partner Code"), in the order ties between breakdowns are broken.
constexpr std::size_t kBreakdowns = 4;
enum Breakdown : std::size_t { kCustoms, kTransport, kSupply, kPartner2 };

struct Layout {
  std::string name;
  // Column names (lower case: headers are matched case-insensitively), by
  // role; empty when the layout has no such column.
  std::vector<std::string> reporter_iso, reporter_code, reporter_name, partner_iso, partner_code,
      partner_name, flow, commodity, value, year, classification;
  std::array<std::vector<std::string>, kBreakdowns> breakdown;
  bool long_form = false;  // exporter,importer,hs,year,value
};

const std::vector<Layout>& Layouts() {
  static const std::vector<Layout> kLayouts = {
      {"comtrade",
       {"reporteriso"},
       {"reportercode"},
       {"reporterdesc"},
       {"partneriso"},
       {"partnercode"},
       {"partnerdesc"},
       {"flowcode"},
       {"cmdcode"},
       {"primaryvalue"},
       {"refyear", "period"},
       {"classificationcode"},
       // "Prtner2Code" is how the Comtrade Plus web download spells it.
       {{{"customscode"}, {"motcode"}, {"moscode"}, {"partner2code", "prtner2code"}}},
       false},
      {"comtrade-legacy",
       {"reporter iso"},
       {"reporter code"},
       {"reporter"},
       {"partner iso"},
       {"partner code"},
       {"partner"},
       {"trade flow", "trade flow code"},
       {"commodity code"},
       {"trade value (us$)"},
       {"year", "period"},
       {"classification"},
       {{{"customs proc. code"}, {"mode of transport code"}, {}, {"2nd partner code"}}},
       false},
      {"long",
       {"exporter"},
       {},
       {},
       {"importer"},
       {},
       {},
       {},
       {"hs"},
       {"value"},
       {"year"},
       {},
       {},
       true},
  };
  return kLayouts;
}

// The first of `names` (lower case: the header is looked up ignoring case) the
// header has.
std::optional<std::size_t> Find(const detail::CsvTable& header,
                                const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (const auto column = header.FindColumn(name)) return column;
  }
  return std::nullopt;
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// What a flow code or description is. Comtrade Plus flowCode values (the
// "Trade Flow" reference table): M, X, RM, RX, DX, FM, MIP, XIP, MOP, XOP,
// MIF, XIF and -1 (not specified); their flowDesc spellings; the legacy
// "Trade Flow" names and "Trade Flow Code" numbers 1-4.
struct FlowKind {
  enum Kind { kExport, kImport, kLeftOut, kUnknown } kind = kUnknown;
  std::string code;  // canonical code of a flow left out
};

FlowKind ClassifyFlow(const std::string& text) {
  static const std::map<std::string, std::string> kLeftOut = {
      {"rx", "RX"},         {"re-export", "RX"},
      {"re-exports", "RX"}, {"3", "RX"},
      {"rm", "RM"},         {"re-import", "RM"},
      {"re-imports", "RM"}, {"4", "RM"},
      {"dx", "DX"},         {"domestic export", "DX"},
      {"fm", "FM"},         {"foreign import", "FM"},
      {"mip", "MIP"},       {"import of goods for inward processing", "MIP"},
      {"xip", "XIP"},       {"export of goods after inward processing", "XIP"},
      {"mop", "MOP"},       {"import of goods after outward processing", "MOP"},
      {"xop", "XOP"},       {"export of goods for outward processing", "XOP"},
      {"mif", "MIF"},       {"import on intra-firm trade", "MIF"},
      {"xif", "XIF"},       {"export on intra-firm trade", "XIF"},
      {"-1", "-1"},         {"not available or not specified", "-1"},
  };
  const std::string key = Lower(text);
  if (key == "x" || key == "export" || key == "2") return {FlowKind::kExport, "X"};
  if (key == "m" || key == "import" || key == "1") return {FlowKind::kImport, "M"};
  if (const auto it = kLeftOut.find(key); it != kLeftOut.end())
    return {FlowKind::kLeftOut, it->second};
  return {};
}

// How one of a row's economies resolved against the country table.
struct Economy {
  enum Kind { kCountry, kWorld, kAggregate, kUnknown } kind = kUnknown;
  std::string iso3;
  std::string name;   // the name column, else the ISO code, else the number: "Areas, nes"
  std::string label;  // for reports of unknown economies: "Atlantis (ATL, 999)"
  std::string
      described;  // for messages: "\"Atlantis\" (reporterISO \"ATL\", reporterCode \"999\")"
  std::optional<std::size_t> shown_column;  // the column `name` comes from
};

struct EconomyColumns {
  std::optional<std::size_t> iso, code, name;
};

// A row's key before breakdowns are resolved.
using BilateralKey = std::tuple<std::string, std::string, TradeFlow, std::string, int>;

// The rows of one key: total rows, and rows broken down by a breakdown
// column (`pattern` has a bit per breakdown column not at its total).
struct Part {
  double value = 0.0;
  std::size_t line = 0;
  unsigned pattern = 0;
  std::array<std::string, kBreakdowns> ids;
};
struct Group {
  std::vector<std::pair<double, std::size_t>> totals;  // value, line
  std::vector<Part> parts;
};

std::string FlowWords(TradeFlow flow) {
  return flow == TradeFlow::kExport ? " exports to " : " imports from ";
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& source, const CountryTable& countries,
         const TradeReadOptions& options)
      : reader_(text, detail::DetectDelimiter(text), source),
        source_(source),
        countries_(countries),
        options_(options) {}

  TradeData Run(const std::string& encoding) {
    ReadHeader();
    data_.report.file = source_;
    data_.report.layout = layout_->name;
    data_.report.encoding = encoding;
    detail::CsvRecord record;
    while (reader_.Next(record)) Row(record);
    Finish();
    data_.report.records = data_.records.size();
    return std::move(data_);
  }

 private:
  void ReadHeader() {
    if (!reader_.Next(header_)) throw InputError({source_, 0, 0, 0}, "the file is empty");
    columns_.emplace(header_, source_, /*case_insensitive=*/true);
    trailing_header_field_ = header_.fields.size() > 1 && Trim(header_.fields.back().text).empty();
    for (const Layout& candidate : Layouts()) {
      if ((Find(*columns_, candidate.reporter_iso) || Find(*columns_, candidate.reporter_code)) &&
          (Find(*columns_, candidate.partner_iso) || Find(*columns_, candidate.partner_code)) &&
          Find(*columns_, candidate.value)) {
        layout_ = &candidate;
        break;
      }
    }
    if (layout_ == nullptr) {
      throw InputError(
          {source_, header_.line, 1, 1},
          "not a trade file this engine reads: expected UN Comtrade columns (reporterISO or "
          "reporterCode, "
          "partnerISO or partnerCode, flowCode, cmdCode, refYear, primaryValue), legacy Comtrade "
          "columns "
          "(Reporter ISO, Partner ISO, Trade Flow, Commodity Code, Year, Trade Value (US$)) or "
          "exporter,importer,hs,year,value");
    }
    reporter_ = {Find(*columns_, layout_->reporter_iso), Find(*columns_, layout_->reporter_code),
                 Find(*columns_, layout_->reporter_name)};
    partner_ = {Find(*columns_, layout_->partner_iso), Find(*columns_, layout_->partner_code),
                Find(*columns_, layout_->partner_name)};
    commodity_ = Required(layout_->commodity, "commodity code");
    value_ = Required(layout_->value, "trade value");
    year_ = Required(layout_->year, "year");
    if (!layout_->long_form) flow_ = Required(layout_->flow, "flow");
    classification_ = Find(*columns_, layout_->classification);
    for (std::size_t b = 0; b < kBreakdowns; ++b)
      breakdown_[b] = Find(*columns_, layout_->breakdown[b]);
  }

  std::size_t Required(const std::vector<std::string>& names, const char* role) const {
    if (const auto found = Find(*columns_, names)) return *found;
    throw InputError({source_, header_.line, 1, 1}, "missing column \"" + names.front() + "\" (" +
                                                        role + ") for the " + layout_->name +
                                                        " layout");
  }

  [[nodiscard]] std::string ColumnName(std::size_t column) const {
    return std::string(Trim(header_.fields[column].text));
  }

  [[nodiscard]] InputError ErrorAt(const detail::CsvRecord& r, std::size_t column,
                                   const std::string& message) const {
    return ErrorAt(r, column, std::vector<std::string>{message});
  }
  // A message naming options: text and fields alternating (qap/core/errors.hpp).
  [[nodiscard]] InputError ErrorAt(const detail::CsvRecord& r, std::size_t column,
                                   std::vector<std::string> parts) const {
    const detail::CsvField& f = r.fields[column];
    return InputError({source_, f.line, f.column, column + 1}, std::move(parts));
  }

  void CheckFieldCount(const detail::CsvRecord& r) const {
    const std::size_t expected = header_.fields.size();
    const std::size_t n = r.fields.size();
    if (n == expected) return;
    // The Comtrade Plus web download ends every line with a comma; a header
    // without it and rows with it leave exactly one empty field over.
    if (n == expected + 1 && !trailing_header_field_ && r.fields.back().text.empty() &&
        !r.fields.back().quoted)
      return;
    detail::RefuseFieldCount(header_, r, source_);
  }

  void CheckClassification(const detail::CsvRecord& r) const {
    if (!classification_) return;
    const std::string text(Trim(r.fields[*classification_].text));
    std::string upper = text;
    for (char& c : upper) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    if (upper.empty() || upper.starts_with("HS") ||
        (upper.size() == 2 && upper[0] == 'H' && upper[1] >= '0' && upper[1] <= '9')) {
      return;
    }
    const bool sitc = upper.starts_with("SITC") ||
                      (upper.size() == 2 && upper[0] == 'S' && upper[1] >= '0' && upper[1] <= '9');
    throw ErrorAt(r, *classification_,
                  "classification \"" + text + "\" is " +
                      (sitc ? "SITC" : "not the Harmonized System") +
                      ": this reader takes HS codes (classification H0 to H6 or HS); download the "
                      "data in HS");
  }

  Economy Resolve(const detail::CsvRecord& r, const EconomyColumns& columns) const {
    Economy economy;
    const std::array<std::optional<std::size_t>, 3> order = {columns.iso, columns.code,
                                                             columns.name};
    std::array<std::string, 3> keys;
    for (std::size_t k = 0; k < 3; ++k) {
      if (order[k]) keys[k] = Trim(r.fields[*order[k]].text);
    }
    // Label: the name when there is one, then the ISO code, then the number.
    std::vector<std::size_t> shown;
    for (const std::size_t k : {std::size_t{2}, std::size_t{0}, std::size_t{1}}) {
      if (!keys[k].empty()) shown.push_back(k);
    }
    if (shown.empty()) {
      economy.name = economy.label = "(empty)";
    } else {
      economy.name = economy.label = keys[shown.front()];
      economy.shown_column = order[shown.front()];
      economy.described = "\"" + keys[shown.front()] + "\"";
      std::string others, other_columns;
      for (std::size_t i = 1; i < shown.size(); ++i) {
        others += (i > 1 ? ", " : "") + keys[shown[i]];
        other_columns +=
            (i > 1 ? ", " : "") + ColumnName(*order[shown[i]]) + " \"" + keys[shown[i]] + "\"";
      }
      if (!others.empty()) {
        economy.label += " (" + others + ")";
        economy.described += " (" + other_columns + ")";
      }
    }
    // Aggregates first, by any column, so "World" never resolves to a country.
    for (const std::string& key : keys) {
      if (key.empty()) continue;
      if (const auto aggregate = countries_.Aggregate(key)) {
        economy.kind = *aggregate == "world" ? Economy::kWorld : Economy::kAggregate;
        return economy;
      }
    }
    for (const std::string& key : keys) {
      if (key.empty()) continue;
      if (const auto iso3 = countries_.Resolve(key)) {
        economy.kind = Economy::kCountry;
        economy.iso3 = *iso3;
        return economy;
      }
    }
    return economy;
  }

  // Resolves an economy or throws/records it as unknown; false when the row is left out.
  bool Unknown(const detail::CsvRecord& r, const EconomyColumns& columns, const Economy& economy,
               CommodityYearCounts& counts) {
    if (options_.drop_unknown_economies) {
      ++data_.report.dropped_unknown[economy.label];
      ++counts.unknown;
      return false;
    }
    std::vector<std::size_t> present;
    for (const auto& column : {columns.iso, columns.code, columns.name}) {
      if (column) present.push_back(*column);
    }
    const std::size_t at = economy.shown_column.value_or(present.front());
    if (economy.described.empty()) {
      std::string names;
      for (std::size_t i = 0; i < present.size(); ++i) {
        names += (i == 0 ? "" : i + 1 == present.size() ? " and " : ", ") + ColumnName(present[i]);
      }
      throw ErrorAt(
          r, at,
          {"no economy: " + names + (present.size() > 1 ? " are all empty" : " is empty") +
               " (drop such rows with a report: ",
           "drop_unknown_economies", ")"});
    }
    throw ErrorAt(r, at,
                  {"unknown economy " + economy.described +
                       ": add its spelling or code to fixtures/reference/countries.csv, or drop "
                       "unknown economies with a report (",
                   "drop_unknown_economies", ")"});
  }

  void Row(const detail::CsvRecord& r) {
    CheckFieldCount(r);
    CheckClassification(r);
    const std::string commodity(Trim(r.fields[commodity_].text));
    int level = 6;
    if (commodity != "TOTAL") {
      const bool digits = AllDigits(commodity);
      // Comtrade downloads mix HS2/HS4/HS6 rows (aggrLevel, "Aggregate
      // Level"); a long file is the user's own, one level, so there a short
      // code stays an error.
      if (digits && (commodity.size() == 2 || commodity.size() == 4) && !layout_->long_form) {
        level = static_cast<int>(commodity.size());
      } else if (!digits || commodity.size() != 6) {
        const bool lost_zero = digits && commodity.size() % 2 == 1 && commodity.size() < 6;
        throw ErrorAt(
            r, commodity_,
            "commodity code \"" + commodity + "\" is neither a six-digit HS code nor TOTAL" +
                (lost_zero ? " (a leading zero lost in a spreadsheet? HS codes are text: \"0" +
                                 commodity + "\")"
                           : ""));
      }
    }
    const std::string year_text(Trim(r.fields[year_].text));
    // The whole field: "202303" (a monthly period) or "2023abc" is not 2023.
    const auto parsed_year = ParseYear(year_text);
    if (!parsed_year) {
      throw ErrorAt(
          r, year_,
          "\"" + year_text + "\" is not a year (four digits, 1900 to 2100" +
              (year_text.size() == 6 ? "; monthly periods such as 202303 are not read: download "
                                       "annual data"
                                     : "") +
              ")");
    }
    const int year = *parsed_year;
    TradeReadReport& report = data_.report;
    CommodityYearCounts& counts = report.by_commodity_year[{commodity, year}];
    ++counts.rows;

    TradeFlow flow = TradeFlow::kExport;  // long form: exporter,importer is the exporter's report
    if (flow_) {
      const std::string text(Trim(r.fields[*flow_].text));
      const FlowKind kind = ClassifyFlow(text);
      if (kind.kind == FlowKind::kUnknown) {
        throw ErrorAt(r, *flow_,
                      "unknown trade flow \"" + text +
                          "\" (expected X or M; RX, RM, DX, FM, MIP, XIP, MOP, XOP, MIF, XIF and "
                          "-1 are left out; "
                          "or Export, Import, Re-Export, Re-Import, 1-4)");
      }
      if (kind.kind == FlowKind::kLeftOut) {
        ++report.flows_left_out[kind.code];
        if (kind.code == "RX" || kind.code == "RM") ++report.re_exports_and_imports;
        ++counts.flows_left_out;
        return;
      }
      flow = kind.kind == FlowKind::kExport ? TradeFlow::kExport : TradeFlow::kImport;
    }
    if (level != 6) {
      ++report.levels_left_out["HS" + std::to_string(level)];
      ++counts.other_level;
      return;
    }

    const Economy reporter = Resolve(r, reporter_);
    if (reporter.kind == Economy::kWorld || reporter.kind == Economy::kAggregate) {
      ++report.dropped_aggregates[reporter.name];
      ++counts.aggregates;
      return;
    }
    if (reporter.kind == Economy::kUnknown && !Unknown(r, reporter_, reporter, counts)) return;
    const Economy partner = Resolve(r, partner_);
    if (partner.kind == Economy::kWorld || partner.kind == Economy::kAggregate) {
      ++report.dropped_aggregates[partner.name];
      if (partner.kind == Economy::kAggregate) {
        ++counts.aggregates;
        return;
      }
    }
    if (partner.kind == Economy::kUnknown && !Unknown(r, partner_, partner, counts)) return;
    const bool world_total = partner.kind == Economy::kWorld;
    if (!world_total && reporter.iso3 == partner.iso3) {  // self-trade is not trade
      ++report.self_trade;
      ++counts.self_trade;
      return;
    }

    const std::string value_text(Trim(r.fields[value_].text));
    double value = 0.0;
    const auto [value_end, value_error] =
        std::from_chars(value_text.data(), value_text.data() + value_text.size(), value);
    if (value_error != std::errc() || value_end != value_text.data() + value_text.size() ||
        !std::isfinite(value)) {
      throw ErrorAt(r, value_, "trade value \"" + value_text + "\" is not a number");
    }
    if (value < 0.0) throw ErrorAt(r, value_, "trade value " + value_text + " is negative");

    Part part{value, r.line, 0, {}};
    for (std::size_t b = 0; b < kBreakdowns; ++b) {
      if (!breakdown_[b]) continue;
      std::string id(Trim(r.fields[*breakdown_[b]].text));
      const bool total = id.empty() || (b == kCustoms ? Lower(id) == "c00" : id == "0");
      if (!total) part.pattern |= 1U << b;
      part.ids[b] = std::move(id);
    }
    Group* group = nullptr;
    if (world_total) {
      ++counts.world_totals;
      group = &world_groups_[{reporter.iso3, flow, commodity, year}];
    } else {
      ++counts.bilateral;
      const BilateralKey key{reporter.iso3, partner.iso3, flow, commodity, year};
      auto [it, inserted] = bilateral_index_.emplace(key, bilateral_.size());
      if (inserted) {
        TradeRecord proto;
        proto.reporter = reporter.iso3;
        proto.partner = partner.iso3;
        proto.flow = flow;
        proto.commodity = commodity;
        proto.year = year;
        proto.line = r.line;
        bilateral_.emplace_back(std::move(proto), Group{});
      }
      group = &bilateral_[it->second].second;
    }
    if (part.pattern == 0) {
      group->totals.emplace_back(value, r.line);
    } else {
      group->parts.push_back(std::move(part));
    }
  }

  // The sum over the coarsest breakdown of a key without a total row: rows
  // of one breakdown partition the flow, rows of two different breakdowns
  // would count it twice.
  std::pair<double, std::size_t> SumBreakdowns(Group& group, const std::string& what) {
    unsigned best = group.parts.front().pattern;
    for (const Part& p : group.parts) {
      const int bits = std::popcount(p.pattern);
      const int best_bits = std::popcount(best);
      if (bits < best_bits || (bits == best_bits && p.pattern < best)) best = p.pattern;
    }
    std::vector<const Part*> chosen;
    for (const Part& p : group.parts) {
      if (p.pattern == best) chosen.push_back(&p);
    }
    std::stable_sort(chosen.begin(), chosen.end(),
                     [](const Part* a, const Part* b) { return a->ids < b->ids; });
    for (std::size_t i = 1; i < chosen.size(); ++i) {
      if (chosen[i]->ids != chosen[i - 1]->ids) continue;
      std::string ids;
      for (std::size_t b = 0; b < kBreakdowns; ++b) {
        if ((best & (1U << b)) == 0) continue;
        ids += (ids.empty() ? "" : ", ") + ColumnName(*breakdown_[b]) + " " + chosen[i]->ids[b];
      }
      const std::size_t first = std::min(chosen[i]->line, chosen[i - 1]->line);
      const std::size_t second = std::max(chosen[i]->line, chosen[i - 1]->line);
      throw InputError({source_, second, 1, 0}, "duplicate breakdown row: " + what + ", " + ids +
                                                    " (also on line " + std::to_string(first) +
                                                    ")");
    }
    double sum = 0.0;
    std::size_t line = chosen.front()->line;
    std::sort(chosen.begin(), chosen.end(),
              [](const Part* a, const Part* b) { return a->line < b->line; });
    for (const Part* p : chosen) {
      sum += p->value;
      line = std::min(line, p->line);
    }
    data_.report.breakdown_rows_summed += chosen.size();
    data_.report.breakdown_rows_left_out += group.parts.size() - chosen.size();
    ++data_.report.totals_from_breakdowns;
    return {sum, line};
  }

  void Finish() {
    for (auto& [proto, group] : bilateral_) {
      if (!group.totals.empty()) {
        // Two total rows of one flow stay two records: BuildFlowMatrix names
        // both lines if that product and year is asked for.
        data_.report.breakdown_rows_left_out += group.parts.size();
        for (const auto& [value, line] : group.totals) {
          TradeRecord record = proto;
          record.value = value;
          record.line = line;
          data_.records.push_back(std::move(record));
        }
        continue;
      }
      const auto [value, line] =
          SumBreakdowns(group, proto.reporter + FlowWords(proto.flow) + proto.partner + ", HS " +
                                   proto.commodity + ", " + std::to_string(proto.year));
      proto.value = value;
      proto.line = line;
      data_.records.push_back(std::move(proto));
    }
    for (auto& [key, group] : world_groups_) {
      const std::string what = key.reporter +
                               (key.flow == TradeFlow::kExport ? " exports to" : " imports from") +
                               " World, HS " + key.commodity + ", " + std::to_string(key.year);
      if (group.totals.size() > 1) {
        throw InputError({source_, group.totals[1].second, 1, 0},
                         "duplicate World total: " + what + " (also on line " +
                             std::to_string(group.totals[0].second) +
                             "); one total row per reporter, flow, commodity and year is expected");
      }
      if (!group.totals.empty()) {
        data_.report.breakdown_rows_left_out += group.parts.size();
        data_.world_totals[key] = group.totals.front().first;
        continue;
      }
      data_.world_totals[key] = SumBreakdowns(group, what).first;
    }
  }

  detail::CsvReader reader_;
  std::string source_;
  const CountryTable& countries_;
  const TradeReadOptions& options_;
  detail::CsvRecord header_;
  std::optional<detail::CsvTable> columns_;  // set by ReadHeader
  bool trailing_header_field_ = false;
  const Layout* layout_ = nullptr;
  EconomyColumns reporter_, partner_;
  std::size_t commodity_ = 0, value_ = 0, year_ = 0;
  std::optional<std::size_t> flow_, classification_;
  std::array<std::optional<std::size_t>, kBreakdowns> breakdown_;
  TradeData data_;
  std::map<BilateralKey, std::size_t> bilateral_index_;
  std::vector<std::pair<TradeRecord, Group>> bilateral_;  // in order of first appearance
  std::map<WorldTotalKey, Group> world_groups_;
};

std::string Count(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Why nothing of `commodity` in `year` reached the records, from the counts
// the reader kept: text and option fields alternating (qap/core/errors.hpp),
// since one reason names the option that keeps unknown economies.
std::vector<std::string> WhyNoRecords(const TradeReadReport& report, const std::string& commodity,
                                      int year) {
  std::vector<std::string> reasons;
  std::optional<std::size_t> unknown_reason;  // the reason that ends naming the option
  if (const auto it = report.by_commodity_year.find({commodity, year});
      it != report.by_commodity_year.end()) {
    const CommodityYearCounts& c = it->second;
    if (c.other_level > 0) {
      reasons.push_back(Count(c.other_level, "row is", "rows are") + " at HS" +
                        std::to_string(commodity.size()) +
                        " level, left out (six-digit codes and TOTAL are read)");
    }
    if (c.world_totals > 0) {
      reasons.push_back("only World totals: " + Count(c.world_totals, "row has", "rows have") +
                        " partner World, no partner-by-partner rows");
    }
    if (c.aggregates > 0) {
      reasons.push_back(
          Count(c.aggregates, "row was", "rows were") +
          " dropped because the reporter or partner is an aggregate (Areas nes, Bunkers, ...)");
    }
    if (c.unknown > 0) {
      unknown_reason = reasons.size();
      reasons.push_back(Count(c.unknown, "row was", "rows were") +
                        " dropped for an unknown economy (");
    }
    if (c.flows_left_out > 0) {
      reasons.push_back(Count(c.flows_left_out, "row is a", "rows are") +
                        " re-export, re-import or other sub-flow, left out");
    }
    if (c.self_trade > 0) {
      reasons.push_back(Count(c.self_trade, "row is", "rows are") +
                        " trade of an economy with itself");
    }
  } else {
    std::vector<int> years;
    std::set<std::string> codes;
    for (const auto& [key, counts] : report.by_commodity_year) {
      codes.insert(key.first);
      if (key.first == commodity) years.push_back(key.second);
    }
    if (!years.empty()) {
      std::string list;
      for (std::size_t i = 0; i < years.size() && i < 12; ++i)
        list += (i == 0 ? "" : ", ") + std::to_string(years[i]);
      if (years.size() > 12) list += ", ...";
      reasons.push_back("the file holds it only in other years: " + list);
    }
    if (AllDigits(commodity) && commodity.size() == 6) {
      for (const std::size_t digits : {std::size_t{4}, std::size_t{2}}) {
        const auto coarse = report.by_commodity_year.find({commodity.substr(0, digits), year});
        if (coarse != report.by_commodity_year.end() && coarse->second.other_level > 0) {
          reasons.push_back(
              "the file holds it only at a coarser level: " + commodity.substr(0, digits) + " (HS" +
              std::to_string(digits) + ", " + Count(coarse->second.other_level, "row", "rows") +
              " left out); download six-digit codes");
        }
      }
    }
    if (reasons.empty()) {
      std::string held;
      if (codes.empty()) {
        held = "the file holds no rows";
      } else if (codes.size() <= 12) {
        for (const std::string& code : codes) held += (held.empty() ? "" : ", ") + code;
        held = "the file holds commodity codes " + held;
      } else {
        held = "the file holds " + std::to_string(codes.size()) + " other commodity codes";
      }
      reasons.push_back(held);
    }
  }
  std::vector<std::string> parts{""};
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    parts.back() += (i == 0 ? ": " : "; ") + reasons[i];
    if (unknown_reason == i) parts.insert(parts.end(), {"drop_unknown_economies", ")"});
  }
  return parts;
}

}  // namespace

TradeData ParseTradeRecords(std::string_view text, const std::string& source,
                            const CountryTable& countries, const TradeReadOptions& options) {
  const detail::DecodedText decoded = detail::DecodeText(std::string(text), source);
  return Parser(decoded.text, source, countries, options).Run(decoded.encoding);
}

TradeData ReadTradeRecords(const std::string& path, const CountryTable& countries,
                           const TradeReadOptions& options) {
  const detail::DecodedText decoded = detail::DecodeText(detail::ReadWholeFile(path), path);
  return Parser(decoded.text, path, countries, options).Run(decoded.encoding);
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
    const auto key =
        exporter_side ? std::pair{r.reporter, r.partner} : std::pair{r.partner, r.reporter};
    auto& side = exporter_side ? by_exporter : by_importer;
    if (const auto [it, inserted] = side.emplace(key, std::pair{r.value, r.line}); !inserted) {
      throw InputError({data.report.file, r.line, 1, 0},
                       "duplicate flow record: " + r.reporter + FlowWords(r.flow) + r.partner +
                           ", HS " + commodity + ", " + std::to_string(year) + " (also on line " +
                           std::to_string(it->second.second) + ")");
    }
    economies.insert(r.reporter);
    economies.insert(r.partner);
  }
  if (economies.empty()) {
    std::vector<std::string> why = WhyNoRecords(data.report, commodity, year);
    why.front().insert(0, data.report.file + ": no records for commodity " + commodity + " in " +
                              std::to_string(year));
    throw DataError(std::move(why));
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
