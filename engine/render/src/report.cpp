#include "qap/render/report.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <span>
#include <system_error>

#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/ols.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/output_transaction.hpp"
#include "qap/io/sha256.hpp"
#include "qap/render/markdown.hpp"

#ifndef QAP_VERSION
#define QAP_VERSION "0.0.0"
#endif

namespace qap {

namespace {

using Json = nlohmann::ordered_json;

// One "option: value" line of the header, shared by every format.
struct OptionLine {
  std::string key;
  std::string value;
  bool is_flag = true;  // a command-line option (printed as --key in text)
};

// "dsp (Dekker double ...)": the name and the help line of the enum's table.
std::string DescribeNull(NullHypothesis null) {
  return ToString(null) + " (" + std::string(EnumHelp(null)) + ")";
}

std::string DescribeDyads(const DyadOptions& dyads) {
  return ToString(dyads.mode) +
         (dyads.include_diagonal ? ", diagonal included" : ", diagonal excluded");
}

std::string DescribeRule(PValueRule rule) {
  return ToString(rule) + ": " + std::string(EnumHelp(rule));
}

// The lines regression and correlation share: how the run permuted.
void AppendPermutationLines(std::vector<OptionLine>& lines, std::size_t permutations,
                            bool from_file, std::uint64_t seed, PValueRule rule,
                            const RenderContext& context) {
  if (from_file) {
    lines.push_back({"permutations", context.permutation_file + " (" +
                                         std::to_string(permutations) + " permutations)"});
  } else {
    lines.push_back({"perms", std::to_string(permutations)});
    lines.push_back({"seed", std::to_string(seed)});
  }
  lines.push_back({"pvalue", DescribeRule(rule)});
}

// ... and the lines both end with: which dyads, how the inputs were aligned.
void AppendDyadAndAlignLines(std::vector<OptionLine>& lines, const DyadOptions& dyads,
                             const RenderContext& context) {
  lines.push_back({"dyads", DescribeDyads(dyads), false});
  lines.push_back({"align", ToString(context.align_mode)});
}

std::vector<OptionLine> RegressionOptionLines(const RegressionResult& r,
                                              const RenderContext& context) {
  std::vector<OptionLine> lines;
  lines.push_back({"y", r.dependent_source + " (" + r.dependent_name + ")"});
  for (std::size_t c = 1; c < r.coefficients.size(); ++c) {
    lines.push_back({"x", r.coefficients[c].source + " (" + r.coefficients[c].name + ")"});
  }
  lines.push_back({"null", DescribeNull(r.options.null_hypothesis)});
  if (r.options.null_hypothesis != NullHypothesis::kClassical) {
    lines.push_back({"statistic", ToString(r.options.statistic)});
    lines.push_back({"algorithm", ToString(r.options.algorithm) + (r.used_projection_kernel
                                                                       ? " (projection kernel)"
                                                                       : " (listwise refit)")});
    AppendPermutationLines(lines, r.permutations, r.permutations_from_file, r.seed,
                           r.options.permutation.pvalue_rule, context);
  }
  AppendDyadAndAlignLines(lines, r.options.dyads, context);
  return lines;
}

std::vector<OptionLine> CorrelationOptionLines(const CorrelationResult& r,
                                               const RenderContext& context) {
  std::vector<OptionLine> lines;
  lines.push_back({"first (permuted)", r.first_source + " (" + r.first_name + ")", false});
  lines.push_back({"second", r.second_source + " (" + r.second_name + ")", false});
  AppendPermutationLines(lines, r.permutations, r.permutations_from_file, r.seed,
                         r.options.permutation.pvalue_rule, context);
  AppendDyadAndAlignLines(lines, r.options.dyads, context);
  return lines;
}

std::string DroppedNodesSentence(const RenderContext& context) {
  if (context.alignment.dropped.empty()) return {};
  std::string out =
      std::to_string(context.alignment.dropped.size()) + " node(s) dropped by --align intersect:";
  for (const DroppedNode& node : context.alignment.dropped) {
    out += " \"" + node.label + "\" (missing from";
    for (const std::string& file : node.missing_from) out += " " + file;
    out += ");";
  }
  out.pop_back();
  return out;
}

std::string Num(double v) { return FormatSignificant(v, 6); }
std::string Prob(double v) { return FormatFixed(v, 4); }

// Stars follow the p-value the output calls "the" test: the two-sided
// permutation p, or the classical p under the classical null.
std::string Stars(const CoefficientEstimate& c, NullHypothesis null) {
  if (c.permutation) return SignificanceStars(c.permutation->p_two_sided);
  if (null == NullHypothesis::kClassical) return SignificanceStars(c.classical_p);
  return "";
}

std::string StatisticSymbol(TestStatistic s) { return std::string(EnumLabel(s)); }

// The quantiles of a null distribution the JSON gives, by key.
constexpr std::pair<const char*, double> kJsonQuantiles[] = {
    {"min", 0.0},  {"p01", 0.01}, {"p05", 0.05}, {"p25", 0.25}, {"p50", 0.5},
    {"p75", 0.75}, {"p95", 0.95}, {"p99", 0.99}, {"max", 1.0}};
// ... and those the text prints, sna's summary.netlm's but its mean.
constexpr std::pair<const char*, double> kTextQuantiles[] = {
    {"min", 0.0}, {"25%", 0.25}, {"median", 0.5}, {"75%", 0.75}, {"max", 1.0}};

// The `quantiles` (R's type 7, its default: linear between order statistics)
// of one column of the null distribution, NaN (undefined permutations) left
// out; empty when it was not kept or no permutation was defined.
std::vector<double> NullQuantiles(const Eigen::MatrixXd& distribution, Eigen::Index column,
                                  std::span<const std::pair<const char*, double>> quantiles) {
  if (distribution.size() == 0 || column >= distribution.cols()) return {};
  std::vector<double> values;
  for (Eigen::Index r = 0; r < distribution.rows(); ++r) {
    if (std::isfinite(distribution(r, column))) values.push_back(distribution(r, column));
  }
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  std::vector<double> out;
  for (const auto& [name, q] : quantiles) {
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    out.push_back(values[below] +
                  (position - static_cast<double>(below)) * (values[above] - values[below]));
  }
  return out;
}

// ---------- text ----------

// The text reports fit this many columns (issue 13): tables abbreviate their
// headers and shorten long names, prose wraps at spaces.
constexpr std::size_t kTextWidth = 100;
// Names are not shortened below this many columns, whatever the numbers need.
constexpr std::size_t kShortestName = 8;

// Columns a string takes: UTF-8 code points, so labels like "Côte d'Ivoire" line up.
std::size_t Columns(std::string_view s) {
  std::size_t length = 0;
  for (const char c : s) length += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
  return length;
}

// Byte offset of code point `n` of `s` (s.size() past the end).
std::size_t CodePointOffset(std::string_view s, std::size_t n) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0U) == 0x80U) continue;
    if (seen++ == n) return i;
  }
  return s.size();
}

std::string PadRight(const std::string& s, std::size_t width) {
  const std::size_t length = Columns(s);
  return length >= width ? s + " " : s + std::string(width - length, ' ');
}

std::string PadLeft(const std::string& s, std::size_t width) {
  const std::size_t length = Columns(s);
  return length >= width ? " " + s : std::string(width - length, ' ') + s;
}

// `line` broken at spaces into lines of at most kTextWidth columns, every
// line after the first indented by `indent` (a hanging indent); a word longer
// than a line (a path) stays whole. Ends with a newline.
std::string Wrap(const std::string& line, std::size_t indent) {
  if (Columns(line) <= kTextWidth) return line + "\n";
  std::string out;
  std::string current;
  bool first = true;   // the first word (what precedes the first space)
  bool blank = false;  // `current` is a continuation line holding only its indent
  std::size_t start = 0;
  while (start <= line.size()) {
    std::size_t end = line.find(' ', start);
    if (end == std::string::npos) end = line.size();
    const std::string word = line.substr(start, end - start);
    start = end + 1;
    if (first) {
      current = word;
      first = false;
    } else if (blank) {
      if (word.empty()) continue;  // the spaces a line was broken at
      current += word;
      blank = false;
    } else if (Columns(current) + 1 + Columns(word) <= kTextWidth) {
      current += " " + word;
    } else {
      while (!current.empty() && current.back() == ' ') current.pop_back();
      out += current + "\n";
      current = std::string(indent, ' ') + word;
      blank = word.empty();
    }
  }
  while (!current.empty() && current.back() == ' ') current.pop_back();
  return out + current + "\n";
}

// Hanging indents: under the text after "Warning: " or "Note: ", else two columns.
std::string WrapProse(const std::string& line) {
  for (const std::string_view prefix : {"Warning: ", "Note: "}) {
    if (line.starts_with(prefix)) return Wrap(line, prefix.size());
  }
  return Wrap(line, 2);
}

// Columns each column of `rows` takes: its widest cell and `gap` spaces.
std::vector<std::size_t> ColumnWidths(const std::vector<std::vector<std::string>>& rows,
                                      std::size_t gap) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], Columns(row[c]) + gap);
  }
  return widths;
}

// The first column left-aligned (names), the others right-aligned (numbers),
// at least `gap` spaces apart.
std::string TextTable(const std::vector<std::vector<std::string>>& rows, std::size_t gap = 2) {
  const std::vector<std::size_t> widths = ColumnWidths(rows, gap);
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += c == 0 ? PadRight(row[c], widths[c]) : PadLeft(row[c], widths[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// `name` in at most `width` columns: its start, "…", its end (where names
// made from files often differ: "trade_2013", "trade_2023").
std::string ShortenName(const std::string& name, std::size_t width) {
  const std::size_t length = Columns(name);
  if (length <= width) return name;
  const std::size_t tail = (width - 1) / 3;
  const std::size_t head = width - 1 - tail;
  return name.substr(0, CodePointOffset(name, head)) + "\u2026" +
         name.substr(CodePointOffset(name, length - tail));
}

// `names` shortened to `width` columns and still told apart: shortened names
// that collide end in their position instead ("trade_dep…3").
std::vector<std::string> ShortenNames(const std::vector<std::string>& names, std::size_t width) {
  std::vector<std::string> out;
  for (const std::string& name : names) out.push_back(ShortenName(name, width));
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == names[i] || std::count(out.begin(), out.end(), out[i]) == 1) continue;
    const std::string tag = std::to_string(i);
    const std::size_t head = width > tag.size() + 1 ? width - tag.size() - 1 : 1;
    const std::string tagged = names[i].substr(0, CodePointOffset(names[i], head)) + "\u2026" + tag;
    for (std::size_t j = i + 1; j < out.size(); ++j) {
      if (out[j] == out[i] && out[j] != names[j]) {
        const std::string other = std::to_string(j);
        const std::size_t keep = width > other.size() + 1 ? width - other.size() - 1 : 1;
        out[j] = names[j].substr(0, CodePointOffset(names[j], keep)) + "\u2026" + other;
      }
    }
    out[i] = tagged;
  }
  return out;
}

// A table of names and numbers within kTextWidth: two spaces between
// columns, else one, else the names (column 0 below the header) shortened
// to what is left, down to kShortestName: `rows` then holds the names shown,
// and `shortened` is set.
std::string FittedTextTable(std::vector<std::vector<std::string>>& rows, bool& shortened) {
  auto width = [&](std::size_t gap) {
    std::size_t sum = 0;
    for (const std::size_t w : ColumnWidths(rows, gap)) sum += w;
    return sum;
  };
  for (const std::size_t gap : {2U, 1U}) {
    if (width(gap) <= kTextWidth) return TextTable(rows, gap);
  }
  const std::vector<std::size_t> widths = ColumnWidths(rows, 1);
  std::size_t numbers = 0;
  for (std::size_t c = 1; c < widths.size(); ++c) numbers += widths[c];
  const std::size_t room = kTextWidth > numbers + 1 ? kTextWidth - numbers - 1 : 0;
  std::vector<std::string> names;
  for (std::size_t r = 1; r < rows.size(); ++r) names.push_back(rows[r][0]);
  names = ShortenNames(names, std::max({room, kShortestName, Columns(rows[0][0])}));
  for (std::size_t r = 1; r < rows.size(); ++r) {
    shortened = shortened || rows[r][0] != names[r - 1];
    rows[r][0] = names[r - 1];
  }
  return TextTable(rows, 1);
}

// `warnings`: what the options in effect leave the results able to say
// (PermutationCountWarnings), printed right under them.
// `notes`: what the readers decided about the inputs (RenderContext::input_notes).
std::string TextHeader(const std::string& title, const std::vector<OptionLine>& lines,
                       const std::vector<std::string>& warnings,
                       const std::vector<std::string>& notes) {
  std::string out =
      Wrap(title + " (qap " + std::string(EngineVersion()) + ")", 2) + "\nOptions in effect:\n";
  std::size_t width = 0;
  for (const auto& line : lines) width = std::max(width, line.key.size() + 2);
  for (const auto& line : lines) {
    // A long value wraps under itself.
    out += Wrap("  " + PadRight(line.is_flag ? "--" + line.key : line.key, width + 1) + line.value,
                width + 3);
  }
  for (const std::string& note : notes) out += WrapProse("Note: " + note);
  for (const std::string& warning : warnings) out += WrapProse("Warning: " + warning);
  return out;
}

// The JSON's warnings: the header's first, then the results'.
std::vector<std::string> AllWarnings(const std::vector<std::string>& header,
                                     const std::vector<std::string>& results) {
  std::vector<std::string> all = header;
  all.insert(all.end(), results.begin(), results.end());
  return all;
}

// Fixed decimals for ordinary magnitudes, significant digits past a million
// (a t of 1e15 would otherwise take 20 columns).
std::string Fixed(double v, int decimals) {
  return std::abs(v) < 1e6 ? FormatFixed(v, decimals) : Num(v);
}

// The coefficient table. `short_headers` (text, which must fit kTextWidth):
// "P(>=)", "P(<=)", "P(|>=|)", "Class.p", spelled out by CoefficientLegend.
std::vector<std::vector<std::string>> CoefficientRows(const RegressionResult& r,
                                                      bool short_headers = false) {
  const std::string s = StatisticSymbol(r.options.statistic);
  std::vector<std::vector<std::string>> rows;
  if (short_headers) {
    rows.push_back({"Variable", "Coef", "Std.coef", "Std.err", "t", "P(>=)", "P(<=)", "P(|>=|)",
                    "Class.p", "Sig"});
  } else {
    rows.push_back({"Variable", "Coef", "Std.coef", "Std.err", "t", "P(" + s + "*>=" + s + ")",
                    "P(" + s + "*<=" + s + ")", "P(|" + s + "*|>=|" + s + "|)", "Classical p",
                    "Sig"});
  }
  for (const CoefficientEstimate& c : r.coefficients) {
    std::vector<std::string> row{c.name, Num(c.coefficient),
                                 std::isnan(c.standardized) ? "" : Fixed(c.standardized, 4),
                                 Num(c.standard_error), Fixed(c.t, 3)};
    if (c.permutation) {
      row.push_back(Prob(c.permutation->p_greater_equal));
      row.push_back(Prob(c.permutation->p_less_equal));
      row.push_back(Prob(c.permutation->p_two_sided));
    } else {
      row.insert(row.end(), {"-", "-", "-"});
    }
    row.push_back(FormatSignificant(c.classical_p, 4));
    row.push_back(Stars(c, r.options.null_hypothesis));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> RegressionNotes(const RegressionResult& r, const RenderContext& context) {
  std::vector<std::string> notes;
  const NullHypothesis null = r.options.null_hypothesis;
  const std::string s = StatisticSymbol(r.options.statistic);
  if (null == NullHypothesis::kClassical) {
    notes.push_back(
        "Significance: *** p < 0.01, ** p < 0.05, * p < 0.10 on the classical two-sided p.");
  } else {
    notes.push_back(
        "Significance: *** p < 0.01, ** p < 0.05, * p < 0.10 on the two-sided permutation p, P(|" +
        s + "*| >= |" + s + "|); p-value rule " + DescribeRule(r.options.permutation.pvalue_rule) +
        ".");
    if (null != NullHypothesis::kPermuteY) {
      notes.push_back("The intercept is not permutation-tested under the " + ToString(null) +
                      " null (no permutation of a matrix is a null hypothesis for it); its "
                      "classical p is shown.");
    }
    for (const CoefficientEstimate& c : r.coefficients) {
      // All undefined: RegressionResult::warnings says so (p is NA).
      if (c.undefined > 0 && c.permutation && c.permutation->valid > 0) {
        notes.push_back(
            c.name + ": " + std::to_string(c.undefined) + " of " + std::to_string(r.permutations) +
            " permutations gave an undefined statistic (the permuted model could not be fitted: "
            "rank-deficient, or too few complete dyads) and are left out of its p-values.");
      }
    }
  }
  for (const std::string& warning : r.warnings) notes.push_back("Warning: " + warning);
  if (r.condition_number > kConditionWarning) {
    notes.push_back("Warning: the condition number of the scaled design is " +
                    FormatSignificant(r.condition_number, 3) + " (above " +
                    FormatSignificant(kConditionWarning, 3) +
                    "): the explanatory matrices are nearly collinear, so standard errors are "
                    "inflated and coefficients "
                    "unstable.");
  }
  if (const std::string dropped = DroppedNodesSentence(context); !dropped.empty())
    notes.push_back(dropped);
  return notes;
}

// What the text table's short headers stand for.
std::vector<std::string> CoefficientLegend(const RegressionResult& r) {
  const std::string s = StatisticSymbol(r.options.statistic);
  const std::string classical =
      "Class.p: the classical two-sided p (Student t, " + std::to_string(r.f_df2) + " df).";
  if (r.options.null_hypothesis == NullHypothesis::kClassical) {
    return {"P(>=), P(<=), P(|>=|): permutation p-values, none under the classical null. " +
            classical};
  }
  return {"P(>=) = P(" + s + "*>=" + s + "), P(<=) = P(" + s + "*<=" + s + "), P(|>=|) = P(|" + s +
          "*|>=|" + s + "|), " + s + "* the permuted " + s + ". " + classical};
}

// The permuted statistics' quantiles, as sna's summary.netlm prints them
// under "Test Diagnostics" (without its mean): the numbers of the JSON's
// `quantiles` (NullQuantiles). Nothing under the classical null; one line
// when the run did not keep the distribution.
// `names`: each coefficient's name as the coefficient table shows it.
std::string NullQuantilesText(const RegressionResult& r, const std::vector<std::string>& names,
                              bool& shortened) {
  if (r.options.null_hypothesis == NullHypothesis::kClassical) return {};
  const std::string title = "Null distribution of " + StatisticSymbol(r.options.statistic);
  const std::size_t predictors = r.coefficients.size() - 1;
  if (r.null_distribution.size() == 0) {
    const std::uint64_t bytes = NullDistributionBytes(r.permutations, predictors);
    if (bytes > kTextNullDistributionBudgetBytes) {
      char need[32];
      std::snprintf(need, sizeof need, "%.1f GiB",
                    static_cast<double>(bytes) / static_cast<double>(std::uint64_t{1} << 30U));
      return "\n" +
             WrapProse(title + ": quantiles not shown: keeping " + std::to_string(r.permutations) +
                       " permutations' statistics takes " + need + ", over the text report's " +
                       std::to_string(kTextNullDistributionBudgetBytes >> 20U) +
                       " MiB budget (--format json keeps up to 4 GiB).");
    }
    return "\n" + title + ": quantiles not shown: the run did not keep the distribution.\n";
  }
  std::vector<std::vector<std::string>> rows{{"Variable"}};
  for (const auto& [name, q] : kTextQuantiles) rows[0].push_back(name);
  for (std::size_t i = 0; i < r.coefficients.size(); ++i) {
    const CoefficientEstimate& c = r.coefficients[i];
    if (!c.permutation) continue;
    std::vector<std::string> row{names[i]};
    const std::vector<double> q =
        NullQuantiles(r.null_distribution, static_cast<Eigen::Index>(i), kTextQuantiles);
    for (std::size_t k = 0; k < std::size(kTextQuantiles); ++k)
      row.push_back(q.empty() ? "NA" : Num(q[k]));
    rows.push_back(std::move(row));
  }
  if (rows.size() == 1) return {};
  return "\n" + title + " over the permutations (quantiles, type 7):\n" +
         FittedTextTable(rows, shortened);
}

std::string RegressionText(const RegressionResult& r, const RenderContext& context) {
  std::string out =
      TextHeader("QAP regression of " + r.dependent_name + " on " +
                     std::to_string(r.coefficients.size() - 1) + " explanatory matrices",
                 RegressionOptionLines(r, context), r.permutation_warnings, context.input_notes);
  out += "\nNodes: " + std::to_string(r.nodes) + "    Dyads used: " + std::to_string(r.dyads_used) +
         " of " + std::to_string(r.dyads_total) + "\n\n";
  bool shortened = false;
  std::vector<std::vector<std::string>> rows = CoefficientRows(r, true);
  out += FittedTextTable(rows, shortened);
  for (const std::string& line : CoefficientLegend(r)) out += WrapProse(line);
  // As sna's summary.netlm, in its order.
  out += "\nResidual standard error: " + Num(r.residual_standard_error) + " on " +
         std::to_string(r.f_df2) + " degrees of freedom\n";
  out += "R-squared: " + FormatFixed(r.r_squared, 4) +
         "    Adjusted R-squared: " + FormatFixed(r.adjusted_r_squared, 4) + "\n";
  out += "F(" + std::to_string(r.f_df1) + ", " + std::to_string(r.f_df2) +
         ") = " + Num(r.f_statistic) + ", classical p = " + FormatSignificant(r.f_p_value, 4) +
         "\n";
  out +=
      "Condition number of the scaled design: " + FormatSignificant(r.condition_number, 4) + "\n";
  if (r.r_squared_test) {
    out += "R-squared permutation p (y null, P(R2* >= R2), " +
           std::to_string(r.r_squared_test->valid) +
           " permutations): " + Prob(r.r_squared_test->p_greater_equal) + "\n";
  }
  std::vector<std::string> names;
  for (std::size_t i = 1; i < rows.size(); ++i) names.push_back(rows[i][0]);
  out += NullQuantilesText(r, names, shortened);
  out += "\n";
  if (shortened) {
    out += WrapProse("Names shortened to fit " + std::to_string(kTextWidth) +
                     " columns (\u2026 marks the cut); the x lines under \"Options in effect\" "
                     "give them whole.");
  }
  for (const std::string& note : RegressionNotes(r, context)) out += WrapProse(note);
  return out;
}

// ---------- markdown ----------

std::string MarkdownOptions(const std::vector<OptionLine>& lines,
                            const std::vector<std::string>& warnings,
                            const std::vector<std::string>& notes) {
  std::string out = "Options in effect:\n\n";
  for (const auto& line : lines)
    out += "- `" + line.key + "`: " + MarkdownEscape(line.value) + "\n";
  for (const std::string& note : notes) out += "\n" + MarkdownEscape("Note: " + note) + "\n";
  for (const std::string& warning : warnings)
    out += "\n" + MarkdownEscape("Warning: " + warning) + "\n";
  return out;
}

std::string RegressionMarkdown(const RegressionResult& r, const RenderContext& context) {
  std::string out = "## QAP regression of " + MarkdownEscape(r.dependent_name) + " (qap " +
                    std::string(EngineVersion()) + ")\n\n" +
                    MarkdownOptions(RegressionOptionLines(r, context), r.permutation_warnings,
                                    context.input_notes);
  out += "\nNodes: " + std::to_string(r.nodes) + ", dyads used: " + std::to_string(r.dyads_used) +
         " of " + std::to_string(r.dyads_total) + "\n\n";
  out += MarkdownTable(CoefficientRows(r));
  out += "\nR²: " + FormatFixed(r.r_squared, 4) +
         ", adjusted R²: " + FormatFixed(r.adjusted_r_squared, 4) + ", F(" +
         std::to_string(r.f_df1) + ", " + std::to_string(r.f_df2) + ") = " + Num(r.f_statistic) +
         " (classical p = " + FormatSignificant(r.f_p_value, 4) + ")";
  if (r.r_squared_test) {
    out += ", R² permutation p (y null) = " + Prob(r.r_squared_test->p_greater_equal);
  }
  out += "\n\n";
  for (const std::string& note : RegressionNotes(r, context)) out += MarkdownEscape(note) + "\n\n";
  return out;
}

// ---------- csv ----------

std::string Exact(double v) { return FormatRoundTrip(v); }

// A bare table (docs/cli.md, "What qap writes"): the header row, then one row
// per coefficient; a value that does not exist is NA (what R's read.csv and
// pandas read as missing). Everything else is in the .meta.json sidecar.
std::string RegressionCsv(const RegressionResult& r) {
  std::string out =
      "variable,file,coefficient,standardized,std_error,t,p_ge,p_le,p_two_sided,count_ge,count_le,"
      "count_as_extreme,valid_permutations,classical_p,stars\n";
  for (const CoefficientEstimate& c : r.coefficients) {
    // The intercept comes from no file: NA.
    out += CsvQuote(c.name) + "," + (c.source.empty() ? "NA" : CsvQuote(c.source)) + "," +
           Exact(c.coefficient) + "," + Exact(c.standardized) + "," + Exact(c.standard_error) +
           "," + Exact(c.t) + ",";
    if (c.permutation) {
      const PermutationTest& p = *c.permutation;
      out += Exact(p.p_greater_equal) + "," + Exact(p.p_less_equal) + "," + Exact(p.p_two_sided) +
             "," + std::to_string(p.count_greater_equal) + "," +
             std::to_string(p.count_less_equal) + "," + std::to_string(p.count_as_extreme) + "," +
             std::to_string(p.valid) + ",";
    } else {
      out += "NA,NA,NA,NA,NA,NA,NA,";
    }
    out += Exact(c.classical_p) + "," + Stars(c, r.options.null_hypothesis) + "\n";
  }
  return out;
}

// ---------- json ----------

Json NumberOrNull(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

// p-values under both rules, from the counts.
Json RuleJson(const PermutationTest& test, PValueRule rule) {
  // NaN (no valid permutation: no test, under either rule) is written as null.
  auto p = [&](std::size_t count) {
    return NumberOrNull(PermutationPValue(count, test.valid, rule));
  };
  return Json{{"p_ge", p(test.count_greater_equal)},
              {"p_le", p(test.count_less_equal)},
              {"p_two_sided", p(test.count_as_extreme)}};
}

// Quantiles (type 7) of one column of the null distribution, NaN left out.
Json QuantilesJson(const Eigen::MatrixXd& distribution, Eigen::Index column) {
  const std::vector<double> values = NullQuantiles(distribution, column, kJsonQuantiles);
  if (values.empty()) return nullptr;
  Json out = Json::object();
  for (std::size_t i = 0; i < values.size(); ++i) out[kJsonQuantiles[i].first] = values[i];
  return out;
}

Json TestJson(const std::optional<PermutationTest>& test, const Eigen::MatrixXd& distribution = {},
              Eigen::Index column = 0) {
  if (!test) return nullptr;
  return Json{{"p_ge", NumberOrNull(test->p_greater_equal)},
              {"p_le", NumberOrNull(test->p_less_equal)},
              {"p_two_sided", NumberOrNull(test->p_two_sided)},
              {"count_ge", test->count_greater_equal},
              {"count_le", test->count_less_equal},
              {"count_as_extreme", test->count_as_extreme},
              {"valid_permutations", test->valid},
              {"plus_one", RuleJson(*test, PValueRule::kPlusOne)},
              {"proportion", RuleJson(*test, PValueRule::kProportion)},
              {"quantiles", QuantilesJson(distribution, column)}};
}

// SHA-256 of an input file for provenance; null when it cannot be read.
Json FileHash(const std::string& path) {
  try {
    return detail::Sha256FileHex(path);
  } catch (const Error&) {
    return nullptr;
  }
}

Json AlignmentJson(const RenderContext& context) {
  Json dropped = Json::array();
  for (const DroppedNode& node : context.alignment.dropped) {
    dropped.push_back({{"label", node.label}, {"missing_from", node.missing_from}});
  }
  return Json{{"mode", ToString(context.align_mode)}, {"dropped_nodes", dropped}};
}

Json PermutationOptionsJson(std::size_t permutations, bool from_file, std::uint64_t seed,
                            PValueRule rule, const RenderContext& context) {
  return Json{{"permutations", permutations},
              {"seed", from_file ? Json(nullptr) : Json(seed)},
              {"permutation_file", from_file ? Json(context.permutation_file) : Json(nullptr)},
              {"pvalue_rule", ToString(rule)}};
}

Json RegressionOptionsJson(const RegressionResult& r, const RenderContext& context) {
  const bool permuted = r.options.null_hypothesis != NullHypothesis::kClassical;
  Json options{{"null", ToString(r.options.null_hypothesis)},
               {"statistic", ToString(r.options.statistic)},
               {"algorithm", !permuted ? Json(nullptr)
                                       : Json(r.used_projection_kernel ? "projection" : "refit")}};
  Json permutation =
      permuted ? PermutationOptionsJson(r.permutations, r.permutations_from_file, r.seed,
                                        r.options.permutation.pvalue_rule, context)
               : Json::object({{"permutations", 0},
                               {"seed", nullptr},
                               {"permutation_file", nullptr},
                               {"pvalue_rule", ToString(r.options.permutation.pvalue_rule)}});
  options.update(permutation);
  options["dyads"] = ToString(r.options.dyads.mode);
  options["diagonal"] = r.options.dyads.include_diagonal;
  options["align"] = ToString(context.align_mode);
  return options;
}

Json RegressionInputsJson(const RegressionResult& r) {
  Json explanatory = Json::array();
  for (std::size_t i = 1; i < r.coefficients.size(); ++i) {
    const CoefficientEstimate& c = r.coefficients[i];
    explanatory.push_back({{"name", c.name}, {"file", c.source}, {"sha256", FileHash(c.source)}});
  }
  return Json{{"dependent",
               {{"name", r.dependent_name},
                {"file", r.dependent_source},
                {"sha256", FileHash(r.dependent_source)}}},
              {"explanatory", explanatory}};
}

// The whole-model statistics; `distribution`: with the R² null quantiles.
Json RegressionModelJson(const RegressionResult& r, bool distribution) {
  return Json{{"r_squared", NumberOrNull(r.r_squared)},
              {"adjusted_r_squared", NumberOrNull(r.adjusted_r_squared)},
              {"f", NumberOrNull(r.f_statistic)},
              {"f_df1", r.f_df1},
              {"f_df2", r.f_df2},
              {"f_p", NumberOrNull(r.f_p_value)},
              {"condition_number", NumberOrNull(r.condition_number)},
              {"r_squared_permutation",
               distribution
                   ? TestJson(r.r_squared_test, r.null_distribution, r.null_distribution.cols() - 1)
                   : TestJson(r.r_squared_test)}};
}

// What the JSON and the CSV's sidecar both open with; the sidecar also
// describes its table.
Json RegressionProvenanceJson(const RegressionResult& r, const RenderContext& context,
                              const char* table) {
  Json out{{"qap_version", std::string(EngineVersion())}, {"command", "regress"}};
  if (table != nullptr) out["table"] = table;
  out["options"] = RegressionOptionsJson(r, context);
  out["inputs"] = RegressionInputsJson(r);
  out["alignment"] = AlignmentJson(context);
  out["nodes"] = r.nodes;
  out["dyads_total"] = r.dyads_total;
  out["dyads_used"] = r.dyads_used;
  return out;
}

std::string RegressionJson(const RegressionResult& r, const RenderContext& context) {
  Json coefficients = Json::array();
  for (std::size_t i = 0; i < r.coefficients.size(); ++i) {
    const CoefficientEstimate& c = r.coefficients[i];
    coefficients.push_back({{"variable", c.name},
                            {"coefficient", NumberOrNull(c.coefficient)},
                            {"standardized", NumberOrNull(c.standardized)},
                            {"std_error", NumberOrNull(c.standard_error)},
                            {"t", NumberOrNull(c.t)},
                            {"classical_p", NumberOrNull(c.classical_p)},
                            {"permutation", TestJson(c.permutation, r.null_distribution,
                                                     static_cast<Eigen::Index>(i))},
                            {"undefined_permutations", c.undefined},
                            {"zero_up_to_rounding", c.zero_up_to_rounding},
                            {"stars", Stars(c, r.options.null_hypothesis)}});
  }
  Json out = RegressionProvenanceJson(r, context, nullptr);
  out["coefficients"] = coefficients;
  out["model"] = RegressionModelJson(r, true);
  out["warnings"] = AllWarnings(r.permutation_warnings, r.warnings);
  out["notes"] = context.input_notes;
  return out.dump(2) + "\n";
}

// The sidecar of the CSV: the JSON without the per-coefficient rows (the
// CSV's) and the null quantiles, plus the footnotes the text prints.
std::string RegressionCsvMeta(const RegressionResult& r, const RenderContext& context) {
  Json out = RegressionProvenanceJson(r, context,
                                      "one row per coefficient, the intercept first (docs/cli.md)");
  out["model"] = RegressionModelJson(r, false);
  out["warnings"] = AllWarnings(r.permutation_warnings, r.warnings);
  out["notes"] = context.input_notes;
  out["footnotes"] = RegressionNotes(r, context);
  return out.dump(2) + "\n";
}

// ---------- correlation ----------

std::string CorrelationText(const CorrelationResult& r, const RenderContext& context) {
  std::string out =
      TextHeader("QAP correlation of " + r.first_name + " and " + r.second_name,
                 CorrelationOptionLines(r, context), r.permutation_warnings, context.input_notes);
  out += "\nNodes: " + std::to_string(r.nodes) + "    Dyads used: " + std::to_string(r.dyads_used) +
         " of " + std::to_string(r.dyads_total) + "\n\n";
  out += TextTable({{"Statistic", "Value", "P(r*>=r)", "P(r*<=r)", "P(|r*|>=|r|)", "Sig"},
                    {"Pearson r", FormatFixed(r.correlation, 6), Prob(r.test.p_greater_equal),
                     Prob(r.test.p_less_equal), Prob(r.test.p_two_sided),
                     SignificanceStars(r.test.p_two_sided)}});
  out += "\n" + WrapProse(
                    "Significance: *** p < 0.01, ** p < 0.05, * p < 0.10 on the two-sided "
                    "permutation p; p-value rule " +
                    DescribeRule(r.options.permutation.pvalue_rule) + ".");
  for (const std::string& warning : r.warnings) out += WrapProse("Warning: " + warning);
  if (const std::string dropped = DroppedNodesSentence(context); !dropped.empty())
    out += WrapProse(dropped);
  return out;
}

std::string CorrelationCsv(const CorrelationResult& r) {
  std::string out =
      "first,second,r,p_ge,p_le,p_two_sided,count_ge,count_le,count_as_extreme,valid_permutations,"
      "stars\n";
  out += CsvQuote(r.first_name) + "," + CsvQuote(r.second_name) + "," + Exact(r.correlation) + "," +
         Exact(r.test.p_greater_equal) + "," + Exact(r.test.p_less_equal) + "," +
         Exact(r.test.p_two_sided) + "," + std::to_string(r.test.count_greater_equal) + "," +
         std::to_string(r.test.count_less_equal) + "," + std::to_string(r.test.count_as_extreme) +
         "," + std::to_string(r.test.valid) + "," + SignificanceStars(r.test.p_two_sided) + "\n";
  return out;
}

Json CorrelationOptionsJson(const CorrelationResult& r, const RenderContext& context) {
  Json options = PermutationOptionsJson(r.permutations, r.permutations_from_file, r.seed,
                                        r.options.permutation.pvalue_rule, context);
  options["null"] = "y";
  options["dyads"] = ToString(r.options.dyads.mode);
  options["diagonal"] = r.options.dyads.include_diagonal;
  options["align"] = ToString(context.align_mode);
  return options;
}

Json CorrelationInputsJson(const CorrelationResult& r, bool hashes) {
  Json first{{"name", r.first_name}, {"file", r.first_source}};
  Json second{{"name", r.second_name}, {"file", r.second_source}};
  if (hashes) {
    first["sha256"] = FileHash(r.first_source);
    second["sha256"] = FileHash(r.second_source);
  }
  return Json{{"first", first}, {"second", second}};
}

std::string CorrelationCsvMeta(const CorrelationResult& r, const RenderContext& context) {
  std::vector<std::string> footnotes;
  if (const std::string dropped = DroppedNodesSentence(context); !dropped.empty())
    footnotes.push_back(dropped);
  Json out{{"qap_version", std::string(EngineVersion())},
           {"command", "correlate"},
           {"table", "one row: the two variables, r and its permutation test (docs/cli.md)"},
           {"options", CorrelationOptionsJson(r, context)},
           {"inputs", CorrelationInputsJson(r, true)},
           {"alignment", AlignmentJson(context)},
           {"nodes", r.nodes},
           {"dyads_total", r.dyads_total},
           {"dyads_used", r.dyads_used},
           {"warnings", AllWarnings(r.permutation_warnings, r.warnings)},
           {"notes", context.input_notes},
           {"footnotes", footnotes}};
  return out.dump(2) + "\n";
}

std::string CorrelationJson(const CorrelationResult& r, const RenderContext& context) {
  Json out{{"qap_version", std::string(EngineVersion())},
           {"command", "correlate"},
           {"options", CorrelationOptionsJson(r, context)},
           {"inputs", CorrelationInputsJson(r, false)},
           {"alignment", AlignmentJson(context)},
           {"nodes", r.nodes},
           {"dyads_total", r.dyads_total},
           {"dyads_used", r.dyads_used},
           {"r", NumberOrNull(r.correlation)},
           {"permutation", TestJson(r.test)},
           {"stars", SignificanceStars(r.test.p_two_sided)},
           {"warnings", AllWarnings(r.permutation_warnings, r.warnings)},
           {"notes", context.input_notes}};
  return out.dump(2) + "\n";
}

std::string CorrelationMarkdown(const CorrelationResult& r, const RenderContext& context) {
  std::string out = "## QAP correlation of " + MarkdownEscape(r.first_name) + " and " +
                    MarkdownEscape(r.second_name) + " (qap " + std::string(EngineVersion()) +
                    ")\n\n" +
                    MarkdownOptions(CorrelationOptionLines(r, context), r.permutation_warnings,
                                    context.input_notes);
  out += "\nNodes: " + std::to_string(r.nodes) + ", dyads used: " + std::to_string(r.dyads_used) +
         " of " + std::to_string(r.dyads_total) + "\n\n";
  out += MarkdownTable({{"Statistic", "Value", "P(r*>=r)", "P(r*<=r)", "P(|r*|>=|r|)", "Sig"},
                        {"Pearson r", FormatFixed(r.correlation, 6), Prob(r.test.p_greater_equal),
                         Prob(r.test.p_less_equal), Prob(r.test.p_two_sided),
                         SignificanceStars(r.test.p_two_sided)}});
  if (!r.warnings.empty()) out += "\n";
  for (const std::string& warning : r.warnings)
    out += MarkdownEscape("Warning: " + warning) + "\n\n";
  return out;
}

}  // namespace

std::string_view EngineVersion() { return QAP_VERSION; }

std::string CsvMetaPath(const std::string& csv_path) { return csv_path + ".meta.json"; }

std::string RenderRegressionCsvMeta(const RegressionResult& result, const RenderContext& context) {
  return RegressionCsvMeta(result, context);
}

std::string RenderCorrelationCsvMeta(const CorrelationResult& result,
                                     const RenderContext& context) {
  return CorrelationCsvMeta(result, context);
}

std::string RenderRegression(const RegressionResult& result, OutputFormat format,
                             const RenderContext& context) {
  switch (format) {
    case OutputFormat::kText:
      return RegressionText(result, context);
    case OutputFormat::kCsv:
      return RegressionCsv(result);
    case OutputFormat::kJson:
      return RegressionJson(result, context);
    case OutputFormat::kMarkdown:
      return RegressionMarkdown(result, context);
  }
  return {};
}

std::string RenderCorrelation(const CorrelationResult& result, OutputFormat format,
                              const RenderContext& context) {
  switch (format) {
    case OutputFormat::kText:
      return CorrelationText(result, context);
    case OutputFormat::kCsv:
      return CorrelationCsv(result);
    case OutputFormat::kJson:
      return CorrelationJson(result, context);
    case OutputFormat::kMarkdown:
      return CorrelationMarkdown(result, context);
  }
  return {};
}

void WriteFileAtomically(const std::string& path, std::string_view content) {
  OutputTransaction transaction;
  transaction.Add(path, content);
  transaction.Commit();
}

}  // namespace qap
