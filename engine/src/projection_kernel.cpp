#include "projection_kernel.hpp"

#include <algorithm>

namespace qap::detail {

namespace {

// About 1,000 dyads a chunk: the gathered block of a pass (8 permutations x J
// matrices) and the matching rows of A then fit in a 1 MiB L2 cache.
constexpr Eigen::Index kChunkDyads = 1024;

}  // namespace

ProjectionKernel::ProjectionKernel(const DyadIndex& dyads, const Eigen::MatrixXd& basis,
                                   std::vector<const DyadMatrix*> matrices)
    : dyads_(dyads), basis_(basis), matrices_(std::move(matrices)) {
  const auto n = static_cast<std::size_t>(dyads.nodes());
  row_start_.assign(n + 1, 0);
  for (Eigen::Index d = 0; d < dyads.size(); ++d) ++row_start_[dyads.row(d) + 1];
  for (std::size_t i = 0; i < n; ++i) row_start_[i + 1] += row_start_[i];
  std::uint32_t row = 0;
  while (row < n) {
    Chunk chunk{row, row, row_start_[row], 0};
    while (chunk.end_row < n &&
           (chunk.end_row == chunk.first_row || row_start_[chunk.end_row + 1] - chunk.first_dyad <= kChunkDyads)) {
      ++chunk.end_row;
    }
    chunk.dyad_count = row_start_[chunk.end_row] - chunk.first_dyad;
    if (chunk.dyad_count > 0) chunks_.push_back(chunk);
    row = chunk.end_row;
  }
}

void ProjectionKernel::Project(std::span<const Permutation> permutations, Eigen::MatrixXd& out,
                               Workspace& workspace) const {
  const auto columns_per_permutation = static_cast<Eigen::Index>(matrices_.size());
  out.resize(basis_.cols(), columns_per_permutation * static_cast<Eigen::Index>(permutations.size()));
  for (std::size_t first = 0; first < permutations.size(); first += kPermutationsPerPass) {
    const std::size_t count = std::min(kPermutationsPerPass, permutations.size() - first);
    ProjectPass(permutations.subspan(first, count),
                out.middleCols(static_cast<Eigen::Index>(first) * columns_per_permutation,
                               static_cast<Eigen::Index>(count) * columns_per_permutation),
                workspace);
  }
}

void ProjectionKernel::ProjectPass(std::span<const Permutation> permutations, Eigen::Ref<Eigen::MatrixXd> out,
                                   Workspace& workspace) const {
  const auto matrix_count = matrices_.size();
  const auto columns = static_cast<Eigen::Index>(matrix_count * permutations.size());
  const Eigen::Index nodes = dyads_.nodes();
  workspace.gathered.resize(kChunkDyads + nodes, std::max<Eigen::Index>(columns, 1));
  out.setZero();
  for (const Chunk& chunk : chunks_) {
    for (std::size_t b = 0; b < permutations.size(); ++b) {
      const std::uint32_t* p = permutations[b].data();
      for (std::size_t j = 0; j < matrix_count; ++j) {
        const double* matrix = matrices_[j]->data();
        double* target = workspace.gathered.col(static_cast<Eigen::Index>(b * matrix_count + j)).data();
        for (std::uint32_t i = chunk.first_row; i < chunk.end_row; ++i) {
          const double* permuted_row = matrix + static_cast<Eigen::Index>(p[i]) * nodes;
          const Eigen::Index end = row_start_[i + 1];
          for (Eigen::Index d = row_start_[i]; d < end; ++d) {
            target[d - chunk.first_dyad] = permuted_row[p[dyads_.column(d)]];
          }
        }
      }
    }
    out.noalias() += basis_.middleRows(chunk.first_dyad, chunk.dyad_count).transpose() *
                     workspace.gathered.topLeftCorner(chunk.dyad_count, columns);
  }
}

}  // namespace qap::detail
