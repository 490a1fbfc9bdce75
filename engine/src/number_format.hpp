// Number formatting shared by every renderer, so the same value prints the
// same way in text, CSV, Markdown and JSON.
#pragma once

#include <string>

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

}  // namespace qap
