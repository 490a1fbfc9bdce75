#include "qap/core/number_format.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace qap {

std::string FormatRoundTrip(double value) {
  if (std::isnan(value)) return "NA";
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return {buffer.data(), ec == std::errc() ? end : buffer.data()};
}

std::string FormatSignificant(double value, int digits) {
  if (std::isnan(value)) return "NA";
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                       std::chars_format::general, digits);
  return {buffer.data(), ec == std::errc() ? end : buffer.data()};
}

std::string FormatFixed(double value, int decimals) {
  if (std::isnan(value)) return "NA";
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                       std::chars_format::fixed, decimals);
  return {buffer.data(), ec == std::errc() ? end : buffer.data()};
}

std::string CsvQuote(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::optional<double> ParseFiniteNumber(std::string_view text) {
  std::string_view number = text;
  // from_chars takes a leading '-' but not '+'; strip one '+' and let no
  // second sign follow, so "+-1" is not read as -1.
  if (!number.empty() && number.front() == '+') {
    number.remove_prefix(1);
    if (number.empty() || number.front() == '-' || number.front() == '+') return std::nullopt;
  }
  if (number.empty()) return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<int> ParseYear(std::string_view text, int first, int last) {
  if (text.size() != 4) return std::nullopt;
  int year = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    year = year * 10 + (c - '0');
  }
  if (year < first || year > last) return std::nullopt;
  return year;
}

}  // namespace qap
