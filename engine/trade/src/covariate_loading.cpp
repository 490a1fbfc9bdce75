#include "qap/trade/covariate_loading.hpp"

#include <filesystem>

#include "qap/trade/weo.hpp"

namespace qap {

std::string CovariateFiles::MembershipsFile() const {
  return memberships.empty() ? (std::filesystem::path(reference_dir) / "memberships.csv").string()
                             : memberships;
}

std::string CovariateFiles::AdvancedFile() const {
  return advanced.empty()
             ? (std::filesystem::path(reference_dir) / "imf_advanced_economies.csv").string()
             : advanced;
}

std::vector<std::string> CovariateFiles::InputFiles() const {
  return {trade, wdi, gdp_fill, wgi, MembershipsFile(), AdvancedFile()};
}

CovariateSources CovariateData::Sources() const {
  return {&trade, &gdp_per_capita, &wgi, &memberships, &advanced, &gdp_report, &wgi_report};
}

CovariateData LoadCovariateData(const CovariateFiles& files) {
  CovariateData data;
  data.countries = CountryTable::Load(files.reference_dir);
  TradeReadOptions read;
  read.drop_unknown_economies = files.drop_unknown_economies;
  data.trade = ReadTradeRecords(files.trade, data.countries, read);
  data.reads.emplace_back();
  data.gdp_per_capita =
      ReadWdiIndicator(files.wdi, "NY.GDP.PCAP.CD", data.countries, &data.reads.back());
  data.gdp_report = data.reads.back();
  if (!files.gdp_fill.empty()) {
    data.reads.emplace_back();
    data.gdp_per_capita.FillGapsFrom(
        ReadGdpFill(files.gdp_fill, data.countries, &data.reads.back()));
    for (const auto& u : data.reads.back().unresolved) data.gdp_report.unresolved.push_back(u);
  }
  data.reads.emplace_back();
  data.wgi = ReadWgi(files.wgi, data.countries, &data.reads.back());
  data.wgi_report = data.reads.back();
  data.memberships = MembershipTable::Read(files.MembershipsFile(), data.countries);
  data.advanced = AdvancedEconomies::Read(files.AdvancedFile(), data.countries);
  return data;
}

std::vector<std::string> CovariateOutputNames(const CovariateResult& result) {
  std::vector<std::string> names{result.dependent.name + ".csv"};
  for (const LabelledMatrix& m : result.explanatory) names.push_back(m.name + ".csv");
  names.emplace_back("partners.csv");
  names.emplace_back("report.json");
  return names;
}

}  // namespace qap
