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

namespace {

// Total trade (or the product's) of one year, for the trade intensity index.
struct IntensityContext {
  std::string commodity;
  int year = 0;
  LabelledMatrix totals;
  double world_imports = 0.0;
  double Flow(const std::string& from, const std::string& to) const {
    const auto a = std::find(totals.labels.begin(), totals.labels.end(), from);
    const auto b = std::find(totals.labels.begin(), totals.labels.end(), to);
    if (a == totals.labels.end() || b == totals.labels.end()) return 0.0;
    return totals.values(a - totals.labels.begin(), b - totals.labels.begin());
  }
};

IntensityContext MakeIntensityContext(const TradeData& trade, const CovariateOptions& options, int year) {
  IntensityContext context;
  context.commodity = options.trade_intensity_on_product ? options.commodity : std::string("TOTAL");
  context.year = year;
  try {
    context.totals = BuildFlowMatrix(trade, context.commodity, year, options.reconciliation);
  } catch (const DataError&) {
    throw DataError(trade.report.file + ": no " + context.commodity + " flows in " + std::to_string(year) +
                    "; the trade intensity TD needs them (or compute it on the product: --td-scope product)");
  }
  for (const auto& [key, value] : trade.world_totals) {
    if (key.flow == TradeFlow::kImport && key.commodity == context.commodity && key.year == year) {
      context.world_imports += value;
    }
  }
  if (!(context.world_imports > 0.0)) context.world_imports = context.totals.values.sum();
  return context;
}

// The part of a "missing value" reason that names what the file held but
// could not attribute to an economy: the value may be there under a spelling
// the country table lacks.
std::string UnresolvedHint(const AttributeReadReport* report) {
  if (report == nullptr || report->unresolved.empty()) return {};
  return " (the file also has " + std::to_string(report->unresolved.size()) +
         " economies the country table could not resolve: " + DescribeUnresolved(*report, 5) +
         "; add their spelling to the reference folder's code_variants.csv or countries.csv)";
}

// A partner's attributes in one year, or the reason one is missing.
std::optional<PartnerAttributes> AttributesOf(const std::string& iso3, int year, const IntensityContext& intensity,
                                              const CovariateSources& sources, const CovariateOptions& options,
                                              std::string* reason) {
  const TradeData& trade = *sources.trade;
  const bool exports = options.direction == TradeDirection::kExport;
  PartnerAttributes p;
  p.iso3 = iso3;
  p.memberships = sources.memberships->Count(iso3, year);
  const auto gdp = sources.gdp_per_capita->Get(iso3, year);
  if (!gdp || !(*gdp > 0.0)) {
    *reason = "no GDP per capita for " + std::to_string(year) + " in " + sources.gdp_per_capita->source +
              UnresolvedHint(sources.gdp_report);
    return std::nullopt;
  }
  p.gdp_per_capita = options.log_gdp ? std::log(*gdp) : *gdp;
  const std::string& c = intensity.commodity;
  const double bilateral = exports ? intensity.Flow(options.focal, iso3) : intensity.Flow(iso3, options.focal);
  const double origin_total = exports ? WorldTotal(trade, intensity.totals, options.focal, TradeFlow::kExport, c, year)
                                      : WorldTotal(trade, intensity.totals, iso3, TradeFlow::kExport, c, year);
  const double destination_imports = exports ? WorldTotal(trade, intensity.totals, iso3, TradeFlow::kImport, c, year)
                                             : WorldTotal(trade, intensity.totals, options.focal, TradeFlow::kImport, c, year);
  if (!(origin_total > 0.0) || !(destination_imports > 0.0)) {
    *reason = "no " + c + " trade for the trade intensity in " + std::to_string(year) + " in " + trade.report.file;
    return std::nullopt;
  }
  p.trade_intensity = (bilateral / origin_total) / (destination_imports / intensity.world_imports);
  p.advanced = sources.advanced->IsAdvanced(iso3, year) ? 1.0 : 0.0;
  for (std::size_t k = 0; k < 6; ++k) {
    const auto value = (*sources.wgi)[k].Get(iso3, year);
    if (!value) {
      *reason = std::string("no WGI ") + kWgiDimensions[k] + " estimate for " + std::to_string(year) + " in " +
                (*sources.wgi)[k].source + UnresolvedHint(sources.wgi_report);
      return std::nullopt;
    }
    p.wgi[k] = *value;
  }
  return p;
}

void CheckSources(const CovariateSources& sources) {
  if (sources.trade == nullptr || sources.gdp_per_capita == nullptr || sources.wgi == nullptr ||
      sources.memberships == nullptr || sources.advanced == nullptr) {
    throw OptionsError("covariates need trade, GDP per capita, WGI, membership and classification data");
  }
}

}  // namespace

CovariateResult BuildCovariates(const CovariateSources& sources, const CovariateOptions& options) {
  if (const std::string problem = options.Validate(); !problem.empty()) throw OptionsError(problem);
  CheckSources(sources);
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
  const IntensityContext intensity = MakeIntensityContext(trade, options, year);
  const LabelledMatrix& totals = intensity.totals;
  const double world_imports = intensity.world_imports;
  auto total_flow = [&](const std::string& from, const std::string& to) { return intensity.Flow(from, to); };

  CovariateResult result;
  result.options = options;
  for (Eigen::Index j = 0; j < flows.size(); ++j) {
    if (j == focal) continue;
    const double flow = exports ? flows.values(focal, j) : flows.values(j, focal);
    if (!(flow > 0.0)) continue;
    const std::string& iso3 = flows.labels[static_cast<std::size_t>(j)];
    auto drop = [&](const std::string& reason) {
      if (!options.drop_incomplete) {
        throw DataError("partner " + iso3 + " of " + options.focal + " (" + options.commodity + " " +
                        ToString(options.direction) + " " + std::to_string(year) + "): " + reason +
                        "; fix the data, or drop such partners with a report (--drop-incomplete)");
      }
      result.dropped.push_back({iso3, reason});
    };
    const double dependence_on_j =
        exports ? dependence.export_dependence.values(focal, j) : dependence.import_dependence.values(focal, j);
    if (!IsObserved(dependence_on_j)) {
      drop("dependence undefined (a zero concentration in its denominator)");
      continue;
    }
    std::string reason;
    auto attributes = AttributesOf(iso3, year, intensity, sources, options, &reason);
    if (!attributes) {
      drop(reason);
      continue;
    }
    attributes->dependence = dependence_on_j;
    result.partners.push_back(*attributes);
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
      const double exports_total = WorldTotal(trade, totals, a, TradeFlow::kExport, intensity.commodity, year);
      for (Eigen::Index j = 0; j < n; ++j) {
        if (i == j) continue;
        const std::string& b = labels[static_cast<std::size_t>(j)];
        result.dependent.values(i, j) = among.values(index_in(among, a), index_in(among, b));
        std::size_t shared = 0;
        for (const std::string& o : member_of[static_cast<std::size_t>(i)]) {
          shared += member_of[static_cast<std::size_t>(j)].contains(o) ? 1U : 0U;
        }
        result.explanatory[0].values(i, j) = static_cast<double>(shared);
        const double imports_total = WorldTotal(trade, totals, b, TradeFlow::kImport, intensity.commodity, year);
        result.explanatory[2].values(i, j) = exports_total > 0.0 && imports_total > 0.0
                                                 ? (total_flow(a, b) / exports_total) / (imports_total / world_imports)
                                                 : std::nan("");
      }
    }
    result.dependent.name = exports ? "E" : "I";
  }
  return result;
}

std::string ToString(RobustnessVariant variant) {
  switch (variant) {
    case RobustnessVariant::kR1: return "R1";
    case RobustnessVariant::kR2: return "R2";
    case RobustnessVariant::kR3: return "R3";
    case RobustnessVariant::kR4: return "R4";
  }
  return "?";
}

double GeometricMean(const std::vector<double>& values, GeometricZeros zeros) {
  double log_sum = 0.0;
  std::size_t count = 0;
  for (double v : values) {
    if (v < 0.0) throw DataError("a geometric mean needs non-negative values (got " + std::to_string(v) + ")");
    if (zeros == GeometricZeros::kLog1p) {
      log_sum += std::log1p(v);
      ++count;
    } else if (v == 0.0) {
      if (zeros == GeometricZeros::kExact) return 0.0;
    } else {
      log_sum += std::log(v);
      ++count;
    }
  }
  if (count == 0) return 0.0;
  const double mean = log_sum / static_cast<double>(count);
  return zeros == GeometricZeros::kLog1p ? std::expm1(mean) : std::exp(mean);
}

CovariateResult BuildRobustnessCovariates(const CovariateSources& sources, const CovariateOptions& options,
                                          const RobustnessOptions& robustness) {
  if (options.design != CovariateDesign::kB) throw OptionsError("robustness variants are defined for design B only");
  if (robustness.years.empty()) throw OptionsError("[robustness] years: at least one year is needed");
  const bool geometric = robustness.variant == RobustnessVariant::kR2 || robustness.variant == RobustnessVariant::kR4;
  const bool mean_first = robustness.variant == RobustnessVariant::kR1 || robustness.variant == RobustnessVariant::kR2;
  if (robustness.variant == RobustnessVariant::kR4 && options.difference == DifferenceKind::kSigned) {
    throw OptionsError("R4 takes geometric means of dyads, which signed differences make negative: use abs differences");
  }
  CovariateResult result = BuildCovariates(sources, options);

  // Attributes of the main year's partners in every year of T.
  std::vector<std::vector<PartnerAttributes>> by_year;  // [year][partner]
  std::set<std::string> incomplete;
  for (int year : robustness.years) {
    const IntensityContext intensity = MakeIntensityContext(*sources.trade, options, year);
    std::vector<PartnerAttributes> attributes;
    for (const PartnerAttributes& partner : result.partners) {
      std::string reason;
      auto a = AttributesOf(partner.iso3, year, intensity, sources, options, &reason);
      if (!a) {
        if (!options.drop_incomplete) {
          throw DataError("partner " + partner.iso3 + " of " + options.focal + " (" + options.commodity + " " +
                          ToString(options.direction) + ", robustness " + ToString(robustness.variant) + "): " + reason +
                          "; fix the data, or drop such partners with a report (drop_incomplete)");
        }
        if (incomplete.insert(partner.iso3).second) result.dropped.push_back({partner.iso3, reason});
        a = partner;  // placeholder, removed below
      }
      attributes.push_back(*a);
    }
    by_year.push_back(std::move(attributes));
  }
  // Keep the partners complete in every year.
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < result.partners.size(); ++i) {
    if (!incomplete.contains(result.partners[i].iso3)) keep.push_back(i);
  }
  if (keep.size() < 3) {
    throw DataError("only " + std::to_string(keep.size()) + " partners have complete covariates in every year of T");
  }
  std::vector<std::string> labels;
  std::vector<double> y;
  for (std::size_t i : keep) {
    labels.push_back(result.partners[i].iso3);
    y.push_back(result.partners[i].dependence);
  }
  const std::size_t n = keep.size();
  const std::size_t years = robustness.years.size();
  auto series = [&](std::size_t partner, auto member) {
    std::vector<double> values;
    for (std::size_t t = 0; t < years; ++t) values.push_back(member(by_year[t][keep[partner]]));
    return values;
  };
  // Signed WGI estimates are shifted to positive before a geometric mean.
  double shift = 0.0;
  if (geometric) {
    double lowest = 0.0;
    for (const auto& year : by_year) {
      for (std::size_t i : keep) {
        for (double w : year[i].wgi) lowest = std::min(lowest, w);
      }
    }
    shift = 1.0 - lowest;
  }
  auto summarise = [&](const std::vector<double>& values, double offset = 0.0) {
    if (!geometric) {
      double sum = 0.0;
      for (double v : values) sum += v;
      return sum / static_cast<double>(values.size());
    }
    std::vector<double> shifted;
    for (double v : values) shifted.push_back(v + offset);
    return GeometricMean(shifted, robustness.zeros) - offset;
  };

  std::vector<LabelledMatrix> explanatory;
  if (mean_first) {
    std::vector<double> m, g, td, e;
    std::vector<std::array<double, 6>> wgi(n);
    for (std::size_t i = 0; i < n; ++i) {
      m.push_back(summarise(series(i, [](const PartnerAttributes& a) { return a.memberships; })));
      g.push_back(summarise(series(i, [](const PartnerAttributes& a) { return a.gdp_per_capita; })));
      td.push_back(summarise(series(i, [](const PartnerAttributes& a) { return a.trade_intensity; })));
      e.push_back(summarise(series(i, [](const PartnerAttributes& a) { return a.advanced; })));
      for (std::size_t k = 0; k < 6; ++k) {
        wgi[i][k] = summarise(series(i, [k](const PartnerAttributes& a) { return a.wgi[k]; }), shift);
      }
    }
    LabelledMatrix eci = DifferenceMatrix("ECI", labels, e, DifferenceKind::kAbsolute);
    for (Eigen::Index i = 0; i < eci.size(); ++i) {
      for (Eigen::Index j = 0; j < eci.size(); ++j) eci.values(i, j) = i == j ? 0.0 : 1.0 - eci.values(i, j);
    }
    explanatory = {DifferenceMatrix("TPR", labels, m, options.difference),
                   DifferenceMatrix("PGDP", labels, g, options.difference),
                   DifferenceMatrix("TD", labels, td, options.difference), eci,
                   GovernanceDistanceMatrix("WGI", labels, wgi)};
  } else {
    // Each year's matrices, then their element-wise mean.
    std::vector<std::vector<LabelledMatrix>> yearly;
    for (std::size_t t = 0; t < years; ++t) {
      std::vector<double> m, g, td, e;
      std::vector<std::array<double, 6>> wgi;
      for (std::size_t i : keep) {
        const PartnerAttributes& a = by_year[t][i];
        m.push_back(a.memberships);
        g.push_back(a.gdp_per_capita);
        td.push_back(a.trade_intensity);
        e.push_back(a.advanced);
        wgi.push_back(a.wgi);
      }
      yearly.push_back({DifferenceMatrix("TPR", labels, m, options.difference),
                        DifferenceMatrix("PGDP", labels, g, options.difference),
                        DifferenceMatrix("TD", labels, td, options.difference), SameStatusMatrix("ECI", labels, e),
                        GovernanceDistanceMatrix("WGI", labels, wgi)});
    }
    for (std::size_t v = 0; v < yearly.front().size(); ++v) {
      LabelledMatrix combined = yearly.front()[v];
      for (Eigen::Index i = 0; i < combined.size(); ++i) {
        for (Eigen::Index j = 0; j < combined.size(); ++j) {
          if (i == j) continue;
          std::vector<double> values;
          for (std::size_t t = 0; t < years; ++t) values.push_back(yearly[t][v].values(i, j));
          combined.values(i, j) = summarise(values);
        }
      }
      explanatory.push_back(std::move(combined));
    }
  }
  result.dependent = DifferenceMatrix(options.direction == TradeDirection::kExport ? "REE" : "REI", labels, y,
                                      options.difference);
  result.explanatory = std::move(explanatory);
  std::vector<PartnerAttributes> kept;
  for (std::size_t i : keep) kept.push_back(result.partners[i]);
  result.partners = std::move(kept);
  return result;
}

}  // namespace qap
