// Putting several labelled matrices on one node order, matched by label (the
// study matches countries by name across data sources).
#pragma once

#include <string>
#include <vector>

#include "qap/core/enum_names.hpp"
#include "qap/core/labelled_matrix.hpp"

namespace qap {

enum class AlignMode {
  kExact,      // every matrix must have the same label set; otherwise an error lists the gaps
  kIntersect,  // keep the nodes every matrix has; report the rest as dropped
};
inline constexpr EnumName<AlignMode> kAlignModeNames[] = {
    {AlignMode::kExact, "exact", "every matrix must have the same labels"},
    {AlignMode::kIntersect, "intersect", "keep the nodes every matrix has, report the rest"},
};
constexpr std::span<const EnumName<AlignMode>> EnumTable(AlignMode) { return kAlignModeNames; }

struct DroppedNode {
  std::string label;
  std::vector<std::string> missing_from;  // sources (files) that lack the node
};

struct AlignmentReport {
  std::vector<std::string> node_order;  // the common order: the first matrix's, restricted
  std::vector<DroppedNode> dropped;     // only with AlignMode::kIntersect
};

// Reorders every matrix to the node order of the first one. Throws
// DataError (exact mode, or an empty intersection) naming which labels
// are missing from which file.
AlignmentReport AlignMatrices(std::vector<LabelledMatrix*> matrices, AlignMode mode);

}  // namespace qap
