// The study's tables: rendering, so in render (render -> study, never back).
#pragma once

#include <string>

#include "qap/study/study.hpp"

namespace qap {

// Table 3 (or Table 4 for a robustness variant): one column per product,
// standardized coefficients with stars, R^2 and N, an export and an import block.
// Under the table (text, Markdown, LaTeX; in the CSV's sidecar) a footnote per
// column that lost partners before the regression: the count and their ISO3
// codes. The JSON lists every dropped partner with its reason, per model.
//
// A CSV (here and below) is a bare rectangular table, header row first, NA
// for a missing cell; its provenance and notes go to `meta` (when given) as
// the JSON of its sidecar FILE.meta.json (CsvMetaPath in qap/render/report.hpp).
std::string RenderStudyTable(const StudyResult& result, const std::string& variant,
                             const std::string& format, std::string* meta = nullptr);

// Per cell, whether a robustness variant agrees with the main run: "=" when
// the sign and the significance level (number of stars) agree, "sign" when
// the sign flips, "* -> ***" style when only the level changes.
std::string RenderRobustnessComparison(const StudyResult& result, const std::string& variant,
                                       const std::string& format, std::string* meta = nullptr);

// The engine's tables beside the printed ones (`printed_csv`: table,direction,
// variable,hs_code,coefficient,stars; T3 and T4), with the printed cells that
// cannot be genuine flagged (docs/study-method.md §6): a block whose seven columns
// are identical (seven regressions on different node sets cannot agree to three
// decimals) and sample sizes that are not n(n-1). Table 4 is compared with
// `table4_variant` (the paper does not say which variant it is; R2 is the
// candidate). The closing note says what to expect from the data: synthetic
// inputs (a DATA_NOTE saying SYNTHETIC) cannot reproduce the printed numbers,
// real data should up to the data vintage. Formats: text, csv, markdown.
std::string RenderPrintedComparison(const StudyResult& result, const std::string& printed_csv,
                                    const std::string& table4_variant, const std::string& format,
                                    std::string* meta = nullptr);

}  // namespace qap
