// How an input file was read, as JSON: shared by every report that lists its
// inputs (covariates, study), so the same file is described the same way.
#pragma once

#include <nlohmann/json.hpp>

#include "qap/trade/attributes.hpp"

namespace qap::detail {

inline nlohmann::ordered_json AttributeReadJson(const AttributeReadReport& report) {
  nlohmann::ordered_json unresolved = nlohmann::ordered_json::array();
  for (const UnresolvedEconomy& u : report.unresolved) {
    unresolved.push_back({{"code", u.code}, {"name", u.name}, {"line", u.line}});
  }
  return {{"file", report.file},
          {"layout", report.layout},
          {"encoding", report.encoding},
          {"economy_rows_read", report.rows_read},
          {"aggregate_rows_left_out", report.aggregates},
          {"rows_of_other_series_left_out", report.other_series_rows},
          {"resolved_by_name", report.resolved_by_name},
          {"unresolved_economies", unresolved}};
}

}  // namespace qap::detail
