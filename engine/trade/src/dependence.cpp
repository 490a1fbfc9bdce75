#include "qap/trade/dependence.hpp"

#include <cmath>

#include "qap/core/errors.hpp"
#include "qap/core/numeric.hpp"

namespace qap {

namespace {

LabelledMatrix EmptyLike(const LabelledMatrix& flows, const std::string& name) {
  LabelledMatrix m;
  m.name = name;
  m.source = flows.source;
  m.labels = flows.labels;
  m.values = DyadMatrix::Constant(flows.size(), flows.size(), kNaN);
  return m;
}

}  // namespace

double NormalisedConcentration(double herfindahl, double partners) {
  if (partners <= 1.0) return 1.0;
  const double floor = std::sqrt(1.0 / partners);
  return (std::sqrt(herfindahl) - floor) / (1.0 - floor);
}

DependenceResult ComputeTradeDependence(const LabelledMatrix& flows,
                                        const DependenceOptions& options) {
  const Eigen::Index n = flows.size();
  for (Eigen::Index a = 0; a < n; ++a) {
    for (Eigen::Index b = 0; b < n; ++b) {
      const double f = flows.values(a, b);
      const std::string cell = "(exporter \"" + flows.labels[static_cast<std::size_t>(a)] +
                               "\", importer \"" + flows.labels[static_cast<std::size_t>(b)] +
                               "\")";
      if (!IsObserved(f) && a != b) {
        throw DataError(flows.source + ": flow " + cell +
                        " is missing; trade flows must be 0 or positive (write 0 for no trade)");
      }
      if (IsObserved(f) && f < 0.0) {
        throw DataError(flows.source + ": flow " + cell + " is negative (" + std::to_string(f) +
                        ")");
      }
    }
  }
  DependenceResult r;
  r.options = options;
  r.labels = flows.labels;
  // F with the diagonal removed (self-trade is not trade).
  DyadMatrix f = flows.values;
  for (Eigen::Index a = 0; a < n; ++a) f(a, a) = 0.0;
  r.exports = f.rowwise().sum();
  r.imports = f.colwise().sum().transpose();
  for (Eigen::Index a = 0; a < n; ++a) r.universe += (r.exports[a] + r.imports[a] > 0.0) ? 1 : 0;
  const double all_partners = static_cast<double>(r.universe - 1);

  r.export_herfindahl = Eigen::VectorXd::Constant(n, kNaN);
  r.import_herfindahl = Eigen::VectorXd::Constant(n, kNaN);
  r.export_concentration = Eigen::VectorXd::Constant(n, kNaN);
  r.import_concentration = Eigen::VectorXd::Constant(n, kNaN);
  for (Eigen::Index a = 0; a < n; ++a) {
    if (r.exports[a] > 0.0) {
      const auto shares = f.row(a).array() / r.exports[a];
      r.export_herfindahl[a] = shares.square().sum();
      const double active = static_cast<double>((f.row(a).array() > 0.0).count());
      r.export_concentration[a] = NormalisedConcentration(
          r.export_herfindahl[a],
          options.partners == PartnerCount::kAllPotential ? all_partners : active);
    }
    if (r.imports[a] > 0.0) {
      const auto shares = f.col(a).array() / r.imports[a];
      r.import_herfindahl[a] = shares.square().sum();
      const double active = static_cast<double>((f.col(a).array() > 0.0).count());
      r.import_concentration[a] = NormalisedConcentration(
          r.import_herfindahl[a],
          options.partners == PartnerCount::kAllPotential ? all_partners : active);
    }
  }

  r.export_dependence = EmptyLike(flows, "E");
  r.import_dependence = EmptyLike(flows, "I");
  r.total_dependence = EmptyLike(flows, "DT");
  const auto& cx = r.export_concentration;
  const auto& cm = r.import_concentration;
  auto label = [&](Eigen::Index i) {
    return "\"" + flows.labels[static_cast<std::size_t>(i)] + "\"";
  };
  for (Eigen::Index a = 0; a < n; ++a) {
    for (Eigen::Index b = 0; b < n; ++b) {
      if (a == b) continue;
      // Export dependence of a on b (rules 1, 4, 5).
      double e = 0.0;
      if (f(a, b) > 0.0) {
        const double share = f(a, b) / r.exports[a];
        const double numerator = share * share * cx[a];
        if (cm[b] > 0.0) {
          e = numerator / cm[b];
        } else if (numerator > 0.0) {
          e = kNaN;
          ++r.undefined_export;
          r.undefined_cells.push_back("E " + label(a) + " on " + label(b) +
                                      ": import concentration of " + label(b) + " is 0");
        }
      }
      // Import dependence of a on b.
      double i = 0.0;
      if (f(b, a) > 0.0) {
        const double share = f(b, a) / r.imports[a];
        const double numerator = share * share * cm[a];
        if (cx[b] > 0.0) {
          i = numerator / cx[b];
        } else if (numerator > 0.0) {
          i = kNaN;
          ++r.undefined_import;
          r.undefined_cells.push_back("I " + label(a) + " on " + label(b) +
                                      ": export concentration of " + label(b) + " is 0");
        }
      }
      r.export_dependence.values(a, b) = e;
      r.import_dependence.values(a, b) = i;
      r.total_dependence.values(a, b) = e + i;  // NaN if either is undefined
    }
  }
  return r;
}

std::vector<std::string> DependenceOutputNames() {
  return {"E.csv", "I.csv", "DT.csv", "concentration.csv", "report.json"};
}

}  // namespace qap
