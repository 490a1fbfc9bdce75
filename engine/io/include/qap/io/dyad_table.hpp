// Long dyadic tables: one row per ordered pair of nodes, one column per
// variable (the econometrician's layout: exporter, importer, year, trade,
// distance, ...). Also the edge lists network tools write, which are the same
// table with at most one value column.
//
// A table becomes matrices by label: the node set is every label that appears
// in either node column of the rows kept, each value column one matrix over
// it. Nothing is guessed that could be guessed two ways:
//  * the node columns are a known pair of names (kNodeColumnPairs); a header
//    with two such pairs is refused, naming both;
//  * the value column is the one named, or the table's only other column; a
//    table with several candidate columns and none named is refused, listing
//    them (a reader that took the first match once read `x` as `y`);
//  * two rows for one ordered pair are refused, naming the pair and both
//    lines (a panel needs a row filter such as year=2023);
//  * a row filter that keeps no row is refused, listing what the column holds.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qap/core/labelled_matrix.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/matrix_io.hpp"

namespace qap {

struct NodeColumnPair {
  std::string_view source;
  std::string_view target;
};
// Header names (compared ignoring ASCII case) that mark the two node columns.
inline constexpr NodeColumnPair kNodeColumnPairs[] = {
    {"i", "j"},       {"from", "to"},          {"source", "target"},   {"exporter", "importer"},
    {"ego", "alter"}, {"reporter", "partner"}, {"sender", "receiver"}, {"origin", "destination"},
};

struct NodeColumns {
  std::size_t source = 0;
  std::size_t target = 1;
};

// The node columns of a header, or nothing when it names no known pair.
// Throws InputError when it names two pairs (e.g. i,j and from,to).
std::optional<NodeColumns> FindNodeColumns(const detail::CsvRecord& header,
                                           const std::string& file);

// "column=value" as a row filter; throws OptionsError (field "where") otherwise.
RowFilter ParseRowFilter(std::string_view text);

struct DyadTableOptions {
  // The columns to build, one matrix each, in this order. Empty: the table's
  // only value column, or a matrix of 1s for the listed pairs when it has none.
  std::vector<std::string> value_columns;
  std::vector<RowFilter> where;  // keep only rows that match every filter
  AbsentEdge absent_edge = AbsentEdge::kMissing;
  std::size_t max_nodes = kMaxDenseNodes;
  // When the table has no header (igraph, networkx edge lists): the node
  // columns are the first two, a third (if any) is the value column "weight".
  bool headerless = false;
};

// Reads rows until `next` returns false. `header` names the columns (for a
// headerless table: the first row, which is data too). Matrices are named by
// their value column ("weight" for a headerless weighted list, "edge" for an
// unweighted one); their labels are in order of first appearance.
std::vector<LabelledMatrix> BuildDyadMatrices(const detail::CsvRecord& header,
                                              const std::function<bool(detail::CsvRecord&)>& next,
                                              const std::string& file,
                                              const DyadTableOptions& options);

}  // namespace qap
