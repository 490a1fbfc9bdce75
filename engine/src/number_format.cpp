#include "number_format.hpp"

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

}  // namespace qap
