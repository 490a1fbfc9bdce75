// A square matrix whose rows and columns are the same labelled nodes.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

namespace qap {

// Row-major so that the gather of a permuted matrix, which reads
// M[p[i], p[j]] for j = 0..n-1, walks memory row by row.
using DyadMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct LabelledMatrix {
  std::string name;                 // variable name shown in results (default: file stem)
  std::string source;               // where it came from (file path), for messages
  std::vector<std::string> labels;  // node labels; row i and column i are labels[i]
  DyadMatrix values;                // quiet NaN marks a missing cell
  // What the reader decided that the user must be told ("the file has no
  // labels: nodes are numbered by position"); printed with the results.
  std::vector<std::string> notes;

  [[nodiscard]] Eigen::Index size() const noexcept { return values.rows(); }
};

// The most nodes a dense n x n matrix may have: beyond it a small file could
// demand more memory than a machine has (found by fuzzing).
inline constexpr std::size_t kMaxDenseNodes = 20000;

// True when the cell holds a value (is not missing).
inline bool IsObserved(double cell) noexcept { return cell == cell; }

}  // namespace qap
