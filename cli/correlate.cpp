// `qap correlate`: QAP correlation flags onto CorrelationOptions.
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common_options.hpp"
#include "qap/core/alignment.hpp"
#include "qap/core/correlation.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/io/output_transaction.hpp"
#include "qap/render/report.hpp"

namespace qap::cli {

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
  command
      ->add_option(
          "files", s->files,
          "Two matrices (files, FILE:COLUMN, or with --data columns); the first is permuted")
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
    RefuseMatrixInputs(out, common, s->files, "FILE");
    out.RefuseInput(common.permutation_file, "--permutations");
    std::vector<LabelledMatrix> matrices = ReadModelMatrices(common, s->files);
    LabelledMatrix first = std::move(matrices[0]);
    LabelledMatrix second = std::move(matrices[1]);
    ApplyName(first, s->names, 0);
    ApplyName(second, s->names, 1);
    RenderContext context;
    context.align_mode = ToAlignMode(common);
    context.alignment = AlignMatrices({&first, &second}, context.align_mode);
    context.permutation_file = common.permutation_file;
    context.input_notes = InputNotes({&first, &second});
    CorrelationOptions options;
    options.dyads = ToDyadOptions(common);
    const auto nodes = static_cast<std::uint32_t>(first.size());
    options.permutation = ToPermutationOptions(common);
    const CorrelationResult result = RunQapCorrelation(
        first, second, options, ToPermutationInputs(common, nodes, "correlate", out));
    Emit(common, RenderCorrelation(result, ToOutputFormat(common.format), context),
         result.plan.get(), first.labels, "qap correlate, seed " + std::to_string(result.seed), out,
         common.format == "csv" ? RenderCorrelationCsvMeta(result, context) : "");
  };
}

}  // namespace qap::cli
