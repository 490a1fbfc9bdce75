// A small reader of Office Open XML workbooks (.xlsx): cell text only.
//
// Written for the World Bank's WGI release workbook (wgidataset.xlsx), which
// users download as published: up to the 2023 release one sheet per indicator
// ("VoiceandAccountability", "Political StabilityNoViolence", ... with row 14
// holding the years and row 15 "Country/Territory","Code","Estimate",
// "StdErr","NumSrc","Rank","Lower","Upper", ...), from the 2024 release one
// long sheet ("codeindyr","code","countryname","year","indicator",...). The
// reader knows nothing of those layouts: it hands every worksheet over as
// records, like the CSV tokenizer does, and the attribute readers map them.
//
// What it reads: shared strings (rich-text runs concatenated, phonetic runs
// left out), inline strings, formula results (the cached value; formulas are
// not evaluated), booleans as TRUE/FALSE, errors as their text ("#N/A") and
// numbers as the text Excel wrote ("0.123456789", "1.2E-3"). Dates stay the
// serial numbers they are stored as; styles and number formats are ignored.
// Cells without a value (formatted blanks) are not cells for this reader.
//
// The input is untrusted (users download it; it is fuzzed): the zip is opened
// from memory, every entry is read with a bounded loop under size, total and
// compression-ratio caps, XML is parsed by expat with DTDs refused, and
// anything outside Excel's own limits is refused rather than truncated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "qap/io/csv_tokenizer.hpp"

namespace qap::detail {

struct XlsxSheet {
  std::string name;             // sheet name as in xl/workbook.xml
  std::vector<CsvRecord> rows;  // one record per row holding at least one value;
                                // record.line = spreadsheet row number (1-based);
                                // fields in column order, gaps filled with empty fields;
                                // field.line = row number, field.column = 1-based column
                                // index, field.quoted = the cell holds text (not a
                                // number, boolean or error)
};

// Caps on what a workbook may make the reader allocate. The defaults are far
// above what a WGI release workbook needs; tests and the fuzz target lower
// them to exercise the refusals cheaply.
struct XlsxLimits {
  std::uint64_t max_entry_bytes = std::uint64_t{256} << 20;  // one unpacked part
  std::uint64_t max_total_bytes = std::uint64_t{1} << 30;    // all parts read
  std::uint64_t max_ratio = 1000;                            // unpacked : packed ...
  std::uint64_t ratio_floor_bytes = std::uint64_t{1} << 20;  // ... for parts larger than this
  std::size_t max_rows = 1048576;                            // Excel's limits
  std::size_t max_columns = 16384;
  // Fields produced, counting the empty ones that fill gaps: a few bytes of
  // XML ("<c r=\"XFD1\"/>") would otherwise become thousands of fields.
  std::size_t max_fields = 20'000'000;
};

// Every worksheet of an Office Open XML workbook, in workbook order. Throws
// InputError naming `file` (and the part, sheet and cell where it applies) on
// anything it cannot read faithfully.
std::vector<XlsxSheet> ParseXlsxWorkbook(std::string_view bytes, const std::string& file,
                                         const XlsxLimits& limits = {});

bool LooksLikeZip(std::string_view bytes);   // "PK\x03\x04"
bool LooksLikeOle2(std::string_view bytes);  // D0 CF 11 E0 A1 B1 1A E1: .xls or encrypted .xlsx

}  // namespace qap::detail
