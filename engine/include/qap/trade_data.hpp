// Bilateral trade records from the files people download, and the flow
// matrix of one product and year built from them.
//
// Layouts recognised from the header:
//  * UN Comtrade API / bulk CSV ("reporterISO", "partnerISO", "flowCode",
//    "cmdCode", "primaryValue", "refYear" or "period");
//  * the legacy Comtrade CSV ("Reporter ISO", "Partner ISO", "Trade Flow",
//    "Commodity Code", "Trade Value (US$)", "Year");
//  * a plain long CSV: exporter,importer,hs,year,value (exporter-reported).
// Economies resolve through a CountryTable; aggregates (World, Areas nes,
// Bunkers, Free Zones, ...) are dropped and counted; re-exports and re-imports
// are left out and counted; unknown economies are an error naming the line,
// unless the caller asks to drop them (then they are reported).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "qap/country_table.hpp"
#include "qap/labelled_matrix.hpp"

namespace qap {

enum class TradeFlow { kExport, kImport };

struct TradeRecord {
  std::string reporter;  // ISO3
  std::string partner;   // ISO3
  TradeFlow flow = TradeFlow::kExport;
  std::string commodity;  // HS code as written ("850511", "TOTAL")
  int year = 0;
  double value = 0.0;  // USD
  std::size_t line = 0;
};

struct TradeReadOptions {
  bool drop_unknown_economies = false;  // default: an unknown economy is an error
};

struct TradeReadReport {
  std::string file;
  std::string layout;  // "comtrade", "comtrade-legacy", "long"
  std::size_t records = 0;
  std::map<std::string, std::size_t> dropped_aggregates;  // name -> records
  std::map<std::string, std::size_t> dropped_unknown;     // name -> records
  std::size_t re_exports_and_imports = 0;
};

// An economy's trade with the World aggregate (kept for the trade intensity
// index, which needs total exports and imports).
struct WorldTotalKey {
  std::string reporter;
  TradeFlow flow;
  std::string commodity;
  int year;
  auto operator<=>(const WorldTotalKey&) const = default;
};

struct TradeData {
  std::vector<TradeRecord> records;             // bilateral records between economies
  std::map<WorldTotalKey, double> world_totals;  // records whose partner is World
  TradeReadReport report;
};

TradeData ReadTradeRecords(const std::string& path, const CountryTable& countries, const TradeReadOptions& options);
TradeData ParseTradeRecords(std::string_view text, const std::string& source, const CountryTable& countries,
                            const TradeReadOptions& options);

// Which report of a flow counts (paper-method.md §0).
enum class Reconciliation {
  kImporterFirst,  // importer-reported, the exporter's mirror filling gaps (default)
  kExporterOnly,   // exporter-reported only
};

struct FlowMatrixReport {
  std::string commodity;
  int year = 0;
  Reconciliation reconciliation = Reconciliation::kImporterFirst;
  std::size_t importer_reported = 0;
  std::size_t mirror_filled = 0;
  std::size_t exporter_reported = 0;
};

// F (exporter row, importer column, USD) over every economy with a record of
// that commodity and year, labelled by ISO3 in sorted order. Throws InputError
// when two records report the same flow, and DataError when nothing matches.
LabelledMatrix BuildFlowMatrix(const TradeData& data, const std::string& commodity, int year,
                               Reconciliation reconciliation, FlowMatrixReport* report = nullptr);

std::string ToString(Reconciliation reconciliation);

}  // namespace qap
