// Number formatting shared by every renderer, so the same value prints the
// same way in text, CSV, Markdown and JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qap {

// Shortest decimal that reads back to the same double.
std::string FormatRoundTrip(double value);

// Fixed number of significant digits, e.g. for tables meant for people.
std::string FormatSignificant(double value, int digits);

// Fixed number of decimals.
std::string FormatFixed(double value, int decimals);

// An RFC 4180 field: quoted (inner quotes doubled) when it holds a comma,
// quote or line break.
std::string CsvQuote(const std::string& field);

// Parsing shared by every reader: the whole field or nothing, so "+-1",
// "2023abc", "0x10", "1,5" and "1e400" are refused rather than read in part.

// A finite decimal number: an optional single sign, digits with an optional
// point and exponent. No hex, no grouping, no blanks (callers trim), no
// NaN/Inf. Empty optional when the text is anything else or out of range.
std::optional<double> ParseFiniteNumber(std::string_view text);

// A year written as exactly four digits within [first, last]; "2023abc",
// "20231", "202303", " 2023" (untrimmed) and "+2023" are not years.
std::optional<int> ParseYear(std::string_view text, int first = 1900, int last = 2100);

}  // namespace qap
