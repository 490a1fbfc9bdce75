// Reading the downloaded files the covariates are built from (trade, World
// Bank GDP, an optional gap-filling GDP file, WGI, memberships, the IMF's
// advanced economies), and naming the files a covariate build is written to.
// The front end only resolves where its data folder is.
#pragma once

#include <string>
#include <vector>

#include "qap/trade/attributes.hpp"
#include "qap/trade/country_table.hpp"
#include "qap/trade/covariates.hpp"
#include "qap/trade/trade_data.hpp"

namespace qap {

struct CovariateFiles {
  std::string trade;     // the product's flows and TOTAL flows
  std::string wdi;       // NY.GDP.PCAP.CD
  std::string gdp_fill;  // optional: fills WDI gaps (WEO database file or iso3,year,value)
  std::string wgi;
  // Empty: <reference_dir>/memberships.csv and <reference_dir>/imf_advanced_economies.csv.
  std::string memberships;
  std::string advanced;
  std::string reference_dir;  // countries.csv, aggregates.csv, code_variants.csv (required)
  bool drop_unknown_economies = false;

  // The memberships and advanced-economy files with their defaults applied.
  [[nodiscard]] std::string MembershipsFile() const;
  [[nodiscard]] std::string AdvancedFile() const;
  // Every input in the order report.json lists them: trade, wdi, gdp_fill,
  // wgi, memberships, advanced (defaults applied; gdp_fill may be empty).
  [[nodiscard]] std::vector<std::string> InputFiles() const;
};

// What the files hold. Not movable once Sources() is taken: it points here.
struct CovariateData {
  CountryTable countries;
  TradeData trade;
  AttributeTable gdp_per_capita;  // WDI, gaps filled from gdp_fill
  WgiTables wgi;
  MembershipTable memberships;
  AdvancedEconomies advanced;
  // How each attribute file was read: WDI, the fill file (if any), WGI.
  std::vector<AttributeReadReport> reads;
  // WDI's report with the fill file's unresolved economies added (a partner
  // without GDP may be one of either file's), and WGI's.
  AttributeReadReport gdp_report;
  AttributeReadReport wgi_report;

  [[nodiscard]] CovariateSources Sources() const;
};

// Reads every file, in the order of CovariateFiles; throws the readers' errors.
CovariateData LoadCovariateData(const CovariateFiles& files);

// The files a covariate build writes into its folder, in order: the dependent
// matrix (REE or REI), the explanatory ones, partners.csv, report.json. The
// names depend on the design, so they are known only after the build.
std::vector<std::string> CovariateOutputNames(const CovariateResult& result);

}  // namespace qap
