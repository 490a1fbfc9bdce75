// `qap dependence`: flow flags onto FlowLoadOptions and DependenceOptions;
// writes E, I, DT, the concentration indices and report.json.
#include "qap/trade/dependence.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common_options.hpp"
#include "flow_options.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/io/output_transaction.hpp"
#include "qap/render/report.hpp"
#include "qap/trade/flow_loading.hpp"

namespace qap::cli {

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
    const std::vector<std::string> names = DependenceOutputNames();
    for (const std::string& name : names) out.Declare((dir / name).string(), "--output-dir");
    out.RefuseInput(s->flows.flows, "--flows");
    out.RefuseInput(s->flows.trade, "--trade");
    LoadedFlows loaded;
    const DependenceResult result = ComputeDependenceFromFlows(
        ToFlowLoadOptions(s->flows), ToDependenceOptions(s->flows), &loaded);
    // In the order of DependenceOutputNames (at() stops a mismatch rather than misname a file).
    const std::string contents[] = {
        FormatLabelledMatrixCsv(result.export_dependence),
        FormatLabelledMatrixCsv(result.import_dependence),
        FormatLabelledMatrixCsv(result.total_dependence), RenderConcentrationCsv(result),
        RenderDependenceReportJson(result, loaded.trade ? &*loaded.trade : nullptr,
                                   loaded.reconciliation ? &*loaded.reconciliation : nullptr)};
    std::string written;
    for (std::size_t i = 0; i < std::size(contents); ++i) {
      out.Add((dir / names.at(i)).string(), contents[i]);
      written += (i == 0 ? "" : ", ") + names[i];
    }
    out.Commit();
    std::fprintf(stderr, "qap: wrote %s to %s (%zu undefined cells)\n", written.c_str(),
                 s->output_dir.c_str(), result.undefined_cells.size());
  };
}

}  // namespace qap::cli
