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

#include "qap/core/number_format.hpp"
#include "qap/core/numeric.hpp"
#include "qap/core/text.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/interchange.hpp"

namespace qap {

namespace {

using detail::CsvField;
using detail::CsvRecord;

SourcePosition PositionOf(const std::string& file, const CsvField& field,
                          std::size_t field_number) {
  return {file, field.line, field.column, field_number};
}

// Blank and NA are missing; NaN and infinities are refused because they are
// almost always the residue of a failed computation upstream.
double ParseCell(const CsvField& field, const std::string& file, std::size_t field_number,
                 const std::string& where) {
  const std::string_view text = Trim(field.text);
  if (text.empty() || text == "NA") {
    return kNaN;
  }
  const std::string lower = Lower(text);
  std::string_view unsigned_part = lower;
  if (!unsigned_part.empty() && (unsigned_part.front() == '+' || unsigned_part.front() == '-')) {
    unsigned_part.remove_prefix(1);
  }
  if (unsigned_part == "nan" || unsigned_part == "inf" || unsigned_part == "infinity") {
    throw InputError(PositionOf(file, field, field_number),
                     where + ": \"" + std::string(text) +
                         "\" is not a finite number (write NA or leave the cell blank for a "
                         "missing value)");
  }
  std::string_view number = text;
  if (!number.empty() && number.front() == '+') {
    number.remove_prefix(1);
    // from_chars would read "+-1" as -1 once the '+' is gone.
    if (!number.empty() && (number.front() == '-' || number.front() == '+')) {
      throw InputError(PositionOf(file, field, field_number),
                       where + ": \"" + std::string(text) + "\" is not a number (two signs)");
    }
  }
  double value = 0.0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec == std::errc::result_out_of_range) {
    throw InputError(PositionOf(file, field, field_number),
                     where + ": \"" + std::string(text) + "\" is out of the range of a double");
  }
  if (ec != std::errc() || end != number.data() + number.size()) {
    throw InputError(PositionOf(file, field, field_number),
                     where + ": \"" + std::string(text) + "\" is not a number");
  }
  if (!std::isfinite(value)) {
    throw InputError(PositionOf(file, field, field_number),
                     where + ": \"" + std::string(text) + "\" is not a finite number");
  }
  return value;
}

// The common case, a plain finite number with nothing around it, without
// building an error context; anything else goes to ParseCell.
bool ParseFastNumber(const std::string& text, double& value) {
  if (text.empty()) return false;
  const char* begin = text.data();
  const char* end = begin + text.size();
  const auto [stop, ec] = std::from_chars(begin, end, value);
  return ec == std::errc() && stop == end && std::isfinite(value);
}

std::string Quoted(const std::string& label) { return "\"" + label + "\""; }

// Index of the first byte that breaks UTF-8, or npos.
std::size_t InvalidUtf8At(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t length = 0;
    if (c < 0x80U) {
      length = 1;
    } else if ((c & 0xE0U) == 0xC0U && c >= 0xC2U) {
      length = 2;
    } else if ((c & 0xF0U) == 0xE0U) {
      length = 3;
    } else if ((c & 0xF8U) == 0xF0U && c <= 0xF4U) {
      length = 4;
    } else {
      return i;
    }
    if (i + length > s.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0U) != 0x80U) return i;
    }
    i += length;
  }
  return std::string::npos;
}

void CheckLabel(const std::string& label, const std::string& file, const CsvField& field,
                std::size_t field_number, const char* what) {
  if (Trim(label).empty()) {
    throw InputError(PositionOf(file, field, field_number), std::string(what) + " label is empty");
  }
  if (const std::size_t bad = InvalidUtf8At(label); bad != std::string::npos) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X",
                  static_cast<unsigned>(static_cast<unsigned char>(label[bad])));
    throw InputError(PositionOf(file, field, field_number),
                     std::string(what) + " label is not valid UTF-8 (byte " + byte +
                         " at position " + std::to_string(bad + 1) +
                         " of the label; save the file as UTF-8)");
  }
}

// Rows are parsed as they are read, so only one row of text fields exists at
// a time, whatever the size of the matrix.
LabelledMatrix ParseSquareMatrix(const CsvRecord& header, detail::CsvReader& reader) {
  const std::string& file = reader.file();
  if (header.fields.size() < 2) {
    throw InputError({file, header.line, 1, 1},
                     "the header row has a single field: expected a corner cell followed by "
                     "column labels (wrong delimiter? use --delim)");
  }
  const std::size_t n = header.fields.size() - 1;
  LabelledMatrix matrix;
  matrix.source = file;
  matrix.labels.reserve(n);
  std::unordered_map<std::string, std::size_t> column_of;
  for (std::size_t j = 0; j < n; ++j) {
    const CsvField& field = header.fields[j + 1];
    std::string label(Trim(field.text));
    CheckLabel(label, file, field, j + 2, "column");
    if (const auto [it, inserted] = column_of.emplace(label, j); !inserted) {
      throw InputError(PositionOf(file, field, j + 2), "duplicate column label " + Quoted(label) +
                                                           " (also column " +
                                                           std::to_string(it->second + 2) + ")");
    }
    matrix.labels.push_back(std::move(label));
  }
  // n rows of n delimited values need at least n * n bytes: refuse before
  // allocating n x n cells for a header that the file cannot back.
  if (n > kMaxDenseNodes || n * n > reader.size()) {
    throw InputError(
        {file, header.line, 1, 1},
        "the header names " + std::to_string(n) +
            " columns, more than the file can hold as a square matrix" +
            (n > kMaxDenseNodes ? " (the limit is " + std::to_string(kMaxDenseNodes) + " nodes)"
                                : ""));
  }
  const auto size = static_cast<Eigen::Index>(n);
  matrix.values.resize(size, size);
  std::vector<std::size_t> row_line(n, 0);  // line of each row label, 0 = not seen
  std::size_t rows = 0;
  std::size_t last_line = header.line;
  CsvRecord record;
  while (reader.Next(record)) {
    ++rows;
    last_line = record.line;
    if (rows > n) {
      throw InputError({file, record.line, 1, 1}, "the matrix is not square: " + std::to_string(n) +
                                                      " column labels but more data rows");
    }
    if (record.fields.size() != n + 1) {
      const CsvField& at =
          record.fields.size() > n + 1 ? record.fields[n + 1] : record.fields.back();
      throw InputError({file, at.line, at.column, std::min(record.fields.size(), n + 2)},
                       "row has " + std::to_string(record.fields.size()) + " fields, expected " +
                           std::to_string(n + 1) + " (a row label and " + std::to_string(n) +
                           " values)");
    }
    const CsvField& label_field = record.fields.front();
    const std::string label(Trim(label_field.text));
    CheckLabel(label, file, label_field, 1, "row");
    const auto column = column_of.find(label);
    if (column == column_of.end()) {
      throw InputError(
          PositionOf(file, label_field, 1),
          "row label " + Quoted(label) +
              " is not among the column labels (row and column labels must be the same node set)");
    }
    const std::size_t i = column->second;
    if (row_line[i] != 0) {
      throw InputError(PositionOf(file, label_field, 1), "duplicate row label " + Quoted(label) +
                                                             " (also on line " +
                                                             std::to_string(row_line[i]) + ")");
    }
    row_line[i] = record.line;
    for (std::size_t j = 0; j < n; ++j) {
      const CsvField& cell = record.fields[j + 1];
      double value = 0.0;
      if (!ParseFastNumber(cell.text, value)) {
        value =
            ParseCell(cell, file, j + 2,
                      "cell (row " + Quoted(label) + ", column " + Quoted(matrix.labels[j]) + ")");
      }
      matrix.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = value;
    }
  }
  if (rows != n) {
    throw InputError({file, last_line, 1, 1}, "the matrix is not square: " + std::to_string(n) +
                                                  " column labels but " + std::to_string(rows) +
                                                  " data rows");
  }
  return matrix;
}

template <std::size_t kCount>
bool IsOneOf(const std::string& name, const std::array<std::string_view, kCount>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

struct EdgeListColumns {
  std::size_t source = 0;
  std::size_t target = 1;
  std::size_t value = 2;
};

constexpr std::array<std::string_view, 8> kSourceNames = {
    "source", "from", "sender", "ego", "i", "exporter", "reporter", "origin"};
constexpr std::array<std::string_view, 8> kTargetNames = {
    "target", "to", "receiver", "alter", "j", "importer", "partner", "destination"};
constexpr std::array<std::string_view, 6> kValueNames = {"value", "weight", "w", "tie", "x", "y"};

std::optional<EdgeListColumns> FindEdgeListColumns(const CsvRecord& header) {
  EdgeListColumns columns;
  bool has_source = false;
  bool has_target = false;
  bool has_value = false;
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    const std::string name = Lower(Trim(header.fields[k].text));
    if (!has_source && IsOneOf(name, kSourceNames)) {
      columns.source = k;
      has_source = true;
    } else if (!has_target && IsOneOf(name, kTargetNames)) {
      columns.target = k;
      has_target = true;
    } else if (!has_value && IsOneOf(name, kValueNames)) {
      columns.value = k;
      has_value = true;
    }
  }
  if (has_source && has_target && has_value) return columns;
  return std::nullopt;
}

LabelledMatrix ParseEdgeList(const CsvRecord& header, detail::CsvReader& reader,
                             const ReadOptions& options) {
  const std::string& file = reader.file();
  const auto found = FindEdgeListColumns(header);
  if (!found) {
    throw InputError({file, header.line, 1, 1},
                     "edge list header must name a source, a target and a value column (for "
                     "example: source,target,value)");
  }
  const EdgeListColumns columns = *found;
  detail::RefuseDuplicateHeaderNames(header, file);
  struct Edge {
    std::size_t source;
    std::size_t target;
    double value;
    std::size_t line;
  };
  std::vector<Edge> edges;
  LabelledMatrix matrix;
  matrix.source = file;
  std::unordered_map<std::string, std::size_t> index_of;
  auto node = [&](const CsvField& field, std::size_t field_number) {
    std::string label(Trim(field.text));
    CheckLabel(label, file, field, field_number, "node");
    const auto [it, inserted] = index_of.emplace(label, matrix.labels.size());
    if (inserted) matrix.labels.push_back(std::move(label));
    return it->second;
  };
  CsvRecord record;
  while (reader.Next(record)) {
    detail::RefuseFieldCount(header, record, file);
    const std::size_t s = node(record.fields[columns.source], columns.source + 1);
    const std::size_t t = node(record.fields[columns.target], columns.target + 1);
    const std::string where =
        "edge " + Quoted(matrix.labels[s]) + " -> " + Quoted(matrix.labels[t]);
    const double value = ParseCell(record.fields[columns.value], file, columns.value + 1, where);
    edges.push_back({s, t, value, record.line});
  }
  if (edges.empty()) {
    throw InputError({file, header.line, 1, 1},
                     "the edge list has a header and no edges: there is no network to read");
  }
  if (matrix.labels.size() > kMaxDenseNodes) {
    throw InputError({file, header.line, 1, 1},
                     "the edge list names " + std::to_string(matrix.labels.size()) +
                         " nodes; a dense matrix here allows " + std::to_string(kMaxDenseNodes));
  }
  const auto size = static_cast<Eigen::Index>(matrix.labels.size());
  const double absent = options.absent_edge == AbsentEdge::kZero ? 0.0 : kNaN;
  matrix.values = DyadMatrix::Constant(size, size, absent);
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> line_of;
  for (const Edge& edge : edges) {
    if (const auto [it, inserted] = line_of.emplace(std::pair{edge.source, edge.target}, edge.line);
        !inserted) {
      throw InputError({file, edge.line, 1, 1},
                       "duplicate edge " + Quoted(matrix.labels[edge.source]) + " -> " +
                           Quoted(matrix.labels[edge.target]) + " (first on line " +
                           std::to_string(it->second) + ")");
    }
    matrix.values(static_cast<Eigen::Index>(edge.source), static_cast<Eigen::Index>(edge.target)) =
        edge.value;
  }
  return matrix;
}

// Layout from structure, never from what the node labels happen to be: a
// labelled matrix whose nodes are called I, J and W has a header that also
// names edge-list roles. An edge list needs a header of role names (source,
// target, value or synonyms); a labelled matrix is recognised by its first
// data row starting with one of the header's labels (its row and column
// labels are one node set). When both hold, the file reads two ways and the
// user must say which (`--input-format`).
InputFormat DetectLayout(const CsvRecord& header, std::string_view text, char delimiter,
                         const std::string& file) {
  const auto edge_columns = FindEdgeListColumns(header);
  if (!edge_columns) return InputFormat::kMatrix;
  detail::CsvReader reader(text, delimiter, file);
  CsvRecord record;
  reader.Next(record);  // the header again
  bool matrix_shaped = false;
  if (reader.Next(record)) {
    const std::string first(Trim(record.fields.front().text));
    for (std::size_t k = 1; k < header.fields.size() && !matrix_shaped; ++k) {
      matrix_shaped = !first.empty() && Trim(header.fields[k].text) == first;
    }
  } else {
    // A header alone: an empty corner cell is a matrix's, a named first column an edge list's.
    matrix_shaped = Trim(header.fields.front().text).empty();
  }
  if (!matrix_shaped) return InputFormat::kEdgeList;
  std::string roles;
  for (const std::size_t k : {edge_columns->source, edge_columns->target, edge_columns->value}) {
    roles += (roles.empty() ? "" : ", ") + Quoted(std::string(Trim(header.fields[k].text)));
  }
  throw InputError({file, header.line, 1, 1},
                   "this file reads two ways: as a labelled matrix (the first row's label is one "
                   "of the header's "
                   "labels) and as an edge list (the header has columns " +
                       roles + "); give --input-format matrix or --input-format edgelist");
}

}  // namespace

LabelledMatrix ParseLabelledMatrix(std::string_view text, const std::string& source,
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
  CsvRecord header;
  if (!reader.Next(header)) {
    throw InputError({source, 0, 0, 0},
                     options.format == InputFormat::kEdgeList
                         ? "the file is empty: expected an edge list"
                         : "the file is empty: expected a labelled square matrix");
  }
  InputFormat format = options.format;
  if (format == InputFormat::kAuto) format = DetectLayout(header, text, delimiter, source);
  return format == InputFormat::kEdgeList ? ParseEdgeList(header, reader, options)
                                          : ParseSquareMatrix(header, reader);
}

std::vector<LabelledMatrix> ReadLabelledMatrices(const std::string& path,
                                                 const ReadOptions& options) {
  const std::string text = detail::ReadWholeFile(path);
  const std::string stem = std::filesystem::path(path).stem().string();
  const bool dl = options.format == InputFormat::kUcinetDl ||
                  (options.format == InputFormat::kAuto && LooksLikeUcinetDl(text));
  const bool pajek = options.format == InputFormat::kPajek ||
                     (options.format == InputFormat::kAuto && LooksLikePajek(text));
  std::vector<LabelledMatrix> matrices;
  if (dl) {
    matrices = ParseUcinetDl(text, path);
  } else if (pajek) {
    matrices.push_back(ParsePajek(text, path));
  } else {
    matrices.push_back(ParseLabelledMatrix(text, path, options));
  }
  for (LabelledMatrix& m : matrices) {
    m.name = m.name.empty() ? stem : (matrices.size() > 1 ? stem + ":" + m.name : stem);
    m.source = path;
  }
  return matrices;
}

LabelledMatrix ReadLabelledMatrix(const std::string& path, const ReadOptions& options) {
  std::vector<LabelledMatrix> matrices = ReadLabelledMatrices(path, options);
  if (matrices.size() != 1) {
    std::string names;
    for (const LabelledMatrix& m : matrices) names += (names.empty() ? "" : ", ") + m.name;
    throw InputError({path, 0, 0, 0}, "holds " + std::to_string(matrices.size()) + " matrices (" +
                                          names + "); split it with `qap convert " + path +
                                          " FOLDER/` and read one");
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
