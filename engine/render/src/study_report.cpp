// Tables 3 and 4 in the layout of the paper, in five formats.
#include "qap/render/study_report.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/sha256.hpp"
#include "qap/render/markdown.hpp"
#include "qap/render/report.hpp"
#include "qap/study/study.hpp"
#include "read_report_json.hpp"

namespace qap {

namespace {

using Json = nlohmann::ordered_json;

const StudyModel* Find(const StudyResult& r, const std::string& variant, const std::string& product,
                       TradeDirection d) {
  for (const StudyModel& m : r.models) {
    if (m.variant == variant && m.product == product && m.direction == d) return &m;
  }
  return nullptr;
}

const CoefficientEstimate* Coefficient(const StudyModel& m, const std::string& variable) {
  if (!m.result) return nullptr;
  for (const CoefficientEstimate& c : m.result->coefficients) {
    if (c.name == variable) return &c;
  }
  return nullptr;
}

std::string Stars(const CoefficientEstimate& c, NullHypothesis null) {
  if (c.permutation) return SignificanceStars(c.permutation->p_two_sided);
  return null == NullHypothesis::kClassical ? SignificanceStars(c.classical_p) : "";
}

// Stars under the model's own null: an [[override]] may set a null other than
// [model]'s (issue 12: null = "classical" for one product printed no stars).
std::string Stars(const StudyModel& m, const CoefficientEstimate& c) {
  return Stars(
      c, m.result ? m.result->options.null_hypothesis : NullHypothesis::kDoubleSemiPartialling);
}

std::vector<std::pair<std::string, std::string>> Provenance(const StudyResult& r,
                                                            const std::string& variant) {
  const StudyManifest& m = r.manifest;
  std::vector<std::pair<std::string, std::string>> lines = {
      {"engine", "qap " + std::string(EngineVersion())},
      {"manifest", m.path + " (sha256 " + m.sha256 + ")"},
      {"null", ToString(m.regression.null_hypothesis)},
      {"statistic", ToString(m.regression.statistic)},
      {"permutations", std::to_string(m.regression.permutation.permutations)},
      {"seed", std::to_string(m.regression.permutation.seed.value_or(0)) +
                   " (each model's seed is derived from it)"},
      {"p-value rule", ToString(m.regression.permutation.pvalue_rule)},
      {"stars", "* p < 0.10, ** p < 0.05, *** p < 0.01 (two-sided permutation p)"},
      {"dyads", ToString(m.regression.dyads.mode)},
      {"threads", std::to_string(r.threads) + " (the numbers do not depend on it)"},
  };
  auto file_line = [&](const std::string& key, const std::string& file) {
    if (file.empty()) return;
    std::string hash = "unreadable";
    try {
      hash = detail::Sha256FileHex(file);
    } catch (const Error&) {
    }
    lines.emplace_back(key, file + " (sha256 " + hash + ")");
  };
  if (m.raw) {
    file_line("trade", m.raw->trade);
    file_line("wdi", m.raw->wdi);
    file_line("gdp fill", m.raw->gdp_fill);
    file_line("wgi", m.raw->wgi);
    file_line("memberships", m.raw->memberships);
    file_line("advanced", m.raw->advanced);
    // The trade intensity's flows under [model] (an [[override]] may change
    // them for one model).
    lines.emplace_back("td scope", m.covariates.trade_intensity_on_product ? "product" : "total");
    lines.emplace_back(
        "td flow", ToString(m.covariates.trade_intensity_flow) + " (import models' TD numerator)");
    // Which formula each matrix holds under [model] (an [[override]] may
    // change it for one model: the JSON lists every model's own).
    CovariateOptions options = m.covariates;
    options.direction = m.directions.empty() ? TradeDirection::kExport : m.directions.front();
    const std::optional<RobustnessVariant> robustness = ParseEnum<RobustnessVariant>(variant);
    std::string definitions;
    for (const auto& [name, definition] :
         MatrixDefinitions(options, robustness ? &*robustness : nullptr)) {
      // Y (REE and REI) is f(y_i, y_j) with the difference named on its own line.
      if (name == "REE" || name == "REI") continue;
      definitions += (definitions.empty() ? "" : "; ") + name + " = " + definition;
    }
    lines.emplace_back("difference", ToString(m.covariates.difference));
    lines.emplace_back("matrices", definitions);
  } else {
    lines.emplace_back("matrices", m.matrices);
  }
  return lines;
}

struct Block {
  TradeDirection direction;
  std::vector<std::vector<std::string>> rows;  // first row: header
};

std::vector<Block> Blocks(const StudyResult& r, const std::string& variant) {
  std::vector<Block> blocks;
  for (const TradeDirection d : r.manifest.directions) {
    Block block{d, {}};
    std::vector<std::string> header{d == TradeDirection::kExport ? "Export (REE)" : "Import (REI)"};
    for (const std::string& p : r.manifest.products) header.push_back(p);
    block.rows.push_back(header);
    for (const std::string variable : kStudyCovariateNames) {
      std::vector<std::string> row{variable};
      for (const std::string& p : r.manifest.products) {
        const StudyModel* m = Find(r, variant, p, d);
        const CoefficientEstimate* c = m == nullptr ? nullptr : Coefficient(*m, variable);
        row.push_back(c == nullptr ? (m != nullptr && !m->result ? "failed" : "")
                                   : FormatFixed(c->standardized, 3) + Stars(*m, *c));
      }
      block.rows.push_back(row);
    }
    std::vector<std::string> r2{"R2"};
    std::vector<std::string> n{"N"};
    for (const std::string& p : r.manifest.products) {
      const StudyModel* m = Find(r, variant, p, d);
      r2.push_back(m != nullptr && m->result ? FormatFixed(m->result->r_squared, 3) : "");
      n.push_back(m != nullptr && m->result ? std::to_string(m->result->dyads_used) : "");
    }
    block.rows.push_back(r2);
    block.rows.push_back(n);
    blocks.push_back(std::move(block));
  }
  return blocks;
}

std::vector<std::string> Failures(const StudyResult& r, const std::string& variant) {
  std::vector<std::string> out;
  for (const StudyModel& m : r.models) {
    if (m.variant == variant && !m.result)
      out.push_back(m.product + " " + ToString(m.direction) + ": " + m.failure);
  }
  return out;
}

// The footnotes under a table, in table order: each column (product and
// direction) whose regression warned (a coefficient zero up to rounding, or
// one whose permutations were all undefined, whose 0 or NA p and missing
// stars a reader must not take for a finding), and each whose
// regression lost partners, with the count and every ISO3 code. The reasons
// for dropping are per partner and long, so they stay in the JSON output.
std::vector<std::string> TableNotes(const StudyResult& r, const std::string& variant) {
  std::vector<std::string> out;
  for (const TradeDirection d : r.manifest.directions) {
    for (const std::string& p : r.manifest.products) {
      const StudyModel* m = Find(r, variant, p, d);
      if (m == nullptr || !m->result) continue;
      // The table shows the regressors only, so the intercept's warning stays in the JSON.
      const auto& coefficients = m->result->coefficients;
      for (std::size_t c = 1; c < coefficients.size(); ++c) {
        const auto& test = coefficients[c].permutation;
        if (test && test->valid == 0) {
          // Its p is NA, so the missing stars are no finding either.
          out.push_back(p + " " + ToString(d) + ": " + coefficients[c].name +
                        " has no permutation p-value (all " +
                        std::to_string(m->result->permutations) +
                        " permutations gave an undefined statistic), shown without stars; see the "
                        "JSON warnings");
        }
        if (!coefficients[c].zero_up_to_rounding) continue;
        out.push_back(p + " " + ToString(d) + ": " + coefficients[c].name +
                      " is zero up to rounding (orthogonal to the dependent matrix given the "
                      "others), shown as 0 "
                      "without stars; see the JSON warnings");
      }
    }
  }
  for (const TradeDirection d : r.manifest.directions) {
    for (const std::string& p : r.manifest.products) {
      const StudyModel* m = Find(r, variant, p, d);
      if (m == nullptr || m->dropped.empty()) continue;
      std::string codes;
      for (const DroppedPartner& partner : m->dropped)
        codes += (codes.empty() ? "" : ", ") + partner.iso3;
      out.push_back(p + " " + ToString(d) + ": " + std::to_string(m->dropped.size()) +
                    (m->dropped.size() == 1 ? " partner" : " partners") + " dropped (" + codes +
                    "); reasons in the JSON output");
    }
  }
  // Rows of the raw files that named no economy the country table knows: a
  // partner without a value may be among them under another spelling.
  for (const AttributeReadReport& read : r.attribute_reads) {
    if (read.unresolved.empty()) continue;
    out.push_back(read.file + ": " + std::to_string(read.unresolved.size()) +
                  (read.unresolved.size() == 1 ? " economy" : " economies") +
                  " could not be resolved and were not used: " + DescribeUnresolved(read, 10));
  }
  return out;
}

std::string Title(const StudyResult& r, const std::string& variant) {
  return (variant == "main" ? "Table 3" : "Table 4 (" + variant + ")") +
         ": standardized QAP regression coefficients, " + r.manifest.name + ", " +
         std::to_string(r.manifest.year);
}

std::string Text(const StudyResult& r, const std::string& variant) {
  std::string out = Title(r, variant) + "\n\n";
  for (const auto& [key, value] : Provenance(r, variant)) out += "  " + key + ": " + value + "\n";
  for (const Block& block : Blocks(r, variant)) {
    out += "\n";
    std::vector<std::size_t> widths(block.rows.front().size(), 0);
    for (const auto& row : block.rows) {
      for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
    }
    for (const auto& row : block.rows) {
      std::string line;
      for (std::size_t c = 0; c < row.size(); ++c) {
        const std::string& cell = row[c];
        line += c == 0 ? cell + std::string(widths[c] - cell.size() + 2, ' ')
                       : std::string(widths[c] - cell.size() + 2, ' ') + cell;
      }
      out += line + "\n";
    }
  }
  const auto dropped = TableNotes(r, variant);
  if (!dropped.empty()) out += "\n";
  for (const std::string& note : dropped) out += note + "\n";
  for (const std::string& failure : Failures(r, variant)) out += "\nfailed: " + failure;
  if (!Failures(r, variant).empty()) out += "\n";
  return out;
}

// The sidecar of a study CSV: what the other formats print around the table.
std::string CsvMeta(const StudyResult& r, const std::string& variant) {
  Json provenance = Json::object();
  for (const auto& [key, value] : Provenance(r, variant)) provenance[key] = value;
  return Json{{"qap_version", std::string(EngineVersion())},
              {"command", "study run"},
              {"title", Title(r, variant)},
              {"table",
               "one row per table, direction, variable (and R2, N) and HS code (docs/cli.md)"},
              {"provenance", provenance},
              {"notes", TableNotes(r, variant)},
              {"failures", Failures(r, variant)}}
             .dump(2) +
         "\n";
}

// A bare table: header row, then rows; a missing cell is NA. Provenance and
// footnotes are in CsvMeta.
std::string Csv(const StudyResult& r, const std::string& variant) {
  std::string out = "table,direction,variable,hs_code,coefficient,stars\n";
  const std::string table = variant == "main" ? "T3" : "T4-" + variant;
  for (const TradeDirection d : r.manifest.directions) {
    for (const std::string variable : kStudyCovariateNames) {
      for (const std::string& p : r.manifest.products) {
        const StudyModel* m = Find(r, variant, p, d);
        const CoefficientEstimate* c = m == nullptr ? nullptr : Coefficient(*m, variable);
        out += table + "," + ToString(d) + "," + variable + "," + p + "," +
               (c == nullptr ? "NA," : FormatFixed(c->standardized, 3) + "," + Stars(*m, *c)) +
               "\n";
      }
    }
    for (const char* stat : {"R2", "N"}) {
      for (const std::string& p : r.manifest.products) {
        const StudyModel* m = Find(r, variant, p, d);
        std::string value = "NA";
        if (m != nullptr && m->result) {
          value = std::string(stat) == "R2" ? FormatFixed(m->result->r_squared, 3)
                                            : std::to_string(m->result->dyads_used);
        }
        out += table + "," + ToString(d) + "," + stat + "," + p + "," + value + ",\n";
      }
    }
  }
  return out;
}

std::string Markdown(const StudyResult& r, const std::string& variant) {
  std::string out = "## " + Title(r, variant) + "\n\n";
  for (const auto& [key, value] : Provenance(r, variant)) out += "- " + key + ": `" + value + "`\n";
  for (const Block& block : Blocks(r, variant)) {
    out += "\n" + MarkdownTable(block.rows);
  }
  for (const std::string& note : TableNotes(r, variant)) out += "\n" + note + "\n";
  for (const std::string& failure : Failures(r, variant)) out += "\nFailed: " + failure + "\n";
  return out;
}

std::string Latex(const StudyResult& r, const std::string& variant) {
  const std::size_t columns = r.manifest.products.size();
  std::string out = "% " + Title(r, variant) + "\n";
  for (const auto& [key, value] : Provenance(r, variant)) out += "% " + key + ": " + value + "\n";
  out += "\\begin{table}[htbp]\n\\centering\n\\caption{" + Title(r, variant) +
         "}\n\\begin{tabular}{l" + std::string(columns, 'r') + "}\n\\toprule\n";
  auto stars = [](const std::string& cell) {
    const auto first = cell.find('*');
    if (first == std::string::npos) return cell;
    return cell.substr(0, first) + "$^{" + cell.substr(first) + "}$";
  };
  const auto blocks = Blocks(r, variant);
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const auto& rows = blocks[b].rows;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::string line;
      for (std::size_t c = 0; c < rows[i].size(); ++c) {
        const std::string& cell = rows[i][c];
        line += (c == 0 ? "" : " & ") + (c == 0 && cell == "R2" ? std::string("$R^2$")
                                         : i == 0 || c == 0     ? cell
                                                                : stars(cell));
      }
      out += line + " \\\\\n";
      if (i == 0) out += "\\midrule\n";
      if (i + 3 == rows.size()) out += "\\addlinespace\n";
    }
    out += b + 1 < blocks.size() ? "\\midrule\n" : "\\bottomrule\n";
  }
  out +=
      "\\end{tabular}\n\\par\\footnotesize Standardized coefficients; $^{*}$ $p<0.10$, $^{**}$ "
      "$p<0.05$, "
      "$^{***}$ $p<0.01$ (two-sided QAP permutation test).\n";
  for (const std::string& note : TableNotes(r, variant)) out += "\\par " + note + ".\n";
  out += "\\end{table}\n";
  return out;
}

Json JsonModel(const StudyModel& m) {
  Json out{{"variant", m.variant},
           {"product", m.product},
           {"direction", ToString(m.direction)},
           {"seed", m.seed}};
  Json dropped = Json::array();
  for (const DroppedPartner& d : m.dropped)
    dropped.push_back({{"iso3", d.iso3}, {"reason", d.reason}});
  if (!m.result) {
    out["failure"] = m.failure;
    out["dropped_partners"] = dropped;  // a model can fail after its partners were chosen
    return out;
  }
  const RegressionResult& r = *m.result;
  Json coefficients = Json::array();
  for (const CoefficientEstimate& c : r.coefficients) {
    coefficients.push_back(
        {{"variable", c.name},
         {"coefficient", c.coefficient},
         {"standardized", std::isfinite(c.standardized) ? Json(c.standardized) : Json(nullptr)},
         {"t", c.t},
         {"p_two_sided", c.permutation && std::isfinite(c.permutation->p_two_sided)
                             ? Json(c.permutation->p_two_sided)
                             : Json(nullptr)},
         {"classical_p", c.classical_p},
         {"stars", Stars(m, c)}});
  }
  out["nodes"] = r.nodes;
  out["dyads_used"] = r.dyads_used;
  out["r_squared"] = r.r_squared;
  out["adjusted_r_squared"] = r.adjusted_r_squared;
  out["r_squared_permutation_p"] =
      r.r_squared_test ? Json(r.r_squared_test->p_greater_equal) : Json(nullptr);
  out["coefficients"] = coefficients;
  out["dropped_partners"] = dropped;
  out["warnings"] = r.warnings;
  Json td_fallbacks = Json::array();
  for (const TradeIntensityFallback& f : m.td_fallbacks) {
    td_fallbacks.push_back({{"iso3", f.iso3}, {"year", f.year}, {"note", f.note}});
  }
  out["td_fallbacks"] = td_fallbacks;
  Json definitions = Json::object();
  for (const auto& [name, definition] : m.definitions) definitions[name] = definition;
  if (!m.definitions.empty()) out["matrix_definitions"] = definitions;
  return out;
}

std::string JsonTable(const StudyResult& r, const std::string& variant) {
  Json provenance = Json::object();
  for (const auto& [key, value] : Provenance(r, variant)) provenance[key] = value;
  Json models = Json::array();
  for (const StudyModel& m : r.models) {
    if (m.variant == variant) models.push_back(JsonModel(m));
  }
  Json out{{"qap_version", std::string(EngineVersion())},
           {"command", "study run"},
           {"table", variant == "main" ? "T3" : "T4-" + variant},
           {"study", r.manifest.name},
           {"provenance", provenance},
           {"models", models}};
  if (r.trade_read) {
    const TradeReadReport& t = *r.trade_read;
    out["trade_file"] = {{"file", t.file},
                         {"layout", t.layout},
                         {"encoding", t.encoding},
                         {"records_read", t.records},
                         {"dropped_aggregates", t.dropped_aggregates},
                         {"dropped_unknown_economies", t.dropped_unknown},
                         {"flows_left_out", t.flows_left_out},
                         {"classification_levels_left_out", t.levels_left_out},
                         {"breakdown_rows_left_out", t.breakdown_rows_left_out},
                         {"breakdown_rows_summed", t.breakdown_rows_summed}};
  }
  Json reads = Json::array();
  for (const AttributeReadReport& read : r.attribute_reads)
    reads.push_back(detail::AttributeReadJson(read));
  if (!reads.empty()) out["attribute_files"] = reads;
  return out.dump(2) + "\n";
}

// Agreement of a variant's cell with the main run's.
std::string Agreement(const StudyModel& main_model, const CoefficientEstimate* main,
                      const StudyModel& variant_model, const CoefficientEstimate* variant) {
  if (main == nullptr || variant == nullptr) return "";
  const std::string a = Stars(main_model, *main);
  const std::string b = Stars(variant_model, *variant);
  if ((main->standardized < 0.0) != (variant->standardized < 0.0)) return "sign";
  if (a == b) return "=";
  return (a.empty() ? "ns" : a) + " -> " + (b.empty() ? "ns" : b);
}

std::vector<Block> ComparisonBlocks(const StudyResult& r, const std::string& variant) {
  std::vector<Block> blocks;
  for (const TradeDirection d : r.manifest.directions) {
    Block block{d, {}};
    std::vector<std::string> header{
        std::string(d == TradeDirection::kExport ? "Export" : "Import") + " main vs " + variant};
    for (const std::string& p : r.manifest.products) header.push_back(p);
    block.rows.push_back(header);
    for (const std::string variable : kStudyCovariateNames) {
      std::vector<std::string> row{variable};
      for (const std::string& p : r.manifest.products) {
        const StudyModel* main = Find(r, "main", p, d);
        const StudyModel* other = Find(r, variant, p, d);
        row.push_back(main == nullptr || other == nullptr
                          ? ""
                          : Agreement(*main, Coefficient(*main, variable), *other,
                                      Coefficient(*other, variable)));
      }
      block.rows.push_back(row);
    }
    blocks.push_back(std::move(block));
  }
  return blocks;
}

}  // namespace

std::string RenderRobustnessComparison(const StudyResult& result, const std::string& variant,
                                       const std::string& format, std::string* meta) {
  const auto blocks = ComparisonBlocks(result, variant);
  std::size_t agree = 0;
  std::size_t cells = 0;
  for (const Block& b : blocks) {
    for (std::size_t i = 1; i < b.rows.size(); ++i) {
      for (std::size_t c = 1; c < b.rows[i].size(); ++c) {
        cells += b.rows[i][c].empty() ? 0U : 1U;
        agree += b.rows[i][c] == "=" ? 1U : 0U;
      }
    }
  }
  const std::string title = "Robustness " + variant +
                            " vs main run: \"=\" same sign and significance level, \"sign\" "
                            "sign flipped, \"a -> b\" stars changed (" +
                            std::to_string(agree) + " of " + std::to_string(cells) +
                            " cells agree)";
  if (format == "csv" || format == "json") {
    std::string out = "direction,variable,hs_code,agreement\n";
    for (const Block& b : blocks) {
      for (std::size_t i = 1; i < b.rows.size(); ++i) {
        for (std::size_t c = 1; c < b.rows[i].size(); ++c) {
          out += ToString(b.direction) + "," + b.rows[i][0] + "," + b.rows[0][c] + "," +
                 (b.rows[i][c].empty() ? "NA" : CsvQuote(b.rows[i][c])) + "\n";
        }
      }
    }
    if (format == "csv") {
      if (meta != nullptr) {
        *meta = Json{{"qap_version", std::string(EngineVersion())},
                     {"command", "study run"},
                     {"title", title},
                     {"table", "one row per direction, variable and HS code (docs/cli.md)"},
                     {"comparison", variant + " vs main"},
                     {"agree", agree},
                     {"cells", cells}}
                    .dump(2) +
                "\n";
      }
      return out;
    }
    Json cells_json = Json::array();
    for (const Block& b : blocks) {
      for (std::size_t i = 1; i < b.rows.size(); ++i) {
        for (std::size_t c = 1; c < b.rows[i].size(); ++c) {
          cells_json.push_back({{"direction", ToString(b.direction)},
                                {"variable", b.rows[i][0]},
                                {"hs_code", b.rows[0][c]},
                                {"agreement", b.rows[i][c]}});
        }
      }
    }
    return Json{{"comparison", variant + " vs main"},
                {"agree", agree},
                {"cells", cells},
                {"per_cell", cells_json}}
               .dump(2) +
           "\n";
  }
  std::string out = (format == "markdown" ? "## " : format == "latex" ? "% " : "") + title + "\n";
  for (const Block& block : blocks) {
    out += "\n";
    for (std::size_t i = 0; i < block.rows.size(); ++i) {
      std::string line = format == "markdown" ? "|" : "";
      for (std::size_t c = 0; c < block.rows[i].size(); ++c) {
        std::string cell = block.rows[i][c];
        if (format == "markdown") {
          line += " " + MarkdownEscape(cell) + " |";
        } else if (format == "latex") {
          line += (c == 0 ? "" : " & ") + cell;
        } else {
          line += (c == 0 ? cell + std::string(cell.size() < 22 ? 22 - cell.size() : 1, ' ')
                          : std::string(cell.size() < 12 ? 12 - cell.size() : 1, ' ') + cell);
        }
      }
      out += line + (format == "latex" ? " \\\\" : "") + "\n";
      if (i == 0 && format == "markdown") {
        out += "|---|";
        for (std::size_t c = 1; c < block.rows[i].size(); ++c) out += "---:|";
        out += "\n";
      }
    }
  }
  return out;
}

namespace {

// What the comparison can show, by what the inputs say about themselves: the
// bundled fixtures carry a DATA_NOTE saying SYNTHETIC; data without one are
// taken to be the publishers' own.
std::string DataExpectation(const StudyResult& r) {
  std::string synthetic;
  for (const std::string& note : r.data_notes) {
    std::string upper = note;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper.find("SYNTHETIC") != std::string::npos)
      synthetic += (synthetic.empty() ? "" : " / ") + note;
  }
  if (!synthetic.empty()) {
    return "the inputs are synthetic (DATA_NOTE: " + synthetic +
           "): the numbers differ of course; the layout, the sample sizes and the flags are what "
           "must match";
  }
  std::string notes;
  for (const std::string& note : r.data_notes) notes += (notes.empty() ? "" : " / ") + note;
  return std::string(notes.empty()
                         ? "no DATA_NOTE beside the inputs, so they are taken as real data"
                         : "the inputs are described as: " + notes) +
         ": the numbers are expected to match the printed ones up to the data vintage (publishers "
         "revise past "
         "years), except in the cells flagged as impossible";
}

}  // namespace

std::string RenderPrintedComparison(const StudyResult& result, const std::string& printed_csv,
                                    const std::string& table4_variant, const std::string& format,
                                    std::string* meta) {
  const std::string text = detail::ReadWholeFile(printed_csv, detail::kEconomyTableReadLimit);
  const auto records = detail::TokenizeCsv(text, ',', printed_csv);
  if (records.empty()) throw InputError({printed_csv, 0, 0, 0}, "the file is empty");
  detail::RefuseDuplicateHeaderNames(records[0], printed_csv, /*case_insensitive=*/false);
  std::map<std::string, std::size_t> column;
  for (std::size_t c = 0; c < records[0].fields.size(); ++c) column[records[0].fields[c].text] = c;
  for (const char* name : {"table", "direction", "variable", "hs_code", "coefficient", "stars"}) {
    if (!column.contains(name)) {
      throw InputError({printed_csv, records[0].line, 1, 1},
                       std::string("missing column \"") + name + "\"");
    }
  }
  struct Cell {
    std::string value;
    std::string stars;
  };
  // (table, direction, variable, hs) -> printed cell
  std::map<std::tuple<std::string, std::string, std::string, std::string>, Cell> printed;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::size_t> line_of;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& f = records[r].fields;
    detail::RefuseFieldCount(records[0], records[r], printed_csv);
    const auto key = std::tuple{f[column["table"]].text, f[column["direction"]].text,
                                f[column["variable"]].text, f[column["hs_code"]].text};
    if (const auto [it, inserted] = line_of.emplace(key, records[r].line); !inserted) {
      throw InputError({printed_csv, records[r].line, 1, 1},
                       "table " + std::get<0>(key) + ", " + std::get<1>(key) + ", " +
                           std::get<2>(key) + ", HS " + std::get<3>(key) +
                           " is given twice, on lines " + std::to_string(it->second) + " and " +
                           std::to_string(records[r].line) + "; remove one");
    }
    // Every printed cell is checked here, where its line and column are known:
    // a cell that is not a number would otherwise be compared by its first
    // character (the sign) or, for N, cast to an integer that can overflow.
    const std::string where = std::get<0>(key) + ", " + std::get<1>(key) + ", ";
    const detail::CsvField& value = f[column["coefficient"]];
    const SourcePosition value_at{printed_csv, value.line, value.column, column["coefficient"] + 1};
    const auto number = ParseFiniteNumber(value.text);
    if (std::get<2>(key) == "N") {
      // A sample size: a whole number of dyads, at most 10^15 (n(n-1) for 3e7 nodes).
      if (!number || *number < 0.0 || *number > 1e15 || *number != std::floor(*number)) {
        throw InputError(value_at, "the printed N \"" + value.text + "\" of " + where + "HS " +
                                       std::get<3>(key) +
                                       " is not a sample size (a whole number from 0 to 10^15)");
      }
    } else if (value.text.empty()) {
      throw InputError(value_at, "the printed coefficient of " + where + std::get<2>(key) +
                                     ", HS " + std::get<3>(key) + " is empty");
    } else if (!number) {
      throw InputError(value_at, "the printed coefficient \"" + value.text + "\" of " + where +
                                     std::get<2>(key) + ", HS " + std::get<3>(key) +
                                     " is not a number");
    }
    const detail::CsvField& stars = f[column["stars"]];
    if (stars.text != "" && stars.text != "*" && stars.text != "**" && stars.text != "***") {
      throw InputError({printed_csv, stars.line, stars.column, column["stars"] + 1},
                       "the printed stars \"" + stars.text + "\" of " + where + std::get<2>(key) +
                           ", HS " + std::get<3>(key) + " are not empty, *, ** or ***");
    }
    printed[key] = {value.text, stars.text};
  }
  struct Row {
    std::string table, direction, variable, hs, engine, printed, flag;
  };
  std::vector<Row> rows;
  std::vector<std::string> notes;
  for (const auto& [table, variant] :
       std::vector<std::pair<std::string, std::string>>{{"T3", "main"}, {"T4", table4_variant}}) {
    for (const TradeDirection d : result.manifest.directions) {
      const std::string direction = ToString(d);
      // Identical columns: every variable's printed cell the same across products.
      bool identical = result.manifest.products.size() > 1;
      for (const std::string variable : kStudyCovariateNames) {
        std::set<std::string> distinct;
        for (const std::string& p : result.manifest.products) {
          const auto it = printed.find({table, direction, variable, p});
          distinct.insert(it == printed.end() ? "?" : it->second.value + it->second.stars);
        }
        identical = identical && distinct.size() == 1;
      }
      if (identical) {
        notes.push_back(table + " " + direction + ": all " +
                        std::to_string(result.manifest.products.size()) +
                        " columns are identical; regressions on different node sets cannot agree "
                        "to three decimals, so "
                        "the printed block is one column repeated");
      }
      for (const std::string& p : result.manifest.products) {
        const StudyModel* m = Find(result, variant, p, d);
        for (const std::string variable : kStudyCovariateNames) {
          const auto it = printed.find({table, direction, variable, p});
          const CoefficientEstimate* c = m == nullptr ? nullptr : Coefficient(*m, variable);
          Row row{table,
                  direction,
                  variable,
                  p,
                  c == nullptr ? "" : FormatFixed(c->standardized, 3) + Stars(*m, *c),
                  it == printed.end() ? "" : it->second.value + it->second.stars,
                  identical ? "identical columns" : ""};
          if (!identical && c != nullptr && it != printed.end()) {
            const bool engine_negative = c->standardized < 0.0;
            const bool printed_negative = !it->second.value.empty() && it->second.value[0] == '-';
            row.flag = engine_negative != printed_negative ? "sign differs"
                       : Stars(*m, *c) != it->second.stars ? "stars differ"
                                                           : "agrees";
          }
          rows.push_back(row);
        }
        const auto n_printed = printed.find({table, direction, "N", p});
        Row n_row{table,
                  direction,
                  "N",
                  p,
                  m != nullptr && m->result ? std::to_string(m->result->dyads_used) : "",
                  n_printed == printed.end() ? "" : n_printed->second.value,
                  ""};
        if (n_printed != printed.end()) {
          // Checked when the file was read: a whole number from 0 to 10^15.
          const double n = ParseFiniteNumber(n_printed->second.value).value_or(0.0);
          const double nodes = (1.0 + std::sqrt(1.0 + 4.0 * n)) / 2.0;
          if (std::abs(nodes - std::round(nodes)) > 1e-9) {
            const auto below = static_cast<long>(std::floor(nodes));
            n_row.flag = "not n(n-1): nearest " + std::to_string(below * (below - 1)) + " = " +
                         std::to_string(below) + "x" + std::to_string(below - 1) + " or " +
                         std::to_string((below + 1) * below);
          } else {
            n_row.flag = n_row.engine == n_printed->second.value ? "agrees" : "differs";
          }
        }
        rows.push_back(n_row);
      }
    }
  }
  std::string out;
  const std::string title = "Engine vs printed Tables 3 and 4 (" + printed_csv +
                            "; Table 4 compared with " + table4_variant +
                            ", which the paper does not name)";
  if (format == "csv") {
    out = "table,direction,variable,hs_code,engine,printed,flag\n";
    auto cell = [](const std::string& value) { return value.empty() ? "NA" : CsvQuote(value); };
    for (const Row& r : rows) {
      out += r.table + "," + r.direction + "," + r.variable + "," + r.hs + "," + cell(r.engine) +
             "," + cell(r.printed) + "," + CsvQuote(r.flag) + "\n";
    }
    if (meta != nullptr) {
      std::string hash = "unreadable";
      try {
        hash = detail::Sha256FileHex(printed_csv);
      } catch (const Error&) {
      }
      *meta = Json{{"qap_version", std::string(EngineVersion())},
                   {"command", "study run"},
                   {"title", title},
                   {"table", "one row per printed cell of Tables 3 and 4 (docs/cli.md)"},
                   {"printed_file", {{"file", printed_csv}, {"sha256", hash}}},
                   {"table4_variant", table4_variant},
                   {"notes", notes},
                   {"data_expectation", DataExpectation(result)}}
                  .dump(2) +
              "\n";
    }
    return out;
  }
  const bool markdown = format == "markdown";
  out = (markdown ? "## " : "") + title + "\n\n";
  if (markdown) {
    out +=
        "| table | direction | variable | HS | engine | printed | flag "
        "|\n|---|---|---|---|---:|---:|---|\n";
  }
  for (const Row& r : rows) {
    if (markdown) {
      out += "| " + r.table + " | " + r.direction + " | " + r.variable + " | " + r.hs + " | " +
             MarkdownEscape(r.engine) + " | " + MarkdownEscape(r.printed) + " | " + r.flag + " |\n";
    } else {
      char line[256];
      std::snprintf(line, sizeof line, "%-3s %-7s %-5s %-7s %12s %12s  %s\n", r.table.c_str(),
                    r.direction.c_str(), r.variable.c_str(), r.hs.c_str(), r.engine.c_str(),
                    r.printed.c_str(), r.flag.c_str());
      out += line;
    }
  }
  out += "\n";
  for (const std::string& note : notes) out += (markdown ? "- " : "note: ") + note + "\n";
  out += (markdown ? "- " : "note: ") + DataExpectation(result) + "\n";
  return out;
}

std::string RenderStudyTable(const StudyResult& result, const std::string& variant,
                             const std::string& format, std::string* meta) {
  if (format == "csv") {
    if (meta != nullptr) *meta = CsvMeta(result, variant);
    return Csv(result, variant);
  }
  if (format == "markdown") return Markdown(result, variant);
  if (format == "latex") return Latex(result, variant);
  if (format == "json") return JsonTable(result, variant);
  return Text(result, variant);
}

}  // namespace qap
