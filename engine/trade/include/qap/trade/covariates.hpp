// The study's dependent and explanatory matrices, design B of
// docs/study-method.md §3 (the default there): nodes are the focal country's
// partners in one product and direction; each matrix is built from node
// attributes, X_ij = f(x_i, x_j).
//
//   REE / REI  y_j = E_{focal,j} (export) or I_{focal,j} (import), eqs (2'), (5')
//   TPR        m_j = memberships on 31 December of the year (WTO, APEC, OECD,
//              G20, RCEP, CPTPP as listed in the memberships file)
//   PGDP       g_j = GDP per capita, current USD (WDI; other sources fill gaps)
//   TD         trade intensity: export models
//              TII_{focal->j} = (X_{focal,j} / X_focal) / (M_j / M_W);
//              import models TII_{j->focal} = (X_{j,focal} / X_j) / (M_focal / M_W);
//              on total trade (World records) or on the product (sums over its
//              reconciled flow matrix); the import numerator from the report
//              td_flow names (TradeIntensityFlow)
//   ECI        1[e_i = e_j] = 1 - |e_i - e_j|, e_j = IMF advanced economy in
//              that year; signed: e_i - e_j
//   WGI        (1/6) sum_k |I_ik - I_jk| / (max_V I_k - min_V I_k) over the six
//              dimensions (a dimension with zero range over V is skipped);
//              signed: the same sum over I_ik - I_jk
// with f(a, b) = |a - b| (default) or a - b (signed). Signed differences apply
// to every matrix built from node attributes, ECI and WGI included: a
// symmetric ECI or WGI beside an antisymmetric Y would have a coefficient of
// exactly zero (docs/method.md). Diagonals are what each definition gives for
// i = j (ECI 1 under abs; 0 for every difference). A partner lacking an
// attribute is an error naming it; with drop_incomplete it is dropped and
// reported instead (docs/study-method.md §3.1: "keep only partners with complete
// covariates").
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qap/core/enum_names.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/labelled_matrix.hpp"
#include "qap/trade/attributes.hpp"
#include "qap/trade/dependence.hpp"
#include "qap/trade/trade_data.hpp"

namespace qap {

// The study's explanatory matrices, in the order BuildCovariates returns them:
// the manifest's ready-made matrix files, the study tables and the forest plot
// all list them in this order.
inline constexpr std::array<const char*, 5> kStudyCovariateNames = {"TPR", "PGDP", "TD", "ECI",
                                                                    "WGI"};

enum class TradeDirection { kExport, kImport };
inline constexpr EnumName<TradeDirection> kTradeDirectionNames[] = {
    {TradeDirection::kExport, "export", "the focal economy's exports (REE)"},
    {TradeDirection::kImport, "import", "the focal economy's imports (REI)"},
};
constexpr std::span<const EnumName<TradeDirection>> EnumTable(TradeDirection) {
  return kTradeDirectionNames;
}

// docs/study-method.md §3.1. B: symmetric difference matrices from node attributes
// (default). A: a directed relational network among the partners: Y is the
// partners' own dependence on each other (E_ij or I_ij), TPR the co-membership
// count sum_o 1[i in o] 1[j in o], TD the directed trade intensity
// TII_{i->j} = (X_ij / X_i) / (M_j / M_W); PGDP, ECI and WGI as in B. On the
// diagonal TPR is c_ii = m_i, while Y and TD are missing (NaN): without self
// trade E_ii and TII_{i->i} are undefined. Design A needs flows among the
// partners: without a single TOTAL flow between two partners (or product flow,
// for Y) it is refused rather than written as an all-zero matrix.
enum class CovariateDesign { kB, kA };
inline constexpr EnumName<CovariateDesign> kCovariateDesignNames[] = {
    {CovariateDesign::kB, "B", "difference matrices from node attributes"},
    {CovariateDesign::kA, "A", "a directed network among the partners"},
};
constexpr std::span<const EnumName<CovariateDesign>> EnumTable(CovariateDesign) {
  return kCovariateDesignNames;
}
enum class DifferenceKind { kAbsolute, kSigned };
inline constexpr EnumName<DifferenceKind> kDifferenceKindNames[] = {
    {DifferenceKind::kAbsolute, "abs", "|x_i - x_j|"},
    {DifferenceKind::kSigned, "signed", "x_i - x_j"},
};
constexpr std::span<const EnumName<DifferenceKind>> EnumTable(DifferenceKind) {
  return kDifferenceKindNames;
}

// Which report of the flow j -> focal is the numerator X_{j,focal} of the
// import-model trade intensity (design B). Comtrade holds two: the focal
// economy's import record (valued CIF) and j's own export record (FOB). When
// the chosen report is missing the other one is used and the partner is
// listed in CovariateResult::td_fallbacks; with neither the flow is 0 (no
// recorded trade, TII 0). It applies whatever the reconciliation, and not to
// export models, design A or the dependence measure (docs/method.md).
enum class TradeIntensityFlow {
  kFocalReport,  // "focal-report": the focal's import record (default; the reconciled matrix's own
                 // choice)
  kPartnerReport,  // "partner-report": j's export record, the same reporter as its World exports
                   // X_j
};
inline constexpr EnumName<TradeIntensityFlow> kTradeIntensityFlowNames[] = {
    {TradeIntensityFlow::kFocalReport, "focal-report", "the focal economy's import record"},
    {TradeIntensityFlow::kPartnerReport, "partner-report", "the partner's export record"},
};
constexpr std::span<const EnumName<TradeIntensityFlow>> EnumTable(TradeIntensityFlow) {
  return kTradeIntensityFlowNames;
}

struct CovariateSources {
  const TradeData* trade = nullptr;  // the product's flows and TOTAL flows
  const AttributeTable* gdp_per_capita = nullptr;
  const WgiTables* wgi = nullptr;
  const MembershipTable* memberships = nullptr;
  const AdvancedEconomies* advanced = nullptr;
  // How the GDP and WGI files were read (optional). A partner missing from a
  // file that also held economies the country table could not resolve is
  // dropped with those economies named, since one of them may be the partner.
  const AttributeReadReport* gdp_report = nullptr;
  const AttributeReadReport* wgi_report = nullptr;
};

struct CovariateOptions {
  CovariateDesign design = CovariateDesign::kB;
  std::string focal = "CHN";
  std::string commodity;
  TradeDirection direction = TradeDirection::kExport;
  int year = 2023;
  PartnerCount partners = PartnerCount::kAllPotential;
  Reconciliation reconciliation = Reconciliation::kImporterFirst;
  DifferenceKind difference = DifferenceKind::kAbsolute;
  bool log_gdp = false;  // PGDP from log GDP per capita
  // Trade intensity on total trade (TOTAL records, default) or on the product's own flows.
  bool trade_intensity_on_product = false;
  // Which report enters the import-model TII numerator (td_flow).
  TradeIntensityFlow trade_intensity_flow = TradeIntensityFlow::kFocalReport;
  // A partner lacking an attribute stops the run (DataError naming it, the
  // attribute and the file) unless this is set; then it is dropped and reported.
  bool drop_incomplete = false;
  // Empty when valid; otherwise the error, naming the option by its field.
  [[nodiscard]] std::optional<OptionsError> Validate() const;
};

struct PartnerAttributes {
  std::string iso3;
  double dependence = 0.0;
  double memberships = 0.0;
  double gdp_per_capita = 0.0;
  double trade_intensity = 0.0;
  double advanced = 0.0;
  std::array<double, 6> wgi{};
};

struct DroppedPartner {
  std::string iso3;
  std::string reason;
};

// A partner whose import-model TII numerator came from the other report
// because the one td_flow chose was not filed.
struct TradeIntensityFallback {
  std::string iso3;
  int year = 0;
  std::string note;  // which record was missing and which was used
};

struct CovariateResult {
  CovariateOptions options;
  std::vector<PartnerAttributes> partners;  // the node set V, in ISO3 order
  std::vector<DroppedPartner> dropped;
  std::vector<TradeIntensityFallback> td_fallbacks;  // kept partners only, every year built
  LabelledMatrix dependent;                          // REE or REI
  std::vector<LabelledMatrix> explanatory;           // TPR, PGDP, TD, ECI, WGI
  // Each matrix's name and the formula it was built with (dependent first,
  // then the explanatory ones in order), for report.json and the study's
  // provenance.
  std::vector<std::pair<std::string, std::string>> definitions;
};

// Robustness variants of docs/study-method.md §5: the explanatory matrices are
// rebuilt from attributes over the years T; Y stays the main year's.
enum class RobustnessVariant {
  kR1,  // mean -> difference, arithmetic: X_ij = f(mean_t x_it, mean_t x_jt)
  kR2,  // mean -> difference, geometric
  kR3,  // difference -> mean, arithmetic: X_ij = mean_t f(x_it, x_jt)
  kR4,  // difference -> mean, geometric
};
inline constexpr EnumName<RobustnessVariant> kRobustnessVariantNames[] = {
    {RobustnessVariant::kR1, "R1", "mean, then difference; arithmetic"},
    {RobustnessVariant::kR2, "R2", "mean, then difference; geometric"},
    {RobustnessVariant::kR3, "R3", "difference, then mean; arithmetic"},
    {RobustnessVariant::kR4, "R4", "difference, then mean; geometric"},
};
constexpr std::span<const EnumName<RobustnessVariant>> EnumTable(RobustnessVariant) {
  return kRobustnessVariantNames;
}

// Geometric means of data with zeros (docs/study-method.md §5).
enum class GeometricZeros {
  kExact,  // the exact definition: any zero makes the mean 0 (default)
  kLog1p,  // exp(mean log(1 + v)) - 1
  kDrop,   // over the positive values only
};
inline constexpr EnumName<GeometricZeros> kGeometricZerosNames[] = {
    {GeometricZeros::kExact, "exact", "any zero makes the mean 0"},
    {GeometricZeros::kLog1p, "log1p", "exp(mean log(1 + v)) - 1"},
    {GeometricZeros::kDrop, "drop", "over the positive values only"},
};
constexpr std::span<const EnumName<GeometricZeros>> EnumTable(GeometricZeros) {
  return kGeometricZerosNames;
}

struct RobustnessOptions {
  RobustnessVariant variant = RobustnessVariant::kR1;
  std::vector<int> years;  // T
  GeometricZeros zeros = GeometricZeros::kExact;
};

// Throws OptionsError (bad options), DataError (focal country without flows,
// no TOTAL flows for the trade intensity, fewer than 3 partners left).
CovariateResult BuildCovariates(const CovariateSources& sources, const CovariateOptions& options);

// The main year's partners and Y, with TPR, PGDP, TD, ECI and WGI built by a
// robustness variant over `robustness.years` (design B only). ECI under R1/R2
// is 1 - |e_i - e_j| (signed: e_i - e_j) on the averaged status; WGI under
// R1/R2 uses the averaged dimensions and their range, under R3/R4 each year's
// own range; WGI estimates (which can be negative) are shifted by
// c = 1 - min over partners, years and dimensions before a geometric mean
// (G(v + c) - c). R4 with signed differences is an OptionsError: a geometric
// mean of dyads that are negative for one of each pair is not defined.
CovariateResult BuildRobustnessCovariates(const CovariateSources& sources,
                                          const CovariateOptions& options,
                                          const RobustnessOptions& robustness);

// The geometric mean of non-negative values under a zero policy; DataError on
// a negative value.
double GeometricMean(const std::vector<double>& values, GeometricZeros zeros);

// The dyad builders, exposed for tests: f over a node attribute; the status
// matrix, 1 - |s_i - s_j| (= 1[s_i = s_j] for 0/1 status, 1 on the diagonal)
// or signed s_i - s_j; the range-normalised WGI distance, absolute or signed.
LabelledMatrix DifferenceMatrix(const std::string& name, const std::vector<std::string>& labels,
                                const std::vector<double>& attribute, DifferenceKind kind);
LabelledMatrix SameStatusMatrix(const std::string& name, const std::vector<std::string>& labels,
                                const std::vector<double>& status,
                                DifferenceKind kind = DifferenceKind::kAbsolute);
LabelledMatrix GovernanceDistanceMatrix(const std::string& name,
                                        const std::vector<std::string>& labels,
                                        const std::vector<std::array<double, 6>>& dimensions,
                                        DifferenceKind kind = DifferenceKind::kAbsolute);

// What each matrix of a build holds, by name, for the options (and robustness
// variant, if any): e.g. "ECI" -> "1[e_i = e_j] = 1 - |e_i - e_j|, diagonal 1".
std::vector<std::pair<std::string, std::string>> MatrixDefinitions(
    const CovariateOptions& options, const RobustnessVariant* variant = nullptr);

}  // namespace qap
