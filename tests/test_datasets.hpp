// Data sets several test files share: the core tests and the render tests
// that check what is printed of the same results (render_regression_test.cpp)
// build from one definition, so they test the same numbers.
#pragma once

#include <Eigen/Dense>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "qap/core/alignment.hpp"
#include "qap/core/labelled_matrix.hpp"
#include "qap/core/regression.hpp"
#include "test_support.hpp"

namespace qap::testing {

// Every null with a permutation distribution (all but the classical test),
// and both test statistics.
inline constexpr std::array<NullHypothesis, 4> kPermutationNulls{
    NullHypothesis::kDoubleSemiPartialling, NullHypothesis::kPermuteY, NullHypothesis::kPermuteX,
    NullHypothesis::kFreedmanLane};
inline constexpr std::array<TestStatistic, 2> kStatistics{TestStatistic::kT,
                                                          TestStatistic::kCoefficient};

// Two null distributions agree permutation by permutation: NaN where the
// reference is NaN, otherwise RelativelyNear(tolerance, floor). Names the first
// cell that differs.
inline ::testing::AssertionResult SameNullDistribution(const Eigen::MatrixXd& fast,
                                                       const Eigen::MatrixXd& reference,
                                                       double tolerance, double floor) {
  if (fast.rows() != reference.rows() || fast.cols() != reference.cols()) {
    return ::testing::AssertionFailure() << "shapes differ: " << fast.rows() << "x" << fast.cols()
                                         << " vs " << reference.rows() << "x" << reference.cols();
  }
  for (Eigen::Index row = 0; row < fast.rows(); ++row) {
    for (Eigen::Index c = 0; c < fast.cols(); ++c) {
      if (std::isnan(reference(row, c))) {
        if (!std::isnan(fast(row, c))) {
          return ::testing::AssertionFailure()
                 << "row " << row << " col " << c << ": " << fast(row, c) << " where NaN";
        }
        continue;
      }
      if (auto near = RelativelyNear(fast(row, c), reference(row, c), tolerance, floor); !near) {
        return near << " at row " << row << " col " << c;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

struct Dataset {
  LabelledMatrix y;
  std::vector<LabelledMatrix> x;
};

// An n x n matrix of zeros with nodes n0, n1, ...
inline LabelledMatrix BlankMatrix(const std::string& name, Eigen::Index n) {
  LabelledMatrix m;
  m.name = name;
  m.source = name + ".csv";
  for (Eigen::Index i = 0; i < n; ++i) m.labels.push_back("n" + std::to_string(i));
  m.values = DyadMatrix::Zero(n, n);
  return m;
}

// Y and X files of a folder of the source tree, aligned by label.
inline Dataset LoadDataset(const std::string& folder, const std::string& y_name,
                           const std::vector<std::string>& x_names) {
  Dataset d;
  d.y = ReadLabelledMatrix(SourcePath(folder + "/" + y_name + ".csv"), {});
  for (const auto& name : x_names)
    d.x.push_back(ReadLabelledMatrix(SourcePath(folder + "/" + name + ".csv"), {}));
  std::vector<LabelledMatrix*> all{&d.y};
  for (auto& m : d.x) all.push_back(&m);
  AlignMatrices(all, AlignMode::kExact);
  return d;
}

inline Dataset Fixture850511() {
  return LoadDataset("fixtures/rare-earth-2023/850511/export", "REE",
                     {"TPR", "PGDP", "TD", "ECI", "WGI"});
}

inline Dataset SmallMissing() {
  return LoadDataset("tests/data/small_missing", "Y", {"X1", "X2", "X3"});
}

// 25 nodes, Y = 1 + 0.5 X1 - 0.25 X2 + e, X3 = X1 + collinearity_noise * e':
// a small noise makes X1 and X3 nearly collinear.
inline Dataset NearCollinear(std::uint64_t seed, double collinearity_noise) {
  std::mt19937_64 random(AnnouncedSeed(seed));
  std::normal_distribution<double> normal;
  const Eigen::Index n = 25;
  Dataset d{BlankMatrix("Y", n),
            {BlankMatrix("X1", n), BlankMatrix("X2", n), BlankMatrix("X3", n)}};
  // Sources are the bare names: the numerical tests' messages quote them.
  d.y.source = d.y.name;
  for (LabelledMatrix& m : d.x) m.source = m.name;
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      const double x1 = normal(random);
      const double x2 = normal(random);
      d.x[0].values(i, j) = x1;
      d.x[1].values(i, j) = x2;
      d.x[2].values(i, j) = x1 + collinearity_noise * normal(random);
      d.y.values(i, j) = 1.0 + 0.5 * x1 - 0.25 * x2 + normal(random);
    }
  }
  return d;
}

// Y_ij = 3 (x_i - x_j) + (y_i - y_j) + e_ij - e_ji, X1_ij = x_i - x_j,
// X2_ij = |z_i - z_j|: X1 has a real effect; X2 (symmetric, against an
// antisymmetric Y) is orthogonal to Y, so its coefficient is exactly 0.
inline Dataset Orthogonal(Eigen::Index n, std::uint64_t seed) {
  std::mt19937_64 random(AnnouncedSeed(seed));
  std::normal_distribution<double> normal;
  Eigen::VectorXd yv(n), xv(n), zv(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    yv[i] = normal(random);
    xv[i] = normal(random);
    zv[i] = normal(random);
  }
  Eigen::MatrixXd e(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) e(i, j) = 0.3 * normal(random);
  }
  Dataset s{BlankMatrix("Y", n), {BlankMatrix("X1", n), BlankMatrix("X2", n)}};
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      if (i == j) continue;
      s.x[0].values(i, j) = xv[i] - xv[j];
      s.x[1].values(i, j) = std::abs(zv[i] - zv[j]);
      s.y.values(i, j) = 3.0 * (xv[i] - xv[j]) + (yv[i] - yv[j]) + e(i, j) - e(j, i);
    }
  }
  return s;
}

}  // namespace qap::testing
