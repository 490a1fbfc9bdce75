// Which cells of an n x n matrix are observations (dyads), and how a matrix
// is read out as a vector of dyads, optionally under a node permutation.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "qap/core/enum_names.hpp"
#include "qap/core/labelled_matrix.hpp"

namespace qap {

enum class DyadMode {
  kDirected,    // all ordered pairs (i, j), i != j: n(n-1) dyads
  kUndirected,  // lower triangle i > j: n(n-1)/2 dyads, as sna's mode = "graph"
};
inline constexpr EnumName<DyadMode> kDyadModeNames[] = {
    {DyadMode::kDirected, "directed", "all ordered pairs (i, j), i != j"},
    {DyadMode::kUndirected, "undirected", "the lower triangle i > j"},
};
constexpr std::span<const EnumName<DyadMode>> EnumTable(DyadMode) { return kDyadModeNames; }

struct DyadOptions {
  DyadMode mode = DyadMode::kDirected;
  bool include_diagonal = false;  // add the n cells (i, i)
  bool operator==(const DyadOptions&) const = default;
};

// Node permutation: the permuted matrix is M*[i][j] = M[p[i]][p[j]]
// (R's M[p, p]), indices 0-based.
using Permutation = std::vector<std::uint32_t>;

// The dyads in order: row by row, and within a row by column. Nothing is
// stored per dyad (at a million dyads a row and a column index each would be
// 8 MB): row i holds columns [0, column_end(i)) except skipped_column(i), and
// its dyads are numbered from first_dyad(i).
class DyadIndex {
 public:
  DyadIndex(Eigen::Index nodes, DyadOptions options);

  [[nodiscard]] Eigen::Index nodes() const noexcept { return nodes_; }
  [[nodiscard]] Eigen::Index size() const noexcept { return size_; }
  [[nodiscard]] const DyadOptions& options() const noexcept { return options_; }

  [[nodiscard]] std::uint32_t column_end(std::uint32_t row) const noexcept {
    return options_.mode == DyadMode::kDirected ? static_cast<std::uint32_t>(nodes_)
                                                : row + (options_.include_diagonal ? 1U : 0U);
  }
  // The diagonal cell of a row when it is not a dyad, else nodes() (no column skipped).
  [[nodiscard]] std::uint32_t skipped_column(std::uint32_t row) const noexcept {
    return options_.mode == DyadMode::kDirected && !options_.include_diagonal
               ? row
               : static_cast<std::uint32_t>(nodes_);
  }
  [[nodiscard]] std::size_t first_dyad(std::uint32_t row) const noexcept;

  // Row and column of one dyad (a search: for occasional use, not for loops).
  [[nodiscard]] std::uint32_t row(Eigen::Index dyad) const;
  [[nodiscard]] std::uint32_t column(Eigen::Index dyad) const;

  // f(dyad, row, column) for every dyad, in order.
  template <typename Function>
  void ForEachDyad(Function&& f) const {
    Eigen::Index dyad = 0;
    const auto n = static_cast<std::uint32_t>(nodes_);
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint32_t end = column_end(i);
      const std::uint32_t skip = skipped_column(i);
      for (std::uint32_t j = 0; j < end; ++j) {
        if (j != skip) f(dyad++, i, j);
      }
    }
  }

  // out[k] = m(row_k, col_k).
  void Gather(const DyadMatrix& m, Eigen::Ref<Eigen::VectorXd> out) const;
  // out[k] = m(p[row_k], p[col_k]).
  void GatherPermuted(const DyadMatrix& m, std::span<const std::uint32_t> p,
                      Eigen::Ref<Eigen::VectorXd> out) const;
  // Inverse of Gather: a matrix holding v at the dyads and NaN elsewhere;
  // in undirected mode the upper triangle mirrors the lower one.
  [[nodiscard]] DyadMatrix Scatter(const Eigen::VectorXd& v) const;

 private:
  Eigen::Index nodes_;
  DyadOptions options_;
  Eigen::Index size_;
};

// For undirected analyses: throws DataError naming the first cell where m is
// not symmetric (values or missingness), since the upper triangle is read
// whenever a permutation maps a lower cell onto it.
void RequireSymmetric(const LabelledMatrix& m);

}  // namespace qap
