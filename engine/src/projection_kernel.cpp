#include "projection_kernel.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace qap::detail {

namespace {

// 512 dyads x 8 doubles of basis = 32 KiB: fits L1 with room for offsets.
constexpr std::size_t kChunkDyads = 512;

}  // namespace

ProjectionKernel::ProjectionKernel(const DyadIndex& dyads, Eigen::Index basis_columns)
    : nodes_(static_cast<std::uint32_t>(dyads.nodes())),
      basis_columns_(basis_columns),
      padded_width_((static_cast<std::size_t>(basis_columns) + 7) / 8 * 8) {
  const auto dyad_count = static_cast<std::size_t>(dyads.size());
  basis_.assign(dyad_count * padded_width_, 0.0);
  columns_.resize(dyad_count);
  row_start_.assign(nodes_ + 1U, 0);
  for (std::size_t d = 0; d < dyad_count; ++d) {
    columns_[d] = dyads.column(static_cast<Eigen::Index>(d));
    ++row_start_[dyads.row(static_cast<Eigen::Index>(d)) + 1U];
  }
  for (std::size_t i = 0; i < nodes_; ++i) row_start_[i + 1] += row_start_[i];
  std::uint32_t row = 0;
  while (row < nodes_) {
    Chunk chunk{row, row + 1, row_start_[row], 0};
    while (chunk.end_row < nodes_ && row_start_[chunk.end_row + 1] - chunk.first_dyad <= kChunkDyads) ++chunk.end_row;
    chunk.dyad_count = row_start_[chunk.end_row] - chunk.first_dyad;
    if (chunk.dyad_count > 0) chunks_.push_back(chunk);
    largest_chunk_ = std::max(largest_chunk_, chunk.dyad_count);
    row = chunk.end_row;
  }
}

ProjectionKernel::BasisView ProjectionKernel::basis() {
  return {basis_.data(), static_cast<Eigen::Index>(columns_.size()), basis_columns_,
          Eigen::OuterStride<>(static_cast<Eigen::Index>(padded_width_))};
}

void ProjectionKernel::SetMatrices(std::vector<const DyadMatrix*> matrices) {
  matrices_.clear();
  for (const DyadMatrix* m : matrices) matrices_.push_back(m->data());
}

void ProjectionKernel::ComputeOffsets(const Chunk& chunk, const std::uint32_t* p, std::uint32_t* offsets) const {
  for (std::uint32_t i = chunk.first_row; i < chunk.end_row; ++i) {
    const std::uint32_t row_offset = p[i] * nodes_;
    const std::size_t end = row_start_[i + 1];
    for (std::size_t d = row_start_[i]; d < end; ++d) offsets[d - chunk.first_dyad] = row_offset + p[columns_[d]];
  }
}

// Eight doubles: one AVX-512 register, or two AVX2 ones; GCC and Clang lower
// the vector extension to whatever the target has.
using Lane8 = double __attribute__((vector_size(64)));

inline Lane8 LoadLane(const double* p) {
  Lane8 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Accumulates basis' * M_g(offsets) for kGroup matrices over one chunk. Each
// matrix keeps kSplit partial sums over alternating dyads, so kGroup * kSplit
// (eight) independent FMA chains hide the FMA latency; each dyad's offset and
// basis row serve the whole group.
template <std::size_t kWidth, std::size_t kGroup, std::size_t kSplit>
void AccumulateGroup(const double* const* matrices, const std::uint32_t* offsets, const double* basis,
                     std::size_t count, double* const* targets) {
  constexpr std::size_t kLanes = kWidth / 8;
  Lane8 sums[kGroup][kSplit][kLanes] = {};
  std::size_t d = 0;
  for (; d + kSplit <= count; d += kSplit) {
    for (std::size_t u = 0; u < kSplit; ++u) {
      const std::uint32_t offset = offsets[d + u];
      const double* row = basis + (d + u) * kWidth;
      for (std::size_t g = 0; g < kGroup; ++g) {
        const double value = matrices[g][offset];
        for (std::size_t l = 0; l < kLanes; ++l) sums[g][u][l] += value * LoadLane(row + l * 8);
      }
    }
  }
  for (; d < count; ++d) {
    const double* row = basis + d * kWidth;
    for (std::size_t g = 0; g < kGroup; ++g) {
      const double value = matrices[g][offsets[d]];
      for (std::size_t l = 0; l < kLanes; ++l) sums[g][0][l] += value * LoadLane(row + l * 8);
    }
  }
  for (std::size_t g = 0; g < kGroup; ++g) {
    for (std::size_t u = 0; u < kSplit; ++u) {
      for (std::size_t l = 0; l < kLanes; ++l) {
        for (std::size_t c = 0; c < 8; ++c) targets[g][l * 8 + c] += sums[g][u][l][static_cast<int>(c)];
      }
    }
  }
}

template <std::size_t kWidth>
void ProjectionKernel::ProjectPass(std::span<const Permutation> permutations, Workspace& workspace) const {
  const std::size_t matrix_count = matrices_.size();
  std::array<double*, 4> targets{};
  for (const Chunk& chunk : chunks_) {
    const double* basis = basis_.data() + chunk.first_dyad * kWidth;
    for (std::size_t b = 0; b < permutations.size(); ++b) {
      std::uint32_t* offsets = workspace.offsets.data();
      ComputeOffsets(chunk, permutations[b].data(), offsets);
      std::size_t group = 0;
      while (group < matrix_count) {
        const std::size_t members = std::min<std::size_t>(4, matrix_count - group);
        for (std::size_t g = 0; g < members; ++g) {
          targets[g] = workspace.sums.data() + (b * matrix_count + group + g) * kWidth;
        }
        const double* const* m = matrices_.data() + group;
        switch (members) {
          case 4: AccumulateGroup<kWidth, 4, 2>(m, offsets, basis, chunk.dyad_count, targets.data()); break;
          case 3: AccumulateGroup<kWidth, 3, 2>(m, offsets, basis, chunk.dyad_count, targets.data()); break;
          case 2: AccumulateGroup<kWidth, 2, 4>(m, offsets, basis, chunk.dyad_count, targets.data()); break;
          default: AccumulateGroup<kWidth, 1, 8>(m, offsets, basis, chunk.dyad_count, targets.data()); break;
        }
        group += members;
      }
    }
  }
}

void ProjectionKernel::ProjectPassAnyWidth(std::span<const Permutation> permutations, Workspace& workspace) const {
  const std::size_t matrix_count = matrices_.size();
  const std::size_t width = padded_width_;
  for (const Chunk& chunk : chunks_) {
    for (std::size_t b = 0; b < permutations.size(); ++b) {
      std::uint32_t* offsets = workspace.offsets.data();
      ComputeOffsets(chunk, permutations[b].data(), offsets);
      for (std::size_t j = 0; j < matrix_count; ++j) {
        double* target = workspace.sums.data() + (b * matrix_count + j) * width;
        const double* m = matrices_[j];
        for (std::size_t d = 0; d < chunk.dyad_count; ++d) {
          const double value = m[offsets[d]];
          const double* row = basis_.data() + (chunk.first_dyad + d) * width;
          for (std::size_t c = 0; c < width; ++c) target[c] += value * row[c];
        }
      }
    }
  }
}

void ProjectionKernel::Project(std::span<const Permutation> permutations, Eigen::MatrixXd& out,
                               Workspace& workspace) const {
  const std::size_t matrix_count = matrices_.size();
  out.resize(basis_columns_, static_cast<Eigen::Index>(matrix_count * permutations.size()));
  workspace.offsets.resize(largest_chunk_);
  for (std::size_t first = 0; first < permutations.size(); first += kPermutationsPerPass) {
    const auto pass = permutations.subspan(first, std::min(kPermutationsPerPass, permutations.size() - first));
    workspace.sums.assign(pass.size() * matrix_count * padded_width_, 0.0);
    if (padded_width_ == 8) {
      ProjectPass<8>(pass, workspace);
    } else if (padded_width_ == 16) {
      ProjectPass<16>(pass, workspace);
    } else {
      ProjectPassAnyWidth(pass, workspace);
    }
    for (std::size_t column = 0; column < pass.size() * matrix_count; ++column) {
      for (Eigen::Index c = 0; c < basis_columns_; ++c) {
        out(c, static_cast<Eigen::Index>(first * matrix_count + column)) =
            workspace.sums[column * padded_width_ + static_cast<std::size_t>(c)];
      }
    }
  }
}

}  // namespace qap::detail
