#include "qap/io/interchange.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/numeric.hpp"
#include "qap/core/text.hpp"

namespace qap {

namespace {

struct Line {
  std::string text;
  std::size_t number;
};

std::vector<Line> Lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t start = 0;
  std::size_t number = 1;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back({line, number++});
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

// Tokens separated by blanks or commas; double quotes group (Pajek labels, DL labels with spaces).
std::vector<std::string> Tokens(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == ',')) ++i;
    if (i >= line.size()) break;
    std::string token;
    if (line[i] == '"') {
      ++i;
      while (i < line.size() && line[i] != '"') token.push_back(line[i++]);
      ++i;
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != ',')
        token.push_back(line[i++]);
    }
    out.push_back(token);
  }
  return out;
}

double Number(const std::string& token, const std::string& source, std::size_t line) {
  if (token == "NA" || token == "." || token == "?") return kNaN;
  const auto value = ParseFiniteNumber(token);
  if (!value) throw InputError({source, line, 0, 0}, "\"" + token + "\" is not a finite number");
  return *value;
}

std::size_t Count(const std::string& value, const std::string& key, const std::string& source,
                  std::size_t line) {
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n == 0) {
    throw InputError({source, line, 0, 0},
                     key + " must be a positive whole number, got \"" + value + "\"");
  }
  return n;
}

std::string Quote(const std::string& label) { return "\"" + label + "\""; }

// kMaxDenseNodes by default; e.g. "dl n=1111111111111111" (a fuzzer's find).
void CheckNodeCount(std::size_t n, std::size_t max_nodes, const char* what,
                    const std::string& source, std::size_t line) {
  if (n > max_nodes) {
    throw InputError({source, line, 0, 0}, std::string(what) + " " + std::to_string(n) +
                                               " is more nodes than a dense matrix here allows (" +
                                               std::to_string(max_nodes) + ")");
  }
}

// One rule for every reader: a second label, arc or edge for something the
// file already gave is refused naming both lines (the last one winning in
// silence would change the matrix without a trace).
void RefuseDuplicateLabels(const std::vector<std::string>& labels,
                           const std::vector<std::size_t>& lines, const std::string& source) {
  std::map<std::string, std::size_t> first;
  for (std::size_t k = 0; k < labels.size(); ++k) {
    const std::size_t line = k < lines.size() ? lines[k] : 0;
    if (const auto [it, inserted] = first.emplace(labels[k], k); !inserted) {
      const std::size_t other = it->second < lines.size() ? lines[it->second] : 0;
      throw InputError({source, line, 0, 0},
                       "duplicate node label " + Quote(labels[k]) + " (nodes " +
                           std::to_string(it->second + 1) + " and " + std::to_string(k + 1) +
                           ", lines " + std::to_string(other) + " and " + std::to_string(line) +
                           "): labels must name distinct nodes");
    }
  }
}

class CellLines {
 public:
  void Claim(Eigen::Index a, Eigen::Index b, std::size_t line, const std::string& source,
             const std::vector<std::string>& labels, const char* what) {
    if (const auto [it, inserted] = line_of_.emplace(std::pair{a, b}, line); !inserted) {
      const auto label = [&](Eigen::Index k) {
        const auto index = static_cast<std::size_t>(k);
        return index < labels.size() ? Quote(labels[index]) : std::to_string(k + 1);
      };
      throw InputError({source, line, 0, 0}, std::string("duplicate ") + what + " " + label(a) +
                                                 " -> " + label(b) + " (lines " +
                                                 std::to_string(it->second) + " and " +
                                                 std::to_string(line) + "): give each tie once");
    }
  }

 private:
  std::map<std::pair<Eigen::Index, Eigen::Index>, std::size_t> line_of_;
};

}  // namespace

bool LooksLikeUcinetDl(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first == std::string_view::npos || first + 2 > text.size()) return false;
  const std::string head = Lower(text.substr(first, 3));
  return head == "dl " || head == "dl\t" || head == "dl\n" || head == "dl\r";
}

bool LooksLikePajek(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // Blank lines, % comments and one "*Network name" line may come first.
  bool network = false;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '%') continue;
    const std::string head = Lower(line.substr(first, 9));
    if (!network && head.starts_with("*network") &&
        (line.size() == first + 8 ||
         std::string_view(" \t\r").find(line[first + 8]) != std::string_view::npos)) {
      network = true;
      continue;
    }
    return head == "*vertices";
  }
  return false;
}

std::vector<LabelledMatrix> ParseUcinetDl(std::string_view text, const std::string& source,
                                          std::size_t max_nodes) {
  const std::vector<Line> lines = Lines(text);
  std::size_t n = 0;
  std::size_t rows = 0;     // nr
  std::size_t columns = 0;  // nc
  std::size_t matrices = 1;
  std::string format = "fullmatrix";
  bool diagonal = true;  // "diagonal = present" (UCINET's default)
  bool embedded = false;
  std::vector<std::string> labels;
  std::vector<std::size_t> label_lines;  // line of each label, to name both lines of a duplicate
  std::vector<std::string> matrix_labels;
  std::size_t i = 0;
  // Header: "dl" and key=value pairs, possibly over several lines, until a section keyword.
  std::string header;
  std::size_t header_line = 0;
  for (; i < lines.size(); ++i) {
    const std::string lower = Lower(lines[i].text);
    if (lower.find("labels") != std::string::npos || lower.find("data:") != std::string::npos)
      break;
    if (header_line == 0) header_line = lines[i].number;
    header += " " + lines[i].text;
  }
  {
    std::string normalised;
    for (char c : header) normalised += c == '=' ? std::string(" = ") : std::string(1, c);
    const std::vector<std::string> tokens = Tokens(normalised);
    if (tokens.empty() || Lower(tokens[0]) != "dl") {
      throw InputError({source, header_line, 1, 0},
                       "not a UCINET DL file (it must start with \"dl\")");
    }
    for (std::size_t t = 1; t + 2 < tokens.size(); ++t) {
      if (tokens[t + 1] != "=") continue;
      const std::string key = Lower(tokens[t]);
      const std::string& value = tokens[t + 2];
      if (key == "n") {
        n = Count(value, "n", source, header_line);
      } else if (key == "nm") {
        matrices = Count(value, "nm", source, header_line);
      } else if (key == "format") {
        format = Lower(value);
      } else if (key == "nr") {
        rows = Count(value, "nr", source, header_line);
      } else if (key == "nc") {
        columns = Count(value, "nc", source, header_line);
      } else if (key == "diagonal") {
        const std::string given = Lower(value);
        if (given != "present" && given != "absent") {
          throw InputError({source, header_line, 0, 0},
                           "diagonal must be \"present\" or \"absent\", got \"" + value + "\"");
        }
        diagonal = given == "present";
      }
      t += 2;
    }
  }
  // "nr = 3, nc = 3" is another way to say n = 3; qap's matrices are square
  // (one set of nodes), so rows and columns must agree with each other and n.
  if (rows != 0 || columns != 0) {
    if (rows == 0 || columns == 0) {
      throw InputError({source, header_line, 0, 0}, std::string("the DL header gives ") +
                                                        (rows != 0 ? "nr" : "nc") + " without " +
                                                        (rows != 0 ? "nc" : "nr") +
                                                        "; give n (or nr and nc, equal)");
    }
    if (rows != columns) {
      throw InputError({source, header_line, 0, 0},
                       "nr = " + std::to_string(rows) +
                           " rows and nc = " + std::to_string(columns) +
                           " columns: a rectangular (two-mode) matrix; QAP needs square "
                           "matrices of one set of nodes (nr = nc)");
    }
    if (n != 0 && n != rows) {
      throw InputError({source, header_line, 0, 0},
                       "n = " + std::to_string(n) + " but nr = nc = " + std::to_string(rows));
    }
    n = rows;
  }
  if (n == 0) throw InputError({source, header_line, 0, 0}, "the DL header must give n=");
  CheckNodeCount(n, max_nodes, "n =", source, header_line);
  if (matrices > 1000) {
    throw InputError(
        {source, header_line, 0, 0},
        "nm = " + std::to_string(matrices) + " matrices is more than this reader allows (1000)");
  }
  if (format != "fullmatrix" && format != "fm" && format != "lowerhalf" && format != "upperhalf" &&
      format != "edgelist1" && format != "el1" && format != "nodelist1" && format != "nl1") {
    throw InputError({source, header_line, 0, 0},
                     "DL format \"" + format +
                         "\" is not supported (fullmatrix, lowerhalf, upperhalf, edgelist1, "
                         "nodelist1)");
  }
  // Sections.
  std::vector<Line> data;
  std::string section;
  for (; i < lines.size(); ++i) {
    std::string content = lines[i].text;
    const std::string lower = Lower(content);
    const auto colon = lower.find(':');
    const std::string keyword = colon == std::string::npos ? "" : lower.substr(0, colon);
    auto strip = [](std::string s) {
      while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
      return s;
    };
    if (strip(keyword) == "labels" || strip(keyword) == "row labels" ||
        strip(keyword) == "column labels" || strip(keyword) == "col labels") {
      section = strip(keyword) == "column labels" || strip(keyword) == "col labels"
                    ? "column labels"
                    : "labels";
      content = content.substr(colon + 1);
    } else if (strip(keyword) == "matrix labels") {
      section = "matrix labels";
      content = content.substr(colon + 1);
    } else if (strip(keyword) == "data") {
      section = "data";
      content = content.substr(colon + 1);
    } else if (strip(lower) == "labels embedded" || strip(lower) == "labels embedded:") {
      embedded = true;
      continue;
    }
    if (section == "labels") {
      for (const auto& t : Tokens(content)) {
        labels.push_back(t);
        label_lines.push_back(lines[i].number);
      }
    } else if (section == "column labels") {
      continue;  // square data: the column labels repeat the row labels
    } else if (section == "matrix labels") {
      for (const auto& t : Tokens(content)) matrix_labels.push_back(t);
    } else if (section == "data") {
      if (!Tokens(content).empty()) data.push_back({content, lines[i].number});
    }
  }
  const bool lower = format == "lowerhalf";
  const bool upper = format == "upperhalf";
  const bool full = format == "fullmatrix" || format == "fm" || lower || upper;
  if (!diagonal && !full) {
    throw InputError({source, header_line, 0, 0},
                     "diagonal = absent applies to fullmatrix, lowerhalf and upperhalf data, "
                     "not to " +
                         format);
  }
  if (embedded && (lower || upper)) {
    throw InputError({source, header_line, 0, 0},
                     "labels embedded in " + format +
                         " data are not supported; give the labels in a \"labels:\" section");
  }
  // Values of row r (0-based) and the column of its first value. A half
  // without its diagonal has an empty first (lowerhalf) or last (upperhalf)
  // row, which takes no line.
  auto row_length = [&](std::size_t r) {
    const std::size_t length = lower ? r + 1 : upper ? n - r : n;
    return diagonal ? length : length - 1;
  };
  auto first_column = [&](std::size_t r) {
    return upper ? (diagonal ? r : r + 1) : std::size_t{0};
  };
  std::size_t lines_per_matrix = 0;
  for (std::size_t r = 0; full && r < n; ++r) lines_per_matrix += row_length(r) > 0 ? 1 : 0;
  const char* shape = lower ? "lowerhalf" : upper ? "upperhalf" : "fullmatrix";
  const std::string layout = std::string(shape) + (diagonal ? "" : ", diagonal absent");
  std::size_t cursor = 0;
  // Nothing is allocated for rows the file does not hold.
  if (full && data.size() < lines_per_matrix * matrices) {
    throw InputError({source, data.empty() ? header_line : data.back().number, 0, 0},
                     "the data end after " + std::to_string(data.size()) + " of " +
                         std::to_string(lines_per_matrix * matrices) + " rows (" + layout +
                         ", n = " + std::to_string(n) + ")");
  }
  if (embedded && full) {
    // The first data line holds the column labels.
    if (data.empty()) throw InputError({source, 0, 0, 0}, "no data after \"data:\"");
    labels = Tokens(data[0].text);
    label_lines.assign(labels.size(), data[0].number);
    cursor = 1;
  }
  RefuseDuplicateLabels(labels, label_lines, source);
  if (!labels.empty() && labels.size() != n) {
    throw InputError({source, header_line, 0, 0},
                     std::to_string(labels.size()) + " labels for n=" + std::to_string(n));
  }
  if (labels.empty() && !(embedded && !full)) {
    for (std::size_t k = 0; k < n; ++k) labels.push_back(std::to_string(k + 1));
  }
  std::vector<LabelledMatrix> out(matrices);
  for (std::size_t m = 0; m < matrices; ++m) {
    out[m].name = m < matrix_labels.size()
                      ? matrix_labels[m]
                      : (matrices == 1 ? std::string() : "matrix" + std::to_string(m + 1));
    out[m].source = source;
  }
  const auto size = static_cast<Eigen::Index>(n);
  if (full) {
    for (std::size_t m = 0; m < matrices; ++m) {
      out[m].labels = labels;
      // An absent diagonal is 0, as UCINET reads it (header comment).
      out[m].values = DyadMatrix::Zero(size, size);
      for (std::size_t r = 0; r < n; ++r) {
        const std::size_t length = row_length(r);
        if (length == 0) continue;
        if (cursor >= data.size()) {
          throw InputError({source, data.empty() ? 0 : data.back().number, 0, 0},
                           "the data end after " + std::to_string(cursor) + " of " +
                               std::to_string(matrices * lines_per_matrix) + " rows");
        }
        std::vector<std::string> tokens = Tokens(data[cursor].text);
        if (embedded) tokens.erase(tokens.begin());
        if (tokens.size() != length) {
          throw InputError({source, data[cursor].number, 0, 0},
                           "row " + std::to_string(r + 1) + " has " +
                               std::to_string(tokens.size()) + " values, expected " +
                               std::to_string(length) +
                               (full && !lower && !upper && diagonal
                                    ? std::string()
                                    : " (" + layout + ", n = " + std::to_string(n) + ")"));
        }
        for (std::size_t k = 0; k < length; ++k) {
          std::size_t c = first_column(r) + k;
          if (!lower && !upper && !diagonal && c >= r) ++c;  // fullmatrix skips (r, r)
          const double v = Number(tokens[k], source, data[cursor].number);
          const auto row = static_cast<Eigen::Index>(r);
          const auto column = static_cast<Eigen::Index>(c);
          out[m].values(row, column) = v;
          if (lower || upper) out[m].values(column, row) = v;  // the other half mirrored
        }
        ++cursor;
      }
    }
    if (cursor < data.size()) {
      throw InputError({source, data[cursor].number, 0, 0},
                       "more data rows than " + std::to_string(matrices * lines_per_matrix) + " (" +
                           layout + ", n = " + std::to_string(n) +
                           (matrices > 1 ? ", nm = " + std::to_string(matrices) : "") + ")");
    }
    return out;
  }
  // Edge and node lists (one matrix).
  if (matrices != 1) {
    throw InputError({source, header_line, 0, 0},
                     "edge and node lists with nm > 1 are not supported");
  }
  std::map<std::string, Eigen::Index> index;
  for (std::size_t k = 0; k < labels.size(); ++k) index[labels[k]] = static_cast<Eigen::Index>(k);
  std::vector<std::string> order = labels;
  auto node = [&](const std::string& token, std::size_t line) {
    if (const auto it = index.find(token); it != index.end()) return it->second;
    if (!embedded) {
      std::size_t k = 0;
      const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), k);
      if (ec == std::errc() && end == token.data() + token.size() && k >= 1 && k <= n &&
          labels.size() == n) {
        return static_cast<Eigen::Index>(k - 1);
      }
      throw InputError({source, line, 0, 0},
                       "\"" + token + "\" is not a node (1.." + std::to_string(n) + " or a label)");
    }
    if (order.size() >= n) {
      throw InputError({source, line, 0, 0},
                       "more than n=" + std::to_string(n) + " distinct labels");
    }
    index[token] = static_cast<Eigen::Index>(order.size());
    order.push_back(token);
    return index[token];
  };
  DyadMatrix values = DyadMatrix::Zero(size, size);
  CellLines cell_lines;
  const bool edgelist = format == "edgelist1" || format == "el1";
  for (const Line& line : data) {
    const std::vector<std::string> tokens = Tokens(line.text);
    if (edgelist) {
      if (tokens.size() < 2 || tokens.size() > 3) {
        throw InputError({source, line.number, 0, 0},
                         "an edgelist1 line is \"sender receiver [value]\"");
      }
      const Eigen::Index a = node(tokens[0], line.number);
      const Eigen::Index b = node(tokens[1], line.number);
      cell_lines.Claim(a, b, line.number, source, order, "edge");
      values(a, b) = tokens.size() == 3 ? Number(tokens[2], source, line.number) : 1.0;
    } else {
      const Eigen::Index a = node(tokens[0], line.number);
      for (std::size_t t = 1; t < tokens.size(); ++t) {
        const Eigen::Index b = node(tokens[t], line.number);
        cell_lines.Claim(a, b, line.number, source, order, "tie");
        values(a, b) = 1.0;
      }
    }
  }
  if (order.size() != n) {
    throw InputError({source, data.empty() ? header_line : data.back().number, 0, 0},
                     std::to_string(order.size()) + " labels appear but n=" + std::to_string(n));
  }
  out[0].labels = order;
  out[0].values = values;
  return out;
}

std::string FormatUcinetDl(const std::vector<LabelledMatrix>& matrices) {
  if (matrices.empty()) return {};
  const LabelledMatrix& first = matrices.front();
  std::string out = "dl n=" + std::to_string(first.size());
  if (matrices.size() > 1) out += " nm=" + std::to_string(matrices.size());
  out += " format=fullmatrix\nlabels:\n";
  for (std::size_t k = 0; k < first.labels.size(); ++k)
    out += (k > 0 ? "," : "") + Quote(first.labels[k]);
  out += "\n";
  if (matrices.size() > 1) {
    out += "matrix labels:\n";
    for (std::size_t m = 0; m < matrices.size(); ++m)
      out += (m > 0 ? "," : "") + Quote(matrices[m].name);
    out += "\n";
  }
  out += "data:\n";
  for (const LabelledMatrix& m : matrices) {
    if (m.labels != first.labels)
      throw DataError("DL output: " + m.name + " has other node labels than " + first.name);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
      for (Eigen::Index j = 0; j < m.size(); ++j) {
        const double v = m.values(i, j);
        out += (j > 0 ? " " : "") + (IsObserved(v) ? FormatRoundTrip(v) : std::string("NA"));
      }
      out += "\n";
    }
  }
  return out;
}

LabelledMatrix ParsePajek(std::string_view text, const std::string& source, std::size_t max_nodes) {
  const std::vector<Line> lines = Lines(text);
  // Pajek comments: a line whose first non-blank character is %.
  auto skipped = [&](std::size_t k) {
    const auto first = lines[k].text.find_first_not_of(" \t");
    return first == std::string::npos || lines[k].text[first] == '%';
  };
  auto is_network = [&](std::size_t k) {
    const std::vector<std::string> tokens = Tokens(lines[k].text);
    return !tokens.empty() && Lower(tokens[0]) == "*network";
  };
  std::size_t i = 0;
  std::size_t network_line = 0;  // "*Network name", which Pajek writes before *Vertices
  while (i < lines.size() && skipped(i)) ++i;
  if (i < lines.size() && is_network(i)) {
    network_line = lines[i].number;
    ++i;
    while (i < lines.size() && skipped(i)) ++i;
  }
  // A line of separators alone (",") has no tokens at all.
  const std::vector<std::string> header =
      i < lines.size() ? Tokens(lines[i].text) : std::vector<std::string>{};
  if (header.size() < 2 || Lower(header[0]) != "*vertices") {
    throw InputError({source, i < lines.size() ? lines[i].number : 0, 1, 0},
                     "a Pajek file starts with \"*Vertices n\" (after an optional \"*Network "
                     "name\" line and % comment lines)");
  }
  const std::size_t n = Count(header[1], "*Vertices", source, lines[i].number);
  CheckNodeCount(n, max_nodes, "*Vertices", source, lines[i].number);
  ++i;
  LabelledMatrix m;
  m.source = source;
  m.labels.resize(n);
  for (std::size_t k = 0; k < n; ++k) m.labels[k] = std::to_string(k + 1);
  const auto size = static_cast<Eigen::Index>(n);
  m.values = DyadMatrix::Zero(size, size);
  std::vector<std::size_t> vertex_lines(n, 0);
  CellLines cell_lines;
  std::string section = "vertices";
  for (; i < lines.size(); ++i) {
    if (skipped(i)) continue;
    const std::vector<std::string> tokens = Tokens(lines[i].text);
    if (tokens.empty()) continue;
    if (is_network(i)) {
      throw InputError({source, lines[i].number, 1, 0},
                       "a second network" +
                           (network_line != 0 ? " (the first \"*Network\" is on line " +
                                                    std::to_string(network_line) + ")"
                                              : std::string()) +
                           ": a Pajek project file (.paj) holds several; save the one to read "
                           "as a .net file");
    }
    if (tokens[0][0] == '*') {
      section = Lower(tokens[0]);
      if (section != "*arcs" && section != "*edges" && section != "*arcslist" &&
          section != "*edgeslist") {
        throw InputError({source, lines[i].number, 1, 0}, "unknown Pajek section " + tokens[0]);
      }
      continue;
    }
    auto vertex = [&](const std::string& token) {
      std::size_t k = 0;
      const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), k);
      if (ec != std::errc() || end != token.data() + token.size() || k < 1 || k > n) {
        throw InputError({source, lines[i].number, 0, 0},
                         "\"" + token + "\" is not a vertex number 1.." + std::to_string(n));
      }
      return static_cast<Eigen::Index>(k - 1);
    };
    if (section == "vertices") {
      const Eigen::Index v = vertex(tokens[0]);
      std::size_t& first = vertex_lines[static_cast<std::size_t>(v)];
      if (first != 0) {
        throw InputError({source, lines[i].number, 1, 0},
                         "vertex " + tokens[0] + " is listed twice (lines " +
                             std::to_string(first) + " and " + std::to_string(lines[i].number) +
                             ")");
      }
      first = lines[i].number;
      if (tokens.size() >= 2) m.labels[static_cast<std::size_t>(v)] = tokens[1];
    } else if (section == "*arcs" || section == "*edges") {
      if (tokens.size() < 2)
        throw InputError({source, lines[i].number, 0, 0}, "an arc line is \"from to [weight]\"");
      const Eigen::Index a = vertex(tokens[0]);
      const Eigen::Index b = vertex(tokens[1]);
      const double w = tokens.size() >= 3 ? Number(tokens[2], source, lines[i].number) : 1.0;
      cell_lines.Claim(a, b, lines[i].number, source, m.labels,
                       section == "*edges" ? "edge" : "arc");
      m.values(a, b) = w;
      if (section == "*edges" && a != b) {
        cell_lines.Claim(b, a, lines[i].number, source, m.labels, "edge");
        m.values(b, a) = w;
      }
    } else {
      const Eigen::Index a = vertex(tokens[0]);
      for (std::size_t t = 1; t < tokens.size(); ++t) {
        const Eigen::Index b = vertex(tokens[t]);
        cell_lines.Claim(a, b, lines[i].number, source, m.labels,
                         section == "*edgeslist" ? "edge" : "arc");
        m.values(a, b) = 1.0;
        if (section == "*edgeslist" && a != b) {
          cell_lines.Claim(b, a, lines[i].number, source, m.labels, "edge");
          m.values(b, a) = 1.0;
        }
      }
    }
  }
  RefuseDuplicateLabels(m.labels, vertex_lines, source);
  return m;
}

std::string FormatLabelledMatrixTsv(const LabelledMatrix& matrix) {
  auto quote = [](const std::string& label) {
    if (label.find_first_of("\t\",;\r\n") == std::string::npos) return label;
    std::string out = "\"";
    for (const char c : label) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    return out + "\"";
  };
  std::string out;
  for (const std::string& label : matrix.labels) out += "\t" + quote(label);
  out += "\n";
  for (Eigen::Index i = 0; i < matrix.size(); ++i) {
    out += quote(matrix.labels[static_cast<std::size_t>(i)]);
    for (Eigen::Index j = 0; j < matrix.size(); ++j) {
      const double v = matrix.values(i, j);
      out += "\t";
      out += IsObserved(v) ? FormatRoundTrip(v) : "NA";
    }
    out += "\n";
  }
  return out;
}

std::string FormatPajek(const LabelledMatrix& m) {
  // Issue 13: a missing cell left out read back as 0. The diagonal is never
  // written (docs/cli.md), so only off-diagonal cells count.
  std::size_t missing = 0;
  std::string examples;
  constexpr std::size_t kExamples = 3;
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    for (Eigen::Index j = 0; j < m.size(); ++j) {
      if (i == j || IsObserved(m.values(i, j))) continue;
      if (++missing <= kExamples) {
        examples += (missing > 1 ? ", (" : "(") + Quote(m.labels[static_cast<std::size_t>(i)]) +
                    ", " + Quote(m.labels[static_cast<std::size_t>(j)]) + ")";
      }
    }
  }
  if (missing > 0) {
    throw DataError("Pajek output: " + m.name + " has " + std::to_string(missing) +
                    " missing off-diagonal cell" + (missing > 1 ? "s" : "") +
                    " (row, column): " + examples + (missing > kExamples ? ", ..." : "") +
                    "; Pajek has no place for a missing cell (an absent arc reads back as 0): "
                    "write CSV, TSV or DL, which keep missing cells as NA");
  }
  std::string out = "*Vertices " + std::to_string(m.size()) + "\n";
  for (std::size_t k = 0; k < m.labels.size(); ++k)
    out += std::to_string(k + 1) + " " + Quote(m.labels[k]) + "\n";
  out += "*Arcs\n";
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    for (Eigen::Index j = 0; j < m.size(); ++j) {
      const double v = m.values(i, j);
      if (i != j && IsObserved(v) && v != 0.0) {
        out +=
            std::to_string(i + 1) + " " + std::to_string(j + 1) + " " + FormatRoundTrip(v) + "\n";
      }
    }
  }
  return out;
}

}  // namespace qap
