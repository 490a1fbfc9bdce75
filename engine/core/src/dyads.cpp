#include "qap/core/dyads.hpp"

#include <algorithm>
#include <cmath>

#include "qap/core/errors.hpp"
#include "qap/core/numeric.hpp"

namespace qap {

DyadIndex::DyadIndex(Eigen::Index nodes, DyadOptions options)
    : nodes_(nodes),
      options_(options),
      size_(static_cast<Eigen::Index>(first_dyad(static_cast<std::uint32_t>(nodes)))) {}

std::size_t DyadIndex::first_dyad(std::uint32_t row) const noexcept {
  const auto i = static_cast<std::size_t>(row);
  const auto n = static_cast<std::size_t>(nodes_);
  if (options_.mode == DyadMode::kDirected) return i * (options_.include_diagonal ? n : n - 1);
  return options_.include_diagonal ? i * (i + 1) / 2 : i * (i - (i > 0 ? 1 : 0)) / 2;
}

std::uint32_t DyadIndex::row(Eigen::Index dyad) const {
  // The last row whose first dyad is at or before `dyad`.
  std::uint32_t low = 0;
  auto high = static_cast<std::uint32_t>(nodes_);
  const auto target = static_cast<std::size_t>(dyad);
  while (high - low > 1) {
    const std::uint32_t middle = low + (high - low) / 2;
    if (first_dyad(middle) <= target) {
      low = middle;
    } else {
      high = middle;
    }
  }
  // Rows without dyads (row 0 of an undirected index without diagonal) share
  // their first dyad with the next row.
  while (low + 1 < static_cast<std::uint32_t>(nodes_) && first_dyad(low + 1) <= target) ++low;
  return low;
}

std::uint32_t DyadIndex::column(Eigen::Index dyad) const {
  const std::uint32_t i = row(dyad);
  const auto offset = static_cast<std::uint32_t>(static_cast<std::size_t>(dyad) - first_dyad(i));
  return offset >= skipped_column(i) ? offset + 1 : offset;
}

void DyadIndex::Gather(const DyadMatrix& m, Eigen::Ref<Eigen::VectorXd> out) const {
  ForEachDyad([&](Eigen::Index d, std::uint32_t i, std::uint32_t j) { out[d] = m(i, j); });
}

void DyadIndex::GatherPermuted(const DyadMatrix& m, std::span<const std::uint32_t> p,
                               Eigen::Ref<Eigen::VectorXd> out) const {
  ForEachDyad([&](Eigen::Index d, std::uint32_t i, std::uint32_t j) { out[d] = m(p[i], p[j]); });
}

DyadMatrix DyadIndex::Scatter(const Eigen::VectorXd& v) const {
  DyadMatrix m = DyadMatrix::Constant(nodes_, nodes_, kNaN);
  const bool mirror = options_.mode == DyadMode::kUndirected;
  ForEachDyad([&](Eigen::Index d, std::uint32_t i, std::uint32_t j) {
    m(i, j) = v[d];
    if (mirror) m(j, i) = v[d];
  });
  return m;
}

void RequireSymmetric(const LabelledMatrix& m) {
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    for (Eigen::Index j = 0; j < i; ++j) {
      const double lower = m.values(i, j);
      const double upper = m.values(j, i);
      // A relative tolerance forgives writers that round the two triangles differently.
      const bool same =
          IsObserved(lower)
              ? (IsObserved(upper) &&
                 std::abs(lower - upper) <= 1e-9 * std::max(std::abs(lower), std::abs(upper)))
              : !IsObserved(upper);
      if (!same) {
        const auto& labels = m.labels;
        throw DataError(m.source + ": --undirected needs symmetric matrices, but cell (\"" +
                        labels[static_cast<std::size_t>(i)] + "\", \"" +
                        labels[static_cast<std::size_t>(j)] + "\") differs from cell (\"" +
                        labels[static_cast<std::size_t>(j)] + "\", \"" +
                        labels[static_cast<std::size_t>(i)] + "\")");
      }
    }
  }
}

}  // namespace qap
