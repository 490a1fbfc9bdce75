// The inner loop of every fast permutation null: gather permuted matrices
// into dyad vectors and project them on a fixed basis.
//
// For permutation p and matrices M_1..M_J it computes
//   S_p = A' [M_1(p) ... M_J(p)],   A: N x c (dyads x basis columns),
// where M_j(p) is the dyad vector of M_j[p, p] - mu_j (a shift per matrix,
// so raw input matrices can be projected as if centred without a centred
// copy of them: taken off afterwards as mu_j A'1, or in the loop when mu_j
// dwarfs the matrix's spread). The loop is fused: no permuted vector is
// ever written out.
// Dyads are taken in chunks of about 512 whose basis rows stay in L1 while a
// pass of 32 permutations runs over them; each dyad's permuted offset is
// computed once and serves up to 8 matrices, whose accumulators live in
// registers. So each (dyad, matrix, permutation) costs one load and one
// vector FMA over 8 (or 16) basis columns. Basis rows are stored
// unpadded, c doubles apart, and read with overlapping 8-wide loads whose
// extra lanes are ignored: the basis is the largest array of a run, and
// padding it to 8 columns would cost a third more memory at p = 5. No
// allocation happens once a Workspace has its working size.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

#include "qap/core/dyads.hpp"
#include "qap/core/labelled_matrix.hpp"

namespace qap::detail {

class ProjectionKernel {
 public:
  // Permutations that share one pass over the basis.
  static constexpr std::size_t kPermutationsPerPass = 32;

  struct Workspace {
    std::vector<std::uint32_t> offsets;  // permuted cell offsets of one chunk
    std::vector<double> sums;            // padded accumulators of a pass
  };

  // A kernel for `basis_columns` columns, all zero: fill them through
  // column_major_basis(), then call FinishBasis().
  ProjectionKernel(const DyadIndex& dyads, Eigen::Index basis_columns);

  // The basis storage seen as a column-major N x c matrix, for building and
  // factorising it with contiguous columns (Eigen's Householder steps copy a
  // strided column into an N-vector first; this way nothing is copied).
  Eigen::Map<Eigen::MatrixXd> column_major_basis();
  // Lays the basis out row by row, in place (cycle-following transposition),
  // as the kernel reads it. Call once, after filling column_major_basis().
  void FinishBasis();
  // The matrices to permute and the shift subtracted from each; they must
  // outlive the kernel.
  void SetMatrices(std::vector<const DyadMatrix*> matrices, std::vector<double> shifts);

  [[nodiscard]] std::size_t matrix_count() const noexcept { return matrices_.size(); }

  // out: c x (J * permutations.size()); column b * J + j is A' M_j(permutations[b]).
  void Project(std::span<const Permutation> permutations, Eigen::MatrixXd& out,
               Workspace& workspace) const;

 private:
  struct Chunk {
    std::uint32_t first_row;
    std::uint32_t end_row;
    std::size_t first_dyad;
    std::size_t dyad_count;
  };
  template <std::size_t kLanes>
  void ProjectPass(std::span<const Permutation> permutations, Workspace& workspace) const;
  void ProjectPassAnyWidth(std::span<const Permutation> permutations, Workspace& workspace) const;
  void ComputeOffsets(const Chunk& chunk, const std::uint32_t* p, std::uint32_t* offsets) const;

  const DyadIndex& dyads_;  // must outlive the kernel
  std::uint32_t nodes_;
  Eigen::Index basis_columns_;  // c, also the row stride of basis_
  std::size_t lane_width_;      // accumulator width: c rounded up to 8 or 16, else c
  // N x c row-major, plus slack for the last wide load. Aligned as Eigen's own
  // arrays are: Eigen peels unaligned heads off its reductions, so on a
  // malloc'd buffer the rounding of the set-up sums would depend on where the
  // heap put it, and two runs with the same seed could differ in a last digit.
  std::vector<double, Eigen::aligned_allocator<double>> basis_;
  std::vector<const double*> matrices_;
  std::vector<double> in_loop_shifts_;  // subtracted from every gathered value, or 0
  std::vector<double> after_shifts_;    // subtracted afterwards as shift * basis_sums_, or 0
  Eigen::VectorXd basis_sums_;          // A'1
  std::vector<Chunk> chunks_;
  std::size_t largest_chunk_ = 0;
};

}  // namespace qap::detail
