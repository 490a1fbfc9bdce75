// RFC 4180 tokenizer that remembers where each field started.
//
// Written here rather than taken from a library because every error message
// must name the line and column of the offending cell, and quoted fields may
// span lines, so positions have to be tracked while tokenizing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "qap/errors.hpp"

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

// Picks the delimiter of the first record: tab, comma or semicolon, whichever
// occurs most often outside quotes (ties: tab, then comma, then semicolon).
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

// Reads a whole file; throws InputError naming the path if it cannot.
std::string ReadWholeFile(const std::string& path);

}  // namespace qap::detail
