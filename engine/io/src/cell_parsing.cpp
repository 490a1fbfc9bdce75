#include "cell_parsing.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "qap/core/numeric.hpp"
#include "qap/core/text.hpp"

namespace qap::detail {

namespace {

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

}  // namespace

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

}  // namespace qap::detail
