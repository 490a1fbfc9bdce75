// Rendering results for people (text, Markdown) and for programs (CSV, JSON),
// and writing them without ever leaving a partial file behind.
//
// Every rendering starts with the options in effect, so an output file says
// how it was made; a CSV, which is a bare table, says it in its .meta.json. The thread count is
// deliberately not printed: it cannot change a digit of the result, and leaving it out keeps
// outputs byte-identical across thread counts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "qap/core/alignment.hpp"
#include "qap/core/correlation.hpp"
#include "qap/core/regression.hpp"
#include "qap/trade/attributes.hpp"
#include "qap/trade/country_table.hpp"
#include "qap/trade/dependence.hpp"

namespace qap {

enum class OutputFormat { kText, kCsv, kJson, kMarkdown };
inline constexpr EnumName<OutputFormat> kOutputFormatNames[] = {
    {OutputFormat::kText, "text", "aligned plain text"},
    {OutputFormat::kCsv, "csv", "comma-separated values"},
    {OutputFormat::kJson, "json", "JSON (schema in docs/)"},
    {OutputFormat::kMarkdown, "markdown", "Markdown tables"},
};
constexpr std::span<const EnumName<OutputFormat>> EnumTable(OutputFormat) {
  return kOutputFormatNames;
}

// Facts about the run that the result structs do not hold.
struct RenderContext {
  AlignMode align_mode = AlignMode::kExact;
  AlignmentReport alignment;
  std::string permutation_file;  // --permutations FILE, if used
  // What the readers decided about the inputs, "<matrix name>: <note>" (e.g.
  // labels assigned by position): "Note:" lines in text and Markdown, "notes"
  // in JSON and in a CSV's .meta.json.
  std::vector<std::string> input_notes;
};

// The text report prints each permuted statistic's null quantiles when the
// result kept its null distribution (RegressionOptions::keep_null_distribution).
// A text run keeps it only when that takes at most this much memory
// (NullDistributionBytes); otherwise the report says in one line why it has none.
inline constexpr std::uint64_t kTextNullDistributionBudgetBytes = std::uint64_t{256} << 20U;

// Text lines are at most 100 columns (UTF-8 code points) for ordinary names
// and numbers: long names are shortened with "…", prose wraps at spaces; only
// a word longer than a line (a file path) can still exceed it.
std::string RenderRegression(const RegressionResult& result, OutputFormat format,
                             const RenderContext& context);
std::string RenderCorrelation(const CorrelationResult& result, OutputFormat format,
                              const RenderContext& context);

// A CSV is a bare rectangular table (header row first, no comment lines), so
// R's read.csv and Python's csv module read it as it is. What it does not
// hold (version, options, seed, input files and hashes, model statistics,
// warnings, notes) is JSON written next to it as `CsvMetaPath(csv)` when the
// CSV goes to a file; a CSV on standard output has no sidecar.
std::string CsvMetaPath(const std::string& csv_path);
std::string RenderRegressionCsvMeta(const RegressionResult& result, const RenderContext& context);
std::string RenderCorrelationCsvMeta(const CorrelationResult& result, const RenderContext& context);

// Writes to a temporary file in the same folder, then renames it over `path`,
// so readers never see a partial file. Throws OutputError naming the path.
void WriteFileAtomically(const std::string& path, std::string_view content);

// The engine's version, "MAJOR.MINOR.PATCH".
std::string_view EngineVersion();

}  // namespace qap

namespace qap {

struct DependenceResult;
struct NetworkMetrics;
struct NetworkOptions;
struct TradeReadReport;
struct FlowMatrixReport;
struct CovariateResult;

// Per-economy table of `qap dependence`: exports, imports, HX, HM, CX, CM. A
// bare table; its provenance (partners, universe N) is in report.json.
std::string RenderConcentrationCsv(const DependenceResult& result);
// What `qap dependence` did: options, universe, undefined cells and why.
// `trade` and `flows` describe how a trade file was read, when one was.
std::string RenderDependenceReportJson(const DependenceResult& result,
                                       const TradeReadReport* trade = nullptr,
                                       const FlowMatrixReport* flows = nullptr);
// Node metrics and ranks of `qap network`; `focal` (may be empty) is highlighted.
// For CSV, `meta` (when given) receives the sidecar's JSON (CsvMetaPath).
std::string RenderNetwork(const NetworkMetrics& metrics, const NetworkOptions& options,
                          PartnerCount partners, const std::string& focal, OutputFormat format,
                          std::string* meta = nullptr);

// What `qap covariates` kept and dropped, and from which files (a file's
// folder may hold a DATA_NOTE, e.g. "synthetic", which is copied in).
// `attribute_reads` says how each attribute file was read (layout, encoding,
// aggregates, economies that could not be resolved).
std::string RenderCovariateReportJson(const CovariateResult& result, const TradeReadReport& trade,
                                      const std::vector<std::string>& input_files,
                                      const std::vector<AttributeReadReport>& attribute_reads = {});

// What `qap covariates` kept and left out, for a person: partners kept, each
// dropped partner with its reason, and for each input file its layout,
// encoding (when transcoded), aggregates left out and economies that could
// not be resolved.
std::string RenderCovariateSummaryText(const CovariateResult& result, const TradeReadReport& trade,
                                       const std::vector<AttributeReadReport>& attribute_reads);

// One row per partner of `qap covariates` with every attribute behind its matrices.
std::string RenderPartnersCsv(const CovariateResult& result, const CountryTable& countries);

// Writes several files so that either all appear or none: every file goes to
// a temporary name first and all are renamed only after all were written.
void WriteFilesAtomically(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace qap
