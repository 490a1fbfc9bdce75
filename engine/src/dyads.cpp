#include "qap/dyads.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "qap/errors.hpp"

namespace qap {

DyadIndex::DyadIndex(Eigen::Index nodes, DyadOptions options) : nodes_(nodes), options_(options) {
  const auto n = static_cast<std::uint32_t>(nodes);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t end = options.mode == DyadMode::kDirected ? n : i + 1;
    for (std::uint32_t j = 0; j < end; ++j) {
      if (i == j && !options.include_diagonal) continue;
      rows_.push_back(i);
      columns_.push_back(j);
    }
  }
}

void DyadIndex::Gather(const DyadMatrix& m, Eigen::Ref<Eigen::VectorXd> out) const {
  for (std::size_t k = 0; k < rows_.size(); ++k) {
    out[static_cast<Eigen::Index>(k)] = m(rows_[k], columns_[k]);
  }
}

void DyadIndex::GatherPermuted(const DyadMatrix& m, std::span<const std::uint32_t> p,
                               Eigen::Ref<Eigen::VectorXd> out) const {
  for (std::size_t k = 0; k < rows_.size(); ++k) {
    out[static_cast<Eigen::Index>(k)] = m(p[rows_[k]], p[columns_[k]]);
  }
}

DyadMatrix DyadIndex::Scatter(const Eigen::VectorXd& v) const {
  DyadMatrix m = DyadMatrix::Constant(nodes_, nodes_, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t k = 0; k < rows_.size(); ++k) {
    m(rows_[k], columns_[k]) = v[static_cast<Eigen::Index>(k)];
    if (options_.mode == DyadMode::kUndirected) m(columns_[k], rows_[k]) = v[static_cast<Eigen::Index>(k)];
  }
  return m;
}

void RequireSymmetric(const LabelledMatrix& m) {
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    for (Eigen::Index j = 0; j < i; ++j) {
      const double lower = m.values(i, j);
      const double upper = m.values(j, i);
      // A relative tolerance forgives writers that round the two triangles differently.
      const bool same = IsObserved(lower)
                            ? (IsObserved(upper) &&
                               std::abs(lower - upper) <= 1e-9 * std::max(std::abs(lower), std::abs(upper)))
                            : !IsObserved(upper);
      if (!same) {
        const auto& labels = m.labels;
        throw DataError(m.source + ": --undirected needs symmetric matrices, but cell (\"" +
                        labels[static_cast<std::size_t>(i)] + "\", \"" + labels[static_cast<std::size_t>(j)] +
                        "\") differs from cell (\"" + labels[static_cast<std::size_t>(j)] + "\", \"" +
                        labels[static_cast<std::size_t>(i)] + "\")");
      }
    }
  }
}

}  // namespace qap
