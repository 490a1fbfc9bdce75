#include "projection_kernel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace qap::detail {

namespace {

// 512 dyads x up to 8 doubles of basis = 32 KiB: fits L1 with room for offsets.
constexpr std::size_t kChunkDyads = 512;

// A shift larger than this many root-mean-square deviations of its matrix is
// subtracted in the loop (see SetMatrices). At 8 the raw sums' rounding is at
// most about 8 times that of centred ones.
constexpr double kShiftInLoopRatio = 8.0;

// Matrices accumulated together: each dyad's offset and basis row then serve
// up to eight gathers (Y and seven X: p up to 7 in one sweep of the chunk).
constexpr std::size_t kMaxGroup = 8;

}  // namespace

ProjectionKernel::ProjectionKernel(const DyadIndex& dyads, Eigen::Index basis_columns)
    : dyads_(dyads),
      nodes_(static_cast<std::uint32_t>(dyads.nodes())),
      basis_columns_(basis_columns),
      lane_width_(basis_columns <= 8    ? 8
                  : basis_columns <= 16 ? 16
                                        : static_cast<std::size_t>(basis_columns)) {
  const auto dyad_count = static_cast<std::size_t>(dyads.size());
  // The last row's wide load reads lane_width_ doubles from its start.
  basis_.assign(dyad_count * static_cast<std::size_t>(basis_columns) + lane_width_, 0.0);
  std::uint32_t row = 0;
  while (row < nodes_) {
    Chunk chunk{row, row + 1, dyads.first_dyad(row), 0};
    while (chunk.end_row < nodes_ &&
           dyads.first_dyad(chunk.end_row + 1) - chunk.first_dyad <= kChunkDyads) {
      ++chunk.end_row;
    }
    chunk.dyad_count = dyads.first_dyad(chunk.end_row) - chunk.first_dyad;
    if (chunk.dyad_count > 0) chunks_.push_back(chunk);
    largest_chunk_ = std::max(largest_chunk_, chunk.dyad_count);
    row = chunk.end_row;
  }
}

Eigen::Map<Eigen::MatrixXd> ProjectionKernel::column_major_basis() {
  return {basis_.data(), dyads_.size(), basis_columns_};
}

void ProjectionKernel::FinishBasis() {
  basis_sums_ = column_major_basis().colwise().sum().transpose();
  // Element (r, c) moves from r + c N to r C + c. Each cycle of that
  // permutation is followed once; a bit per element marks what has moved.
  const auto rows = static_cast<std::size_t>(dyads_.size());
  const auto width = static_cast<std::size_t>(basis_columns_);
  const std::size_t total = rows * width;
  std::vector<bool> moved(total, false);
  for (std::size_t start = 0; start < total; ++start) {
    if (moved[start]) continue;
    std::size_t position = start;
    double carried = basis_[start];
    do {
      const std::size_t target = (position % rows) * width + position / rows;
      std::swap(carried, basis_[target]);
      moved[target] = true;
      position = target;
    } while (position != start);
  }
}

void ProjectionKernel::SetMatrices(std::vector<const DyadMatrix*> matrices,
                                   std::vector<double> shifts) {
  matrices_.clear();
  for (const DyadMatrix* m : matrices) matrices_.push_back(m->data());
  shifts.resize(matrices_.size(), 0.0);
  // Subtracting in the loop costs a third of the kernel's speed (the load
  // can no longer feed the FMA as a broadcast), so a shift is taken off
  // afterwards as shift * A'1 unless it is large against the matrix's own
  // spread, where the raw sums would lose the digits the shift protects.
  in_loop_shifts_.assign(matrices_.size(), 0.0);
  after_shifts_.assign(matrices_.size(), 0.0);
  for (std::size_t j = 0; j < matrices.size(); ++j) {
    const DyadMatrix& m = *matrices[j];
    const double shift = shifts[j];
    double square = 0.0;
    dyads_.ForEachDyad([&](Eigen::Index, std::uint32_t row, std::uint32_t column) {
      const double deviation = m(row, column) - shift;
      square += deviation * deviation;
    });
    const double spread =
        std::sqrt(square / static_cast<double>(std::max<Eigen::Index>(dyads_.size(), 1)));
    (std::abs(shift) > kShiftInLoopRatio * spread ? in_loop_shifts_ : after_shifts_)[j] = shift;
  }
}

void ProjectionKernel::ComputeOffsets(const Chunk& chunk, const std::uint32_t* p,
                                      std::uint32_t* offsets) const {
  for (std::uint32_t i = chunk.first_row; i < chunk.end_row; ++i) {
    const std::uint32_t row_offset = p[i] * nodes_;
    const std::uint32_t end = dyads_.column_end(i);
    const std::uint32_t skip = std::min(dyads_.skipped_column(i), end);
    for (std::uint32_t j = 0; j < skip; ++j) *offsets++ = row_offset + p[j];
    for (std::uint32_t j = skip + 1; j < end; ++j) *offsets++ = row_offset + p[j];
  }
}

// Eight doubles: one AVX-512 register, or two AVX2 ones; GCC and Clang lower
// the vector extension to whatever the target has.
using Lane8 = double __attribute__((vector_size(64)));

// Loads through an out-parameter: a function returning a 64-byte vector
// draws clang's -Wpsabi in builds without AVX-512 (the fuzz preset), though
// the function is inlined and no ABI is involved.
inline void LoadLane(const double* p, Lane8& v) { std::memcpy(&v, p, sizeof v); }

// Accumulates basis' * (M_g(offsets) - shift_g) for kGroup matrices over one
// chunk. Each matrix keeps kSplit partial sums over alternating dyads, so
// kGroup * kSplit (six to ten) independent FMA chains hide the FMA latency; each
// dyad's offset and basis row serve the whole group. Rows are `stride` apart
// and read kLanes wide; lanes past the basis columns collect sums nobody reads.
template <std::size_t kLanes, std::size_t kGroup, std::size_t kSplit, bool kShift>
void AccumulateGroup(const double* const* matrices, const double* shifts,
                     const std::uint32_t* offsets, const double* basis, std::size_t stride,
                     std::size_t count, double* const* targets) {
  constexpr std::size_t kVectors = kLanes / 8;
  Lane8 sums[kGroup][kSplit][kVectors] = {};
  double shift[kGroup];
  for (std::size_t g = 0; g < kGroup; ++g) shift[g] = shifts[g];
  std::size_t d = 0;
  for (; d + kSplit <= count; d += kSplit) {
    for (std::size_t u = 0; u < kSplit; ++u) {
      const std::uint32_t offset = offsets[d + u];
      const double* row = basis + (d + u) * stride;
      for (std::size_t g = 0; g < kGroup; ++g) {
        const double value = kShift ? matrices[g][offset] - shift[g] : matrices[g][offset];
        for (std::size_t l = 0; l < kVectors; ++l) {
          Lane8 lane;
          LoadLane(row + l * 8, lane);
          sums[g][u][l] += value * lane;
        }
      }
    }
  }
  for (; d < count; ++d) {
    const double* row = basis + d * stride;
    for (std::size_t g = 0; g < kGroup; ++g) {
      const double value = kShift ? matrices[g][offsets[d]] - shift[g] : matrices[g][offsets[d]];
      for (std::size_t l = 0; l < kVectors; ++l) {
        Lane8 lane;
        LoadLane(row + l * 8, lane);
        sums[g][0][l] += value * lane;
      }
    }
  }
  for (std::size_t g = 0; g < kGroup; ++g) {
    for (std::size_t u = 0; u < kSplit; ++u) {
      for (std::size_t l = 0; l < kVectors; ++l) {
        for (std::size_t c = 0; c < 8; ++c)
          targets[g][l * 8 + c] += sums[g][u][l][static_cast<int>(c)];
      }
    }
  }
}

template <std::size_t kLanes, bool kShift>
void AccumulateAnyGroup(std::size_t members, const double* const* m, const double* shift,
                        const std::uint32_t* offsets, const double* basis, std::size_t stride,
                        std::size_t n, double* const* targets) {
  switch (members) {
    case 8:
      AccumulateGroup<kLanes, 8, 1, kShift>(m, shift, offsets, basis, stride, n, targets);
      break;
    case 7:
      AccumulateGroup<kLanes, 7, 1, kShift>(m, shift, offsets, basis, stride, n, targets);
      break;
    case 6:
      AccumulateGroup<kLanes, 6, 1, kShift>(m, shift, offsets, basis, stride, n, targets);
      break;
    case 5:
      AccumulateGroup<kLanes, 5, 2, kShift>(m, shift, offsets, basis, stride, n, targets);
      break;
    case 4:
      AccumulateGroup<kLanes, 4, 2, kShift>(m, shift, offsets, basis, stride, n, targets);
      break;
    case 3:
      AccumulateGroup<kLanes, 3, 2, kShift>(m, shift, offsets, basis, stride, n, targets);
      break;
    case 2:
      AccumulateGroup<kLanes, 2, 4, kShift>(m, shift, offsets, basis, stride, n, targets);
      break;
    default:
      AccumulateGroup<kLanes, 1, 8, kShift>(m, shift, offsets, basis, stride, n, targets);
      break;
  }
}

template <std::size_t kLanes>
void ProjectionKernel::ProjectPass(std::span<const Permutation> permutations,
                                   Workspace& workspace) const {
  const std::size_t matrix_count = matrices_.size();
  const auto stride = static_cast<std::size_t>(basis_columns_);
  std::array<double*, kMaxGroup> targets{};
  for (const Chunk& chunk : chunks_) {
    const double* basis = basis_.data() + chunk.first_dyad * stride;
    for (std::size_t b = 0; b < permutations.size(); ++b) {
      std::uint32_t* offsets = workspace.offsets.data();
      ComputeOffsets(chunk, permutations[b].data(), offsets);
      std::size_t group = 0;
      while (group < matrix_count) {
        const std::size_t members = std::min<std::size_t>(kMaxGroup, matrix_count - group);
        for (std::size_t g = 0; g < members; ++g) {
          targets[g] = workspace.sums.data() + (b * matrix_count + group + g) * kLanes;
        }
        const double* const* m = matrices_.data() + group;
        const double* shift = in_loop_shifts_.data() + group;
        const bool shifted = std::any_of(shift, shift + members, [](double v) { return v != 0.0; });
        const std::size_t n = chunk.dyad_count;
        if (shifted) {
          AccumulateAnyGroup<kLanes, true>(members, m, shift, offsets, basis, stride, n,
                                           targets.data());
        } else {
          AccumulateAnyGroup<kLanes, false>(members, m, shift, offsets, basis, stride, n,
                                            targets.data());
        }
        group += members;
      }
    }
  }
}

void ProjectionKernel::ProjectPassAnyWidth(std::span<const Permutation> permutations,
                                           Workspace& workspace) const {
  const std::size_t matrix_count = matrices_.size();
  const auto width = static_cast<std::size_t>(basis_columns_);
  for (const Chunk& chunk : chunks_) {
    for (std::size_t b = 0; b < permutations.size(); ++b) {
      std::uint32_t* offsets = workspace.offsets.data();
      ComputeOffsets(chunk, permutations[b].data(), offsets);
      for (std::size_t j = 0; j < matrix_count; ++j) {
        double* target = workspace.sums.data() + (b * matrix_count + j) * width;
        const double* m = matrices_[j];
        const double shift = in_loop_shifts_[j];
        for (std::size_t d = 0; d < chunk.dyad_count; ++d) {
          const double value = m[offsets[d]] - shift;
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
    const auto pass =
        permutations.subspan(first, std::min(kPermutationsPerPass, permutations.size() - first));
    workspace.sums.assign(pass.size() * matrix_count * lane_width_, 0.0);
    if (lane_width_ == 8) {
      ProjectPass<8>(pass, workspace);
    } else if (lane_width_ == 16) {
      ProjectPass<16>(pass, workspace);
    } else {
      ProjectPassAnyWidth(pass, workspace);
    }
    for (std::size_t column = 0; column < pass.size() * matrix_count; ++column) {
      const double shift = after_shifts_[column % matrix_count];
      for (Eigen::Index c = 0; c < basis_columns_; ++c) {
        out(c, static_cast<Eigen::Index>(first * matrix_count + column)) =
            workspace.sums[column * lane_width_ + static_cast<std::size_t>(c)] -
            shift * basis_sums_[c];
      }
    }
  }
}

}  // namespace qap::detail
