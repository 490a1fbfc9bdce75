// Reading labelled dyadic matrices from CSV/TSV files.
//
// Two layouts are understood:
//  * a labelled square matrix: the first row holds the column labels (after a
//    corner cell), the first column the row labels;
//  * a long edge list with a header naming source, target and value columns.
// kAuto decides from structure, never from what node labels are: a header
// with source/target/value names is an edge list unless the first data row
// starts with one of the header's labels (as a matrix's rows do); a file that
// fits both is an InputError asking for the format (--input-format).
// Blank and "NA" cells are missing. Anything else that is not a finite number
// is an InputError naming the file, line and column.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qap/core/enum_names.hpp"
#include "qap/core/labelled_matrix.hpp"

namespace qap {

enum class InputFormat { kAuto, kMatrix, kEdgeList, kUcinetDl, kPajek, kGraphml, kGml };
inline constexpr EnumName<InputFormat> kInputFormatNames[] = {
    {InputFormat::kAuto, "auto", "recognised from the file's first line"},
    {InputFormat::kMatrix, "matrix", "a labelled square matrix (CSV or TSV)"},
    {InputFormat::kEdgeList, "edgelist", "an edge list: from, to, value"},
    {InputFormat::kUcinetDl, "dl", "UCINET DL"},
    {InputFormat::kPajek, "pajek", "Pajek .net"},
    {InputFormat::kGraphml, "graphml", "GraphML (igraph, networkx, Gephi, Cytoscape)"},
    {InputFormat::kGml, "gml", "GML"},
};
constexpr std::span<const EnumName<InputFormat>> EnumTable(InputFormat) {
  return kInputFormatNames;
}

// What an edge list says about a pair it does not list.
enum class AbsentEdge { kZero, kMissing };
inline constexpr EnumName<AbsentEdge> kAbsentEdgeNames[] = {
    {AbsentEdge::kZero, "zero", "an unlisted pair is 0"},
    {AbsentEdge::kMissing, "missing", "an unlisted pair is missing"},
};
constexpr std::span<const EnumName<AbsentEdge>> EnumTable(AbsentEdge) { return kAbsentEdgeNames; }

// How the nodes of a matrix file are identified.
enum class LabelSource { kNames, kPosition };
inline constexpr EnumName<LabelSource> kLabelSourceNames[] = {
    {LabelSource::kNames, "names", "by the labels the file holds"},
    {LabelSource::kPosition, "position",
     "by position: row and column k are node k, whatever the file calls them"},
};
constexpr std::span<const EnumName<LabelSource>> EnumTable(LabelSource) {
  return kLabelSourceNames;
}

// Keep a long table's rows whose `column` holds `value` (numbers compared as numbers).
struct RowFilter {
  std::string column;
  std::string value;
};

struct ReadOptions {
  InputFormat format = InputFormat::kAuto;
  std::optional<char> delimiter;  // detected from the first line when empty
  // Unset: an edge list read whole is a network (an unlisted pair is 0); a
  // long table read by column (FILE:COLUMN, a dyadic data table) is data (an
  // unlisted pair is missing).
  std::optional<AbsentEdge> absent_edge;
  // The value columns (or DL matrices, or graph edge attributes) to read; set
  // from FILE:COLUMN by ReadLabelledMatrices. Empty: the file's only one.
  std::vector<std::string> columns;
  std::vector<RowFilter> where;  // long tables only
  LabelSource labels = LabelSource::kNames;
};

// A matrix argument: a file, or FILE:COLUMN (a long table's column, a DL
// file's matrix, a graph's edge attribute). The text is a file when such a
// file exists; otherwise the part before its last ':' is the file when that
// exists. "-" is standard input.
struct MatrixSpec {
  std::string path;
  std::optional<std::string> column;
};
MatrixSpec SplitMatrixSpec(const std::string& spec);

// Parses text; `source` names it in messages. The matrix name is left empty.
LabelledMatrix ParseLabelledMatrix(std::string_view text, const std::string& source,
                                   const ReadOptions& options);

// Every matrix a text file holds: one for a square matrix, one per value
// column read from a long table (all of them share the table's node set).
std::vector<LabelledMatrix> ParseLabelledMatrices(std::string_view text, const std::string& source,
                                                  const ReadOptions& options);

// Reads a file (or FILE:COLUMN, see SplitMatrixSpec); the matrix name
// defaults to the file stem ("TPR.csv" -> "TPR"), or the column read.
// UCINET DL and Pajek files are recognised by their first keyword; a DL file
// holding several matrices is an error here (use ReadLabelledMatrices).
LabelledMatrix ReadLabelledMatrix(const std::string& path, const ReadOptions& options);

// Every matrix of a file: one for CSV/TSV, edge lists and Pajek, nm for DL.
std::vector<LabelledMatrix> ReadLabelledMatrices(const std::string& path,
                                                 const ReadOptions& options);

// Writes a labelled square matrix as RFC 4180 CSV (used by tools and tests).
std::string FormatLabelledMatrixCsv(const LabelledMatrix& matrix);

}  // namespace qap
