// The flag group of the commands that read bilateral flows (`dependence`,
// `network`): --flows or --trade with its product, year and reconciliation,
// mapped onto the engine's FlowLoadOptions.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "qap/trade/dependence.hpp"
#include "qap/trade/flow_loading.hpp"

namespace qap::cli {

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

void AddFlowOptions(CLI::App& command, FlowSettings& s);

// Checks the flag combinations CLI11 cannot (naming the flags) and resolves
// the reference folder only when a trade file needs it.
FlowLoadOptions ToFlowLoadOptions(const FlowSettings& s);
DependenceOptions ToDependenceOptions(const FlowSettings& s);

}  // namespace qap::cli
