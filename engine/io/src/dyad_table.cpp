#include "qap/io/dyad_table.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_map>
#include <utility>

#include "cell_parsing.hpp"
#include "qap/core/numeric.hpp"
#include "qap/core/text.hpp"

namespace qap {

namespace {

using detail::CsvField;
using detail::CsvRecord;
using detail::Quoted;

std::string HeaderName(const CsvRecord& header, std::size_t k) {
  std::string name(Trim(header.fields[k].text));
  return name.empty() ? "column " + std::to_string(k + 1) : name;
}

std::string QuotedList(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + Quoted(name);
  return out;
}

std::optional<double> AsNumber(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool Matches(std::string_view cell, const std::string& wanted) {
  if (Trim(cell) == Trim(wanted)) return true;
  const auto a = AsNumber(cell);
  const auto b = AsNumber(wanted);
  return a && b && *a == *b;  // 2023 matches 2023.0 (a .dta year stored as a double)
}

// A column looked up by name: exactly, else ignoring ASCII case when that is unique.
std::optional<std::size_t> FindByName(const CsvRecord& header, std::string_view name) {
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    if (Trim(header.fields[k].text) == Trim(name)) return k;
  }
  std::optional<std::size_t> found;
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    if (Lower(Trim(header.fields[k].text)) == Lower(Trim(name))) {
      if (found) return std::nullopt;
      found = k;
    }
  }
  return found;
}

// networkx's write_edgelist(data=True) ends each line with the edge's
// attributes as a Python dict: {} or {'weight': 1.5, 'kind': 'trade'}.
// Returns the numeric attributes; text values are ignored, as the GraphML
// reader ignores text attributes.
std::vector<std::pair<std::string, double>> ParsePythonDict(const std::string& text,
                                                            const std::string& file,
                                                            const CsvField& at) {
  std::vector<std::pair<std::string, double>> out;
  std::string_view rest = Trim(text);
  auto fail = [&](const std::string& why) -> void {
    throw InputError({file, at.line, at.column, 3},
                     "edge attributes " + Quoted(text) + " are not a Python dict: " + why);
  };
  if (rest.size() < 2 || rest.front() != '{' || rest.back() != '}') fail("no braces");
  rest = Trim(rest.substr(1, rest.size() - 2));
  while (!rest.empty()) {
    const char quote = rest.front();
    if (quote != '\'' && quote != '"') fail("a key is not a quoted string");
    const std::size_t close = rest.find(quote, 1);
    if (close == std::string_view::npos) fail("a key's quote is never closed");
    std::string key(rest.substr(1, close - 1));
    rest = Trim(rest.substr(close + 1));
    if (rest.empty() || rest.front() != ':') fail("a key has no ':'");
    rest = Trim(rest.substr(1));
    std::string_view value;
    if (!rest.empty() && (rest.front() == '\'' || rest.front() == '"')) {
      const std::size_t end = rest.find(rest.front(), 1);
      if (end == std::string_view::npos) fail("a text value's quote is never closed");
      value = rest.substr(0, end + 1);
      rest = Trim(rest.substr(end + 1));
    } else {
      const std::size_t end = rest.find(',');
      value = Trim(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    }
    if (!rest.empty()) {
      if (rest.front() != ',') fail("attributes are not separated by ','");
      rest = Trim(rest.substr(1));
    }
    if (value == "True" || value == "False") {
      out.emplace_back(std::move(key), value == "True" ? 1.0 : 0.0);
    } else if (const auto number = AsNumber(value)) {
      out.emplace_back(std::move(key), *number);
    } else if (value == "nan") {
      out.emplace_back(std::move(key), kNaN);
    }  // text values (quoted) are not matrices
  }
  return out;
}

struct ValueColumn {
  std::string name;
  std::optional<std::size_t> index;  // nothing: from networkx's attribute dict
  std::vector<double> values;        // one per edge kept
};

}  // namespace

std::optional<NodeColumns> FindNodeColumns(const CsvRecord& header, const std::string& file) {
  std::optional<NodeColumns> found;
  const NodeColumnPair* found_pair = nullptr;
  for (const NodeColumnPair& pair : kNodeColumnPairs) {
    std::optional<std::size_t> source;
    std::optional<std::size_t> target;
    for (std::size_t k = 0; k < header.fields.size(); ++k) {
      const std::string name = Lower(Trim(header.fields[k].text));
      if (name == pair.source && !source) source = k;
      if (name == pair.target && !target) target = k;
    }
    if (!source || !target) continue;
    if (found) {
      throw InputError({file, header.line, 1, 1},
                       "the header names two pairs of node columns (" +
                           std::string(found_pair->source) + "," + std::string(found_pair->target) +
                           " and " + std::string(pair.source) + "," + std::string(pair.target) +
                           "): rename the pair that does not hold the nodes");
    }
    found = NodeColumns{*source, *target};
    found_pair = &pair;
  }
  return found;
}

RowFilter ParseRowFilter(std::string_view text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos || Trim(text.substr(0, equals)).empty() ||
      Trim(text.substr(equals + 1)).empty()) {
    throw OptionsError("where", "expected COLUMN=VALUE (for example year=2023), got \"" +
                                    std::string(text) + "\"");
  }
  return {std::string(Trim(text.substr(0, equals))), std::string(Trim(text.substr(equals + 1)))};
}

std::vector<LabelledMatrix> BuildDyadMatrices(const CsvRecord& header,
                                              const std::function<bool(CsvRecord&)>& next,
                                              const std::string& file,
                                              const DyadTableOptions& options) {
  const std::size_t width = header.fields.size();
  NodeColumns nodes;
  if (!options.headerless) {
    detail::RefuseDuplicateHeaderNames(header, file);
    const auto found = FindNodeColumns(header, file);
    if (!found) {
      std::string pairs;
      for (const NodeColumnPair& pair : kNodeColumnPairs) {
        pairs +=
            (pairs.empty() ? "" : "; ") + std::string(pair.source) + "," + std::string(pair.target);
      }
      throw InputError({file, header.line, 1, 1},
                       "a long table's header must name its two node columns as one of these "
                       "pairs: " +
                           pairs);
    }
    nodes = *found;
  } else if (width < 2) {
    throw InputError({file, header.line, 1, 1},
                     "an edge list needs at least two fields per line (source and target)");
  }
  auto column_of = [&](const std::string& name) -> std::size_t {
    const auto k = options.headerless ? std::optional<std::size_t>() : FindByName(header, name);
    if (!k) {
      std::vector<std::string> names;
      for (std::size_t c = 0; c < width; ++c) names.push_back(HeaderName(header, c));
      throw InputError({file, header.line, 1, 1},
                       "no column " + Quoted(name) +
                           (options.headerless ? std::string(" (the file has no header)")
                                               : "; the columns are " + QuotedList(names)));
    }
    return *k;
  };

  // Row filters.
  struct Filter {
    std::size_t column;
    const RowFilter* filter;
    std::vector<std::string> seen;  // a few distinct values, for the message when none match
  };
  std::vector<Filter> filters;
  for (const RowFilter& f : options.where) filters.push_back({column_of(f.column), &f, {}});

  // Value columns: those named, else every column that is neither a node
  // column nor filtered on. networkx's attribute dicts are handled per row.
  const bool python_dicts = options.headerless && width >= 3 &&
                            !Trim(header.fields[2].text).empty() &&
                            Trim(header.fields[2].text).front() == '{';
  std::vector<ValueColumn> values;
  std::vector<std::string> candidates;
  std::vector<std::size_t> candidate_index;
  if (options.headerless) {
    if (width == 3 && !python_dicts) {
      candidates.emplace_back("weight");
      candidate_index.push_back(2);
    } else if (width > 3 && !python_dicts) {
      throw InputError({file, header.line, 1, 1},
                       "a line has " + std::to_string(width) +
                           " fields: a headerless edge list has source, target and at most one "
                           "weight");
    }
  } else {
    for (std::size_t k = 0; k < width; ++k) {
      if (k == nodes.source || k == nodes.target) continue;
      // An unnamed column is pandas' index or a trailing delimiter's, not a variable.
      if (Trim(header.fields[k].text).empty()) continue;
      if (std::any_of(filters.begin(), filters.end(),
                      [&](const Filter& f) { return f.column == k; })) {
        continue;
      }
      candidates.push_back(HeaderName(header, k));
      candidate_index.push_back(k);
    }
  }
  if (!options.value_columns.empty()) {
    for (const std::string& name : options.value_columns) {
      if (python_dicts) {
        values.push_back({name, std::nullopt, {}});
        continue;
      }
      if (options.headerless && name == "weight" && width == 3) {
        values.push_back({name, 2, {}});
        continue;
      }
      const std::size_t k = column_of(name);
      if (!options.headerless && (k == nodes.source || k == nodes.target)) {
        throw InputError({file, header.line, 1, k + 1},
                         Quoted(name) + " is a node column, not a value column");
      }
      values.push_back({HeaderName(header, k), k, {}});
    }
  } else if (!python_dicts && candidates.size() > 1) {
    throw InputError({file, header.line, 1, 1},
                     "the table has " + std::to_string(candidates.size()) + " value columns (" +
                         QuotedList(candidates) +
                         "): name the one to read, as FILE:COLUMN (for example " + file + ":" +
                         candidates.front() + ")");
  } else if (!python_dicts && candidates.size() == 1) {
    values.push_back({candidates.front(), candidate_index.front(), {}});
  }
  // Columns neither read nor filtered on: a panel's year, for the duplicate-pair message.
  std::vector<std::size_t> unused;
  for (const std::size_t k : candidate_index) {
    if (std::none_of(values.begin(), values.end(),
                     [&](const ValueColumn& v) { return v.index == k; })) {
      unused.push_back(k);
    }
  }

  LabelledMatrix proto;
  proto.source = file;
  std::unordered_map<std::string, std::size_t> index_of;
  auto node = [&](const CsvField& field, std::size_t field_number) {
    std::string label(Trim(field.text));
    detail::CheckLabel(label, file, field, field_number, "node");
    const auto [it, inserted] = index_of.emplace(label, proto.labels.size());
    if (inserted) {
      if (proto.labels.size() >= options.max_nodes) {
        throw InputError(detail::PositionOf(file, field, field_number),
                         "the table names more than " + std::to_string(options.max_nodes) +
                             " nodes, the most a dense matrix here may have");
      }
      proto.labels.push_back(std::move(label));
    }
    return it->second;
  };
  struct Pair {
    std::size_t source;
    std::size_t target;
  };
  std::vector<Pair> pairs;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> line_of;
  std::vector<std::string> dict_keys;  // networkx attributes, in order of appearance
  std::vector<std::vector<double>> dict_values;
  std::size_t rows = 0;

  auto take = [&](const CsvRecord& record) {
    ++rows;
    if (record.fields.size() != width) {
      if (!options.headerless) detail::RefuseFieldCount(header, record, file);
      if (!python_dicts || record.fields.size() < 3) {
        const CsvField& last = record.fields.back();
        throw InputError({file, last.line, last.column, record.fields.size()},
                         "line has " + std::to_string(record.fields.size()) +
                             " fields, the first line " + std::to_string(width));
      }
    }
    for (Filter& f : filters) {
      const std::string_view cell = Trim(record.fields[f.column].text);
      if (!Matches(cell, f.filter->value)) {
        if (f.seen.size() < 12 && std::find(f.seen.begin(), f.seen.end(), cell) == f.seen.end()) {
          f.seen.emplace_back(cell);
        }
        return;
      }
    }
    const std::size_t s = node(record.fields[nodes.source], nodes.source + 1);
    const std::size_t t = node(record.fields[nodes.target], nodes.target + 1);
    if (const auto [it, inserted] = line_of.emplace(std::pair{s, t}, record.line); !inserted) {
      std::string hint = " (a table with several rows per pair needs a row filter";
      if (!unused.empty()) {
        const std::size_t k = unused.front();
        hint +=
            " such as " + HeaderName(header, k) + "=" + std::string(Trim(record.fields[k].text));
      }
      hint += ")";
      throw InputError({file, record.line, 1, 1}, "duplicate pair " + Quoted(proto.labels[s]) +
                                                      " -> " + Quoted(proto.labels[t]) +
                                                      ": two rows (lines " +
                                                      std::to_string(it->second) + " and " +
                                                      std::to_string(record.line) + ")" + hint);
    }
    pairs.push_back({s, t});
    const std::string where = Quoted(proto.labels[s]) + " -> " + Quoted(proto.labels[t]);
    for (ValueColumn& v : values) {
      if (!v.index) continue;
      const CsvField& cell = record.fields[*v.index];
      double value = 0.0;
      if (!detail::ParseFastNumber(cell.text, value)) {
        value = detail::ParseCell(cell, file, *v.index + 1, v.name + " of " + where);
      }
      v.values.push_back(value);
    }
    if (python_dicts) {
      std::string text;
      for (std::size_t k = 2; k < record.fields.size(); ++k) {
        text += (k > 2 ? " " : "") + record.fields[k].text;
      }
      for (auto& [key, value] : ParsePythonDict(text, file, record.fields[2])) {
        auto it = std::find(dict_keys.begin(), dict_keys.end(), key);
        if (it == dict_keys.end()) {
          dict_keys.push_back(key);
          dict_values.emplace_back(pairs.size() - 1, kNaN);
          it = dict_keys.end() - 1;
        }
        auto& column = dict_values[static_cast<std::size_t>(it - dict_keys.begin())];
        column.resize(pairs.size(), kNaN);
        column.back() = value;
      }
    }
  };
  if (options.headerless) take(header);  // its first line is data too
  CsvRecord record;
  while (next(record)) take(record);

  if (pairs.empty()) {
    if (rows == 0) {
      throw InputError(
          {file, header.line, 1, 1},
          "the table has a header and no edges (no rows): there is no network to read");
    }
    std::string why;
    for (const Filter& f : filters) {
      std::vector<std::string> seen(f.seen.begin(), f.seen.end());
      why += (why.empty() ? "" : "; ") + Quoted(f.filter->column) + " holds " + QuotedList(seen) +
             (seen.size() >= 12 ? ", ..." : "");
    }
    throw InputError({file, header.line, 1, 1},
                     "no row of " + std::to_string(rows) + " matches the row filter (" + why + ")");
  }

  if (python_dicts) {
    for (auto& column : dict_values) column.resize(pairs.size(), kNaN);
    if (options.value_columns.empty()) {
      if (dict_keys.size() > 1) {
        throw InputError({file, header.line, 1, 3},
                         "the edges carry " + std::to_string(dict_keys.size()) +
                             " numeric attributes (" + QuotedList(dict_keys) +
                             "): name the one to read, as FILE:ATTRIBUTE (for example " + file +
                             ":" + dict_keys.front() + ")");
      }
      if (dict_keys.size() == 1) values.push_back({dict_keys.front(), std::nullopt, {}});
    }
    for (ValueColumn& v : values) {
      const auto it = std::find(dict_keys.begin(), dict_keys.end(), v.name);
      if (it == dict_keys.end()) {
        throw InputError({file, header.line, 1, 3},
                         "no edge carries the attribute " + Quoted(v.name) +
                             (dict_keys.empty() ? std::string(" (the edges have no attributes)")
                                                : "; the attributes are " + QuotedList(dict_keys)));
      }
      v.values = std::move(dict_values[static_cast<std::size_t>(it - dict_keys.begin())]);
    }
  }
  if (values.empty()) {
    // An unweighted list: each listed pair is a tie.
    values.push_back({"edge", std::nullopt, std::vector<double>(pairs.size(), 1.0)});
  }

  const auto size = static_cast<Eigen::Index>(proto.labels.size());
  const double absent = options.absent_edge == AbsentEdge::kZero ? 0.0 : kNaN;
  // What the reader did that changes which dyads are observed, said with the results.
  std::vector<std::string> notes;
  if (!filters.empty()) {
    std::string kept;
    for (const Filter& f : filters) {
      kept += (kept.empty() ? "" : ", ") + f.filter->column + " = " + f.filter->value;
    }
    notes.push_back("rows with " + kept + ": " + std::to_string(pairs.size()) + " of " +
                    std::to_string(rows) + " rows kept");
  }
  std::size_t listed_off_diagonal = 0;
  for (const Pair& p : pairs) listed_off_diagonal += p.source != p.target ? 1 : 0;
  const std::size_t ordered_pairs = proto.labels.size() * (proto.labels.size() - 1);
  if (options.absent_edge == AbsentEdge::kMissing && listed_off_diagonal < ordered_pairs) {
    notes.push_back(std::to_string(ordered_pairs - listed_off_diagonal) + " of " +
                    std::to_string(ordered_pairs) +
                    " ordered pairs are not in the table and are missing");
  }
  std::vector<LabelledMatrix> matrices;
  for (ValueColumn& v : values) {
    LabelledMatrix m;
    m.name = v.name;
    m.source = file;
    m.labels = proto.labels;
    m.notes = notes;
    m.values = DyadMatrix::Constant(size, size, absent);
    for (std::size_t e = 0; e < pairs.size(); ++e) {
      m.values(static_cast<Eigen::Index>(pairs[e].source),
               static_cast<Eigen::Index>(pairs[e].target)) = v.values[e];
    }
    matrices.push_back(std::move(m));
  }
  return matrices;
}

}  // namespace qap
