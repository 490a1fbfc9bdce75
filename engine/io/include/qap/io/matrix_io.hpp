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

enum class InputFormat { kAuto, kMatrix, kEdgeList, kUcinetDl, kPajek };
inline constexpr EnumName<InputFormat> kInputFormatNames[] = {
    {InputFormat::kAuto, "auto", "recognised from the file's first line"},
    {InputFormat::kMatrix, "matrix", "a labelled square matrix (CSV or TSV)"},
    {InputFormat::kEdgeList, "edgelist", "an edge list: from, to, value"},
    {InputFormat::kUcinetDl, "dl", "UCINET DL"},
    {InputFormat::kPajek, "pajek", "Pajek .net"},
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

struct ReadOptions {
  InputFormat format = InputFormat::kAuto;
  std::optional<char> delimiter;  // detected from the first line when empty
  AbsentEdge absent_edge = AbsentEdge::kZero;
};

// Parses text; `source` names it in messages. The matrix name is left empty.
LabelledMatrix ParseLabelledMatrix(std::string_view text, const std::string& source,
                                   const ReadOptions& options);

// Reads a file; the matrix name defaults to the file stem ("TPR.csv" -> "TPR").
// UCINET DL and Pajek files are recognised by their first keyword; a DL file
// holding several matrices is an error here (use ReadLabelledMatrices).
LabelledMatrix ReadLabelledMatrix(const std::string& path, const ReadOptions& options);

// Every matrix of a file: one for CSV/TSV, edge lists and Pajek, nm for DL.
std::vector<LabelledMatrix> ReadLabelledMatrices(const std::string& path,
                                                 const ReadOptions& options);

// Writes a labelled square matrix as RFC 4180 CSV (used by tools and tests).
std::string FormatLabelledMatrixCsv(const LabelledMatrix& matrix);

}  // namespace qap
