#include "qap/covariates.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "qap/errors.hpp"

namespace qap {

namespace {

LabelledMatrix Square(const std::string& name, const std::vector<std::string>& labels) {
  LabelledMatrix m;
  m.name = name;
  m.source = name;
  m.labels = labels;
  const auto n = static_cast<Eigen::Index>(labels.size());
  m.values = DyadMatrix::Zero(n, n);
  return m;
}

// Total trade of an economy with the World, from its World record or, when it
// has none, from the bilateral TOTAL flows.
double WorldTotal(const TradeData& trade, const LabelledMatrix& totals, const std::string& iso3, TradeFlow flow,
                  const std::string& commodity, int year) {
  if (const auto it = trade.world_totals.find({iso3, flow, commodity, year}); it != trade.world_totals.end()) {
    return it->second;
  }
  const auto at = std::find(totals.labels.begin(), totals.labels.end(), iso3);
  if (at == totals.labels.end()) return 0.0;
  const auto i = static_cast<Eigen::Index>(at - totals.labels.begin());
  return flow == TradeFlow::kExport ? totals.values.row(i).sum() : totals.values.col(i).sum();
}

}  // namespace

std::string ToString(TradeDirection direction) { return direction == TradeDirection::kExport ? "export" : "import"; }

std::string CovariateOptions::Validate() const {
  if (commodity.empty()) return "--hs: the product code is required";
  if (focal.size() != 3) return "--focal: expected an ISO3 code such as CHN";
  return {};
}

LabelledMatrix DifferenceMatrix(const std::string& name, const std::vector<std::string>& labels,
                                const std::vector<double>& attribute, DifferenceKind kind) {
  LabelledMatrix m = Square(name, labels);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    for (std::size_t j = 0; j < labels.size(); ++j) {
      const double d = attribute[i] - attribute[j];
      m.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          kind == DifferenceKind::kAbsolute ? std::abs(d) : d;
    }
  }
  return m;
}

LabelledMatrix SameStatusMatrix(const std::string& name, const std::vector<std::string>& labels,
                                const std::vector<double>& status) {
  LabelledMatrix m = Square(name, labels);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    for (std::size_t j = 0; j < labels.size(); ++j) {
      if (i != j) m.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = status[i] == status[j] ? 1.0 : 0.0;
    }
  }
  return m;
}

LabelledMatrix GovernanceDistanceMatrix(const std::string& name, const std::vector<std::string>& labels,
                                        const std::vector<std::array<double, 6>>& dimensions) {
  LabelledMatrix m = Square(name, labels);
  std::array<double, 6> range{};
  for (std::size_t k = 0; k < 6; ++k) {
    double low = dimensions.empty() ? 0.0 : dimensions[0][k];
    double high = low;
    for (const auto& d : dimensions) {
      low = std::min(low, d[k]);
      high = std::max(high, d[k]);
    }
    range[k] = high - low;
  }
  const auto used = static_cast<double>(std::count_if(range.begin(), range.end(), [](double r) { return r > 0.0; }));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    for (std::size_t j = 0; j < labels.size(); ++j) {
      double sum = 0.0;
      for (std::size_t k = 0; k < 6; ++k) {
        if (range[k] > 0.0) sum += std::abs(dimensions[i][k] - dimensions[j][k]) / range[k];
      }
      m.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = used > 0.0 ? sum / used : 0.0;
    }
  }
  return m;
}

CovariateResult BuildCovariates(const CovariateSources& sources, const CovariateOptions& options) {
  if (const std::string problem = options.Validate(); !problem.empty()) throw OptionsError(problem);
  if (sources.trade == nullptr || sources.gdp_per_capita == nullptr || sources.wgi == nullptr ||
      sources.memberships == nullptr || sources.advanced == nullptr) {
    throw OptionsError("covariates need trade, GDP per capita, WGI, membership and classification data");
  }
  const TradeData& trade = *sources.trade;
  const int year = options.year;
  const bool exports = options.direction == TradeDirection::kExport;

  // Dependence of the focal country on each partner.
  const LabelledMatrix flows = BuildFlowMatrix(trade, options.commodity, year, options.reconciliation);
  const auto focal_at = std::find(flows.labels.begin(), flows.labels.end(), options.focal);
  if (focal_at == flows.labels.end()) {
    throw DataError(trade.report.file + ": the focal economy " + options.focal + " has no flows of " +
                    options.commodity + " in " + std::to_string(year));
  }
  const auto focal = static_cast<Eigen::Index>(focal_at - flows.labels.begin());
  DependenceOptions dependence_options;
  dependence_options.partners = options.partners;
  const DependenceResult dependence = ComputeTradeDependence(flows, dependence_options);

  // Total trade (or the product's) for the trade intensity index.
  const std::string intensity = options.trade_intensity_on_product ? options.commodity : std::string("TOTAL");
  LabelledMatrix totals;
  try {
    totals = options.trade_intensity_on_product ? flows : BuildFlowMatrix(trade, "TOTAL", year, options.reconciliation);
  } catch (const DataError&) {
    throw DataError(trade.report.file + ": no TOTAL (all commodities) flows in " + std::to_string(year) +
                    "; the trade intensity TD needs them (or compute it on the product: --td-scope product)");
  }
  double world_imports = 0.0;
  for (const auto& [key, value] : trade.world_totals) {
    if (key.flow == TradeFlow::kImport && key.commodity == intensity && key.year == year) world_imports += value;
  }
  if (!(world_imports > 0.0)) world_imports = totals.values.sum();
  auto total_flow = [&](const std::string& from, const std::string& to) {
    const auto a = std::find(totals.labels.begin(), totals.labels.end(), from);
    const auto b = std::find(totals.labels.begin(), totals.labels.end(), to);
    if (a == totals.labels.end() || b == totals.labels.end()) return 0.0;
    return totals.values(a - totals.labels.begin(), b - totals.labels.begin());
  };

  CovariateResult result;
  result.options = options;
  for (Eigen::Index j = 0; j < flows.size(); ++j) {
    if (j == focal) continue;
    const double flow = exports ? flows.values(focal, j) : flows.values(j, focal);
    if (!(flow > 0.0)) continue;
    PartnerAttributes p;
    p.iso3 = flows.labels[static_cast<std::size_t>(j)];
    auto drop = [&](const std::string& reason) {
      if (!options.drop_incomplete) {
        throw DataError("partner " + p.iso3 + " of " + options.focal + " (" + options.commodity + " " +
                        ToString(options.direction) + " " + std::to_string(year) + "): " + reason +
                        "; fix the data, or drop such partners with a report (--drop-incomplete)");
      }
      result.dropped.push_back({p.iso3, reason});
    };
    p.dependence = exports ? dependence.export_dependence.values(focal, j) : dependence.import_dependence.values(focal, j);
    if (!IsObserved(p.dependence)) {
      drop("dependence undefined (a zero concentration in its denominator)");
      continue;
    }
    p.memberships = sources.memberships->Count(p.iso3, year);
    const auto gdp = sources.gdp_per_capita->Get(p.iso3, year);
    if (!gdp || !(*gdp > 0.0)) {
      drop("no GDP per capita for " + std::to_string(year) + " in " + sources.gdp_per_capita->source);
      continue;
    }
    p.gdp_per_capita = options.log_gdp ? std::log(*gdp) : *gdp;
    const double bilateral = exports ? total_flow(options.focal, p.iso3) : total_flow(p.iso3, options.focal);
    const double origin_total = exports ? WorldTotal(trade, totals, options.focal, TradeFlow::kExport, intensity, year)
                                        : WorldTotal(trade, totals, p.iso3, TradeFlow::kExport, intensity, year);
    const double destination_imports = exports ? WorldTotal(trade, totals, p.iso3, TradeFlow::kImport, intensity, year)
                                               : WorldTotal(trade, totals, options.focal, TradeFlow::kImport, intensity, year);
    if (!(origin_total > 0.0) || !(destination_imports > 0.0)) {
      drop("no " + intensity + " trade for the trade intensity in " + std::to_string(year) + " in " + trade.report.file);
      continue;
    }
    p.trade_intensity = (bilateral / origin_total) / (destination_imports / world_imports);
    p.advanced = sources.advanced->IsAdvanced(p.iso3, year) ? 1.0 : 0.0;
    bool complete = true;
    for (std::size_t k = 0; k < 6; ++k) {
      const auto value = (*sources.wgi)[k].Get(p.iso3, year);
      if (!value) {
        drop(std::string("no WGI ") + kWgiDimensions[k] + " estimate for " + std::to_string(year) + " in " +
             (*sources.wgi)[k].source);
        complete = false;
        break;
      }
      p.wgi[k] = *value;
    }
    if (!complete) continue;
    result.partners.push_back(p);
  }
  if (result.partners.size() < 3) {
    throw DataError("only " + std::to_string(result.partners.size()) + " partners of " + options.focal + " in " +
                    options.commodity + " " + ToString(options.direction) + " " + std::to_string(year) +
                    " have complete covariates; at least 3 are needed");
  }

  std::vector<std::string> labels;
  std::vector<double> y, m, g, td, e;
  std::vector<std::array<double, 6>> wgi;
  for (const PartnerAttributes& p : result.partners) {
    labels.push_back(p.iso3);
    y.push_back(p.dependence);
    m.push_back(p.memberships);
    g.push_back(p.gdp_per_capita);
    td.push_back(p.trade_intensity);
    e.push_back(p.advanced);
    wgi.push_back(p.wgi);
  }
  result.dependent = DifferenceMatrix(exports ? "REE" : "REI", labels, y, options.difference);
  result.explanatory = {DifferenceMatrix("TPR", labels, m, options.difference),
                        DifferenceMatrix("PGDP", labels, g, options.difference),
                        DifferenceMatrix("TD", labels, td, options.difference), SameStatusMatrix("ECI", labels, e),
                        GovernanceDistanceMatrix("WGI", labels, wgi)};
  if (options.design == CovariateDesign::kA) {
    // Natively dyadic matrices among the partners.
    const auto n = static_cast<Eigen::Index>(labels.size());
    auto index_in = [](const LabelledMatrix& matrix, const std::string& iso3) -> Eigen::Index {
      const auto at = std::find(matrix.labels.begin(), matrix.labels.end(), iso3);
      return at == matrix.labels.end() ? -1 : static_cast<Eigen::Index>(at - matrix.labels.begin());
    };
    const LabelledMatrix& among = exports ? dependence.export_dependence : dependence.import_dependence;
    std::vector<std::set<std::string>> member_of;
    for (const std::string& iso3 : labels) member_of.push_back(sources.memberships->MemberOf(iso3, year));
    for (Eigen::Index i = 0; i < n; ++i) {
      const std::string& a = labels[static_cast<std::size_t>(i)];
      const double exports_total = WorldTotal(trade, totals, a, TradeFlow::kExport, intensity, year);
      for (Eigen::Index j = 0; j < n; ++j) {
        if (i == j) continue;
        const std::string& b = labels[static_cast<std::size_t>(j)];
        result.dependent.values(i, j) = among.values(index_in(among, a), index_in(among, b));
        std::size_t shared = 0;
        for (const std::string& o : member_of[static_cast<std::size_t>(i)]) {
          shared += member_of[static_cast<std::size_t>(j)].contains(o) ? 1U : 0U;
        }
        result.explanatory[0].values(i, j) = static_cast<double>(shared);
        const double imports_total = WorldTotal(trade, totals, b, TradeFlow::kImport, intensity, year);
        result.explanatory[2].values(i, j) = exports_total > 0.0 && imports_total > 0.0
                                                 ? (total_flow(a, b) / exports_total) / (imports_total / world_imports)
                                                 : std::nan("");
      }
    }
    result.dependent.name = exports ? "E" : "I";
  }
  return result;
}

}  // namespace qap
