#include "common_options.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "progress.hpp"
#include "qap/core/errors.hpp"
#include "qap/io/dyad_table.hpp"
#include "qap/io/permutation_file.hpp"

namespace qap::cli {

namespace {
bool stdout_closed = false;
}  // namespace

void MarkStandardOutputClosed() { stdout_closed = true; }

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
                  "Field delimiter: ',', ';', 'tab', 'space' (runs of blanks) or any single "
                  "character (default: detected)")
      ->group("Input");
  command
      .add_option("--data", s.data,
                  "A long table (one row per pair: i,j,<columns>; CSV, TSV, .dta, .sav, "
                  ".sas7bdat) whose columns the model's variables name")
      ->type_name("FILE")
      ->group("Input");
  command
      .add_option("--where", s.where,
                  "Keep only the long table's rows with COLUMN equal to VALUE (e.g. year=2023)")
      ->type_name("COLUMN=VALUE")
      ->group("Input");
  command
      .add_option("--labels", s.labels,
                  EnumOptionHelp<LabelSource>("How a square matrix's nodes are identified"))
      ->check(CLI::IsMember(EnumWords<LabelSource>()))
      ->group("Input");
  command
      .add_option("--input-format", s.input_format,
                  EnumOptionHelp("Layout of the inputs", {InputFormat::kAuto, InputFormat::kMatrix,
                                                          InputFormat::kEdgeList}))
      ->check(CLI::IsMember(
          EnumWords({InputFormat::kAuto, InputFormat::kMatrix, InputFormat::kEdgeList})))
      ->group("Input");
  command
      .add_option("--absent", s.absent_edge,
                  EnumOptionHelp<AbsentEdge>(
                      "What a long table's unlisted pairs are (default: zero for an edge list "
                      "read whole, missing for a column read by name)"))
      ->check(CLI::IsMember(EnumWords<AbsentEdge>()))
      ->group("Input");
  command
      .add_option("--align", s.align,
                  EnumOptionHelp<AlignMode>("How the matrices are matched by label"))
      ->check(CLI::IsMember(EnumWords<AlignMode>()))
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
                          if (!count) return detail::PermutationCountOutOfRange(value);
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
  command
      .add_option("--pvalue", s.pvalue,
                  EnumOptionHelp<PValueRule>(
                      "Permutation p-value; b of m permutations as extreme (proportion: sna, "
                      "asnipe)"))
      ->check(CLI::IsMember(EnumWords<PValueRule>()))
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
  command.add_option("--format", s.format, EnumOptionHelp<OutputFormat>("Output format"))
      ->check(CLI::IsMember(EnumWords<OutputFormat>()))
      ->group("Output");
  command
      .add_option("-o,--output", s.output, "Write the result to FILE (default: standard output)")
      ->type_name("FILE")
      ->group("Output");
  command.add_flag("-q,--quiet", s.quiet, "No progress line on stderr")->group("Output");
}

ReadOptions ToReadOptions(const CommonSettings& s) {
  ReadOptions options;
  options.format = EnumFromWord<InputFormat>(s.input_format);
  if (!s.absent_edge.empty()) options.absent_edge = EnumFromWord<AbsentEdge>(s.absent_edge);
  options.labels = EnumFromWord<LabelSource>(s.labels);
  for (const std::string& filter : s.where) options.where.push_back(ParseRowFilter(filter));
  if (!s.delimiter.empty()) {
    if (s.delimiter == "space" || s.delimiter == " ") {
      options.delimiter = detail::kBlankDelimiter;
    } else if (s.delimiter == "tab" || s.delimiter == "\\t") {
      options.delimiter = '\t';
    } else if (s.delimiter.size() == 1 && s.delimiter != "\"" && s.delimiter != "\n") {
      options.delimiter = s.delimiter.front();
    } else {
      throw OptionsError("--delim: expected a single character, 'tab' or 'space', got \"" +
                         s.delimiter + "\"");
    }
  }
  return options;
}

std::vector<LabelledMatrix> ReadModelMatrices(const CommonSettings& s,
                                              const std::vector<std::string>& names) {
  ReadOptions read = ToReadOptions(s);
  if (!s.data.empty()) {
    read.columns = names;
    return ReadLabelledMatrices(s.data, read);
  }
  std::vector<LabelledMatrix> matrices;
  for (const std::string& name : names) matrices.push_back(ReadLabelledMatrix(name, read));
  return matrices;
}

std::vector<std::string> InputNotes(const std::vector<LabelledMatrix*>& matrices) {
  std::vector<std::pair<std::string, std::string>> notes;  // (names, note), first-seen order
  for (const LabelledMatrix* m : matrices) {
    for (const std::string& note : m->notes) {
      const auto it = std::find_if(notes.begin(), notes.end(),
                                   [&](const auto& entry) { return entry.second == note; });
      if (it == notes.end()) {
        notes.emplace_back(m->name, note);
      } else {
        it->first += ", " + m->name;
      }
    }
  }
  std::vector<std::string> lines;
  for (const auto& [names, note] : notes) lines.push_back(names + ": " + note);
  return lines;
}

void RefuseMatrixInputs(OutputTransaction& out, const CommonSettings& s,
                        const std::vector<std::string>& names, const std::string& role) {
  if (!s.data.empty()) {
    out.RefuseInput(s.data, "--data");
    return;
  }
  for (const std::string& name : names) out.RefuseInput(SplitMatrixSpec(name).path, role);
}

PermutationOptions ToPermutationOptions(const CommonSettings& s) {
  PermutationOptions options;
  options.permutations = s.permutations;
  options.seed = s.seed;
  options.threads = s.threads;
  options.pvalue_rule = EnumFromWord<PValueRule>(s.pvalue);
  return options;
}

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

AlignMode ToAlignMode(const CommonSettings& s) { return EnumFromWord<AlignMode>(s.align); }

DyadOptions ToDyadOptions(const CommonSettings& s) {
  return {s.undirected ? DyadMode::kUndirected : DyadMode::kDirected, s.diagonal};
}

OutputFormat ToOutputFormat(const std::string& format) {
  return EnumFromWord<OutputFormat>(format);
}

void WriteStdout(std::string_view text) {
  if (text.empty()) return;
  if (stdout_closed) throw OutputError("standard output is closed; give -o FILE or redirect it");
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    throw OutputError(std::string("standard output: write failed: ") + std::strerror(errno));
  }
}

void DeclareCommonOutputs(OutputTransaction& out, const CommonSettings& s) {
  if (!s.output.empty()) out.Declare(s.output, "--output");
  if (!s.save_permutations.empty()) out.Declare(s.save_permutations, "--save-permutations");
  if (const std::string meta = CsvSidecarPath(s.output, s.format); !meta.empty())
    out.Declare(meta, "--output (its .meta.json)");
}

std::string CsvSidecarPath(const std::string& output, const std::string& format) {
  if (format != "csv" || output.empty()) return {};
  std::error_code ec;
  const auto status = std::filesystem::status(output, ec);
  const bool regular = status.type() == std::filesystem::file_type::not_found ||
                       status.type() == std::filesystem::file_type::regular;
  return regular ? CsvMetaPath(output) : std::string();
}

void Emit(const CommonSettings& s, const std::string& rendered, const PermutationPlan* plan,
          const std::vector<std::string>& node_order, const std::string& provenance,
          OutputTransaction& out, const std::string& meta) {
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
    if (const std::string sidecar = CsvSidecarPath(s.output, s.format); !sidecar.empty())
      out.Add(sidecar, meta);
  }
  out.Commit();
}

void ApplyName(LabelledMatrix& matrix, const std::vector<std::string>& names, std::size_t index) {
  if (index < names.size() && !names[index].empty()) matrix.name = names[index];
}

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

}  // namespace qap::cli
