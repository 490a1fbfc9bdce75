// Stata (.dta), SPSS (.sav, .zsav) and SAS (.sas7bdat) data files as the
// records the CSV tokenizer gives, read through ReadStat (Debian:
// libreadstat-dev).
//
// Trade economists keep gravity panels in these formats: long tables with one
// row per (exporter, importer[, year]) and value columns. This reader only
// turns such a file into a header and rows of text fields, so the readers that
// map long tables onto matrices treat a .dta exactly like a .csv.
//
// What the text of each field is:
//   - strings: as stored, converted to UTF-8 by ReadStat (which reads the
//     file's encoding from the file: Stata 118/119 are UTF-8, older Stata
//     files are taken as Windows-1252, SPSS and SAS files name their own
//     encoding). Stata pads nothing; SPSS's trailing blanks are removed.
//   - numbers: the shortest decimal that reads back to the stored value
//     (FormatRoundTrip), so an integer-valued number prints without a
//     fraction ("156", never "156.0") and numeric node ids look like ids.
//     A 4-byte float (Stata `float`, pandas float32) prints as the shortest
//     decimal that reads back to that float ("0.1", not the
//     "0.10000000149011612" its widening to double would give): what Stata
//     displays and what the user typed.
//   - missing values of every kind as empty text "" (the project reads a
//     blank as missing): Stata's system missing `.` and extended `.a`–`.z`,
//     SPSS's system missing and user-defined missing values and ranges, SAS's
//     `.` and special missing `.A`–`.Z` and `._`, an empty string.
//   - value labels are NOT applied: a labelled variable gives its raw stored
//     value (`rta` = 1, not "yes"), since node ids and codes are what the
//     matrices are keyed on, and the value is what every tool agrees on.
//   - dates and times (Stata %td/%tc, SPSS DATE, SAS DATE formats) are the
//     numbers as stored (days since 1960-01-01 in Stata and SAS, seconds
//     since 1582-10-14 in SPSS); display formats are ignored.
//
// Positions: for these files a field's "line" is the 1-based observation
// (row) number and its "column" the 1-based variable number, so a message
// "file.dta:12:3" means observation 12, variable 3. The header's fields are
// the variable names, at line 0 with column = variable number.
//
// The input is untrusted: the whole file is read into memory first (bounded
// by `max_bytes`) and ReadStat parses it through in-memory I/O handlers, so
// the same code serves the fuzzer (ParseStatisticalBytes). Every ReadStat
// error becomes an InputError naming the file and ReadStat's message; a file
// that is not what its extension says is one of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qap/io/csv_tokenizer.hpp"

namespace qap {

enum class StatisticalKind {
  kStata,  // .dta, formats 104-119
  kSpss,   // .sav, and .zsav (zlib-compressed)
  kSas,    // .sas7bdat
};

// The kind an extension names (case-insensitive: .dta .sav .zsav .sas7bdat), or nothing.
std::optional<StatisticalKind> StatisticalKindOf(const std::string& path);
bool IsStatisticalFile(const std::string& path);

struct StatisticalTable {
  detail::CsvRecord header;             // variable names; line 0, column = variable number
  std::vector<detail::CsvRecord> rows;  // one per observation; record.line = observation number
  std::string format;  // "Stata .dta (format 118)", "SPSS .sav", "SPSS .zsav", "SAS .sas7bdat"
};

// Cells (observations × variables) a table may have: a CsvField per cell is
// some 50 bytes, so 2^31 cells is already about 100 GiB of memory; a file
// claiming more is refused before its data are read.
inline constexpr std::uint64_t kMaxStatisticalCells = std::uint64_t{1} << 31U;

// Reads `path` (kind by its extension; throws InputError when the extension
// is none of the four) whole, refusing a file larger than `max_bytes` before
// reading it.
StatisticalTable ReadStatisticalFile(const std::string& path,
                                     std::uint64_t max_bytes = detail::kDefaultReadLimit);

// Parses the bytes of a file of the given kind; `source` names it in messages.
StatisticalTable ParseStatisticalBytes(std::string_view bytes, const std::string& source,
                                       StatisticalKind kind);

}  // namespace qap
