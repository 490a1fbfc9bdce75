#include "qap/io/matrix_io.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "cell_parsing.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/numeric.hpp"
#include "qap/core/text.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/dyad_table.hpp"
#include "qap/io/graph_files.hpp"
#include "qap/io/interchange.hpp"
#include "qap/io/statistical_file.hpp"
#include "qap/io/text_encoding.hpp"

namespace qap {

namespace {

using detail::CsvField;
using detail::CsvRecord;

// Where a square matrix keeps its labels. R writes all of these: write.csv(m)
// a corner cell, column labels and row labels; write.table(m) the same
// without the corner cell; write.csv(m, row.names = FALSE) column labels only;
// a bare matrix (MASS::write.matrix, numpy.savetxt) no labels at all.
struct SquareLayout {
  bool header = true;      // the first line holds column labels
  bool corner = true;      // ... after a corner cell
  bool row_labels = true;  // each row starts with its label
};

bool IsNumberOrMissing(const CsvField& field) {
  double value = 0.0;
  const std::string_view text = Trim(field.text);
  return text == "NA" || (!text.empty() && detail::ParseFastNumber(std::string(text), value));
}

bool AllNumbers(const CsvRecord& record, std::size_t from = 0) {
  for (std::size_t k = from; k < record.fields.size(); ++k) {
    if (!IsNumberOrMissing(record.fields[k])) return false;
  }
  return true;
}

std::string PositionLabel(std::size_t k) { return std::to_string(k + 1); }

// R's write.csv of a matrix without dimnames: columns V1..Vn, rows 1..n.
bool LooksLikeRWithoutDimnames(const std::vector<std::string>& column_labels,
                               const std::string& row_label) {
  for (std::size_t k = 0; k < column_labels.size(); ++k) {
    if (column_labels[k] != "V" + PositionLabel(k)) return false;
  }
  return !row_label.empty() && row_label.find_first_not_of("0123456789") == std::string::npos;
}

// Rows are parsed as they are read, so only one row of text fields exists at
// a time, whatever the size of the matrix. `first` is the header, or the
// first data row of a file without one.
LabelledMatrix ParseSquareMatrix(const CsvRecord& first, detail::CsvReader& reader,
                                 SquareLayout layout, LabelSource label_source) {
  const std::string& file = reader.file();
  const bool by_name = label_source == LabelSource::kNames && layout.header && layout.row_labels;
  const std::size_t skip = layout.header ? (layout.corner ? 1 : 0) : (layout.row_labels ? 1 : 0);
  if (first.fields.size() < skip + 1 || (layout.corner && first.fields.size() < 2)) {
    throw InputError({file, first.line, 1, 1},
                     std::vector<std::string>{
                         "the first line has a single field: expected a corner cell followed by "
                         "column labels (wrong ",
                         "delimiter", "?)"});
  }
  const std::size_t n = first.fields.size() - skip;
  LabelledMatrix matrix;
  matrix.source = file;
  matrix.labels.reserve(n);
  std::unordered_map<std::string, std::size_t> column_of;
  std::vector<std::string> column_labels;  // as the file has them, for messages
  if (layout.header) {
    for (std::size_t j = 0; j < n; ++j) {
      const CsvField& field = first.fields[j + skip];
      std::string label(Trim(field.text));
      if (label_source == LabelSource::kNames) {
        detail::CheckLabel(label, file, field, j + skip + 1, "column");
        if (const auto [it, inserted] = column_of.emplace(label, j); !inserted) {
          throw InputError(detail::PositionOf(file, field, j + skip + 1),
                           "duplicate column label " + detail::Quoted(label) + " (also column " +
                               std::to_string(it->second + skip + 1) + ")");
        }
      }
      column_labels.push_back(std::move(label));
    }
  }
  for (std::size_t j = 0; j < n; ++j) {
    matrix.labels.push_back(by_name || (layout.header && label_source == LabelSource::kNames)
                                ? column_labels[j]
                                : PositionLabel(j));
  }
  if (!by_name && label_source == LabelSource::kNames) {
    matrix.notes.push_back(layout.header ? "rows have no labels: row k is the node of column k"
                                         : "the file has no labels: nodes are numbered 1.." +
                                               std::to_string(n) + " by position");
  } else if (label_source == LabelSource::kPosition) {
    matrix.notes.push_back("nodes by position: numbered 1.." + std::to_string(n) +
                           ", whatever the file calls them");
  }
  // n rows of n delimited values need at least n * n bytes: refuse before
  // allocating n x n cells for a header that the file cannot back.
  if (n > kMaxDenseNodes || n * n > reader.size()) {
    throw InputError(
        {file, first.line, 1, 1},
        "the first line has " + std::to_string(n) +
            " columns, more than the file can hold as a square matrix" +
            (n > kMaxDenseNodes ? " (the limit is " + std::to_string(kMaxDenseNodes) + " nodes)"
                                : ""));
  }
  const std::size_t width = n + (layout.row_labels ? 1 : 0);
  const auto size = static_cast<Eigen::Index>(n);
  matrix.values.resize(size, size);
  std::vector<std::size_t> row_line(n, 0);  // line of each row label, 0 = not seen
  std::size_t rows = 0;
  std::size_t last_line = first.line;
  auto take = [&](const CsvRecord& record) {
    ++rows;
    last_line = record.line;
    if (rows > n) {
      throw InputError({file, record.line, 1, 1},
                       "the matrix is not square: " + std::to_string(n) +
                           (layout.header ? " column labels" : " values on the first line") +
                           " but more data rows");
    }
    if (record.fields.size() != width) {
      const CsvField& at =
          record.fields.size() > width ? record.fields[width] : record.fields.back();
      throw InputError(
          {file, at.line, at.column, std::min(record.fields.size(), width + 1)},
          "row has " + std::to_string(record.fields.size()) + " fields, expected " +
              std::to_string(width) +
              (layout.row_labels ? " (a row label and " + std::to_string(n) + " values)"
                                 : " values"));
    }
    std::size_t i = rows - 1;
    std::string label = matrix.labels[i];
    if (by_name) {
      const CsvField& label_field = record.fields.front();
      label = std::string(Trim(label_field.text));
      detail::CheckLabel(label, file, label_field, 1, "row");
      const auto column = column_of.find(label);
      if (column == column_of.end()) {
        if (LooksLikeRWithoutDimnames(column_labels, label)) {
          throw InputError(detail::PositionOf(file, label_field, 1),
                           std::vector<std::string>{
                               "the nodes have no names: columns V1..V" + std::to_string(n) +
                                   " and rows numbered from 1 are what R's write.csv(m) writes "
                                   "for a matrix without dimnames. Read it by position (",
                               "labels",
                               " position), or name the nodes in R first: "
                               "dimnames(m) <- list(ids, ids); write.csv(m, \"m.csv\")"});
        }
        throw InputError(detail::PositionOf(file, label_field, 1),
                         "row label " + detail::Quoted(label) +
                             " is not among the column labels (row and column labels must be the "
                             "same node set)");
      }
      i = column->second;
      if (row_line[i] != 0) {
        throw InputError(detail::PositionOf(file, label_field, 1),
                         "duplicate row label " + detail::Quoted(label) + " (also on line " +
                             std::to_string(row_line[i]) + ")");
      }
    }
    row_line[i] = record.line;
    const std::size_t offset = layout.row_labels ? 1 : 0;
    for (std::size_t j = 0; j < n; ++j) {
      const CsvField& cell = record.fields[j + offset];
      double value = 0.0;
      if (!detail::ParseFastNumber(cell.text, value)) {
        value = detail::ParseCell(cell, file, j + offset + 1,
                                  "cell (row " + detail::Quoted(label) + ", column " +
                                      detail::Quoted(matrix.labels[j]) + ")");
      }
      matrix.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = value;
    }
  };
  if (!layout.header) take(first);
  CsvRecord record;
  while (reader.Next(record)) {
    if (!layout.header && rows == n && AllNumbers(record)) {
      throw InputError(
          {file, record.line, 1, 1},
          std::vector<std::string>{
              "the file has " + std::to_string(n) + " numbers per line and more than " +
                  std::to_string(n) +
                  " lines: if its first line names the nodes (as write.csv(m, row.names "
                  "= FALSE) writes), read it by position (",
              "labels",
              std::string(" position); an edge list of numeric node ids (igraph's write_graph "
                          "format \"edgelist\") is read with "),
              "input_format", " edgelist; otherwise it is not a square matrix"});
    }
    take(record);
  }
  if (rows != n) {
    throw InputError({file, last_line, 1, 1},
                     "the matrix is not square: " + std::to_string(n) +
                         (layout.header ? " column labels" : " values per line") + " but " +
                         std::to_string(rows) + " data rows");
  }
  return matrix;
}

// A headerless edge list as igraph (write_graph "edgelist", "ncol") and
// networkx (write_edgelist, write_weighted_edgelist) write it: blank-separated
// source, target and at most one weight (or networkx's attribute dict).
bool LooksLikeHeaderlessEdgeList(const CsvRecord& first, char delimiter) {
  if (delimiter != detail::kBlankDelimiter) return false;
  const std::size_t width = first.fields.size();
  if (width < 2) return false;
  if (width >= 3 && Trim(first.fields[2].text).substr(0, 1) == "{") return true;
  if (width == 3) return IsNumberOrMissing(first.fields[2]) && !AllNumbers(first);
  return width == 2 && !AllNumbers(first);
}

// An edge list of numeric node ids, as igraph's write_graph(format =
// "edgelist") writes it (0-based vertex ids, no weights) or networkx's
// edge-list writers write a graph whose nodes are integers: blank-separated,
// two unquoted whole numbers and at most a weight. Only its line count tells
// it from a bare matrix of numbers.
bool LooksLikeNumericEdgeList(const CsvRecord& first, char delimiter) {
  if (delimiter != detail::kBlankDelimiter) return false;
  const std::size_t width = first.fields.size();
  if (width != 2 && width != 3) return false;
  for (std::size_t k = 0; k < 2; ++k) {
    const CsvField& field = first.fields[k];
    const std::string_view id = Trim(field.text);
    if (field.quoted || id.empty() ||
        id.find_first_not_of("0123456789") != std::string_view::npos) {
      return false;
    }
  }
  return width == 2 || IsNumberOrMissing(first.fields[2]);
}

// The number of records of `text`, counting no further than `most`.
std::size_t CountRecords(std::string_view text, char delimiter, const std::string& file,
                         std::size_t most) {
  detail::CsvReader reader(text, delimiter, file);
  CsvRecord record;
  std::size_t count = 0;
  while (count < most && reader.Next(record)) ++count;
  return count;
}

// Layout from structure, never from what the node labels happen to be: a
// labelled matrix whose nodes are called I and J has a header that also
// names node columns. A long table needs a header naming a pair of node
// columns; a labelled matrix is recognised by its first data row starting
// with one of the header's labels (its row and column labels are one node
// set). When both hold, the file reads two ways and the user must say which.
enum class TextLayout { kSquare, kLongTable, kHeaderlessEdgeList };

TextLayout DetectLayout(const CsvRecord& first, std::string_view text, char delimiter,
                        const std::string& file, LabelSource labels, SquareLayout& square) {
  detail::CsvReader reader(text, delimiter, file);
  CsvRecord second;
  reader.Next(second);  // the first line again
  const bool has_second = reader.Next(second);
  const std::size_t width = first.fields.size();
  bool matrix_shaped = false;      // the first row's label is one of the header's labels
  bool corner_over_label = false;  // an empty corner cell over a text label
  if (has_second) {
    const std::string label(Trim(second.fields.front().text));
    for (std::size_t k = 1; k < width && !matrix_shaped; ++k) {
      matrix_shaped = !label.empty() && Trim(first.fields[k].text) == label;
    }
    // An empty corner cell over a row label is a matrix's; over a number
    // (pandas' unnamed index column) a table's.
    corner_over_label =
        Trim(first.fields.front().text).empty() && !IsNumberOrMissing(second.fields.front());
  } else {
    // A header alone: an empty corner cell is a matrix's, a named first column a table's.
    matrix_shaped = Trim(first.fields.front().text).empty();
  }
  std::string node_names;  // the node-column pairs the header names, if any
  for (const NodeColumnPair& pair : kNodeColumnPairs) {
    bool source = false;
    bool target = false;
    for (const CsvField& field : first.fields) {
      source = source || Lower(Trim(field.text)) == pair.source;
      target = target || Lower(Trim(field.text)) == pair.target;
    }
    if (source && target) {
      node_names += (node_names.empty() ? "" : " and ") + std::string("\"") +
                    std::string(pair.source) + "\", \"" + std::string(pair.target) + "\"";
    }
  }
  if (!node_names.empty()) {
    if (!matrix_shaped) return corner_over_label ? TextLayout::kSquare : TextLayout::kLongTable;
    throw InputError({file, first.line, 1, 1},
                     std::vector<std::string>{
                         "this file reads two ways: as a labelled matrix (the first row's label "
                         "is one of the header's labels) and as a long table (the header names "
                         "node columns " +
                             node_names + "); say which with ",
                         "input_format", " (matrix or edgelist)"});
  }
  if (LooksLikeHeaderlessEdgeList(first, delimiter) &&
      (!has_second || second.fields.size() == width ||
       Trim(first.fields[2 % width].text).substr(0, 1) == "{")) {
    return TextLayout::kHeaderlessEdgeList;
  }
  if (has_second && second.fields.size() == width + 1 && !Trim(first.fields.front().text).empty()) {
    square = {true, false, true};  // write.table: the header has no corner cell
    return TextLayout::kSquare;
  }
  // More lines than a square matrix of this width has: node ids and weights.
  // (R quotes a header of numeric labels, which LooksLikeNumericEdgeList
  // refuses; only write.table(m, row.names = FALSE, quote = FALSE) of numeric
  // dimnames is read wrongly here.)
  if (LooksLikeNumericEdgeList(first, delimiter) &&
      CountRecords(text, delimiter, file, width + 1) > width) {
    return TextLayout::kHeaderlessEdgeList;
  }
  if (AllNumbers(first)) {
    square = {false, false, false};  // bare numbers
    return TextLayout::kSquare;
  }
  if (has_second && second.fields.size() == width && AllNumbers(second) &&
      !Trim(first.fields.front().text).empty()) {
    if (labels == LabelSource::kPosition) {
      square = {true, false, false};  // write.csv(m, row.names = FALSE), read by position
      return TextLayout::kSquare;
    }
    throw InputError(
        {file, first.line, 1, 1},
        std::vector<std::string>{
            "the first line has " + std::to_string(width) +
                " labels and the rows have no row label, only " + std::to_string(width) +
                " numbers (R's write.csv(m, row.names = FALSE) writes this): read it "
                "by position (",
            "labels",
            " position: row k is the node of column k), or write it from R with "
            "write.csv(m) so that each row carries its label"});
  }
  square = {true, true, true};
  return TextLayout::kSquare;
}

}  // namespace

LabelledMatrix ParseLabelledMatrix(std::string_view text, const std::string& source,
                                   const ReadOptions& options) {
  std::vector<LabelledMatrix> matrices = ParseLabelledMatrices(text, source, options);
  if (matrices.size() != 1) {
    std::string names;
    for (const LabelledMatrix& m : matrices) names += (names.empty() ? "" : ", ") + m.name;
    throw InputError({source, 0, 0, 0}, "holds " + std::to_string(matrices.size()) + " matrices (" +
                                            names + "); read one as " + source + ":NAME");
  }
  return std::move(matrices.front());
}

std::vector<LabelledMatrix> ParseLabelledMatrices(std::string_view text, const std::string& source,
                                                  const ReadOptions& options) {
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    const std::size_t line =
        static_cast<std::size_t>(
            std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n')) +
        1;
    throw InputError({source, line, 0, 0}, "contains a NUL byte (offset " + std::to_string(nul) +
                                               "): this is a binary file, not a CSV/TSV text file");
  }
  const char delimiter = options.delimiter.value_or(detail::DetectDelimiter(text));
  detail::CsvReader reader(text, delimiter, source);
  CsvRecord first;
  if (!reader.Next(first)) {
    throw InputError({source, 0, 0, 0},
                     options.format == InputFormat::kEdgeList
                         ? "the file is empty: expected an edge list"
                         : "the file is empty: expected a labelled square matrix");
  }
  SquareLayout square;
  TextLayout layout = TextLayout::kSquare;
  if (options.format == InputFormat::kAuto) {
    layout = DetectLayout(first, text, delimiter, source, options.labels, square);
  } else if (options.format == InputFormat::kEdgeList) {
    layout = FindNodeColumns(first, source) ? TextLayout::kLongTable
             : LooksLikeHeaderlessEdgeList(first, delimiter) ||
                     LooksLikeNumericEdgeList(first, delimiter)
                 ? TextLayout::kHeaderlessEdgeList
                 : TextLayout::kLongTable;
  }
  if (layout == TextLayout::kSquare) {
    if (!options.columns.empty()) {
      throw InputError({source, 0, 0, 0},
                       "is a square matrix, which has no column " +
                           detail::Quoted(options.columns.front()) +
                           " to read (FILE:COLUMN reads a column of a long table)");
    }
    if (!options.where.empty()) {
      throw InputError({source, 0, 0, 0},
                       std::vector<std::string>{"is a square matrix: a row filter (", "where",
                                                ") applies to long tables only"});
    }
    std::vector<LabelledMatrix> out;
    out.push_back(ParseSquareMatrix(first, reader, square, options.labels));
    return out;
  }
  DyadTableOptions table;
  table.value_columns = options.columns;
  table.where = options.where;
  table.headerless = layout == TextLayout::kHeaderlessEdgeList;
  // A table read by column is data: an unlisted pair is unknown. An edge list
  // read whole is a network: an unlisted pair is no tie.
  table.absent_edge = options.absent_edge.value_or(options.columns.empty() ? AbsentEdge::kZero
                                                                           : AbsentEdge::kMissing);
  return BuildDyadMatrices(
      first, [&reader](CsvRecord& record) { return reader.Next(record); }, source, table);
}

MatrixSpec SplitMatrixSpec(const std::string& spec) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (spec == "-" || fs::exists(spec, ec)) return {spec, std::nullopt};
  const std::size_t colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) {
    return {spec, std::nullopt};
  }
  std::string path = spec.substr(0, colon);
  if (path == "-" || fs::exists(path, ec)) return {std::move(path), spec.substr(colon + 1)};
  return {spec, std::nullopt};
}

std::vector<LabelledMatrix> ReadLabelledMatrices(const std::string& spec,
                                                 const ReadOptions& given) {
  const MatrixSpec where = SplitMatrixSpec(spec);
  const std::string& path = where.path;
  ReadOptions options = given;
  if (where.column) options.columns = {*where.column};
  // "-" is standard input, read to the stream limit like any pipe. UTF-16
  // with a byte-order mark (Excel's "Unicode Text") is read as UTF-8 (issue 13).
  const std::string text =
      detail::TranscodeUtf16WithBom(detail::ReadWholeFile(path == "-" ? "/dev/stdin" : path), path);
  const std::string stem = path == "-" ? "stdin" : std::filesystem::path(path).stem().string();
  const std::optional<StatisticalKind> statistical = StatisticalKindOf(path);
  const bool dl = options.format == InputFormat::kUcinetDl ||
                  (options.format == InputFormat::kAuto && LooksLikeUcinetDl(text));
  const bool pajek = options.format == InputFormat::kPajek ||
                     (options.format == InputFormat::kAuto && LooksLikePajek(text));
  const std::string extension = Lower(std::filesystem::path(path).extension().string());
  const bool graphml =
      options.format == InputFormat::kGraphml ||
      (options.format == InputFormat::kAuto && (extension == ".graphml" || LooksLikeGraphml(text)));
  const bool gml =
      options.format == InputFormat::kGml ||
      (options.format == InputFormat::kAuto && (extension == ".gml" || LooksLikeGml(text)));
  std::vector<LabelledMatrix> matrices;
  bool named_by_column = false;  // a table's matrices are named by their columns
  if (statistical &&
      (options.format == InputFormat::kAuto || options.format == InputFormat::kEdgeList)) {
    // Stata, SPSS and SAS files hold long tables (a gravity panel), never a square matrix.
    const StatisticalTable table = ParseStatisticalBytes(text, path, *statistical);
    DyadTableOptions dyads;
    dyads.value_columns = options.columns;
    dyads.where = options.where;
    dyads.absent_edge = options.absent_edge.value_or(
        options.columns.empty() ? AbsentEdge::kZero : AbsentEdge::kMissing);
    std::size_t row = 0;
    matrices = BuildDyadMatrices(
        table.header,
        [&](detail::CsvRecord& record) {
          if (row == table.rows.size()) return false;
          record = table.rows[row++];
          return true;
        },
        path, dyads);
    named_by_column = !options.columns.empty() || matrices.size() > 1;
  } else if (dl) {
    matrices = ParseUcinetDl(text, path);
    if (!options.columns.empty()) {
      std::vector<LabelledMatrix> chosen;
      for (const std::string& name : options.columns) {
        const auto it = std::find_if(matrices.begin(), matrices.end(),
                                     [&](const LabelledMatrix& m) { return m.name == name; });
        if (it == matrices.end()) {
          std::string names;
          for (const LabelledMatrix& m : matrices) {
            names += (names.empty() ? "" : ", ") + detail::Quoted(m.name);
          }
          throw InputError({path, 0, 0, 0},
                           "has no matrix " + detail::Quoted(name) + "; its matrices are " + names);
        }
        chosen.push_back(*it);
      }
      matrices = std::move(chosen);
      named_by_column = true;
    }
  } else if (pajek) {
    if (!options.columns.empty()) {
      throw InputError({path, 0, 0, 0}, "is a Pajek file, which has no column " +
                                            detail::Quoted(options.columns.front()) + " to read");
    }
    matrices.push_back(ParsePajek(text, path));
  } else if (graphml || gml) {
    // One parse per FILE:ATTRIBUTE column (each names the attribute's matrix), else every one.
    GraphReadOptions graph{.attribute = std::nullopt,
                           .absent_edge = options.absent_edge.value_or(AbsentEdge::kZero)};
    for (std::size_t k = 0; k < std::max<std::size_t>(options.columns.size(), 1); ++k) {
      if (!options.columns.empty()) graph.attribute = options.columns[k];
      std::vector<LabelledMatrix> read =
          graphml ? ParseGraphml(text, path, graph) : ParseGml(text, path, graph);
      for (LabelledMatrix& m : read) matrices.push_back(std::move(m));
    }
    named_by_column = !options.columns.empty();
  } else {
    matrices = ParseLabelledMatrices(text, path, options);
    named_by_column = !options.columns.empty() || matrices.size() > 1;
  }
  for (LabelledMatrix& m : matrices) {
    if (named_by_column) continue;
    m.name = m.name.empty() ? stem : (matrices.size() > 1 ? stem + ":" + m.name : stem);
  }
  for (LabelledMatrix& m : matrices) m.source = path;
  return matrices;
}

LabelledMatrix ReadLabelledMatrix(const std::string& spec, const ReadOptions& options) {
  std::vector<LabelledMatrix> matrices = ReadLabelledMatrices(spec, options);
  if (matrices.size() != 1) {
    std::string names;
    for (const LabelledMatrix& m : matrices) {
      // "net:weight" is read as FILE:weight: list what goes after the colon.
      const std::size_t colon = m.name.rfind(':');
      names += (names.empty() ? "" : ", ") +
               (colon == std::string::npos ? m.name : m.name.substr(colon + 1));
    }
    throw InputError({spec, 0, 0, 0}, "holds " + std::to_string(matrices.size()) + " matrices (" +
                                          names + "); read one as " + spec +
                                          ":NAME, or split the file with `qap convert " + spec +
                                          " FOLDER/`");
  }
  return std::move(matrices.front());
}

std::string FormatLabelledMatrixCsv(const LabelledMatrix& matrix) {
  std::string out;
  for (const std::string& label : matrix.labels) out += "," + CsvQuote(label);
  out += "\n";
  for (Eigen::Index i = 0; i < matrix.size(); ++i) {
    out += CsvQuote(matrix.labels[static_cast<std::size_t>(i)]);
    for (Eigen::Index j = 0; j < matrix.size(); ++j) {
      const double v = matrix.values(i, j);
      out += ",";
      out += IsObserved(v) ? FormatRoundTrip(v) : "NA";
    }
    out += "\n";
  }
  return out;
}

}  // namespace qap
