// The dyad index stores nothing per dyad; these tests pin its arithmetic to
// the plain definition (row by row, column by column, diagonal and upper
// triangle left out as the mode says).
#include "qap/core/dyads.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "projection_kernel.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

struct Cell {
  std::uint32_t row;
  std::uint32_t column;
};

std::vector<Cell> Enumerate(std::uint32_t n, DyadOptions options) {
  std::vector<Cell> cells;
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::uint32_t j = 0; j < n; ++j) {
      const bool lower_or_all = options.mode == DyadMode::kDirected || j <= i;
      if (lower_or_all && (i != j || options.include_diagonal)) cells.push_back({i, j});
    }
  }
  return cells;
}

const std::vector<DyadOptions> kAllModes = {{DyadMode::kDirected, false},
                                            {DyadMode::kDirected, true},
                                            {DyadMode::kUndirected, false},
                                            {DyadMode::kUndirected, true}};

TEST(DyadIndex, MatchesTheDefinitionInEveryMode) {
  for (const std::uint32_t n : {1U, 2U, 3U, 7U, 40U}) {
    for (const DyadOptions& options : kAllModes) {
      const DyadIndex dyads(n, options);
      const std::vector<Cell> expected = Enumerate(n, options);
      ASSERT_EQ(dyads.size(), static_cast<Eigen::Index>(expected.size())) << n;
      std::size_t visited = 0;
      dyads.ForEachDyad([&](Eigen::Index d, std::uint32_t i, std::uint32_t j) {
        ASSERT_EQ(static_cast<std::size_t>(d), visited);
        EXPECT_EQ(i, expected[visited].row);
        EXPECT_EQ(j, expected[visited].column);
        EXPECT_EQ(dyads.row(d), i);
        EXPECT_EQ(dyads.column(d), j);
        ++visited;
      });
      EXPECT_EQ(visited, expected.size());
      for (std::uint32_t i = 0; i < n; ++i) {
        std::size_t first = 0;
        while (first < expected.size() && expected[first].row < i) ++first;
        EXPECT_EQ(dyads.first_dyad(i), first) << "row " << i;
      }
    }
  }
}

TEST(DyadIndex, GatherAndScatterAreInverse) {
  const Eigen::Index n = 6;
  DyadMatrix m(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j)
      m(i, j) = static_cast<double>(10 * std::min(i, j) + std::max(i, j));
  }
  for (const DyadOptions& options : kAllModes) {
    const DyadIndex dyads(n, options);
    Eigen::VectorXd v(dyads.size());
    dyads.Gather(m, v);
    const DyadMatrix back = dyads.Scatter(v);
    dyads.ForEachDyad([&](Eigen::Index, std::uint32_t i, std::uint32_t j) {
      EXPECT_EQ(back(i, j), m(i, j));
      if (options.mode == DyadMode::kUndirected) {
        EXPECT_EQ(back(j, i), m(i, j));
      }
    });
    Permutation reverse(static_cast<std::size_t>(n));
    for (std::uint32_t i = 0; i < n; ++i) reverse[i] = static_cast<std::uint32_t>(n) - 1 - i;
    Eigen::VectorXd permuted(dyads.size());
    dyads.GatherPermuted(m, reverse, permuted);
    dyads.ForEachDyad([&](Eigen::Index d, std::uint32_t i, std::uint32_t j) {
      EXPECT_EQ(permuted[d], m(reverse[i], reverse[j]));
    });
  }
}

// The fused kernel against the plain sum it replaces: every basis width path
// (8 lanes, 16 lanes, any), every dyad mode, shifts, and passes that are not
// a multiple of 8 permutations.
TEST(ProjectionKernel, EqualsThePlainProjectionOfPermutedShiftedMatrices) {
  std::mt19937_64 random(testing::AnnouncedSeed(4242));
  std::normal_distribution<double> normal;
  const Eigen::Index n = 37;
  std::vector<DyadMatrix> matrices;
  for (int j = 0; j < 5; ++j) {
    DyadMatrix m(n, n);
    for (Eigen::Index i = 0; i < n * n; ++i) m.data()[i] = normal(random) + 3.0 * j;
    matrices.push_back(m);
  }
  std::vector<const DyadMatrix*> pointers;
  std::vector<double> shifts;
  for (int j = 0; j < 5; ++j) {
    pointers.push_back(&matrices[static_cast<std::size_t>(j)]);
    shifts.push_back(3.0 * j + 0.25);
  }
  std::vector<Permutation> permutations(11, Permutation(static_cast<std::size_t>(n)));
  for (Permutation& p : permutations) {
    for (std::uint32_t i = 0; i < n; ++i) p[i] = i;
    std::shuffle(p.begin(), p.end(), random);
  }
  for (const DyadOptions& options : kAllModes) {
    const DyadIndex dyads(n, options);
    for (const Eigen::Index width : {3, 8, 9, 16, 19}) {
      detail::ProjectionKernel kernel(dyads, width);
      Eigen::MatrixXd basis(dyads.size(), width);
      for (Eigen::Index i = 0; i < basis.size(); ++i) basis.data()[i] = normal(random);
      kernel.column_major_basis() = basis;
      kernel.FinishBasis();
      kernel.SetMatrices(pointers, shifts);
      Eigen::MatrixXd out;
      detail::ProjectionKernel::Workspace workspace;
      kernel.Project(permutations, out, workspace);
      ASSERT_EQ(out.rows(), width);
      ASSERT_EQ(out.cols(), static_cast<Eigen::Index>(permutations.size() * pointers.size()));
      Eigen::VectorXd v(dyads.size());
      for (std::size_t b = 0; b < permutations.size(); ++b) {
        for (std::size_t j = 0; j < pointers.size(); ++j) {
          dyads.GatherPermuted(*pointers[j], permutations[b], v);
          const Eigen::VectorXd expected = basis.transpose() * (v.array() - shifts[j]).matrix();
          const Eigen::VectorXd actual =
              out.col(static_cast<Eigen::Index>(b * pointers.size() + j));
          for (Eigen::Index c = 0; c < width; ++c) {
            ASSERT_TRUE(testing::RelativelyNear(actual[c], expected[c], 1e-11, 1.0))
                << "width " << width << " permutation " << b << " matrix " << j << " column " << c;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace qap
