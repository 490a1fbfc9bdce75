// `qap convert`: matrices between CSV/TSV, edge lists, UCINET DL and Pajek.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common_options.hpp"
#include "qap/core/errors.hpp"
#include "qap/io/conversion_names.hpp"
#include "qap/io/interchange.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/io/output_transaction.hpp"

namespace qap::cli {

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
      ->add_option(
          "--to", s->to,
          EnumOptionHelp<ConversionTarget>(
              "Output format when the extension does not say (it overrides the extension)"))
      ->check(CLI::IsMember(EnumWords<ConversionTarget>()));
  command
      ->add_option(
          "--input-format", s->input_format,
          EnumOptionHelp<InputFormat>(
              "Layout of the input (a CSV that reads both as a matrix and as an edge list is "
              "refused until this says which)"))
      ->check(CLI::IsMember(EnumWords<InputFormat>()));
  command->footer(
      "Examples:\n  qap convert trade.dl trade.csv\n  qap convert several.dl matrices/\n  qap "
      "convert REE.csv REE.net");
  return [s] {
    namespace fs = std::filesystem;
    ReadOptions read;
    read.format = EnumFromWord<InputFormat>(s->input_format);
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
        files.emplace_back((fs::path(s->output) / MatrixFileName(m.name)).string(),
                           FormatLabelledMatrixCsv(m));
      }
      for (const auto& [path, content] : files) out.Declare(path, "output");
      out.RefuseInput(s->input, "file");
      for (const auto& [path, content] : files) out.Add(path, content);
      out.Commit();
      return;
    }
    const std::optional<ConversionTarget> to = s->to.empty()
                                                   ? ConversionTargetFromExtension(s->output)
                                                   : EnumFromWord<ConversionTarget>(s->to);
    if (!to) {
      throw OptionsError("--to: the output's extension does not say the format; give --to " +
                         EnumChoiceList<ConversionTarget>("|"));
    }
    if (*to == ConversionTarget::kUcinetDl) {
      out.Add(s->output, FormatUcinetDl(matrices));
      out.Commit();
      return;
    }
    if (matrices.size() != 1) {
      throw OptionsError(
          s->input + " holds " + std::to_string(matrices.size()) +
          " matrices: give an existing folder as output (one CSV each) or a .dl file");
    }
    const LabelledMatrix& m = matrices.front();
    out.Add(s->output, *to == ConversionTarget::kPajek ? FormatPajek(m)
                       : *to == ConversionTarget::kTsv ? FormatLabelledMatrixTsv(m)
                                                       : FormatLabelledMatrixCsv(m));
    out.Commit();
  };
}

}  // namespace qap::cli
