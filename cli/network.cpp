// `qap network`: flow and threshold flags onto NetworkOptions.
#include "qap/trade/network.hpp"

#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common_options.hpp"
#include "flow_options.hpp"
#include "qap/io/output_transaction.hpp"
#include "qap/render/report.hpp"
#include "qap/trade/flow_loading.hpp"

namespace qap::cli {

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
  command->add_option("--kind", s->kind, EnumOptionHelp<NetworkKind>("Edge weights"))
      ->check(CLI::IsMember(EnumWords<NetworkKind>()));
  auto* threshold = command->add_option("--threshold", s->threshold,
                                        "An arc exists when its weight exceeds this (default 0)");
  command
      ->add_option("--threshold-quantile", s->quantile,
                   "Threshold as this quantile of the positive weights")
      ->excludes(threshold);
  command->add_option("--focal", s->focal, "Node whose ranks are summarised in the header");
  command
      ->add_option("--format", s->format,
                   EnumOptionHelp("Output format", {OutputFormat::kCsv, OutputFormat::kJson}))
      ->check(CLI::IsMember(EnumWords({OutputFormat::kCsv, OutputFormat::kJson})));
  command->add_option("-o,--output", s->output, "Write to FILE (default: standard output)")
      ->type_name("FILE");
  command->footer(
      "Example:\n  qap network --flows flows_850511_2023.csv --kind export --focal CHN");
  return [s] {
    OutputTransaction out;
    if (!s->output.empty()) out.Declare(s->output, "--output");
    const std::string sidecar = CsvSidecarPath(s->output, s->format);
    if (!sidecar.empty()) out.Declare(sidecar, "--output (its .meta.json)");
    out.RefuseInput(s->flows.flows, "--flows");
    out.RefuseInput(s->flows.trade, "--trade");
    const DependenceResult dependence =
        ComputeDependenceFromFlows(ToFlowLoadOptions(s->flows), ToDependenceOptions(s->flows));
    NetworkOptions options;
    options.kind = EnumFromWord<NetworkKind>(s->kind);
    if (s->quantile) {
      options.threshold = *s->quantile;
      options.threshold_is_quantile = true;
    } else {
      options.threshold = s->threshold.value_or(0.0);
    }
    const NetworkMetrics metrics = ComputeNetworkMetrics(dependence, options);
    std::string meta;
    const std::string rendered =
        RenderNetwork(metrics, options, dependence.options.partners, s->focal,
                      EnumFromWord<OutputFormat>(s->format), &meta);
    if (s->output.empty()) {
      WriteStdout(rendered);
    } else {
      out.Add(s->output, rendered);
      if (!sidecar.empty()) out.Add(sidecar, meta);
      out.Commit();
    }
  };
}

}  // namespace qap::cli
