#include "qap/trade/covariates.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "qap/core/errors.hpp"

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
double WorldTotal(const TradeData& trade, const LabelledMatrix& totals, const std::string& iso3,
                  TradeFlow flow, const std::string& commodity, int year) {
  if (const auto it = trade.world_totals.find({iso3, flow, commodity, year});
      it != trade.world_totals.end()) {
    return it->second;
  }
  const auto at = std::find(totals.labels.begin(), totals.labels.end(), iso3);
  if (at == totals.labels.end()) return 0.0;
  const auto i = static_cast<Eigen::Index>(at - totals.labels.begin());
  return flow == TradeFlow::kExport ? totals.values.row(i).sum() : totals.values.col(i).sum();
}

}  // namespace

std::optional<OptionsError> CovariateOptions::Validate() const {
  if (commodity.empty()) return OptionsError("commodity", "the product code is required");
  if (focal.size() != 3) return OptionsError("focal", "expected an ISO3 code such as CHN");
  // The one check of td_flow for every front end (--td-flow, the manifest's
  // td_flow): they parse the word, this refuses a value outside the enum.
  if (trade_intensity_flow != TradeIntensityFlow::kFocalReport &&
      trade_intensity_flow != TradeIntensityFlow::kPartnerReport) {
    return OptionsError(
        "td_flow", "expected " + EnumChoiceList<TradeIntensityFlow>(" or ") + " (got the value " +
                       std::to_string(static_cast<int>(trade_intensity_flow)) + ")");
  }
  return std::nullopt;
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

// 1 - |s_i - s_j| is 1[s_i = s_j] for 0/1 status and the R1/R2 formula for an
// averaged status; the diagonal is 1 (a node has its own status). The signed
// version s_i - s_j is the difference matrix of the status (diagonal 0): it is
// antisymmetric like every other signed matrix, so that it can carry a
// coefficient beside an antisymmetric Y.
LabelledMatrix SameStatusMatrix(const std::string& name, const std::vector<std::string>& labels,
                                const std::vector<double>& status, DifferenceKind kind) {
  if (kind == DifferenceKind::kSigned)
    return DifferenceMatrix(name, labels, status, DifferenceKind::kSigned);
  LabelledMatrix m = Square(name, labels);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    for (std::size_t j = 0; j < labels.size(); ++j) {
      m.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          1.0 - std::abs(status[i] - status[j]);
    }
  }
  return m;
}

LabelledMatrix GovernanceDistanceMatrix(const std::string& name,
                                        const std::vector<std::string>& labels,
                                        const std::vector<std::array<double, 6>>& dimensions,
                                        DifferenceKind kind) {
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
  const auto used = static_cast<double>(
      std::count_if(range.begin(), range.end(), [](double r) { return r > 0.0; }));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    for (std::size_t j = 0; j < labels.size(); ++j) {
      double sum = 0.0;
      for (std::size_t k = 0; k < 6; ++k) {
        if (!(range[k] > 0.0)) continue;
        // Signed: each term is exactly the negative of its (j, i) twin, so the
        // sum, taken in the same order, is exactly antisymmetric.
        const double d = dimensions[i][k] - dimensions[j][k];
        sum += (kind == DifferenceKind::kAbsolute ? std::abs(d) : d) / range[k];
      }
      m.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          used > 0.0 ? sum / used : 0.0;
    }
  }
  return m;
}

namespace {

// The explanatory matrices built from node attributes (one value per partner
// each), named and ordered as kStudyCovariateNames.
std::vector<LabelledMatrix> NodeAttributeMatrices(const std::vector<std::string>& labels,
                                                  const std::vector<double>& memberships,
                                                  const std::vector<double>& gdp_per_capita,
                                                  const std::vector<double>& trade_intensity,
                                                  const std::vector<double>& advanced,
                                                  const std::vector<std::array<double, 6>>& wgi,
                                                  DifferenceKind kind) {
  return {DifferenceMatrix(kStudyCovariateNames[0], labels, memberships, kind),
          DifferenceMatrix(kStudyCovariateNames[1], labels, gdp_per_capita, kind),
          DifferenceMatrix(kStudyCovariateNames[2], labels, trade_intensity, kind),
          SameStatusMatrix(kStudyCovariateNames[3], labels, advanced, kind),
          GovernanceDistanceMatrix(kStudyCovariateNames[4], labels, wgi, kind)};
}

// Total trade (or the product's) of one year, for the trade intensity index.
struct IntensityContext {
  std::string commodity;
  int year = 0;
  // Product scope: X, M and M_W are sums over `totals` (the product's
  // reconciled flow matrix). Total scope: the World records, the bilateral
  // sums standing in for an economy without one.
  bool on_product = false;
  const TradeData* trade = nullptr;
  LabelledMatrix totals;
  double world_imports = 0.0;
  // The two reports of each flow j -> focal, by j: the focal's import record
  // and j's own export record (present only when filed).
  std::map<std::string, double> focal_import_record;
  std::map<std::string, double> partner_export_record;
  double Flow(const std::string& from, const std::string& to) const {
    const auto a = std::find(totals.labels.begin(), totals.labels.end(), from);
    const auto b = std::find(totals.labels.begin(), totals.labels.end(), to);
    if (a == totals.labels.end() || b == totals.labels.end()) return 0.0;
    return totals.values(a - totals.labels.begin(), b - totals.labels.begin());
  }
  // X_a and M_b.
  double Total(const std::string& iso3, TradeFlow flow) const {
    if (!on_product) return WorldTotal(*trade, totals, iso3, flow, commodity, year);
    const auto at = std::find(totals.labels.begin(), totals.labels.end(), iso3);
    if (at == totals.labels.end()) return 0.0;
    const auto i = static_cast<Eigen::Index>(at - totals.labels.begin());
    return flow == TradeFlow::kExport ? totals.values.row(i).sum() : totals.values.col(i).sum();
  }
};

IntensityContext MakeIntensityContext(const TradeData& trade, const CovariateOptions& options,
                                      int year) {
  IntensityContext context;
  context.commodity = options.trade_intensity_on_product ? options.commodity : std::string("TOTAL");
  context.year = year;
  context.on_product = options.trade_intensity_on_product;
  context.trade = &trade;
  try {
    context.totals = BuildFlowMatrix(trade, context.commodity, year, options.reconciliation);
  } catch (const DataError&) {
    throw DataError(
        trade.report.file + ": no " + context.commodity + " flows in " + std::to_string(year) +
        "; the trade intensity TD needs them (or compute it on the product: --td-scope product)");
  }
  for (const TradeRecord& r : trade.records) {
    if (r.commodity != context.commodity || r.year != year) continue;
    if (r.flow == TradeFlow::kImport && r.reporter == options.focal)
      context.focal_import_record[r.partner] = r.value;
    if (r.flow == TradeFlow::kExport && r.partner == options.focal)
      context.partner_export_record[r.reporter] = r.value;
  }
  if (context.on_product) {
    // M_W = the sum of every flow between two economies of the product. The
    // flow matrix holds economies only (aggregate partners such as World,
    // Areas nes or Bunkers are no economy's bilateral trade and were left out
    // when read); the diagonal is cleared too, so that trade of an economy
    // with itself could never count as world trade. The product's own World
    // records are not used: few reporters file one (for HS 850511 in 2023,
    // two), so their sum is not world imports.
    context.totals.values.diagonal().setZero();
    context.world_imports = context.totals.values.sum();
    return context;
  }
  for (const auto& [key, value] : trade.world_totals) {
    if (key.flow == TradeFlow::kImport && key.commodity == context.commodity && key.year == year) {
      context.world_imports += value;
    }
  }
  if (!(context.world_imports > 0.0)) context.world_imports = context.totals.values.sum();
  return context;
}

// The numerator X_{j,focal} of an import-model TII, from the report td_flow
// chooses; the other report fills a gap, described in *fallback. With neither
// report the flow is 0: nothing was traded on record, and TII = 0.
double ImportNumerator(const std::string& iso3, const IntensityContext& intensity,
                       const CovariateOptions& options, std::string* fallback) {
  const bool partner_first = options.trade_intensity_flow == TradeIntensityFlow::kPartnerReport;
  const auto& chosen =
      partner_first ? intensity.partner_export_record : intensity.focal_import_record;
  const auto& other =
      partner_first ? intensity.focal_import_record : intensity.partner_export_record;
  if (const auto it = chosen.find(iso3); it != chosen.end()) return it->second;
  const auto it = other.find(iso3);
  if (it == other.end()) return 0.0;
  const std::string partner_record = iso3 + "'s export record to " + options.focal;
  const std::string focal_record = options.focal + "'s import record from " + iso3;
  *fallback = "td_flow " + ToString(options.trade_intensity_flow) + ": no " +
              (partner_first ? partner_record : focal_record) + " (" + intensity.commodity + ", " +
              std::to_string(intensity.year) + "); the TII numerator is " +
              (partner_first ? focal_record : partner_record);
  return it->second;
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
// *td_fallback is set when the import-model TII numerator came from the
// report td_flow did not choose.
std::optional<PartnerAttributes> AttributesOf(const std::string& iso3, int year,
                                              const IntensityContext& intensity,
                                              const CovariateSources& sources,
                                              const CovariateOptions& options, std::string* reason,
                                              std::string* td_fallback) {
  const TradeData& trade = *sources.trade;
  const bool exports = options.direction == TradeDirection::kExport;
  PartnerAttributes p;
  p.iso3 = iso3;
  p.memberships = sources.memberships->Count(iso3, year);
  const auto gdp = sources.gdp_per_capita->Get(iso3, year);
  if (!gdp || !(*gdp > 0.0)) {
    *reason = "no GDP per capita for " + std::to_string(year) + " in " +
              sources.gdp_per_capita->source + UnresolvedHint(sources.gdp_report);
    return std::nullopt;
  }
  p.gdp_per_capita = options.log_gdp ? std::log(*gdp) : *gdp;
  const std::string& c = intensity.commodity;
  // Export models: X_{focal,j} is the reconciled flow, as before td_flow
  // existed. Import models: the report td_flow names.
  const double bilateral = exports ? intensity.Flow(options.focal, iso3)
                                   : ImportNumerator(iso3, intensity, options, td_fallback);
  const double origin_total = exports ? intensity.Total(options.focal, TradeFlow::kExport)
                                      : intensity.Total(iso3, TradeFlow::kExport);
  const double destination_imports = exports ? intensity.Total(iso3, TradeFlow::kImport)
                                             : intensity.Total(options.focal, TradeFlow::kImport);
  if (!(origin_total > 0.0) || !(destination_imports > 0.0)) {
    *reason = "no " + c + " trade for the trade intensity in " + std::to_string(year) + " in " +
              trade.report.file;
    return std::nullopt;
  }
  p.trade_intensity = (bilateral / origin_total) / (destination_imports / intensity.world_imports);
  p.advanced = sources.advanced->IsAdvanced(iso3, year) ? 1.0 : 0.0;
  for (std::size_t k = 0; k < 6; ++k) {
    const auto value = (*sources.wgi)[k].Get(iso3, year);
    if (!value) {
      *reason = std::string("no WGI ") + kWgiDimensions[k] + " estimate for " +
                std::to_string(year) + " in " + (*sources.wgi)[k].source +
                UnresolvedHint(sources.wgi_report);
      return std::nullopt;
    }
    p.wgi[k] = *value;
  }
  return p;
}

void CheckSources(const CovariateSources& sources) {
  if (sources.trade == nullptr || sources.gdp_per_capita == nullptr || sources.wgi == nullptr ||
      sources.memberships == nullptr || sources.advanced == nullptr) {
    throw OptionsError(
        "covariates need trade, GDP per capita, WGI, membership and classification data");
  }
}

}  // namespace

CovariateResult BuildCovariates(const CovariateSources& sources, const CovariateOptions& options) {
  if (const auto problem = options.Validate()) throw *problem;
  CheckSources(sources);
  const TradeData& trade = *sources.trade;
  const int year = options.year;
  const bool exports = options.direction == TradeDirection::kExport;

  // Dependence of the focal country on each partner.
  const LabelledMatrix flows =
      BuildFlowMatrix(trade, options.commodity, year, options.reconciliation);
  const auto focal_at = std::find(flows.labels.begin(), flows.labels.end(), options.focal);
  if (focal_at == flows.labels.end()) {
    throw DataError(trade.report.file + ": the focal economy " + options.focal +
                    " has no flows of " + options.commodity + " in " + std::to_string(year));
  }
  const auto focal = static_cast<Eigen::Index>(focal_at - flows.labels.begin());
  DependenceOptions dependence_options;
  dependence_options.partners = options.partners;
  const DependenceResult dependence = ComputeTradeDependence(flows, dependence_options);
  const IntensityContext intensity = MakeIntensityContext(trade, options, year);
  const double world_imports = intensity.world_imports;
  auto total_flow = [&](const std::string& from, const std::string& to) {
    return intensity.Flow(from, to);
  };

  CovariateResult result;
  result.options = options;
  for (Eigen::Index j = 0; j < flows.size(); ++j) {
    if (j == focal) continue;
    const double flow = exports ? flows.values(focal, j) : flows.values(j, focal);
    if (!(flow > 0.0)) continue;
    const std::string& iso3 = flows.labels[static_cast<std::size_t>(j)];
    auto drop = [&](const std::string& reason) {
      if (!options.drop_incomplete) {
        // The hint names the option by field: the front end spells it
        // (--drop-incomplete on the command line, drop_incomplete in a manifest).
        throw DataError("partner " + iso3 + " of " + options.focal + " (" + options.commodity +
                            " " + ToString(options.direction) + " " + std::to_string(year) + "): " +
                            reason + "; fix the data, or drop such partners with a report (",
                        "drop_incomplete", ")");
      }
      result.dropped.push_back({iso3, reason});
    };
    const double dependence_on_j = exports ? dependence.export_dependence.values(focal, j)
                                           : dependence.import_dependence.values(focal, j);
    if (!IsObserved(dependence_on_j)) {
      drop("dependence undefined (a zero concentration in its denominator)");
      continue;
    }
    std::string reason;
    std::string td_fallback;
    auto attributes = AttributesOf(iso3, year, intensity, sources, options, &reason, &td_fallback);
    if (!attributes) {
      drop(reason);
      continue;
    }
    attributes->dependence = dependence_on_j;
    result.partners.push_back(*attributes);
    if (!td_fallback.empty()) result.td_fallbacks.push_back({iso3, year, td_fallback});
  }
  if (result.partners.size() < 3) {
    throw DataError("only " + std::to_string(result.partners.size()) + " partners of " +
                    options.focal + " in " + options.commodity + " " + ToString(options.direction) +
                    " " + std::to_string(year) +
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
  result.explanatory = NodeAttributeMatrices(labels, m, g, td, e, wgi, options.difference);
  result.definitions = MatrixDefinitions(options);
  if (options.design == CovariateDesign::kA) {
    // Natively dyadic matrices among the partners.
    const auto n = static_cast<Eigen::Index>(labels.size());
    auto index_in = [](const LabelledMatrix& matrix, const std::string& iso3) -> Eigen::Index {
      const auto at = std::find(matrix.labels.begin(), matrix.labels.end(), iso3);
      return at == matrix.labels.end() ? -1 : static_cast<Eigen::Index>(at - matrix.labels.begin());
    };
    const LabelledMatrix& among =
        exports ? dependence.export_dependence : dependence.import_dependence;
    std::vector<std::set<std::string>> member_of;
    for (const std::string& iso3 : labels)
      member_of.push_back(sources.memberships->MemberOf(iso3, year));
    // Design A is a network among the partners: with no flow between any two
    // of them Y or TD would be written as an all-zero matrix that says nothing
    // (and that `qap regress` refuses as constant). Refuse here, saying what
    // the data lack.
    std::size_t pairs_with_product_flow = 0;
    std::size_t pairs_with_intensity_flow = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < n; ++j) {
        if (i == j) continue;
        const std::string& a = labels[static_cast<std::size_t>(i)];
        const std::string& b = labels[static_cast<std::size_t>(j)];
        const Eigen::Index fa = index_in(flows, a);
        const Eigen::Index fb = index_in(flows, b);
        pairs_with_product_flow += fa >= 0 && fb >= 0 && flows.values(fa, fb) > 0.0 ? 1U : 0U;
        pairs_with_intensity_flow += total_flow(a, b) > 0.0 ? 1U : 0U;
      }
    }
    const std::size_t ordered_pairs = static_cast<std::size_t>(n) * static_cast<std::size_t>(n - 1);
    const std::string model =
        options.commodity + " " + ToString(options.direction) + " " + std::to_string(year);
    if (pairs_with_product_flow == 0) {
      throw DataError(trade.report.file + ": design A (" + model +
                      ") needs the product's flows among the " + std::to_string(n) +
                      " partners of " + options.focal + " for Y = " + (exports ? "E_ij" : "I_ij") +
                      ", but 0 of " + std::to_string(ordered_pairs) +
                      " ordered partner pairs have a flow record of " + options.commodity +
                      "; add the partners' trade with each other, or use design B");
    }
    if (pairs_with_intensity_flow == 0) {
      throw DataError(trade.report.file + ": design A (" + model + ") needs the partners' " +
                      intensity.commodity + " flows among each other for TD = TII_i->j, but 0 of " +
                      std::to_string(ordered_pairs) + " ordered partner pairs have a " +
                      intensity.commodity + " flow record in " + std::to_string(year) +
                      " (records with " + options.focal +
                      " or the World are no flow between two partners); add the partners' " +
                      intensity.commodity + " trade with each other, or use design B");
    }
    for (Eigen::Index i = 0; i < n; ++i) {
      const std::string& a = labels[static_cast<std::size_t>(i)];
      const double exports_total = intensity.Total(a, TradeFlow::kExport);
      // The diagonal as the definitions give it: c_ii = sum_o 1[i in o] = m_i;
      // E_ii and TII_{i->i} need trade of i with itself, which does not exist
      // (self-trade rows are left out when read), so they are missing. Only
      // the diagonal is missing: the regression reads it only with --diagonal.
      result.dependent.values(i, i) = std::nan("");
      result.explanatory[0].values(i, i) =
          static_cast<double>(member_of[static_cast<std::size_t>(i)].size());
      result.explanatory[2].values(i, i) = std::nan("");
      for (Eigen::Index j = 0; j < n; ++j) {
        if (i == j) continue;
        const std::string& b = labels[static_cast<std::size_t>(j)];
        result.dependent.values(i, j) = among.values(index_in(among, a), index_in(among, b));
        std::size_t shared = 0;
        for (const std::string& o : member_of[static_cast<std::size_t>(i)]) {
          shared += member_of[static_cast<std::size_t>(j)].contains(o) ? 1U : 0U;
        }
        result.explanatory[0].values(i, j) = static_cast<double>(shared);
        const double imports_total = intensity.Total(b, TradeFlow::kImport);
        result.explanatory[2].values(i, j) =
            exports_total > 0.0 && imports_total > 0.0
                ? (total_flow(a, b) / exports_total) / (imports_total / world_imports)
                : std::nan("");
      }
    }
    result.dependent.name = exports ? "E" : "I";
  }
  return result;
}

double GeometricMean(const std::vector<double>& values, GeometricZeros zeros) {
  double log_sum = 0.0;
  std::size_t count = 0;
  for (double v : values) {
    if (v < 0.0)
      throw DataError("a geometric mean needs non-negative values (got " + std::to_string(v) + ")");
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

CovariateResult BuildRobustnessCovariates(const CovariateSources& sources,
                                          const CovariateOptions& options,
                                          const RobustnessOptions& robustness) {
  if (options.design != CovariateDesign::kB)
    throw OptionsError("robustness variants are defined for design B only");
  if (robustness.years.empty())
    throw OptionsError("[robustness] years: at least one year is needed");
  const bool geometric =
      robustness.variant == RobustnessVariant::kR2 || robustness.variant == RobustnessVariant::kR4;
  const bool mean_first =
      robustness.variant == RobustnessVariant::kR1 || robustness.variant == RobustnessVariant::kR2;
  if (robustness.variant == RobustnessVariant::kR4 &&
      options.difference == DifferenceKind::kSigned) {
    // R2 stays defined (the geometric means are of non-negative attributes,
    // WGI shifted, and the signed difference comes after); R4's geometric mean
    // of x_it - x_jt is not, since one of each pair (i, j), (j, i) is negative.
    throw OptionsError(
        "robustness variant R4 (the geometric mean of each dyad over the years) is not defined "
        "with signed "
        "differences (difference = \"signed\"), whose dyads x_i - x_j are negative for one of each "
        "pair: use "
        "difference = \"abs\" with R4, or R1-R3 with signed differences");
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
      std::string td_fallback;
      auto a = AttributesOf(partner.iso3, year, intensity, sources, options, &reason, &td_fallback);
      // The main year's were listed by BuildCovariates.
      if (a && !td_fallback.empty() && year != options.year) {
        result.td_fallbacks.push_back({partner.iso3, year, td_fallback});
      }
      if (!a) {
        if (!options.drop_incomplete) {
          throw DataError("partner " + partner.iso3 + " of " + options.focal + " (" +
                          options.commodity + " " + ToString(options.direction) + ", robustness " +
                          ToString(robustness.variant) + "): " + reason +
                          "; fix the data, or drop such partners with a report (drop_incomplete)");
        }
        if (incomplete.insert(partner.iso3).second)
          result.dropped.push_back({partner.iso3, reason});
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
    throw DataError("only " + std::to_string(keep.size()) +
                    " partners have complete covariates in every year of T");
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
      g.push_back(
          summarise(series(i, [](const PartnerAttributes& a) { return a.gdp_per_capita; })));
      td.push_back(
          summarise(series(i, [](const PartnerAttributes& a) { return a.trade_intensity; })));
      e.push_back(summarise(series(i, [](const PartnerAttributes& a) { return a.advanced; })));
      for (std::size_t k = 0; k < 6; ++k) {
        wgi[i][k] =
            summarise(series(i, [k](const PartnerAttributes& a) { return a.wgi[k]; }), shift);
      }
    }
    // ECI: 1 - |e_i - e_j| on the averaged status (signed: e_i - e_j).
    explanatory = NodeAttributeMatrices(labels, m, g, td, e, wgi, options.difference);
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
      yearly.push_back(NodeAttributeMatrices(labels, m, g, td, e, wgi, options.difference));
    }
    for (std::size_t v = 0; v < yearly.front().size(); ++v) {
      LabelledMatrix combined = yearly.front()[v];
      for (Eigen::Index i = 0; i < combined.size(); ++i) {
        // The diagonal too: the mean of each year's diagonal (0 for a
        // difference, 1 for the absolute ECI) is the variant's own.
        for (Eigen::Index j = 0; j < combined.size(); ++j) {
          std::vector<double> values;
          for (std::size_t t = 0; t < years; ++t) values.push_back(yearly[t][v].values(i, j));
          combined.values(i, j) = summarise(values);
        }
      }
      explanatory.push_back(std::move(combined));
    }
  }
  result.dependent = DifferenceMatrix(options.direction == TradeDirection::kExport ? "REE" : "REI",
                                      labels, y, options.difference);
  result.explanatory = std::move(explanatory);
  result.definitions = MatrixDefinitions(options, &robustness.variant);
  std::vector<PartnerAttributes> kept;
  for (std::size_t i : keep) kept.push_back(result.partners[i]);
  result.partners = std::move(kept);
  std::erase_if(result.td_fallbacks,
                [&](const TradeIntensityFallback& f) { return incomplete.contains(f.iso3); });
  return result;
}

std::vector<std::pair<std::string, std::string>> MatrixDefinitions(
    const CovariateOptions& options, const RobustnessVariant* variant) {
  const bool exports = options.direction == TradeDirection::kExport;
  const bool signed_kind = options.difference == DifferenceKind::kSigned;
  const bool design_a = options.design == CovariateDesign::kA;
  auto f = [&](const std::string& x) {
    return (signed_kind ? x + "_i - " + x + "_j" : "|" + x + "_i - " + x + "_j|") + ", diagonal 0";
  };
  // How a robustness variant combines the years (docs/study-method.md §5).
  std::string over_years;
  if (variant != nullptr) {
    switch (*variant) {
      case RobustnessVariant::kR1:
        over_years = "R1: attributes averaged over the years (arithmetic), then ";
        break;
      case RobustnessVariant::kR2:
        over_years = "R2: attributes averaged over the years (geometric), then ";
        break;
      case RobustnessVariant::kR3:
        over_years = "R3: arithmetic mean over the years of ";
        break;
      case RobustnessVariant::kR4:
        over_years = "R4: geometric mean over the years of ";
        break;
    }
  }
  const std::string td_flows =
      options.trade_intensity_on_product ? options.commodity : std::string("TOTAL");
  std::vector<std::pair<std::string, std::string>> out;
  if (design_a) {
    out.emplace_back(exports ? "E" : "I",
                     std::string(exports ? "E_ij" : "I_ij") +
                         " among the partners (directed); diagonal missing (no trade with itself)");
    out.emplace_back("TPR",
                     "c_ij = sum_o 1[i in o] 1[j in o] (co-memberships); diagonal c_ii = m_i");
  } else {
    out.emplace_back(exports ? "REE" : "REI", f("y") + ", y_j = " + (exports ? "E_" : "I_") +
                                                  options.focal + ",j (main year)");
    out.emplace_back("TPR", over_years + f("m") + ", m_j = memberships");
  }
  out.emplace_back("PGDP", over_years + f("g") + ", g_j = " + (options.log_gdp ? "log " : "") +
                               "GDP per capita");
  if (design_a) {
    out.emplace_back("TD", "TII_i->j = (X_ij / X_i) / (M_j / M_W) on " + td_flows +
                               " flows (directed); diagonal missing (no trade with itself)");
  } else {
    // Import models name the report of the numerator X_j,focal (td_flow).
    out.emplace_back(
        "TD", over_years + f("td") + ", td_j = " +
                  (exports ? "TII_" + options.focal + "->j" : "TII_j->" + options.focal) + " on " +
                  td_flows + " flows" +
                  (exports ? std::string()
                           : ", X_j," + options.focal + " from the " +
                                 ToString(options.trade_intensity_flow)));
  }
  const bool averaged_status = variant != nullptr && (*variant == RobustnessVariant::kR1 ||
                                                      *variant == RobustnessVariant::kR2);
  out.emplace_back(
      "ECI",
      over_years +
          (signed_kind       ? std::string("e_i - e_j (signed), diagonal 0")
           : averaged_status ? std::string("1 - |e_i - e_j| on the averaged status, diagonal 1")
                             : std::string("1[e_i = e_j] = 1 - |e_i - e_j|, diagonal 1")) +
          ", e_j = 1 for an IMF advanced economy");
  out.emplace_back(
      "WGI", over_years +
                 (signed_kind ? std::string("(1/K') sum_k (I_ik - I_jk) / range_k (signed)")
                              : std::string("(1/K') sum_k |I_ik - I_jk| / range_k")) +
                 " over the K' dimensions with a positive range over the partners, diagonal 0");
  return out;
}

}  // namespace qap
