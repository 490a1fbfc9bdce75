// The inner loop of every fast permutation null: gather permuted matrices
// into dyad vectors and project them on a fixed basis.
//
// For permutation p and matrices M_1..M_J it computes
//   S_p = A' [M_1(p) ... M_J(p)],   A: N x c (dyads x basis columns),
// where M_j(p) is the dyad vector of M_j[p, p]. The loop is fused: no
// permuted vector is ever written out. Dyads are taken in chunks of about 512
// whose basis rows (padded to 8 doubles, one AVX-512 register) stay in L1
// while a pass of 8 permutations runs over them; each dyad's permuted offset
// is computed once and serves up to 4 matrices, whose accumulators live in
// registers. So each (dyad, matrix, permutation) costs one load and one
// vector FMA. No allocation happens once a Workspace has its working size.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

#include "qap/dyads.hpp"
#include "qap/labelled_matrix.hpp"

namespace qap::detail {

class ProjectionKernel {
 public:
  // Permutations that share one pass over the basis.
  static constexpr std::size_t kPermutationsPerPass = 8;

  struct Workspace {
    std::vector<std::uint32_t> offsets;  // permuted cell offsets of one chunk
    std::vector<double> sums;            // padded accumulators of a pass
  };

  using BasisView = Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0,
                               Eigen::OuterStride<>>;

  // A kernel for `basis_columns` columns, all zero: fill them through basis().
  ProjectionKernel(const DyadIndex& dyads, Eigen::Index basis_columns);

  // The basis (N x c), written in place so no second copy of it ever exists.
  BasisView basis();
  // The matrices to permute; they must outlive the kernel.
  void SetMatrices(std::vector<const DyadMatrix*> matrices);

  [[nodiscard]] std::size_t matrix_count() const noexcept { return matrices_.size(); }

  // out: c x (J * permutations.size()); column b * J + j is A' M_j(permutations[b]).
  void Project(std::span<const Permutation> permutations, Eigen::MatrixXd& out, Workspace& workspace) const;

 private:
  struct Chunk {
    std::uint32_t first_row;
    std::uint32_t end_row;
    std::size_t first_dyad;
    std::size_t dyad_count;
  };
  template <std::size_t kWidth>
  void ProjectPass(std::span<const Permutation> permutations, Workspace& workspace) const;
  void ProjectPassAnyWidth(std::span<const Permutation> permutations, Workspace& workspace) const;
  void ComputeOffsets(const Chunk& chunk, const std::uint32_t* p, std::uint32_t* offsets) const;

  std::uint32_t nodes_;
  Eigen::Index basis_columns_;
  std::size_t padded_width_;                     // basis columns rounded up to a multiple of 8
  std::vector<double> basis_;                    // N x padded_width_, row-major, zero-padded
  std::vector<const double*> matrices_;
  std::vector<std::uint32_t> columns_;           // column of each dyad
  std::vector<std::size_t> row_start_;           // dyads of row i: [row_start_[i], row_start_[i + 1])
  std::vector<Chunk> chunks_;
  std::size_t largest_chunk_ = 0;
};

}  // namespace qap::detail
