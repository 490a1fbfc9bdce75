#include "qap/render/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/render/report.hpp"

namespace qap {

namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string F(double v) { return FormatFixed(v, 2); }

std::string Text(double x, double y, const std::string& text, const char* anchor = "start",
                 int size = 12, const char* weight = "normal") {
  return "<text x=\"" + F(x) + "\" y=\"" + F(y) + "\" font-family=\"sans-serif\" font-size=\"" +
         std::to_string(size) + "\" text-anchor=\"" + anchor + "\" font-weight=\"" + weight +
         "\">" + Escape(text) + "</text>\n";
}

std::string Line(double x1, double y1, double x2, double y2, const char* colour,
                 double width = 1.0) {
  return "<line x1=\"" + F(x1) + "\" y1=\"" + F(y1) + "\" x2=\"" + F(x2) + "\" y2=\"" + F(y2) +
         "\" stroke=\"" + colour + "\" stroke-width=\"" + F(width) + "\"/>\n";
}

std::string Header(double width, double height, const std::string& title) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
         "width=\"" +
         F(width) + "\" height=\"" + F(height) + "\" viewBox=\"0 0 " + F(width) + " " + F(height) +
         "\">\n<title>" + Escape(title) +
         "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
}

// One histogram panel at (x, y) of size w x h.
std::string Histogram(double x, double y, double w, double h, const std::vector<double>& values,
                      double observed, const std::string& title, const std::string& subtitle) {
  std::string out;
  out += Text(x, y - 22, title, "start", 13, "bold");
  out += Text(x, y - 7, subtitle, "start", 11);
  double low = observed;
  double high = observed;
  for (double v : values) {
    low = std::min(low, v);
    high = std::max(high, v);
  }
  if (!(high > low)) {
    low -= 1.0;
    high += 1.0;
  }
  const double pad = 0.05 * (high - low);
  low -= pad;
  high += pad;
  constexpr int kBins = 40;
  std::vector<int> counts(kBins, 0);
  for (double v : values) {
    const int bin = std::clamp(static_cast<int>((v - low) / (high - low) * kBins), 0, kBins - 1);
    ++counts[static_cast<std::size_t>(bin)];
  }
  const int tallest = std::max(1, *std::max_element(counts.begin(), counts.end()));
  const double bar = w / kBins;
  for (int b = 0; b < kBins; ++b) {
    const double height = h * counts[static_cast<std::size_t>(b)] / tallest;
    out += "<rect x=\"" + F(x + b * bar) + "\" y=\"" + F(y + h - height) + "\" width=\"" +
           F(bar * 0.95) + "\" height=\"" + F(height) + "\" fill=\"#8aa9c9\"/>\n";
  }
  out += Line(x, y + h, x + w, y + h, "#333");
  const double ox = x + (observed - low) / (high - low) * w;
  out += Line(ox, y - 2, ox, y + h, "#c0392b", 2.0);
  out += Text(ox + 3, y + 10, "observed " + FormatSignificant(observed, 4), "start", 10);
  out += Text(x, y + h + 14, FormatSignificant(low, 3), "start", 10);
  out += Text(x + w, y + h + 14, FormatSignificant(high, 3), "end", 10);
  return out;
}

}  // namespace

std::string RenderNullDistributionSvg(const RegressionResult& r) {
  if (r.null_distribution.size() == 0) {
    throw OptionsError(
        "plot", "needs the permutation distribution: run a permutation null (not classical)", " ");
  }
  struct Panel {
    std::vector<double> values;
    double observed;
    std::string title;
    std::string subtitle;
  };
  std::vector<Panel> panels;
  const std::string statistic(EnumLabel(r.options.statistic));
  for (std::size_t c = 0; c < r.coefficients.size(); ++c) {
    const CoefficientEstimate& e = r.coefficients[c];
    if (!e.permutation) continue;
    Panel p;
    for (Eigen::Index row = 0; row < r.null_distribution.rows(); ++row) {
      const double v = r.null_distribution(row, static_cast<Eigen::Index>(c));
      if (std::isfinite(v)) p.values.push_back(v);
    }
    p.observed = statistic == "t" ? e.t : e.coefficient;
    p.title = e.name + ": permutation distribution of " + statistic;
    p.subtitle = ToString(r.options.null_hypothesis) + " null, " +
                 std::to_string(e.permutation->valid) +
                 " permutations, two-sided p = " + FormatFixed(e.permutation->p_two_sided, 4) +
                 " " + SignificanceStars(e.permutation->p_two_sided);
    panels.push_back(std::move(p));
  }
  if (r.r_squared_test) {
    Panel p;
    for (Eigen::Index row = 0; row < r.null_distribution.rows(); ++row) {
      const double v = r.null_distribution(row, r.null_distribution.cols() - 1);
      if (std::isfinite(v)) p.values.push_back(v);
    }
    p.observed = r.r_squared;
    p.title = "R-squared under the y null";
    p.subtitle = "P(R2* >= R2) = " + FormatFixed(r.r_squared_test->p_greater_equal, 4);
    panels.push_back(std::move(p));
  }
  constexpr double kPanelWidth = 420;
  constexpr double kPanelHeight = 150;
  constexpr double kMargin = 50;
  const std::size_t columns = 2;
  const std::size_t rows = (panels.size() + columns - 1) / columns;
  const double width = kMargin + static_cast<double>(columns) * (kPanelWidth + kMargin);
  const double height = 60 + static_cast<double>(rows) * (kPanelHeight + 75);
  std::string out = Header(width, height, "QAP regression of " + r.dependent_name);
  out += Text(kMargin, 28,
              "QAP regression of " + r.dependent_name + " (qap " + std::string(EngineVersion()) +
                  ", seed " + std::to_string(r.seed) + ")",
              "start", 15, "bold");
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const double x = kMargin + static_cast<double>(i % columns) * (kPanelWidth + kMargin);
    const std::size_t row = i / columns;  // panels fill the grid row by row
    const double y = 80 + static_cast<double>(row) * (kPanelHeight + 75);
    out += Histogram(x, y, kPanelWidth, kPanelHeight, panels[i].values, panels[i].observed,
                     panels[i].title, panels[i].subtitle);
  }
  return out + "</svg>\n";
}

std::string RenderStudyForestSvg(const StudyResult& result, const std::string& variant) {
  const std::vector<std::string> variables(kStudyCovariateNames.begin(),
                                           kStudyCovariateNames.end());
  const auto& products = result.manifest.products;
  const auto& directions = result.manifest.directions;
  // Range of the intervals.
  double low = -0.1;
  double high = 0.1;
  struct Point {
    double value, lower, upper;
    std::string stars;
    bool found = false;
  };
  auto point = [&](const std::string& product, TradeDirection d, const std::string& variable) {
    Point p{0, 0, 0, "", false};
    for (const StudyModel& m : result.models) {
      if (m.variant != variant || m.product != product || m.direction != d || !m.result) continue;
      for (const CoefficientEstimate& c : m.result->coefficients) {
        if (c.name != variable || !std::isfinite(c.standardized) || c.coefficient == 0.0) continue;
        const double scale = c.standardized / c.coefficient;
        p = {c.standardized, c.standardized - 1.96 * c.standard_error * std::abs(scale),
             c.standardized + 1.96 * c.standard_error * std::abs(scale),
             // Stars under the model's own null, as in the study tables.
             c.permutation ? SignificanceStars(c.permutation->p_two_sided)
             : m.result->options.null_hypothesis == NullHypothesis::kClassical
                 ? SignificanceStars(c.classical_p)
                 : "",
             true};
      }
    }
    return p;
  };
  for (const std::string& v : variables) {
    for (const std::string& p : products) {
      for (const TradeDirection d : directions) {
        const Point q = point(p, d, v);
        if (!q.found) continue;
        low = std::min(low, q.lower);
        high = std::max(high, q.upper);
      }
    }
  }
  constexpr double kLabel = 70;
  constexpr double kPanel = 330;
  constexpr double kRow = 16;
  const double panel_height = static_cast<double>(products.size()) * kRow + 34;
  const double width = kLabel + static_cast<double>(directions.size()) * (kPanel + kLabel) + 20;
  const double height = 70 + static_cast<double>(variables.size()) * panel_height + 30;
  const std::string title = (variant == "main" ? "Table 3" : "Table 4 (" + variant + ")") +
                            ": standardized coefficients, " + result.manifest.name;
  std::string out = Header(width, height, title);
  out += Text(20, 26, title, "start", 15, "bold");
  out +=
      Text(20, 44, "bars: classical 95 % interval; filled: permutation p < 0.10; stars at 10/5/1 %",
           "start", 11);
  for (std::size_t di = 0; di < directions.size(); ++di) {
    const double x0 = kLabel + static_cast<double>(di) * (kPanel + kLabel);
    auto to_x = [&](double v) { return x0 + (v - low) / (high - low) * kPanel; };
    for (std::size_t vi = 0; vi < variables.size(); ++vi) {
      const double y0 = 70 + static_cast<double>(vi) * panel_height;
      out += Text(x0, y0 + 10, variables[vi] + " (" + ToString(directions[di]) + ")", "start", 12,
                  "bold");
      out += Line(to_x(0.0), y0 + 16, to_x(0.0),
                  y0 + 16 + static_cast<double>(products.size()) * kRow, "#999");
      for (std::size_t pi = 0; pi < products.size(); ++pi) {
        const double y = y0 + 26 + static_cast<double>(pi) * kRow;
        out += Text(x0 - 6, y + 4, products[pi], "end", 10);
        const Point q = point(products[pi], directions[di], variables[vi]);
        if (!q.found) {
          out += Text(to_x(0.0) + 4, y + 4, "failed", "start", 10);
          continue;
        }
        out += Line(to_x(q.lower), y, to_x(q.upper), y, "#555");
        const bool significant = !q.stars.empty();
        out += "<circle cx=\"" + F(to_x(q.value)) + "\" cy=\"" + F(y) +
               "\" r=\"4\" stroke=\"#1f4e79\" fill=\"" + (significant ? "#1f4e79" : "white") +
               "\"/>\n";
        if (significant) out += Text(to_x(q.upper) + 4, y + 4, q.stars, "start", 10);
      }
    }
    const double axis = 70 + static_cast<double>(variables.size()) * panel_height;
    out += Line(x0, axis, x0 + kPanel, axis, "#333");
    out += Text(x0, axis + 14, FormatSignificant(low, 2), "start", 10);
    out += Text(to_x(0.0), axis + 14, "0", "middle", 10);
    out += Text(x0 + kPanel, axis + 14, FormatSignificant(high, 2), "end", 10);
  }
  return out + "</svg>\n";
}

}  // namespace qap
