// RFC 4180 tokenizer that remembers where each field started.
//
// Written here rather than taken from a library because every error message
// must name the line and column of the offending cell, and quoted fields may
// span lines, so positions have to be tracked while tokenizing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qap/core/errors.hpp"

namespace qap::detail {

struct CsvField {
  std::string text;
  std::size_t line = 0;    // 1-based physical line where the field starts
  std::size_t column = 0;  // 1-based byte column where the field starts
  bool quoted = false;
};

struct CsvRecord {
  std::vector<CsvField> fields;
  std::size_t line = 0;  // line where the record starts
};

// The delimiter value that means "runs of blanks": fields separated by one or
// more spaces or tabs, leading and trailing blanks ignored, quotes as in CSV
// (R's write.table, igraph's and networkx's edge lists).
inline constexpr char kBlankDelimiter = ' ';

// Picks the delimiter of the first record: tab, comma or semicolon, whichever
// occurs most often outside quotes (ties: tab, then comma, then semicolon);
// kBlankDelimiter when there is none of them but fields separated by spaces.
char DetectDelimiter(std::string_view text);

// Reads records one at a time, so a large matrix never exists as a list of
// string fields. Strips a UTF-8 byte order mark, accepts LF, CRLF and lone CR
// line ends, skips blank lines. Throws InputError on an unclosed quote or on
// characters after a closing quote. `text` must outlive the reader.
class CsvReader {
 public:
  CsvReader(std::string_view text, char delimiter, std::string file);
  // Fills `record` (reusing its storage) and returns true, or returns false at the end.
  bool Next(CsvRecord& record);
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] std::size_t size() const noexcept { return text_.size(); }

 private:
  std::string_view text_;
  char delimiter_;
  std::string file_;
  std::size_t position_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
};

// All records at once (small files: headers, tests, golden files).
std::vector<CsvRecord> TokenizeCsv(std::string_view text, char delimiter, const std::string& file);

// Header + rows tables. Every tabular reader calls these two, so a row that
// an unquoted comma split into one field more (which would shift every later
// field: a trade value read from the weight column) and a header that names a
// column twice (where a name lookup would silently take one of them) are
// refused the same way everywhere, naming file, line and column.
//
// Header names are compared after trimming blanks and, when
// `case_insensitive`, ASCII case; empty names are not compared (several
// unnamed columns are common, e.g. a matrix corner or a trailing comma).
void RefuseDuplicateHeaderNames(const CsvRecord& header, const std::string& file,
                                bool case_insensitive = true);
// Throws when `row` does not have as many fields as `header`; names the first
// extra field (with its text) or the first missing column (by its header name).
void RefuseFieldCount(const CsvRecord& header, const CsvRecord& row, const std::string& file);

// A header's columns by name, for the readers that look columns up: checked
// for duplicates (RefuseDuplicateHeaderNames) when made, names compared after
// trimming blanks and, when `case_insensitive`, ASCII case (so the names asked
// for must then be lower case); duplicates differing only in case are refused
// either way. One place for the lookup and for the message
// a missing required column gets, so every reader says it the same way.
class CsvTable {
 public:
  CsvTable(const CsvRecord& header, std::string file, bool case_insensitive = false);

  // The column's 0-based index, or nothing.
  [[nodiscard]] std::optional<std::size_t> FindColumn(std::string_view name) const;
  // The column's 0-based index; throws InputError `missing column "name"` at
  // the header's line (column 1) when there is none.
  [[nodiscard]] std::size_t RequireColumn(std::string_view name) const;
  // Every named column (unnamed ones left out), ordered by (folded) name.
  [[nodiscard]] const std::map<std::string, std::size_t, std::less<>>& columns() const {
    return columns_;
  }

 private:
  std::string file_;
  std::size_t line_;
  std::map<std::string, std::size_t, std::less<>> columns_;
};

// Sizes a valid input can have. A regular file larger than the limit is
// refused before reading; a pipe or device (no size up front) is read at most
// to `min(limit, kMaxStreamBytes)` and refused beyond it, so `/dev/zero` or an
// endless generator ends in an InputError, not in exhausted memory.
// Each kind of file has its own limit: a manifest or a country table that is
// gigabytes is not one, and reading it whole first would only delay the error.
//   publishers' bulk files, trade files, matrices: 4 GiB (the World Bank's
//     WDIData.csv is some 300 MB; a 20,000-node matrix of 10-byte cells 4 GB)
//   tables with a row per economy (or economy and year: country tables,
//     memberships, advanced economies, printed study tables): 64 MiB, a
//     thousand times the largest real one
//   study manifests: 16 MiB (a real one is a few kilobytes)
inline constexpr std::uint64_t kDefaultReadLimit = std::uint64_t{4} << 30U;        // 4 GiB
inline constexpr std::uint64_t kEconomyTableReadLimit = std::uint64_t{64} << 20U;  // 64 MiB
inline constexpr std::uint64_t kManifestReadLimit = std::uint64_t{16} << 20U;      // 16 MiB
inline constexpr std::uint64_t kMaxStreamBytes = std::uint64_t{256} << 20U;        // 256 MiB

// Throws InputError naming the path when it cannot be read as a file: missing,
// a directory, a symlink loop ("too many levels of symbolic links"), no
// permission. Returns true for a regular file, false for a pipe or device.
bool CheckInputPath(const std::string& path);

// Reads a whole file; throws InputError naming the path if it cannot, or if
// it holds more than `max_bytes` (see kMaxStreamBytes for pipes and devices).
std::string ReadWholeFile(const std::string& path, std::uint64_t max_bytes = kDefaultReadLimit);

// "1.5 GiB"-style size for messages.
std::string DescribeBytes(std::uint64_t bytes);

}  // namespace qap::detail
