// `qap covariates`: the downloaded files onto CovariateFiles, the model flags
// onto CovariateOptions; writes the matrices, partners.csv and report.json.
#include "qap/trade/covariates.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "common_options.hpp"
#include "data_folder.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/io/output_transaction.hpp"
#include "qap/render/report.hpp"
#include "qap/trade/covariate_loading.hpp"

namespace qap::cli {

std::function<void()> AddCovariatesCommand(CLI::App& app) {
  auto* command = app.add_subcommand("covariates",
                                     "Build the study's matrices (REE/REI, TPR, PGDP, TD, ECI, "
                                     "WGI; design B) from downloaded data");
  struct Settings {
    std::string trade, wdi, gdp_fill, wgi, hs, direction = "export", focal = "CHN";
    // Empty: <reference-dir>/memberships.csv, <reference-dir>/imf_advanced_economies.csv,
    // <data>/reference.
    std::string memberships, advanced, reference_dir;
    std::string partners = "all", reconcile = "importer", difference = "abs", output_dir,
                design = "B";
    std::string td_scope = "total";
    std::string td_flow = "focal-report";
    int year = 2023;
    bool log_gdp = false, drop_unknown = false, drop_incomplete = false;
  };
  auto s = std::make_shared<Settings>();
  command->option_defaults()->always_capture_default();
  command
      ->add_option("--trade", s->trade, "UN Comtrade CSV with the product's flows and TOTAL flows")
      ->type_name("FILE")
      ->required();
  command->add_option("--hs", s->hs, "HS six-digit product code")->required();
  command
      ->add_option("--direction", s->direction,
                   EnumOptionHelp<TradeDirection>("Which dependence is Y"))
      ->check(CLI::IsMember(EnumWords<TradeDirection>()));
  command->add_option("--year", s->year, "Year of the flows and attributes")
      ->check(CLI::Range(1900, 2100));
  command
      ->add_option("--wdi", s->wdi,
                   "World Bank file with NY.GDP.PCAP.CD (WDI API/bulk download or DataBank export)")
      ->type_name("FILE")
      ->required();
  command
      ->add_option("--gdp-fill", s->gdp_fill,
                   "Fills WDI gaps (e.g. Taiwan): the IMF WEO database file "
                   "(WEO<Mon><Year>all.xls, NGDPDPC) or an iso3,year,value CSV")
      ->type_name("FILE");
  command
      ->add_option("--wgi", s->wgi,
                   "Worldwide Governance Indicators: wgidataset.xlsx, the long CSV, WGIData.csv or "
                   "a DataBank export")
      ->type_name("FILE")
      ->required();
  command
      ->add_option("--memberships", s->memberships,
                   "Dated memberships (iso3,organisation,joined,left,source) (default: "
                   "<reference-dir>/memberships.csv)")
      ->type_name("FILE");
  command
      ->add_option("--advanced", s->advanced,
                   "IMF advanced economies (iso3,from_year,to_year) (default: "
                   "<reference-dir>/imf_advanced_economies.csv)")
      ->type_name("FILE");
  command
      ->add_option("--reference-dir", s->reference_dir,
                   std::string("Folder with countries.csv, aggregates.csv and code_variants.csv "
                               "(default: <data>/reference; ") +
                       kDataFolderHelp + ")")
      ->type_name("DIR");
  command->add_option("--focal", s->focal, "The country whose dependence is modelled (ISO3)");
  command->add_option("--partners", s->partners, EnumOptionHelp<PartnerCount>("n in C(H; n)"))
      ->check(CLI::IsMember(EnumWords<PartnerCount>()));
  command
      ->add_option("--reconcile", s->reconcile,
                   EnumOptionHelp<Reconciliation>("Which report of a flow counts"))
      ->check(CLI::IsMember(EnumWords<Reconciliation>()));
  command
      ->add_option("--difference", s->difference,
                   EnumOptionHelp<DifferenceKind>("Difference matrices"))
      ->check(CLI::IsMember(EnumWords<DifferenceKind>()));
  command->add_flag("--log-gdp", s->log_gdp, "PGDP from log GDP per capita");
  command
      ->add_option(
          "--design", s->design,
          EnumOptionHelp(
              "Covariate design (A: Y = E or I among the partners, TPR co-memberships, TD = "
              "TII_i->j)",
              {CovariateDesign::kA, CovariateDesign::kB}))
      ->check(CLI::IsMember(EnumWords({CovariateDesign::kA, CovariateDesign::kB})));
  command
      ->add_option("--td-scope", s->td_scope,
                   "Trade intensity on total trade (TOTAL records) or on the product")
      ->check(CLI::IsMember({"total", "product"}));
  command
      ->add_option(
          "--td-flow", s->td_flow,
          EnumOptionHelp<TradeIntensityFlow>(
              "Import models: where the TD numerator X_j,focal comes from (the other report fills "
              "a gap, listed by name)"))
      ->check(CLI::IsMember(EnumWords<TradeIntensityFlow>()));
  command->add_flag("--drop-unknown", s->drop_unknown,
                    "Drop economies missing from the country table (reported)");
  command->add_flag("--drop-incomplete", s->drop_incomplete,
                    "Drop partners lacking an attribute (reported) instead of stopping");
  command
      ->add_option("--output-dir", s->output_dir,
                   "Existing folder for the matrices, partners.csv and report.json")
      ->type_name("DIR")
      ->required();
  command->footer(
      "Example:\n  qap covariates --trade comtrade.csv --hs 850511 --direction export --year 2023 "
      "\\\n"
      "      --wdi wdi.csv --wgi wgi.csv --output-dir out/ && qap regress --y out/REE.csv --x "
      "out/{TPR,PGDP,TD,ECI,WGI}.csv");
  return [s] {
    namespace fs = std::filesystem;
    OutputTransaction out;
    out.DeclareFolder(s->output_dir, "--output-dir " + s->output_dir);
    CovariateFiles inputs;
    inputs.trade = s->trade;
    inputs.wdi = s->wdi;
    inputs.gdp_fill = s->gdp_fill;
    inputs.wgi = s->wgi;
    inputs.memberships = s->memberships;
    inputs.advanced = s->advanced;
    inputs.reference_dir =
        s->reference_dir.empty() ? ReferenceFolder("--reference-dir") : s->reference_dir;
    inputs.drop_unknown_economies = s->drop_unknown;
    const CovariateData data = LoadCovariateData(inputs);
    CovariateOptions options;
    options.focal = s->focal;
    options.commodity = s->hs;
    options.direction = EnumFromWord<TradeDirection>(s->direction);
    options.year = s->year;
    options.partners = EnumFromWord<PartnerCount>(s->partners);
    options.reconciliation = EnumFromWord<Reconciliation>(s->reconcile);
    options.difference = EnumFromWord<DifferenceKind>(s->difference);
    options.log_gdp = s->log_gdp;
    options.drop_incomplete = s->drop_incomplete;
    options.design = EnumFromWord<CovariateDesign>(s->design);
    options.trade_intensity_on_product = s->td_scope == "product";
    options.trade_intensity_flow = EnumFromWord<TradeIntensityFlow>(s->td_flow);
    const CovariateResult result = BuildCovariates(data.Sources(), options);

    // Contents in the order of CovariateOutputNames.
    std::vector<std::string> contents{FormatLabelledMatrixCsv(result.dependent)};
    for (const LabelledMatrix& m : result.explanatory)
      contents.push_back(FormatLabelledMatrixCsv(m));
    contents.push_back(RenderPartnersCsv(result, data.countries));
    contents.push_back(
        RenderCovariateReportJson(result, data.trade.report, inputs.InputFiles(), data.reads));
    const std::vector<std::string> names = CovariateOutputNames(result);
    std::vector<std::pair<std::string, std::string>> files;
    for (std::size_t i = 0; i < names.size(); ++i) {
      files.emplace_back((fs::path(s->output_dir) / names[i]).string(), std::move(contents[i]));
    }
    // The file names depend on the design, so inputs are compared once they are known, before
    // anything is replaced.
    for (const auto& [path, content] : files) out.Declare(path, "--output-dir");
    for (const auto& [input, option] : std::vector<std::pair<std::string, std::string>>{
             {s->trade, "--trade"},
             {s->wdi, "--wdi"},
             {s->gdp_fill, "--gdp-fill"},
             {s->wgi, "--wgi"},
             {inputs.MembershipsFile(), "--memberships"},
             {inputs.AdvancedFile(), "--advanced"}}) {
      out.RefuseInput(input, option);
    }
    for (const auto& [path, content] : files) out.Add(path, content);
    out.Commit();
    const std::string summary = RenderCovariateSummaryText(result, data.trade.report, data.reads);
    std::fputs(summary.c_str(), stderr);
    std::fprintf(stderr,
                 "qap: wrote %s, the explanatory matrices, partners.csv and report.json to %s\n",
                 names.front().c_str(), s->output_dir.c_str());
  };
}

}  // namespace qap::cli
