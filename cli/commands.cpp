#include "commands.hpp"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "data_folder.hpp"
#include "progress.hpp"
#include "qap/core/alignment.hpp"
#include "qap/core/correlation.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/permutation.hpp"
#include "qap/core/regression.hpp"
#include "qap/io/interchange.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/io/output_transaction.hpp"
#include "qap/io/permutation_file.hpp"
#include "qap/render/plot.hpp"
#include "qap/render/report.hpp"
#include "qap/render/study_report.hpp"
#include "qap/study/study.hpp"
#include "qap/trade/covariates.hpp"
#include "qap/trade/dependence.hpp"
#include "qap/trade/network.hpp"
#include "qap/trade/trade_data.hpp"
#include "qap/trade/weo.hpp"

namespace qap::cli {

namespace {
bool stdout_closed = false;
}  // namespace

void MarkStandardOutputClosed() { stdout_closed = true; }

namespace {

// Options every command shares: how inputs are read and aligned, how
// permutations are drawn, and where results go.
struct CommonSettings {
  std::string delimiter;
  std::string input_format = "auto";
  std::string absent_edge = "zero";
  std::string align = "exact";
  bool undirected = false;
  bool diagonal = false;
  std::size_t permutations = 5000;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  std::string pvalue = "plus-one";
  std::string format = "text";
  std::string output;
  std::string save_permutations;
  std::string permutation_file;
  bool quiet = false;
};

// The whole of `text` as an unsigned 64-bit number: digits only, no sign, no
// wrapping past 2^64 - 1 (CLI11 alone would clamp 2^64 to 2^64 - 1).
std::optional<std::uint64_t> WholeNumber(const std::string& text) {
  std::uint64_t value = 0;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

void AddCommonOptions(CLI::App& command, CommonSettings& s) {
  command
      .add_option("--delim", s.delimiter,
                  "Field delimiter: ',', ';', 'tab' or any single character (default: detected)")
      ->group("Input");
  command
      .add_option("--input-format", s.input_format, "auto, matrix (labelled square) or edgelist")
      ->check(CLI::IsMember({"auto", "matrix", "edgelist"}))
      ->group("Input");
  command
      .add_option("--absent", s.absent_edge,
                  "What an edge list's unlisted pairs are: zero or missing")
      ->check(CLI::IsMember({"zero", "missing"}))
      ->group("Input");
  command
      .add_option("--align", s.align,
                  "exact: all files must have the same labels; intersect: keep common nodes")
      ->check(CLI::IsMember({"exact", "intersect"}))
      ->group("Input");
  command
      .add_flag("--undirected", s.undirected,
                "Use the lower triangle only, n(n-1)/2 dyads (matrices must be symmetric)")
      ->group("Dyads");
  command.add_flag("--diagonal", s.diagonal, "Include the diagonal cells")->group("Dyads");
  // The count's range is the engine's rule (CheckPermutationCount), the one a
  // manifest's permutations obeys too; the text is read whole, so a number
  // past 2^64 is refused rather than wrapped or clamped.
  auto* perms = command.add_option("--perms", s.permutations, "Number of permutations")
                    ->check(CLI::Validator(
                        [](std::string& value) {
                          const std::optional<std::uint64_t> count = WholeNumber(value);
                          if (!count)
                            return "must be a whole number from 1 to " +
                                   std::to_string(kMaxPermutations) + ", got " + value;
                          return CheckPermutationCount(*count);
                        },
                        "in [1 - 10^9]", "permutation count"))
                    ->group("Permutations");
  command.add_option("--seed", s.seed, "Random seed (default: drawn from the system and printed)")
      ->check(CLI::Validator(
          [](std::string& value) {
            return WholeNumber(value)
                       ? std::string()
                       : "must be a whole number from 0 to 18446744073709551615, got " + value;
          },
          "in [0 - 2^64-1]", "seed"))
      ->group("Permutations");
  command
      .add_option(
          "--threads", s.threads,
          "Threads (default 0: OMP_NUM_THREADS if set, else all cores; results never depend on it)")
      ->check(CLI::Range(0, 1024))
      ->group("Permutations");
  command.add_option("--pvalue", s.pvalue, "plus-one: (b+1)/(m+1); proportion: b/m (sna, asnipe)")
      ->check(CLI::IsMember({"plus-one", "proportion"}))
      ->group("Permutations");
  command
      .add_option("--save-permutations", s.save_permutations, "Write the permutations used to FILE")
      ->type_name("FILE")
      ->group("Permutations");
  command
      .add_option("--permutations", s.permutation_file,
                  "Read the permutations from FILE instead of drawing them")
      ->type_name("FILE")
      ->group("Permutations")
      ->excludes(perms);
  command.add_option("--format", s.format, "Output format: text, csv, json or markdown")
      ->check(CLI::IsMember({"text", "csv", "json", "markdown"}))
      ->group("Output");
  command
      .add_option("-o,--output", s.output, "Write the result to FILE (default: standard output)")
      ->type_name("FILE")
      ->group("Output");
  command.add_flag("-q,--quiet", s.quiet, "No progress line on stderr")->group("Output");
}

ReadOptions ToReadOptions(const CommonSettings& s) {
  ReadOptions options;
  options.format = s.input_format == "matrix"     ? InputFormat::kMatrix
                   : s.input_format == "edgelist" ? InputFormat::kEdgeList
                                                  : InputFormat::kAuto;
  options.absent_edge = s.absent_edge == "missing" ? AbsentEdge::kMissing : AbsentEdge::kZero;
  if (!s.delimiter.empty()) {
    if (s.delimiter == "tab" || s.delimiter == "\\t") {
      options.delimiter = '\t';
    } else if (s.delimiter.size() == 1 && s.delimiter != "\"" && s.delimiter != "\n") {
      options.delimiter = s.delimiter.front();
    } else {
      throw OptionsError("--delim: expected a single character or 'tab', got \"" + s.delimiter +
                         "\"");
    }
  }
  return options;
}

PermutationOptions ToPermutationOptions(const CommonSettings& s) {
  PermutationOptions options;
  options.permutations = s.permutations;
  options.seed = s.seed;
  options.threads = s.threads;
  options.pvalue_rule = s.pvalue == "proportion" ? PValueRule::kProportion : PValueRule::kPlusOne;
  return options;
}

// What the run is given beside its settings: the --permutations list (read
// once, then shared with the plan and the result) and the progress line.
// `out` has the outputs declared: a permutation file that could not be read
// back, or that its folder has no room for, is refused before computing.
PermutationInputs ToPermutationInputs(const CommonSettings& s, std::uint32_t nodes,
                                      const std::string& label, OutputTransaction& out) {
  PermutationInputs inputs;
  if (!s.permutation_file.empty()) {
    inputs.fixed = std::make_shared<const std::vector<Permutation>>(
        ReadPermutationFile(s.permutation_file, nodes));
  }
  if (!s.save_permutations.empty()) {
    // The file is streamed to disk as the permutations are drawn, so memory
    // does not bound it; what --permutations can read back does.
    const std::uint64_t count = inputs.fixed ? inputs.fixed->size() : s.permutations;
    if (const std::uint64_t most = MaxReadablePermutations(nodes); count > most) {
      throw OptionsError("--save-permutations: " + std::to_string(count) + " permutations of " +
                         std::to_string(nodes) +
                         " nodes are more than --permutations can read back (at most " +
                         std::to_string(most) + "); save fewer permutations");
    }
    out.RequireSpace(s.save_permutations, PermutationLineBytes(count, nodes));
  }
  inputs.progress = MakeProgressPrinter(s.quiet, label);
  return inputs;
}

DyadOptions ToDyadOptions(const CommonSettings& s) {
  return {s.undirected ? DyadMode::kUndirected : DyadMode::kDirected, s.diagonal};
}

OutputFormat ToOutputFormat(const std::string& format) {
  if (format == "csv") return OutputFormat::kCsv;
  if (format == "json") return OutputFormat::kJson;
  if (format == "markdown") return OutputFormat::kMarkdown;
  return OutputFormat::kText;
}

// Standard output is checked like a file: a short write, a full disk or a
// closed descriptor is an output error (exit 6), not a silent success.
void WriteStdout(std::string_view text) {
  if (text.empty()) return;
  if (stdout_closed) throw OutputError("standard output is closed; give -o FILE or redirect it");
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    throw OutputError(std::string("standard output: write failed: ") + std::strerror(errno));
  }
}

// Declares the outputs every command shares (before any computation).
void DeclareCommonOutputs(OutputTransaction& out, const CommonSettings& s) {
  if (!s.output.empty()) out.Declare(s.output, "--output");
  if (!s.save_permutations.empty()) out.Declare(s.save_permutations, "--save-permutations");
}

// Standard output first: if it fails, no file is written either.
void Emit(const CommonSettings& s, const std::string& rendered, const PermutationPlan* plan,
          const std::vector<std::string>& node_order, const std::string& provenance,
          OutputTransaction& out) {
  FinishProgress();
  if (!s.save_permutations.empty() && plan != nullptr) {
    out.Add(s.save_permutations, [&](const ContentSink& sink) {
      WritePermutationFile(*plan, node_order, provenance, sink);
    });
  }
  if (s.output.empty()) {
    WriteStdout(rendered);
  } else {
    out.Add(s.output, rendered);
  }
  out.Commit();
}

void ApplyName(LabelledMatrix& matrix, const std::vector<std::string>& names, std::size_t index) {
  if (index < names.size() && !names[index].empty()) matrix.name = names[index];
}

}  // namespace

void RefuseOptionNamesAsValues(CLI::App& app) {
  const CLI::Validator not_an_option(
      [](std::string& value) {
        const bool option_name = value.size() >= 2 && value[0] == '-' &&
                                 (value[1] == '-' || (value[1] >= 'a' && value[1] <= 'z') ||
                                  (value[1] >= 'A' && value[1] <= 'Z'));
        return option_name ? "expected a value, got the option " + value +
                                 " (is a value missing? a file whose name starts with - can be "
                                 "given as ./" +
                                 value + ")"
                           : std::string();
      },
      "", "not an option name");
  for (CLI::Option* option : app.get_options()) {
    if (option->get_type_size_max() > 0) option->check(not_an_option);  // flags take no value
  }
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; }))
    RefuseOptionNamesAsValues(*command);
}

std::function<void()> AddRegressCommand(CLI::App& app) {
  auto* command = app.add_subcommand(
      "regress", "MRQAP regression of one matrix on others, with a permutation test");
  struct Settings {
    CommonSettings common;
    std::string y;
    std::vector<std::string> x;
    std::string y_name;
    std::vector<std::string> x_names;
    std::string null = "dsp";
    std::string statistic = "t";
    std::string algorithm = "auto";
    std::string plot;
  };
  auto s = std::make_shared<Settings>();
  command->option_defaults()->always_capture_default();
  command->add_option("--y", s->y, "Dependent matrix (CSV/TSV labelled matrix or edge list)")
      ->type_name("FILE")
      ->required()
      ->group("Model");
  command->add_option("--x", s->x, "Explanatory matrices, one or more files")
      ->type_name("FILE")
      ->required()
      ->group("Model");
  command->add_option("--y-name", s->y_name, "Name of the dependent variable (default: file stem)")
      ->group("Model");
  command->add_option("--x-names", s->x_names, "Names of the explanatory variables, in --x order")
      ->delimiter(',')
      ->group("Model");
  command
      ->add_option("--null", s->null,
                   "Null hypothesis: dsp (double semi-partialling), y, x, freedman-lane, classical")
      ->check(CLI::IsMember({"dsp", "y", "x", "freedman-lane", "classical"}))
      ->group("Model");
  command->add_option("--statistic", s->statistic, "Permutation statistic: t or beta")
      ->check(CLI::IsMember({"t", "beta"}))
      ->group("Model");
  command
      ->add_option(
          "--algorithm", s->algorithm,
          "auto: projection kernel when no dyad is missing, else refit; refit: refit every "
          "permutation from scratch (slow reference, for cross-checks)")
      ->check(CLI::IsMember({"auto", "refit"}))
      ->group("Model");
  command
      ->add_option(
          "--plot", s->plot,
          "Also write an SVG with each coefficient's permutation distribution and observed value")
      ->type_name("FILE.svg")
      ->group("Output");
  AddCommonOptions(*command, s->common);
  command->footer(
      "Example:\n  qap regress --y REE.csv --x TPR.csv PGDP.csv TD.csv ECI.csv WGI.csv --null dsp "
      "--perms 5000 --seed 42");

  return [s] {
    const CommonSettings& common = s->common;
    if (!s->x_names.empty() && s->x_names.size() != s->x.size()) {
      throw OptionsError("--x-names: " + std::to_string(s->x_names.size()) + " names for " +
                         std::to_string(s->x.size()) + " --x files");
    }
    OutputTransaction out;
    DeclareCommonOutputs(out, common);
    if (!s->plot.empty()) out.Declare(s->plot, "--plot");
    out.RefuseInput(s->y, "--y");
    for (const std::string& file : s->x) out.RefuseInput(file, "--x");
    out.RefuseInput(common.permutation_file, "--permutations");
    if (!s->plot.empty() && s->null == "classical")
      throw OptionsError("--plot: the classical null has no permutation distribution");
    // The engine refuses this too; checked here so no file is read first.
    if ((!s->plot.empty() || common.format == "json") && s->null != "classical" &&
        common.permutation_file.empty()) {
      if (const std::string problem = CheckNullDistributionMemory(common.permutations, s->x.size());
          !problem.empty()) {
        throw OptionsError(problem);
      }
    }
    const ReadOptions read = ToReadOptions(common);
    LabelledMatrix y = ReadLabelledMatrix(s->y, read);
    if (!s->y_name.empty()) y.name = s->y_name;
    std::vector<LabelledMatrix> x;
    for (std::size_t i = 0; i < s->x.size(); ++i) {
      x.push_back(ReadLabelledMatrix(s->x[i], read));
      ApplyName(x.back(), s->x_names, i);
    }
    std::vector<LabelledMatrix*> all{&y};
    for (auto& m : x) all.push_back(&m);
    for (std::size_t i = 0; i < all.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (all[i]->name == all[j]->name) {
          throw OptionsError("variable name \"" + all[i]->name + "\" is used twice (" +
                             all[j]->source + " and " + all[i]->source +
                             "); rename with --y-name/--x-names");
        }
      }
    }
    RenderContext context;
    context.align_mode = common.align == "intersect" ? AlignMode::kIntersect : AlignMode::kExact;
    context.alignment = AlignMatrices(all, context.align_mode);
    context.permutation_file = common.permutation_file;

    if (s->null == "classical" &&
        (!common.save_permutations.empty() || !common.permutation_file.empty())) {
      throw OptionsError(
          "--null classical draws no permutations: drop --save-permutations/--permutations");
    }
    RegressionOptions options;
    options.null_hypothesis = s->null == "y"               ? NullHypothesis::kPermuteY
                              : s->null == "x"             ? NullHypothesis::kPermuteX
                              : s->null == "freedman-lane" ? NullHypothesis::kFreedmanLane
                              : s->null == "classical"     ? NullHypothesis::kClassical
                                                           : NullHypothesis::kDoubleSemiPartialling;
    options.statistic = s->statistic == "beta" ? TestStatistic::kCoefficient : TestStatistic::kT;
    options.algorithm =
        s->algorithm == "refit" ? PermutationAlgorithm::kRefit : PermutationAlgorithm::kAuto;
    options.dyads = ToDyadOptions(common);
    const auto nodes = static_cast<std::uint32_t>(y.size());
    options.permutation = ToPermutationOptions(common);
    // The plot and the JSON's quantile summary need the whole distribution
    // (m doubles per coefficient); other outputs reduce it to counts on the fly.
    options.keep_null_distribution = !s->plot.empty() || common.format == "json";
    const RegressionResult result =
        RunQapRegression(y, x, options, ToPermutationInputs(common, nodes, "regress", out));
    if (!s->plot.empty()) out.Add(s->plot, RenderNullDistributionSvg(result));

    // The plan the run used (null under the classical null, which draws none).
    Emit(common, RenderRegression(result, ToOutputFormat(common.format), context),
         result.plan.get(), result.node_labels, "qap regress, seed " + std::to_string(result.seed),
         out);
  };
}

std::function<void()> AddCorrelateCommand(CLI::App& app) {
  auto* command = app.add_subcommand(
      "correlate", "QAP correlation: Pearson r between two matrices, the first one permuted");
  struct Settings {
    CommonSettings common;
    std::vector<std::string> files;
    std::vector<std::string> names;
  };
  auto s = std::make_shared<Settings>();
  command->option_defaults()->always_capture_default();
  command->add_option("files", s->files, "Two matrix files; the first is permuted")
      ->type_name("FILE")
      ->required()
      ->expected(2);
  command->add_option("--names", s->names, "Names of the two variables (default: file stems)")
      ->delimiter(',')
      ->expected(2);
  AddCommonOptions(*command, s->common);
  command->footer("Example:\n  qap correlate REE.csv TPR.csv --perms 5000 --seed 42");

  return [s] {
    const CommonSettings& common = s->common;
    OutputTransaction out;
    DeclareCommonOutputs(out, common);
    for (const std::string& file : s->files) out.RefuseInput(file, "FILE");
    out.RefuseInput(common.permutation_file, "--permutations");
    const ReadOptions read = ToReadOptions(common);
    LabelledMatrix first = ReadLabelledMatrix(s->files[0], read);
    LabelledMatrix second = ReadLabelledMatrix(s->files[1], read);
    ApplyName(first, s->names, 0);
    ApplyName(second, s->names, 1);
    RenderContext context;
    context.align_mode = common.align == "intersect" ? AlignMode::kIntersect : AlignMode::kExact;
    context.alignment = AlignMatrices({&first, &second}, context.align_mode);
    context.permutation_file = common.permutation_file;
    CorrelationOptions options;
    options.dyads = ToDyadOptions(common);
    const auto nodes = static_cast<std::uint32_t>(first.size());
    options.permutation = ToPermutationOptions(common);
    const CorrelationResult result = RunQapCorrelation(
        first, second, options, ToPermutationInputs(common, nodes, "correlate", out));
    Emit(common, RenderCorrelation(result, ToOutputFormat(common.format), context),
         result.plan.get(), first.labels, "qap correlate, seed " + std::to_string(result.seed),
         out);
  };
}

namespace {

// Input options of the commands that read bilateral flows.
struct FlowSettings {
  std::string flows;
  std::string trade;
  std::string hs;
  std::optional<int> year;
  std::string reconcile = "importer";
  std::string reference_dir;  // empty: <data>/reference, found at run time
  bool drop_unknown = false;
  std::string delimiter;
  std::string input_format = "auto";
  std::string partners = "all";
};

void AddFlowOptions(CLI::App& command, FlowSettings& s) {
  auto* flows =
      command
          .add_option(
              "--flows", s.flows,
              "Flows of one product and year: a labelled matrix (row exports to column) or an "
              "edge list (exporter,importer,value; unlisted pairs are 0)")
          ->type_name("FILE");
  auto* trade =
      command
          .add_option(
              "--trade", s.trade,
              "A UN Comtrade CSV (API or legacy layout) or exporter,importer,hs,year,value; "
              "needs --hs and --year")
          ->type_name("FILE")
          ->excludes(flows);
  flows->excludes(trade);
  command.add_option("--hs", s.hs, "HS six-digit code (or TOTAL) to take from --trade")
      ->needs(trade);
  command.add_option("--year", s.year, "Year to take from --trade")
      ->check(CLI::Range(1900, 2100))
      ->needs(trade);
  command
      .add_option("--reconcile", s.reconcile,
                  "importer: importer-reported values, exporter mirrors filling gaps; exporter: "
                  "exporter-reported only")
      ->check(CLI::IsMember({"importer", "exporter"}))
      ->needs(trade);
  command
      .add_option("--reference-dir", s.reference_dir,
                  std::string("Folder with countries.csv, aggregates.csv and code_variants.csv "
                              "(default: <data>/reference; ") +
                      kDataFolderHelp + ")")
      ->type_name("DIR");
  command
      .add_flag("--drop-unknown", s.drop_unknown,
                "Drop economies missing from the country table (reported) instead of failing")
      ->needs(trade);
  command
      .add_option("--partners", s.partners,
                  "n in C(H; n): all (every other economy, convention U) or active (partners with "
                  "trade, P)")
      ->check(CLI::IsMember({"all", "active"}));
  command.add_option("--delim", s.delimiter, "Field delimiter of --flows (default: detected)");
  command
      .add_option("--input-format", s.input_format, "Layout of --flows: auto, matrix or edgelist")
      ->check(CLI::IsMember({"auto", "matrix", "edgelist"}));
}

// The flow matrix and, when read from a trade file, what reading it dropped.
struct LoadedFlows {
  LabelledMatrix matrix;
  std::optional<TradeReadReport> trade;
  std::optional<FlowMatrixReport> reconciliation;
};

LoadedFlows LoadFlows(const FlowSettings& s) {
  LoadedFlows loaded;
  if (!s.trade.empty()) {
    if (s.hs.empty() || !s.year) throw OptionsError("--trade needs --hs and --year");
    const CountryTable countries = CountryTable::Load(
        s.reference_dir.empty() ? ReferenceFolder("--reference-dir") : s.reference_dir);
    TradeReadOptions options;
    options.drop_unknown_economies = s.drop_unknown;
    const TradeData data = ReadTradeRecords(s.trade, countries, options);
    FlowMatrixReport report;
    loaded.matrix = BuildFlowMatrix(
        data, s.hs, *s.year,
        s.reconcile == "exporter" ? Reconciliation::kExporterOnly : Reconciliation::kImporterFirst,
        &report);
    loaded.trade = data.report;
    loaded.reconciliation = report;
    return loaded;
  }
  if (s.flows.empty()) throw OptionsError("--flows or --trade is required");
  CommonSettings common;
  common.delimiter = s.delimiter;
  common.input_format = s.input_format;
  loaded.matrix = ReadLabelledMatrix(s.flows, ToReadOptions(common));
  return loaded;
}

DependenceResult ComputeFromFlows(const FlowSettings& s, LoadedFlows* loaded_out = nullptr) {
  LoadedFlows loaded = LoadFlows(s);
  DependenceOptions options;
  options.partners = s.partners == "active" ? PartnerCount::kActive : PartnerCount::kAllPotential;
  DependenceResult result = ComputeTradeDependence(loaded.matrix, options);
  if (loaded_out != nullptr) *loaded_out = std::move(loaded);
  return result;
}

}  // namespace

std::function<void()> AddDependenceCommand(CLI::App& app) {
  auto* command = app.add_subcommand("dependence",
                                     "Trade dependence E, I and DT (paper eqs 1-7) and "
                                     "concentration indices from bilateral flows");
  struct Settings {
    FlowSettings flows;
    std::string output_dir;
  };
  auto s = std::make_shared<Settings>();
  command->option_defaults()->always_capture_default();
  AddFlowOptions(*command, s->flows);
  command
      ->add_option(
          "--output-dir", s->output_dir,
          "Folder for E.csv, I.csv, DT.csv, concentration.csv and report.json (must exist)")
      ->type_name("DIR")
      ->required();
  command->footer(
      "Examples:\n  qap dependence --flows flows_850511_2023.csv --output-dir out/\n"
      "  qap dependence --trade comtrade.csv --hs 850511 --year 2023 --output-dir out/");
  return [s] {
    namespace fs = std::filesystem;
    const fs::path dir(s->output_dir);
    OutputTransaction out;
    out.DeclareFolder(s->output_dir, "--output-dir " + s->output_dir);
    for (const char* name : {"E.csv", "I.csv", "DT.csv", "concentration.csv", "report.json"}) {
      out.Declare((dir / name).string(), "--output-dir");
    }
    out.RefuseInput(s->flows.flows, "--flows");
    out.RefuseInput(s->flows.trade, "--trade");
    LoadedFlows loaded;
    const DependenceResult result = ComputeFromFlows(s->flows, &loaded);
    out.Add((dir / "E.csv").string(), FormatLabelledMatrixCsv(result.export_dependence));
    out.Add((dir / "I.csv").string(), FormatLabelledMatrixCsv(result.import_dependence));
    out.Add((dir / "DT.csv").string(), FormatLabelledMatrixCsv(result.total_dependence));
    out.Add((dir / "concentration.csv").string(), RenderConcentrationCsv(result));
    out.Add((dir / "report.json").string(),
            RenderDependenceReportJson(result, loaded.trade ? &*loaded.trade : nullptr,
                                       loaded.reconciliation ? &*loaded.reconciliation : nullptr));
    out.Commit();
    std::fprintf(stderr,
                 "qap: wrote E.csv, I.csv, DT.csv, concentration.csv, report.json to %s (%zu "
                 "undefined cells)\n",
                 s->output_dir.c_str(), result.undefined_cells.size());
  };
}

std::function<void()> AddNetworkCommand(CLI::App& app) {
  auto* command = app.add_subcommand(
      "network",
      "Degree, strength and betweenness of a dependence network, with ranks (the paper's Table 1)");
  struct Settings {
    FlowSettings flows;
    std::string kind = "total";
    std::optional<double> threshold;
    std::optional<double> quantile;
    std::string focal = "CHN";
    std::string format = "csv";
    std::string output;
  };
  auto s = std::make_shared<Settings>();
  command->option_defaults()->always_capture_default();
  AddFlowOptions(*command, s->flows);
  command
      ->add_option("--kind", s->kind,
                   "Weights: total (DT), export (E), import (I) or net (max(DT_ab - DT_ba, 0))")
      ->check(CLI::IsMember({"total", "export", "import", "net"}));
  auto* threshold = command->add_option("--threshold", s->threshold,
                                        "An arc exists when its weight exceeds this (default 0)");
  command
      ->add_option("--threshold-quantile", s->quantile,
                   "Threshold as this quantile of the positive weights")
      ->excludes(threshold);
  command->add_option("--focal", s->focal, "Node whose ranks are summarised in the header");
  command->add_option("--format", s->format, "csv or json")->check(CLI::IsMember({"csv", "json"}));
  command->add_option("-o,--output", s->output, "Write to FILE (default: standard output)")
      ->type_name("FILE");
  command->footer(
      "Example:\n  qap network --flows flows_850511_2023.csv --kind export --focal CHN");
  return [s] {
    OutputTransaction out;
    if (!s->output.empty()) out.Declare(s->output, "--output");
    out.RefuseInput(s->flows.flows, "--flows");
    out.RefuseInput(s->flows.trade, "--trade");
    const DependenceResult dependence = ComputeFromFlows(s->flows);
    NetworkOptions options;
    options.kind = s->kind == "export"   ? NetworkKind::kExport
                   : s->kind == "import" ? NetworkKind::kImport
                   : s->kind == "net"    ? NetworkKind::kNet
                                         : NetworkKind::kTotal;
    if (s->quantile) {
      options.threshold = *s->quantile;
      options.threshold_is_quantile = true;
    } else {
      options.threshold = s->threshold.value_or(0.0);
    }
    const NetworkMetrics metrics = ComputeNetworkMetrics(dependence, options);
    const std::string rendered =
        RenderNetwork(metrics, options, dependence.options.partners, s->focal,
                      s->format == "json" ? OutputFormat::kJson : OutputFormat::kCsv);
    if (s->output.empty()) {
      WriteStdout(rendered);
    } else {
      out.Add(s->output, rendered);
      out.Commit();
    }
  };
}

std::function<void()> AddCovariatesCommand(CLI::App& app) {
  auto* command = app.add_subcommand("covariates",
                                     "Build the study's matrices (REE/REI, TPR, PGDP, TD, ECI, "
                                     "WGI; design B) from downloaded data");
  struct Settings {
    std::string trade, wdi, gdp_fill, wgi, hs, direction = "export", focal = "CHN";
    // Empty: <reference-dir>/memberships.csv, <reference-dir>/imf_advanced_economies.csv,
    // <data>/reference.
    std::string memberships, advanced, reference_dir;
    std::string partners = "all", reconcile = "importer", difference = "abs", output_dir,
                design = "B";
    std::string td_scope = "total";
    std::string td_flow = "focal-report";
    int year = 2023;
    bool log_gdp = false, drop_unknown = false, drop_incomplete = false;
  };
  auto s = std::make_shared<Settings>();
  command->option_defaults()->always_capture_default();
  command
      ->add_option("--trade", s->trade, "UN Comtrade CSV with the product's flows and TOTAL flows")
      ->type_name("FILE")
      ->required();
  command->add_option("--hs", s->hs, "HS six-digit product code")->required();
  command->add_option("--direction", s->direction, "export (REE) or import (REI)")
      ->check(CLI::IsMember({"export", "import"}));
  command->add_option("--year", s->year, "Year of the flows and attributes")
      ->check(CLI::Range(1900, 2100));
  command
      ->add_option("--wdi", s->wdi,
                   "World Bank file with NY.GDP.PCAP.CD (WDI API/bulk download or DataBank export)")
      ->type_name("FILE")
      ->required();
  command
      ->add_option("--gdp-fill", s->gdp_fill,
                   "Fills WDI gaps (e.g. Taiwan): the IMF WEO database file "
                   "(WEO<Mon><Year>all.xls, NGDPDPC) or an iso3,year,value CSV")
      ->type_name("FILE");
  command
      ->add_option("--wgi", s->wgi,
                   "Worldwide Governance Indicators: wgidataset.xlsx, the long CSV, WGIData.csv or "
                   "a DataBank export")
      ->type_name("FILE")
      ->required();
  command
      ->add_option("--memberships", s->memberships,
                   "Dated memberships (iso3,organisation,joined,left,source) (default: "
                   "<reference-dir>/memberships.csv)")
      ->type_name("FILE");
  command
      ->add_option("--advanced", s->advanced,
                   "IMF advanced economies (iso3,from_year,to_year) (default: "
                   "<reference-dir>/imf_advanced_economies.csv)")
      ->type_name("FILE");
  command
      ->add_option("--reference-dir", s->reference_dir,
                   std::string("Folder with countries.csv, aggregates.csv and code_variants.csv "
                               "(default: <data>/reference; ") +
                       kDataFolderHelp + ")")
      ->type_name("DIR");
  command->add_option("--focal", s->focal, "The country whose dependence is modelled (ISO3)");
  command->add_option("--partners", s->partners, "n in C(H; n): all (U) or active (P)")
      ->check(CLI::IsMember({"all", "active"}));
  command->add_option("--reconcile", s->reconcile, "importer (mirror fills gaps) or exporter")
      ->check(CLI::IsMember({"importer", "exporter"}));
  command->add_option("--difference", s->difference, "abs: |x_i - x_j|; signed: x_i - x_j")
      ->check(CLI::IsMember({"abs", "signed"}));
  command->add_flag("--log-gdp", s->log_gdp, "PGDP from log GDP per capita");
  command
      ->add_option(
          "--design", s->design,
          "B: difference matrices from node attributes; A: directed network among the partners "
          "(Y = E or I among them, TPR co-memberships, TD = TII_i->j)")
      ->check(CLI::IsMember({"A", "B"}));
  command
      ->add_option("--td-scope", s->td_scope,
                   "Trade intensity on total trade (TOTAL records) or on the product")
      ->check(CLI::IsMember({"total", "product"}));
  command
      ->add_option(
          "--td-flow", s->td_flow,
          "Import models: the TD numerator X_j,focal from the focal's import record (focal-report) "
          "or "
          "from j's own export record (partner-report); the other fills a gap, listed by name")
      ->check(CLI::IsMember({"focal-report", "partner-report"}));
  command->add_flag("--drop-unknown", s->drop_unknown,
                    "Drop economies missing from the country table (reported)");
  command->add_flag("--drop-incomplete", s->drop_incomplete,
                    "Drop partners lacking an attribute (reported) instead of stopping");
  command
      ->add_option("--output-dir", s->output_dir,
                   "Existing folder for the matrices, partners.csv and report.json")
      ->type_name("DIR")
      ->required();
  command->footer(
      "Example:\n  qap covariates --trade comtrade.csv --hs 850511 --direction export --year 2023 "
      "\\\n"
      "      --wdi wdi.csv --wgi wgi.csv --output-dir out/ && qap regress --y out/REE.csv --x "
      "out/{TPR,PGDP,TD,ECI,WGI}.csv");
  return [s] {
    namespace fs = std::filesystem;
    OutputTransaction out;
    out.DeclareFolder(s->output_dir, "--output-dir " + s->output_dir);
    const std::string reference_dir =
        s->reference_dir.empty() ? ReferenceFolder("--reference-dir") : s->reference_dir;
    const std::string memberships_file =
        s->memberships.empty() ? (fs::path(reference_dir) / "memberships.csv").string()
                               : s->memberships;
    const std::string advanced_file =
        s->advanced.empty() ? (fs::path(reference_dir) / "imf_advanced_economies.csv").string()
                            : s->advanced;
    const CountryTable countries = CountryTable::Load(reference_dir);
    TradeReadOptions read;
    read.drop_unknown_economies = s->drop_unknown;
    const TradeData trade = ReadTradeRecords(s->trade, countries, read);
    std::vector<AttributeReadReport> reads(1);
    AttributeTable gdp = ReadWdiIndicator(s->wdi, "NY.GDP.PCAP.CD", countries, &reads.back());
    AttributeReadReport gdp_report = reads.back();
    if (!s->gdp_fill.empty()) {
      reads.emplace_back();
      gdp.FillGapsFrom(ReadGdpFill(s->gdp_fill, countries, &reads.back()));
      for (const auto& u : reads.back().unresolved) gdp_report.unresolved.push_back(u);
    }
    reads.emplace_back();
    const WgiTables wgi = ReadWgi(s->wgi, countries, &reads.back());
    const AttributeReadReport wgi_report = reads.back();
    const MembershipTable memberships = MembershipTable::Read(memberships_file, countries);
    const AdvancedEconomies advanced = AdvancedEconomies::Read(advanced_file, countries);
    CovariateOptions options;
    options.focal = s->focal;
    options.commodity = s->hs;
    options.direction =
        s->direction == "import" ? TradeDirection::kImport : TradeDirection::kExport;
    options.year = s->year;
    options.partners =
        s->partners == "active" ? PartnerCount::kActive : PartnerCount::kAllPotential;
    options.reconciliation =
        s->reconcile == "exporter" ? Reconciliation::kExporterOnly : Reconciliation::kImporterFirst;
    options.difference =
        s->difference == "signed" ? DifferenceKind::kSigned : DifferenceKind::kAbsolute;
    options.log_gdp = s->log_gdp;
    options.drop_incomplete = s->drop_incomplete;
    options.design = s->design == "A" ? CovariateDesign::kA : CovariateDesign::kB;
    options.trade_intensity_on_product = s->td_scope == "product";
    // --td-flow's IsMember check admits only the two words ParseTradeIntensityFlow knows.
    options.trade_intensity_flow =
        ParseTradeIntensityFlow(s->td_flow).value_or(TradeIntensityFlow::kFocalReport);
    const CovariateResult result = BuildCovariates(
        {&trade, &gdp, &wgi, &memberships, &advanced, &gdp_report, &wgi_report}, options);

    const fs::path dir(s->output_dir);
    std::vector<std::pair<std::string, std::string>> files;
    files.emplace_back((dir / (result.dependent.name + ".csv")).string(),
                       FormatLabelledMatrixCsv(result.dependent));
    for (const LabelledMatrix& m : result.explanatory) {
      files.emplace_back((dir / (m.name + ".csv")).string(), FormatLabelledMatrixCsv(m));
    }
    files.emplace_back((dir / "partners.csv").string(), RenderPartnersCsv(result, countries));
    files.emplace_back(
        (dir / "report.json").string(),
        RenderCovariateReportJson(
            result, trade.report,
            {s->trade, s->wdi, s->gdp_fill, s->wgi, memberships_file, advanced_file}, reads));
    // The file names depend on the design, so inputs are compared once they are known, before
    // anything is replaced.
    for (const auto& [path, content] : files) out.Declare(path, "--output-dir");
    for (const auto& [input, option] :
         std::vector<std::pair<std::string, std::string>>{{s->trade, "--trade"},
                                                          {s->wdi, "--wdi"},
                                                          {s->gdp_fill, "--gdp-fill"},
                                                          {s->wgi, "--wgi"},
                                                          {memberships_file, "--memberships"},
                                                          {advanced_file, "--advanced"}}) {
      out.RefuseInput(input, option);
    }
    for (const auto& [path, content] : files) out.Add(path, content);
    out.Commit();
    const std::string summary = RenderCovariateSummaryText(result, trade.report, reads);
    std::fputs(summary.c_str(), stderr);
    std::fprintf(stderr,
                 "qap: wrote %s, the explanatory matrices, partners.csv and report.json to %s\n",
                 (result.dependent.name + ".csv").c_str(), s->output_dir.c_str());
  };
}

std::function<void()> AddStudyCommand(CLI::App& app) {
  static constexpr const char* kPrintedDefault = "<data>/paper/tables34_as_printed.csv";
  auto* study =
      app.add_subcommand("study", "Run the rare-earth study (Tables 3 and 4) from a TOML manifest");
  study->require_subcommand(1);
  auto* run =
      study->add_subcommand("run", "Run every model of a study manifest and write its tables");
  auto* init = study->add_subcommand("init", "Write a commented example manifest");
  struct Settings {
    std::string manifest;
    std::vector<std::string> formats;
    std::string output_dir;
    int threads = 0;
    bool quiet = false;
    std::string init_path;
    std::optional<std::string> compare_printed;
    std::string table4_variant = "R2";
    std::string plot;
    bool force = false;
  };
  auto s = std::make_shared<Settings>();
  run->add_option("manifest", s->manifest, "The study manifest (TOML)")
      ->type_name("FILE")
      ->required();
  run->add_option("--format", s->formats,
                  "text, csv, markdown, latex or json (default: the manifest's [output] formats)")
      ->check(CLI::IsMember({"text", "csv", "markdown", "latex", "json"}));
  run->add_option("--output", s->output_dir,
                  "Existing folder for table3.* files (default: the first format on stdout)")
      ->type_name("DIR");
  run->add_option("--threads", s->threads,
                  "Threads (0: OMP_NUM_THREADS if set, else all cores; results never depend on it)")
      ->check(CLI::Range(0, 1024));
  run->add_flag("-q,--quiet", s->quiet, "No progress line");
  run->add_option(
         "--compare-printed", s->compare_printed,
         std::string(
             "Set the tables beside the printed ones and flag impossible cells (default file: "
             "<data>/paper/tables34_as_printed.csv; ") +
             kDataFolderHelp + ")")
      ->expected(0, 1)
      ->default_str(kPrintedDefault);
  run->add_option("--plot", s->plot,
                  "Also write a forest plot of Table 3's standardized coefficients (SVG)")
      ->type_name("FILE.svg");
  run->add_option("--table4-variant", s->table4_variant,
                  "Which robustness variant Table 4 is compared with")
      ->check(CLI::IsMember({"R1", "R2", "R3", "R4"}));
  init->add_option("file", s->init_path, "Where to write it (default: standard output)")
      ->type_name("FILE");
  init->add_flag("--force", s->force, "Replace FILE if it exists");
  study->footer("Example:\n  qap study run fixtures/study/rare-earth-2023.toml --format markdown");
  return [s, run, init] {
    if (init->parsed()) {
      namespace fs = std::filesystem;
      OutputTransaction out;
      if (!s->init_path.empty()) {
        out.Declare(s->init_path, "study init");
        std::error_code ec;
        if (fs::exists(s->init_path, ec) && !s->force) {
          throw OutputError("study init " + s->init_path +
                            ": the file exists; give --force to replace it");
        }
      }
      // Paths point at qap's data from where the manifest will live (the
      // current folder when printed). The example raw files and matrices are
      // only in a source tree; elsewhere the manifest gets placeholders.
      const DataFolder& data = Data();
      if (data.variable_is_wrong) throw OptionsError("study init: " + data.problem);
      const fs::path folder =
          s->init_path.empty() ? fs::current_path() : fs::absolute(s->init_path).parent_path();
      auto from_manifest = [&](const fs::path& target) {
        std::error_code ec;
        const fs::path relative = fs::relative(target, folder, ec);
        const std::string text = (ec || relative.empty() ? target : relative).generic_string();
        return text.empty() ? std::string(".") : text;
      };
      ExampleManifestPaths paths;
      if (!data.root.empty()) {
        std::error_code ec;
        paths.reference = from_manifest(data.root / "reference");
        if (fs::is_regular_file(data.root / "raw-2013-2023" / "comtrade_rare_earths_2013_2023.csv",
                                ec)) {
          paths.raw = from_manifest(data.root / "raw-2013-2023");
        }
        if (fs::is_directory(data.root / "rare-earth-2023", ec))
          paths.matrices = from_manifest(data.root / "rare-earth-2023");
      }
      const std::string manifest = ExampleStudyManifest(paths);
      if (s->init_path.empty()) {
        WriteStdout(manifest);
      } else {
        out.Add(s->init_path, manifest);
        out.Commit();
      }
      if (paths.raw.empty()) {
        std::fprintf(
            stderr, "qap: the example data are not here (%s): edit the EDIT-ME paths of [data]%s\n",
            data.root.empty() ? data.problem.c_str() : "they come only with a source tree",
            paths.reference.empty() ? " and set reference_dir or QAP_DATA_DIR" : "");
      }
      return;
    }
    (void)run;
    namespace fs = std::filesystem;
    OutputTransaction out;
    if (!s->output_dir.empty()) out.DeclareFolder(s->output_dir, "--output " + s->output_dir);
    if (!s->plot.empty()) out.Declare(s->plot, "--plot");
    // Found before the models run, so a missing data folder stops nothing half done.
    std::string printed;
    if (s->compare_printed) {
      // CLI11 hands a bare --compare-printed its default_str, the symbolic name.
      printed = s->compare_printed->empty() || *s->compare_printed == kPrintedDefault
                    ? PrintedTablesFile("--compare-printed FILE")
                    : *s->compare_printed;
      std::error_code ec;
      if (!fs::is_regular_file(printed, ec)) {
        throw InputError({printed, 0, 0, 0},
                         "--compare-printed: the file does not exist or is not a regular file");
      }
    }
    ManifestDefaults defaults;
    if (!Data().root.empty()) {
      defaults.reference_dir = (Data().root / "reference").string();
    } else {
      defaults.reference_dir_hint =
          Data().problem +
          "; set reference_dir in [data], or QAP_DATA_DIR to a folder holding "
          "reference/ and paper/";
    }
    const StudyManifest manifest = ReadStudyManifest(s->manifest, defaults);
    const std::vector<std::string> formats = s->formats.empty() ? manifest.formats : s->formats;
    std::vector<std::string> variants{"main"};
    for (const std::string& v : manifest.variants) variants.push_back(v);
    const std::map<std::string, std::string> extension = {
        {"text", "txt"}, {"csv", "csv"}, {"markdown", "md"}, {"latex", "tex"}, {"json", "json"}};
    const std::string compare_variant =
        std::find(variants.begin(), variants.end(), s->table4_variant) != variants.end()
            ? s->table4_variant
            : "main";
    const std::string compare_format =
        formats.front() == "markdown" || formats.front() == "csv" ? formats.front() : "text";
    const std::string compare_path =
        (fs::path(s->output_dir) / ("compare-printed." + extension.at(compare_format))).string();
    auto table_path = [&](const std::string& stem, const std::string& format) {
      return (fs::path(s->output_dir) / (stem + "." + extension.at(format))).string();
    };
    if (!s->output_dir.empty()) {
      for (const std::string& variant : variants) {
        for (const std::string& format : formats) {
          out.Declare(table_path(variant == "main" ? "table3" : "table4-" + variant, format),
                      "--output");
          if (variant != "main") out.Declare(table_path("compare-" + variant, format), "--output");
        }
      }
      if (s->compare_printed) out.Declare(compare_path, "--output");
    }
    out.RefuseInput(s->manifest, "manifest");
    out.RefuseInput(printed, "--compare-printed");
    StudyRunOptions options;
    options.threads = s->threads;
    options.progress = MakeProgressPrinter(
        s->quiet, "study", "models",
        static_cast<double>(manifest.regression.permutation.permutations), "permutations");
    const StudyResult result = RunStudy(manifest, options);
    FinishProgress();
    // Everything is rendered (and the printed tables read) before anything is
    // written, so a late failure leaves no partial set.
    std::string printed_comparison;
    if (s->compare_printed) {
      printed_comparison =
          RenderPrintedComparison(result, printed, compare_variant, compare_format);
    }
    if (s->output_dir.empty()) {
      std::string tables;
      for (const std::string& variant : variants) {
        std::string table = RenderStudyTable(result, variant, formats.front());
        if (variant != "main")
          table =
              "\n" + table + "\n" + RenderRobustnessComparison(result, variant, formats.front());
        tables += table;
      }
      WriteStdout(tables + printed_comparison);
    } else {
      for (const std::string& variant : variants) {
        for (const std::string& format : formats) {
          out.Add(table_path(variant == "main" ? "table3" : "table4-" + variant, format),
                  RenderStudyTable(result, variant, format));
          if (variant != "main") {
            out.Add(table_path("compare-" + variant, format),
                    RenderRobustnessComparison(result, variant, format));
          }
        }
      }
      if (s->compare_printed) out.Add(compare_path, printed_comparison);
    }
    if (!s->plot.empty()) out.Add(s->plot, RenderStudyForestSvg(result, "main"));
    out.Commit();
    if (result.any_failed()) {
      std::size_t failed = 0;
      for (const StudyModel& m : result.models) failed += m.result ? 0U : 1U;
      throw ModelError(std::to_string(failed) + " of " + std::to_string(result.models.size()) +
                       " models could not be estimated (see the tables); the others were written");
    }
  };
}

std::function<void()> AddConvertCommand(CLI::App& app) {
  auto* command = app.add_subcommand(
      "convert", "Convert matrices between CSV/TSV, edge lists, UCINET DL and Pajek .net");
  struct Settings {
    std::string input;
    std::string output;
    std::string to;
    std::string input_format = "auto";
  };
  auto s = std::make_shared<Settings>();
  command
      ->add_option("input", s->input,
                   "A CSV/TSV matrix, edge list, UCINET DL (.dl) or Pajek (.net) file")
      ->type_name("FILE")
      ->required();
  command
      ->add_option("output", s->output,
                   "Output file (format from its extension: .csv, .tsv, .dl, .net), or an existing "
                   "folder: one CSV "
                   "per matrix")
      ->required();
  command
      ->add_option("--to", s->to, "Output format when the extension does not say: csv, dl or pajek")
      ->check(CLI::IsMember({"csv", "dl", "pajek"}));
  command
      ->add_option(
          "--input-format", s->input_format,
          "Layout of the input: auto, matrix (labelled square), edgelist, dl or pajek (default: "
          "detected; "
          "a CSV that reads both as a matrix and as an edge list is refused until this says which)")
      ->check(CLI::IsMember({"auto", "matrix", "edgelist", "dl", "pajek"}));
  command->footer(
      "Examples:\n  qap convert trade.dl trade.csv\n  qap convert several.dl matrices/\n  qap "
      "convert REE.csv REE.net");
  return [s] {
    namespace fs = std::filesystem;
    ReadOptions read;
    read.format = s->input_format == "matrix"     ? InputFormat::kMatrix
                  : s->input_format == "edgelist" ? InputFormat::kEdgeList
                  : s->input_format == "dl"       ? InputFormat::kUcinetDl
                  : s->input_format == "pajek"    ? InputFormat::kPajek
                                                  : InputFormat::kAuto;
    OutputTransaction out;
    std::error_code ec;
    const bool to_folder = fs::is_directory(s->output, ec);
    if (to_folder) {
      out.DeclareFolder(s->output, "output " + s->output);
    } else {
      out.Declare(s->output, "output");
      out.RefuseInput(s->input, "file");
    }
    const std::vector<LabelledMatrix> matrices = ReadLabelledMatrices(s->input, read);
    if (to_folder) {
      std::vector<std::pair<std::string, std::string>> files;
      for (const LabelledMatrix& m : matrices) {
        // A matrix name is not a path: '/' would reach into (missing) subfolders.
        std::string name = m.name;
        for (char& c : name) {
          if (c == ':' || c == '/' || c == '\\') c = '_';
        }
        if (name.empty() || name.front() == '.') name = "_" + name;
        files.emplace_back((fs::path(s->output) / (name + ".csv")).string(),
                           FormatLabelledMatrixCsv(m));
      }
      for (const auto& [path, content] : files) out.Declare(path, "output");
      out.RefuseInput(s->input, "file");
      for (const auto& [path, content] : files) out.Add(path, content);
      out.Commit();
      return;
    }
    std::string to = s->to;
    if (to.empty()) {
      const std::string extension = fs::path(s->output).extension().string();
      to = extension == ".dl"                           ? "dl"
           : extension == ".net"                        ? "pajek"
           : extension == ".csv" || extension == ".tsv" ? "csv"
                                                        : "";
    }
    if (to.empty())
      throw OptionsError(
          "--to: the output's extension does not say the format; give --to csv|dl|pajek");
    if (to == "dl") {
      out.Add(s->output, FormatUcinetDl(matrices));
      out.Commit();
      return;
    }
    if (matrices.size() != 1) {
      throw OptionsError(
          s->input + " holds " + std::to_string(matrices.size()) +
          " matrices: give an existing folder as output (one CSV each) or a .dl file");
    }
    out.Add(s->output, to == "pajek" ? FormatPajek(matrices.front())
                                     : FormatLabelledMatrixCsv(matrices.front()));
    out.Commit();
  };
}

}  // namespace qap::cli
