// Trade dependence between economies from a bilateral flow matrix, eqs (1)-(7)
// of Liao & Han (2025), as specified in docs/study-method.md §1.
//
//   s_ab = F_ab / X_a (b's share of a's exports), q_ab = F_ba / M_a (b's share
//   of a's imports), HX_a = sum_k s_ak^2, HM_a = sum_k q_ak^2,
//   C(H; n) = (sqrt(H) - sqrt(1/n)) / (1 - sqrt(1/n)),
//   E_ab = s_ab^2 CX_a / CM_b,  I_ab = q_ab^2 CM_a / CX_b,  DT_ab = E_ab + I_ab.
//
// Where the printed paper is ambiguous this follows the readings of
// docs/study-method.md §1.3 (T1-T7): eq (2) divides by b's import concentration and
// eq (5) by b's export concentration. The rules of §1.4 are applied in this
// order: a zero share gives 0 even when a concentration is undefined; a
// positive numerator over a zero concentration is undefined (NA, counted,
// never Inf); a zero concentration in the numerator gives a legitimate 0;
// n = 1 gives C = 1.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "qap/core/enum_names.hpp"
#include "qap/core/labelled_matrix.hpp"

namespace qap {

// What n is in C(H; n) (docs/study-method.md §1.4).
enum class PartnerCount {
  kAllPotential,  // convention U (default): n = N - 1, every other economy in the universe
  kActive,        // convention P: n = partners with a positive flow in that direction
};
inline constexpr EnumName<PartnerCount> kPartnerCountNames[] = {
    {PartnerCount::kAllPotential, "all", "n = N - 1, every other economy"},
    {PartnerCount::kActive, "active", "n = partners with a positive flow"},
};
constexpr std::span<const EnumName<PartnerCount>> EnumTable(PartnerCount) {
  return kPartnerCountNames;
}

struct DependenceOptions {
  PartnerCount partners = PartnerCount::kAllPotential;
};

struct DependenceResult {
  DependenceOptions options;
  std::vector<std::string> labels;  // the economies, in the flow matrix's order
  Eigen::Index universe = 0;        // N: economies with any positive flow
  // Per economy (NaN where undefined: no exports for HX/CX, no imports for HM/CM).
  Eigen::VectorXd exports, imports;                            // X_a, M_a
  Eigen::VectorXd export_herfindahl, import_herfindahl;        // HX_a, HM_a
  Eigen::VectorXd export_concentration, import_concentration;  // CX_a, CM_a
  // Dyadic results, row depends on column; diagonal and undefined cells NaN.
  LabelledMatrix export_dependence;  // E
  LabelledMatrix import_dependence;  // I
  LabelledMatrix total_dependence;   // DT
  // Cells made NA by a zero concentration in a denominator (rule 4), with why.
  std::vector<std::string> undefined_cells;
  std::size_t undefined_export = 0;
  std::size_t undefined_import = 0;
};

// C(H; n), with C = 1 when n = 1 (rule 3). H must lie in (0, 1].
double NormalisedConcentration(double herfindahl, double partners);

// Throws DataError on a negative or missing flow (naming the cell).
DependenceResult ComputeTradeDependence(const LabelledMatrix& flows,
                                        const DependenceOptions& options);

// The files a dependence run writes into its folder, in order: E, I and DT
// (labelled matrices), the concentration indices, report.json. Fixed names,
// so a front end can declare them before any work is done.
std::vector<std::string> DependenceOutputNames();

}  // namespace qap
