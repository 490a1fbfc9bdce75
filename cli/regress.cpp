// `qap regress`: MRQAP regression flags onto RegressionOptions.
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common_options.hpp"
#include "qap/core/alignment.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/regression.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/io/output_transaction.hpp"
#include "qap/render/plot.hpp"
#include "qap/render/report.hpp"

namespace qap::cli {

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
  command
      ->add_option("--y", s->y,
                   "Dependent matrix: a file (matrix, edge list, DL, Pajek, GraphML, GML), "
                   "FILE:COLUMN, or with --data a column")
      ->type_name("FILE")
      ->required()
      ->group("Model");
  command->add_option("--x", s->x, "Explanatory matrices, one or more (as --y)")
      ->type_name("FILE")
      ->required()
      ->group("Model");
  command->add_option("--y-name", s->y_name, "Name of the dependent variable (default: file stem)")
      ->group("Model");
  command->add_option("--x-names", s->x_names, "Names of the explanatory variables, in --x order")
      ->delimiter(',')
      ->group("Model");
  command->add_option("--null", s->null, EnumOptionHelp<NullHypothesis>("Null hypothesis"))
      ->check(CLI::IsMember(EnumWords<NullHypothesis>()))
      ->group("Model");
  command
      ->add_option("--statistic", s->statistic,
                   EnumOptionHelp<TestStatistic>("Permutation statistic"))
      ->check(CLI::IsMember(EnumWords<TestStatistic>()))
      ->group("Model");
  command
      ->add_option(
          "--algorithm", s->algorithm,
          EnumOptionHelp<PermutationAlgorithm>("How permuted models are computed (the same "
                                               "numbers; refit is the slow reference)"))
      ->check(CLI::IsMember(EnumWords<PermutationAlgorithm>()))
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
    RefuseMatrixInputs(out, common, {s->y}, "--y");
    RefuseMatrixInputs(out, common, s->x, "--x");
    out.RefuseInput(common.permutation_file, "--permutations");
    if (!s->plot.empty() && s->null == "classical")
      throw OptionsError("--plot: the classical null has no permutation distribution");
    // The engine refuses this too; checked here so no file is read first.
    if ((!s->plot.empty() || common.format == "json") && s->null != "classical" &&
        common.permutation_file.empty()) {
      if (auto problem = NullDistributionMemoryError(common.permutations, s->x.size())) {
        throw *problem;
      }
    }
    std::vector<std::string> names{s->y};
    names.insert(names.end(), s->x.begin(), s->x.end());
    std::vector<LabelledMatrix> x = ReadModelMatrices(common, names);
    LabelledMatrix y = std::move(x.front());
    x.erase(x.begin());
    if (!s->y_name.empty()) y.name = s->y_name;
    for (std::size_t i = 0; i < x.size(); ++i) ApplyName(x[i], s->x_names, i);
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
    context.align_mode = ToAlignMode(common);
    context.alignment = AlignMatrices(all, context.align_mode);
    context.permutation_file = common.permutation_file;
    context.input_notes = InputNotes(all);

    if (s->null == "classical" &&
        (!common.save_permutations.empty() || !common.permutation_file.empty())) {
      throw OptionsError(
          "--null classical draws no permutations: drop --save-permutations/--permutations");
    }
    RegressionOptions options;
    options.null_hypothesis = EnumFromWord<NullHypothesis>(s->null);
    options.statistic = EnumFromWord<TestStatistic>(s->statistic);
    options.algorithm = EnumFromWord<PermutationAlgorithm>(s->algorithm);
    options.dyads = ToDyadOptions(common);
    const auto nodes = static_cast<std::uint32_t>(y.size());
    options.permutation = ToPermutationOptions(common);
    const PermutationInputs inputs = ToPermutationInputs(common, nodes, "regress", out);
    // The plot and the JSON's quantile summary need the whole distribution
    // (m doubles per coefficient), and the text's quantiles when it is small
    // (kTextNullDistributionBudgetBytes); CSV and Markdown reduce it to counts on the fly.
    const std::uint64_t count = inputs.fixed ? inputs.fixed->size() : common.permutations;
    options.keep_null_distribution =
        !s->plot.empty() || common.format == "json" ||
        (common.format == "text" &&
         NullDistributionBytes(count, x.size()) <= kTextNullDistributionBudgetBytes);
    const RegressionResult result = RunQapRegression(y, x, options, inputs);
    if (!s->plot.empty()) out.Add(s->plot, RenderNullDistributionSvg(result));

    // The plan the run used (null under the classical null, which draws none).
    Emit(common, RenderRegression(result, ToOutputFormat(common.format), context),
         result.plan.get(), result.node_labels, "qap regress, seed " + std::to_string(result.seed),
         out, common.format == "csv" ? RenderRegressionCsvMeta(result, context) : "");
  };
}

}  // namespace qap::cli
