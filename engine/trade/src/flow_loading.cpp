#include "qap/trade/flow_loading.hpp"

#include <utility>

#include "qap/core/errors.hpp"
#include "qap/trade/country_table.hpp"

namespace qap {

std::string FlowLoadOptions::Validate() const {
  if (!trade_file.empty() && !flows_file.empty())
    return "give either a flow matrix or a trade file, not both";
  if (!trade_file.empty()) {
    if (commodity.empty() || !year) return "a trade file needs a commodity code and a year";
    if (reference_dir.empty()) return "a trade file needs the reference folder";
    return {};
  }
  if (flows_file.empty()) return "a flow matrix or a trade file is required";
  return {};
}

LoadedFlows LoadFlows(const FlowLoadOptions& options) {
  if (const std::string problem = options.Validate(); !problem.empty())
    throw OptionsError("flows: " + problem);
  LoadedFlows loaded;
  if (!options.trade_file.empty()) {
    const CountryTable countries = CountryTable::Load(options.reference_dir);
    TradeReadOptions read;
    read.drop_unknown_economies = options.drop_unknown_economies;
    const TradeData data = ReadTradeRecords(options.trade_file, countries, read);
    FlowMatrixReport report;
    loaded.matrix =
        BuildFlowMatrix(data, options.commodity, *options.year, options.reconciliation, &report);
    loaded.trade = data.report;
    loaded.reconciliation = report;
    return loaded;
  }
  loaded.matrix = ReadLabelledMatrix(options.flows_file, options.read);
  return loaded;
}

DependenceResult ComputeDependenceFromFlows(const FlowLoadOptions& flows,
                                            const DependenceOptions& options, LoadedFlows* loaded) {
  LoadedFlows read = LoadFlows(flows);
  DependenceResult result = ComputeTradeDependence(read.matrix, options);
  if (loaded != nullptr) *loaded = std::move(read);
  return result;
}

}  // namespace qap
