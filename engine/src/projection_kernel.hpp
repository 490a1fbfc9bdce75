// The inner loop of every fast permutation null: gather permuted matrices
// into dyad vectors and project them on a fixed basis in one matrix product.
//
// For permutation p and matrices M_1..M_J it computes
//   S_p = A' [M_1(p) ... M_J(p)],   A: N x c (dyads x basis columns),
// where M_j(p) is the dyad vector of M_j[p, p]. Dyads are processed in chunks
// of whole matrix rows so the gathered block stays in cache, several
// permutations share one pass over A, and each chunk is one GEMM (Eigen), so
// the arithmetic runs at matrix-multiply speed. No allocation happens per
// permutation once a Workspace has grown to its working size.
#pragma once

#include <Eigen/Core>
#include <span>
#include <vector>

#include "qap/dyads.hpp"
#include "qap/labelled_matrix.hpp"

namespace qap::detail {

class ProjectionKernel {
 public:
  // Permutations projected together (one pass over A).
  static constexpr std::size_t kPermutationsPerPass = 8;

  struct Workspace {
    Eigen::MatrixXd gathered;   // chunk dyads x (J * permutations in the pass)
    Eigen::MatrixXd projected;  // c x (J * permutations in the pass)
  };

  // `basis` (N x c) and `matrices` must outlive the kernel.
  ProjectionKernel(const DyadIndex& dyads, const Eigen::MatrixXd& basis,
                   std::vector<const DyadMatrix*> matrices);

  [[nodiscard]] std::size_t matrix_count() const noexcept { return matrices_.size(); }
  [[nodiscard]] Eigen::Index basis_columns() const noexcept { return basis_.cols(); }

  // out: c x (J * permutations.size()); column b * J + j is A' M_j(permutations[b]).
  void Project(std::span<const Permutation> permutations, Eigen::MatrixXd& out, Workspace& workspace) const;

 private:
  struct Chunk {
    std::uint32_t first_row;
    std::uint32_t end_row;
    Eigen::Index first_dyad;
    Eigen::Index dyad_count;
  };
  void ProjectPass(std::span<const Permutation> permutations, Eigen::Ref<Eigen::MatrixXd> out,
                   Workspace& workspace) const;

  const DyadIndex& dyads_;
  const Eigen::MatrixXd& basis_;
  std::vector<const DyadMatrix*> matrices_;
  std::vector<Eigen::Index> row_start_;  // dyads of row i: [row_start_[i], row_start_[i + 1])
  std::vector<Chunk> chunks_;
};

}  // namespace qap::detail
