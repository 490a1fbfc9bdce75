// The bilateral flows of one product and year, from either of the two inputs
// the dependence and network commands accept: a ready flow matrix (labelled
// matrix or edge list) or a trade file the matrix is reconciled from. One
// place decides how each is read, so every front end gets the same matrix
// and the same account of what reading the trade file dropped.
#pragma once

#include <optional>
#include <string>

#include "qap/core/labelled_matrix.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/trade/dependence.hpp"
#include "qap/trade/trade_data.hpp"

namespace qap {

struct FlowLoadOptions {
  // Exactly one of the two: a flow matrix (row exports to column), read with
  // `read`, or a trade file (Comtrade or long CSV; needs commodity and year).
  std::string flows_file;
  std::string trade_file;
  ReadOptions read;
  std::string commodity;  // HS six-digit code or TOTAL (trade_file only)
  std::optional<int> year;
  Reconciliation reconciliation = Reconciliation::kImporterFirst;
  // Folder of countries.csv, aggregates.csv and code_variants.csv (trade_file
  // only). The engine never looks for its data: the front end resolves it.
  std::string reference_dir;
  bool drop_unknown_economies = false;
  // Empty when the options can be loaded; otherwise what is missing, in the
  // engine's own words (front ends check their flags first, naming them).
  [[nodiscard]] std::string Validate() const;
};

// The flow matrix and, when read from a trade file, what reading it dropped.
struct LoadedFlows {
  LabelledMatrix matrix;
  std::optional<TradeReadReport> trade;
  std::optional<FlowMatrixReport> reconciliation;
};

// Throws OptionsError when Validate() fails, and the readers' errors.
LoadedFlows LoadFlows(const FlowLoadOptions& options);

// LoadFlows, then ComputeTradeDependence; `loaded`, when given, receives the
// flows and their reports (for report.json).
DependenceResult ComputeDependenceFromFlows(const FlowLoadOptions& flows,
                                            const DependenceOptions& options,
                                            LoadedFlows* loaded = nullptr);

}  // namespace qap
