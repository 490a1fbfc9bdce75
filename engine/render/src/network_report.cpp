// Rendering of `qap dependence` and `qap network` results.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/io/output_transaction.hpp"
#include "qap/render/report.hpp"
#include "qap/trade/covariates.hpp"
#include "qap/trade/network.hpp"
#include "qap/trade/trade_data.hpp"
#include "read_report_json.hpp"

namespace qap {

namespace {

using Json = nlohmann::ordered_json;

Json NumberOrNull(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

// The DATA_NOTE beside each input file (how synthetic fixtures say so).
std::set<std::string> DataNotes(const std::vector<std::string>& files) {
  std::set<std::string> notes;
  for (const std::string& file : files) {
    if (file.empty()) continue;
    std::ifstream stream(std::filesystem::path(file).parent_path() / "DATA_NOTE");
    if (!stream) continue;
    std::stringstream buffer;
    buffer << stream.rdbuf();
    std::string text = buffer.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    notes.insert(text);
  }
  return notes;
}

}  // namespace

std::string RenderConcentrationCsv(const DependenceResult& r) {
  // A bare table: the partners convention and universe N are in report.json.
  std::string out =
      "economy,exports,imports,export_herfindahl,import_herfindahl,export_concentration,import_"
      "concentration\n";
  for (std::size_t a = 0; a < r.labels.size(); ++a) {
    const auto i = static_cast<Eigen::Index>(a);
    out += CsvQuote(r.labels[a]) + "," + FormatRoundTrip(r.exports[i]) + "," +
           FormatRoundTrip(r.imports[i]) + "," + FormatRoundTrip(r.export_herfindahl[i]) + "," +
           FormatRoundTrip(r.import_herfindahl[i]) + "," +
           FormatRoundTrip(r.export_concentration[i]) + "," +
           FormatRoundTrip(r.import_concentration[i]) + "\n";
  }
  return out;
}

std::string RenderDependenceReportJson(const DependenceResult& r, const TradeReadReport* trade,
                                       const FlowMatrixReport* flows) {
  Json no_exports = Json::array();
  Json no_imports = Json::array();
  for (std::size_t a = 0; a < r.labels.size(); ++a) {
    if (!(r.exports[static_cast<Eigen::Index>(a)] > 0.0)) no_exports.push_back(r.labels[a]);
    if (!(r.imports[static_cast<Eigen::Index>(a)] > 0.0)) no_imports.push_back(r.labels[a]);
  }
  Json out{{"qap_version", std::string(EngineVersion())},
           {"command", "dependence"},
           {"flows", r.export_dependence.source},
           {"data_notes", DataNotes({r.export_dependence.source})},
           {"partners", ToString(r.options.partners)},
           {"economies", r.labels.size()},
           {"universe", r.universe},
           {"economies_without_exports", no_exports},
           {"economies_without_imports", no_imports},
           {"undefined_export_cells", r.undefined_export},
           {"undefined_import_cells", r.undefined_import},
           {"undefined_cells", r.undefined_cells},
           {"note", r.undefined_cells.empty()
                        ? "no undefined cells"
                        : "undefined cells divide a positive share by a zero concentration "
                          "(docs/study-method.md §1.4 "
                          "rule 4); they are NA in E/I/DT. Convention 'all' (U) avoids them."}};
  if (trade != nullptr) {
    out["trade_file"] = {{"file", trade->file},
                         {"layout", trade->layout},
                         {"records_read", trade->records},
                         {"dropped_aggregates", trade->dropped_aggregates},
                         {"dropped_unknown_economies", trade->dropped_unknown},
                         {"re_exports_and_re_imports_left_out", trade->re_exports_and_imports},
                         {"encoding", trade->encoding},
                         {"flows_left_out", trade->flows_left_out},
                         {"classification_levels_left_out", trade->levels_left_out},
                         {"breakdown_rows_left_out", trade->breakdown_rows_left_out},
                         {"breakdown_rows_summed", trade->breakdown_rows_summed},
                         {"totals_from_breakdowns", trade->totals_from_breakdowns},
                         {"self_trade_rows_left_out", trade->self_trade}};
  }
  if (flows != nullptr) {
    out["reconciliation"] = {
        {"commodity", flows->commodity},           {"year", flows->year},
        {"rule", ToString(flows->reconciliation)}, {"importer_reported", flows->importer_reported},
        {"mirror_filled", flows->mirror_filled},   {"exporter_reported", flows->exporter_reported}};
  }
  return out.dump(2) + "\n";
}

std::string RenderNetwork(const NetworkMetrics& m, const NetworkOptions& options,
                          PartnerCount partners, const std::string& focal, OutputFormat format,
                          std::string* meta) {
  const std::vector<std::pair<std::string, const Eigen::VectorXd*>> metrics = {
      {"in_degree", &m.in_degree},
      {"out_degree", &m.out_degree},
      {"in_strength", &m.in_strength},
      {"out_strength", &m.out_strength},
      {"betweenness_directed", &m.betweenness_directed},
      {"betweenness_undirected", &m.betweenness_undirected}};
  std::vector<std::vector<int>> ranks;
  for (const auto& [name, values] : metrics) ranks.push_back(CompetitionRanks(*values));
  // What the JSON and the CSV's sidecar both say about the run; the sidecar
  // also describes its table.
  auto provenance = [&](const char* table) {
    Json out{{"qap_version", std::string(EngineVersion())}, {"command", "network"}};
    if (table != nullptr) out["table"] = table;
    out["kind"] = ToString(options.kind);
    out["partners"] = ToString(partners);
    out["threshold"] = m.threshold;
    out["threshold_quantile"] =
        options.threshold_is_quantile ? Json(options.threshold) : Json(nullptr);
    out["nodes"] = m.labels.size();
    out["arcs"] = m.arcs;
    out["undefined_weights"] = m.undefined_weights;
    out["focal"] = focal.empty() ? Json(nullptr) : Json(focal);
    return out;
  };
  if (format == OutputFormat::kJson) {
    Json nodes = Json::array();
    for (std::size_t a = 0; a < m.labels.size(); ++a) {
      Json node{{"node", m.labels[a]}};
      for (std::size_t k = 0; k < metrics.size(); ++k) {
        node[metrics[k].first] = NumberOrNull((*metrics[k].second)[static_cast<Eigen::Index>(a)]);
        node["rank_" + metrics[k].first] = ranks[k][a];
      }
      nodes.push_back(node);
    }
    Json out = provenance(nullptr);
    out["metrics"] = nodes;
    return out.dump(2) + "\n";
  }
  std::string header = "node";
  for (const auto& [name, values] : metrics) header += "," + name + ",rank_" + name;
  std::string rows;
  for (std::size_t a = 0; a < m.labels.size(); ++a) {
    rows += CsvQuote(m.labels[a]);
    for (std::size_t k = 0; k < metrics.size(); ++k) {
      rows += "," + FormatRoundTrip((*metrics[k].second)[static_cast<Eigen::Index>(a)]) + "," +
              std::to_string(ranks[k][a]);
    }
    rows += "\n";
  }
  // A bare table; what the old comment lines said is in the sidecar.
  if (meta != nullptr) {
    Json focal_ranks = nullptr;
    if (const auto it = std::find(m.labels.begin(), m.labels.end(), focal);
        !focal.empty() && it != m.labels.end()) {
      const auto a = static_cast<std::size_t>(it - m.labels.begin());
      focal_ranks = Json::object();
      for (std::size_t k = 0; k < metrics.size(); ++k) focal_ranks[metrics[k].first] = ranks[k][a];
    }
    Json sidecar =
        provenance("one row per node: each metric and its competition rank (docs/cli.md)");
    sidecar["focal_ranks"] = focal_ranks;
    *meta = sidecar.dump(2) + "\n";
  }
  return header + "\n" + rows;
}

std::string RenderPartnersCsv(const CovariateResult& r, const CountryTable& countries) {
  std::string out = "iso3,name,dependence,memberships,gdp_per_capita,trade_intensity,advanced";
  for (const char* k : kWgiDimensions) out += std::string(",wgi_") + k;
  out += "\n";
  for (const PartnerAttributes& p : r.partners) {
    out += p.iso3 + "," + CsvQuote(countries.Name(p.iso3)) + "," + FormatRoundTrip(p.dependence) +
           "," + FormatRoundTrip(p.memberships) + "," + FormatRoundTrip(p.gdp_per_capita) + "," +
           FormatRoundTrip(p.trade_intensity) + "," + FormatRoundTrip(p.advanced);
    for (double w : p.wgi) out += "," + FormatRoundTrip(w);
    out += "\n";
  }
  return out;
}

std::string RenderCovariateReportJson(const CovariateResult& r, const TradeReadReport& trade,
                                      const std::vector<std::string>& input_files,
                                      const std::vector<AttributeReadReport>& attribute_reads) {
  Json dropped = Json::array();
  for (const DroppedPartner& d : r.dropped)
    dropped.push_back({{"iso3", d.iso3}, {"reason", d.reason}});
  // Partners whose import-model TD numerator is the report td_flow did not choose.
  Json td_fallbacks = Json::array();
  for (const TradeIntensityFallback& f : r.td_fallbacks) {
    td_fallbacks.push_back({{"iso3", f.iso3}, {"year", f.year}, {"note", f.note}});
  }
  Json files = Json::array();
  for (const std::string& file : input_files) {
    if (!file.empty()) files.push_back(file);
  }
  const std::set<std::string> notes = DataNotes(input_files);
  Json out{{"qap_version", std::string(EngineVersion())},
           {"command", "covariates"},
           {"design", ToString(r.options.design)},
           {"focal", r.options.focal},
           {"commodity", r.options.commodity},
           {"direction", ToString(r.options.direction)},
           {"year", r.options.year},
           {"partners_convention", ToString(r.options.partners)},
           {"reconciliation", ToString(r.options.reconciliation)},
           {"difference", ToString(r.options.difference)},
           {"log_gdp", r.options.log_gdp},
           {"td_scope", r.options.trade_intensity_on_product ? "product" : "total"},
           {"td_flow", ToString(r.options.trade_intensity_flow)},
           {"nodes", r.partners.size()},
           {"dyads_directed", r.partners.size() * (r.partners.size() - 1)},
           {"dropped_partners", dropped},
           {"td_fallbacks", td_fallbacks},
           {"input_files", files},
           {"data_notes", notes},
           {"trade_file",
            {{"layout", trade.layout},
             {"records_read", trade.records},
             {"dropped_aggregates", trade.dropped_aggregates},
             {"dropped_unknown_economies", trade.dropped_unknown},
             {"re_exports_and_re_imports_left_out", trade.re_exports_and_imports},
             {"encoding", trade.encoding},
             {"flows_left_out", trade.flows_left_out},
             {"classification_levels_left_out", trade.levels_left_out},
             {"breakdown_rows_left_out", trade.breakdown_rows_left_out},
             {"breakdown_rows_summed", trade.breakdown_rows_summed},
             {"totals_from_breakdowns", trade.totals_from_breakdowns},
             {"self_trade_rows_left_out", trade.self_trade}}}};
  Json reads = Json::array();
  for (const AttributeReadReport& read : attribute_reads)
    reads.push_back(detail::AttributeReadJson(read));
  out["attribute_files"] = reads;
  // Which formula each written matrix holds (signed or absolute, the diagonal).
  Json definitions = Json::object();
  for (const auto& [name, definition] : r.definitions) definitions[name] = definition;
  out["matrix_definitions"] = definitions;
  return out.dump(2) + "\n";
}

std::string RenderCovariateSummaryText(const CovariateResult& r, const TradeReadReport& trade,
                                       const std::vector<AttributeReadReport>& attribute_reads) {
  std::string out = "qap: " + std::to_string(r.partners.size()) + " partners kept, " +
                    std::to_string(r.dropped.size()) + " dropped\n";
  for (const DroppedPartner& d : r.dropped) out += "  dropped " + d.iso3 + ": " + d.reason + "\n";
  for (const TradeIntensityFallback& f : r.td_fallbacks)
    out += "  TD of " + f.iso3 + ": " + f.note + "\n";
  auto counts = [](const std::map<std::string, std::size_t>& by_key) {
    std::string text;
    for (const auto& [key, n] : by_key)
      text += (text.empty() ? "" : ", ") + key + " " + std::to_string(n);
    return text;
  };
  out += "qap: " + trade.file + ": " + trade.layout +
         (trade.encoding.empty() ? "" : ", " + trade.encoding) + ", " +
         std::to_string(trade.records) + " bilateral records\n";
  if (!trade.dropped_aggregates.empty()) {
    out +=
        "  aggregate rows, not economies (World rows are kept as totals for the trade "
        "intensity): " +
        counts(trade.dropped_aggregates) + "\n";
  }
  if (!trade.dropped_unknown.empty())
    out += "  unknown economies dropped: " + counts(trade.dropped_unknown) + "\n";
  if (!trade.flows_left_out.empty())
    out += "  sub-flow rows left out: " + counts(trade.flows_left_out) + "\n";
  if (!trade.levels_left_out.empty())
    out += "  other classification levels left out: " + counts(trade.levels_left_out) + "\n";
  if (trade.breakdown_rows_left_out + trade.breakdown_rows_summed > 0) {
    out += "  breakdown rows (customs procedure, mode of transport, second partner): " +
           std::to_string(trade.breakdown_rows_left_out) + " left out beside a total row, " +
           std::to_string(trade.breakdown_rows_summed) + " summed where no total row exists\n";
  }
  for (const AttributeReadReport& read : attribute_reads) {
    std::size_t aggregate_rows = 0;
    for (const auto& [code, n] : read.aggregates) aggregate_rows += n;
    out += "qap: " + read.file + ": " + read.layout +
           (read.encoding.empty() ? "" : ", " + read.encoding) + ", " +
           std::to_string(read.rows_read) + " economy rows, " + std::to_string(aggregate_rows) +
           " aggregate rows left out";
    if (!read.resolved_by_name.empty()) {
      out += ", " + std::to_string(read.resolved_by_name.size()) + " economies resolved by name";
    }
    out += "\n";
    if (!read.unresolved.empty()) {
      out += "  " + std::to_string(read.unresolved.size()) +
             " economies could not be resolved (their rows are not "
             "used): " +
             DescribeUnresolved(read, read.unresolved.size()) + "\n";
    }
  }
  return out;
}

void WriteFilesAtomically(const std::vector<std::pair<std::string, std::string>>& files) {
  OutputTransaction transaction;
  for (const auto& [path, content] : files) transaction.Declare(path, "output");
  for (const auto& [path, content] : files) transaction.Add(path, content);
  transaction.Commit();
}

}  // namespace qap
