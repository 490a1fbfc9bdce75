#include "flow_options.hpp"

#include "common_options.hpp"
#include "data_folder.hpp"
#include "qap/core/errors.hpp"

namespace qap::cli {

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
                  EnumOptionHelp<Reconciliation>("Which report of a flow counts"))
      ->check(CLI::IsMember(EnumWords<Reconciliation>()))
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
                  EnumOptionHelp<PartnerCount>("n in C(H; n) (all: convention U; active: P)"))
      ->check(CLI::IsMember(EnumWords<PartnerCount>()));
  command.add_option("--delim", s.delimiter, "Field delimiter of --flows (default: detected)");
  command
      .add_option("--input-format", s.input_format,
                  EnumOptionHelp("Layout of --flows", {InputFormat::kAuto, InputFormat::kMatrix,
                                                       InputFormat::kEdgeList}))
      ->check(CLI::IsMember(
          EnumWords({InputFormat::kAuto, InputFormat::kMatrix, InputFormat::kEdgeList})));
}

FlowLoadOptions ToFlowLoadOptions(const FlowSettings& s) {
  FlowLoadOptions options;
  if (!s.trade.empty()) {
    if (s.hs.empty() || !s.year) throw OptionsError("--trade needs --hs and --year");
    options.trade_file = s.trade;
    options.commodity = s.hs;
    options.year = s.year;
    options.reconciliation = EnumFromWord<Reconciliation>(s.reconcile);
    options.reference_dir =
        s.reference_dir.empty() ? ReferenceFolder("--reference-dir") : s.reference_dir;
    options.drop_unknown_economies = s.drop_unknown;
    return options;
  }
  if (s.flows.empty()) throw OptionsError("--flows or --trade is required");
  options.flows_file = s.flows;
  CommonSettings common;
  common.delimiter = s.delimiter;
  common.input_format = s.input_format;
  options.read = ToReadOptions(common);
  return options;
}

DependenceOptions ToDependenceOptions(const FlowSettings& s) {
  DependenceOptions options;
  options.partners = EnumFromWord<PartnerCount>(s.partners);
  return options;
}

}  // namespace qap::cli
