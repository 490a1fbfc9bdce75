// `qap dependence`: flow flags onto FlowLoadOptions and DependenceOptions;
// writes E, I, DT, the concentration indices and report.json.
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
    for (const char* name : {"E.csv", "I.csv", "DT.csv", "concentration.csv", "report.json"}) {
      out.Declare((dir / name).string(), "--output-dir");
    }
    out.RefuseInput(s->flows.flows, "--flows");
    out.RefuseInput(s->flows.trade, "--trade");
    LoadedFlows loaded;
    const DependenceResult result = ComputeDependenceFromFlows(
        ToFlowLoadOptions(s->flows), ToDependenceOptions(s->flows), &loaded);
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

}  // namespace qap::cli
