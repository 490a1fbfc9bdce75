// Markdown tables, shared by the command reports and the study tables so
// that every table escapes its cells by the same rule.
#pragma once

#include <string>
#include <vector>

namespace qap {

// `text` with the characters Markdown would read as markup in a table cell
// backslash-escaped: '|' (a cell border), '*' and '_' (emphasis; the
// significance stars would otherwise turn a row italic).
inline std::string MarkdownEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|' || c == '*' || c == '_') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// A pipe table: the first row is the header; the first column is left
// aligned (labels) and the others right aligned (numbers).
inline std::string MarkdownTable(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out += "|";
    for (const std::string& cell : rows[r]) out += " " + MarkdownEscape(cell) + " |";
    out += "\n";
    if (r == 0) {
      out += "|";
      for (std::size_t c = 0; c < rows[r].size(); ++c) out += c == 0 ? "---|" : "---:|";
      out += "\n";
    }
  }
  return out;
}

}  // namespace qap
