// The text clean-up every reader does to a field or a name before comparing
// it, in one place so that all readers agree on what counts as blank and on
// which letters fold.
#pragma once

#include <string>
#include <string_view>

namespace qap {

// `text` without leading and trailing spaces and tabs. Only those two: a line
// break or a non-breaking space inside a CSV field is data, and the readers
// report it rather than silently dropping it.
[[nodiscard]] constexpr std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// `text` with A-Z folded to a-z and every other byte (UTF-8 included) kept.
// ASCII only, not std::tolower: the C library's answer depends on the process
// locale, and header and keyword matching must not.
[[nodiscard]] inline std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace qap
