// Which cells of an n x n matrix are observations (dyads), and how a matrix
// is read out as a vector of dyads, optionally under a node permutation.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "qap/labelled_matrix.hpp"

namespace qap {

enum class DyadMode {
  kDirected,    // all ordered pairs (i, j), i != j: n(n-1) dyads
  kUndirected,  // lower triangle i > j: n(n-1)/2 dyads, as sna's mode = "graph"
};

struct DyadOptions {
  DyadMode mode = DyadMode::kDirected;
  bool include_diagonal = false;  // add the n cells (i, i)
};

// Node permutation: the permuted matrix is M*[i][j] = M[p[i]][p[j]]
// (R's M[p, p]), indices 0-based.
using Permutation = std::vector<std::uint32_t>;

class DyadIndex {
 public:
  DyadIndex(Eigen::Index nodes, DyadOptions options);

  [[nodiscard]] Eigen::Index nodes() const noexcept { return nodes_; }
  [[nodiscard]] Eigen::Index size() const noexcept { return static_cast<Eigen::Index>(rows_.size()); }
  [[nodiscard]] const DyadOptions& options() const noexcept { return options_; }
  [[nodiscard]] std::uint32_t row(Eigen::Index dyad) const { return rows_[static_cast<std::size_t>(dyad)]; }
  [[nodiscard]] std::uint32_t column(Eigen::Index dyad) const { return columns_[static_cast<std::size_t>(dyad)]; }

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
  std::vector<std::uint32_t> rows_;
  std::vector<std::uint32_t> columns_;
};

// For undirected analyses: throws DataError naming the first cell where m is
// not symmetric (values or missingness), since the upper triangle is read
// whenever a permutation maps a lower cell onto it.
void RequireSymmetric(const LabelledMatrix& m);

}  // namespace qap
