// Bilateral trade records from the files people download, and the flow
// matrix of one product and year built from them.
//
// Layouts recognised from the header (column names matched case-insensitively):
//  * UN Comtrade Plus API / bulk CSV, camelCase: "typeCode,freqCode,refPeriodId,
//    refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,
//    flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,
//    partner2Desc,classificationCode,...,cmdCode,cmdDesc,aggrLevel,isLeaf,
//    customsCode,customsDesc,mosCode,motCode,motDesc,...,primaryValue,
//    legacyEstimationFlag,isReported,isAggregate"; the Comtrade Plus web
//    download has the same columns in PascalCase ("TypeCode","FreqCode",...,
//    "Prtner2Code" spelt so by the site, "AtlQty"), every field quoted, a
//    trailing comma on every line and Windows-1252 text;
//  * the legacy Comtrade CSV: "Classification,Year,Period,Period Desc.,
//    Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,Reporter Code,
//    Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,2nd Partner Code,
//    2nd Partner,2nd Partner ISO,Customs Proc. Code,Customs,Mode of Transport
//    Code,Mode of Transport,Commodity Code,Commodity,...,Trade Value (US$),...";
//  * a plain long CSV: exporter,importer,hs,year,value (exporter-reported).
// Economies resolve through a CountryTable by ISO code, numeric Comtrade code
// or name; aggregates (World, Areas nes, Bunkers, Free Zones, ...) are
// dropped and counted, World rows becoming World totals; unknown economies
// are an error naming the line, unless the caller asks to drop them (then
// they are reported).
//
// Where the reader deviates from "one row, one record" (each counted in
// TradeReadReport):
//  * flows other than exports and imports (re-exports RX, re-imports RM,
//    domestic exports DX, foreign imports FM, processing flows MIP/XIP/MOP/
//    XOP, intra-firm MIF/XIF, "-1" not specified) are left out;
//  * HS2 and HS4 rows of a mixed-level download are left out (six-digit
//    codes and TOTAL are kept); SITC and other non-HS classifications are
//    refused;
//  * rows broken down by customs procedure, mode of transport, mode of
//    supply or second partner: per (reporter, partner, flow, commodity, year)
//    the total row (customsCode C00, motCode 0, mosCode 0, partner2Code 0 or
//    empty) is taken when present; otherwise the breakdown rows of the
//    coarsest breakdown are summed (summing two different breakdowns of one
//    flow would count it twice);
//  * trade of an economy with itself is left out.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qap/core/enum_names.hpp"
#include "qap/core/labelled_matrix.hpp"
#include "qap/trade/country_table.hpp"

namespace qap {

enum class TradeFlow { kExport, kImport };
inline constexpr EnumName<TradeFlow> kTradeFlowNames[] = {
    {TradeFlow::kExport, "export", "the reporter's exports"},
    {TradeFlow::kImport, "import", "the reporter's imports"},
};
constexpr std::span<const EnumName<TradeFlow>> EnumTable(TradeFlow) { return kTradeFlowNames; }

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

// What happened to the rows of one commodity code (as written) and year, so
// "no records" can say why.
struct CommodityYearCounts {
  std::size_t rows = 0;          // data rows of this code and year
  std::size_t bilateral = 0;     // rows that went into bilateral records
  std::size_t world_totals = 0;  // rows that went into World totals
  std::size_t aggregates = 0;    // rows dropped: reporter or partner an aggregate other than World
  std::size_t unknown = 0;       // rows dropped: unknown economy (drop_unknown_economies)
  std::size_t flows_left_out = 0;  // re-exports, re-imports and other sub-flows
  std::size_t other_level = 0;     // HS2/HS4 rows (the code has 2 or 4 digits)
  std::size_t self_trade = 0;      // reporter and partner the same economy
};

struct TradeReadReport {
  std::string file;
  std::string layout;  // "comtrade", "comtrade-legacy", "long"
  std::string
      encoding;  // of the bytes on disk: "UTF-8", "UTF-8 (BOM)", "Windows-1252", "UTF-16LE", ...
  std::size_t records = 0;
  std::map<std::string, std::size_t> dropped_aggregates;  // name -> rows
  std::map<std::string, std::size_t> dropped_unknown;     // name -> rows
  std::size_t re_exports_and_imports = 0;                 // RX and RM rows (also in flows_left_out)
  std::map<std::string, std::size_t>
      flows_left_out;  // flow code (RX, RM, DX, FM, MIP, ...) -> rows
  std::map<std::string, std::size_t> levels_left_out;  // "HS2", "HS4" -> rows
  // Rows broken down by customs procedure, mode of transport or supply, or
  // second partner: left out because their key has a total row (or a coarser
  // breakdown was summed), and summed where the key has no total row.
  std::size_t breakdown_rows_left_out = 0;
  std::size_t breakdown_rows_summed = 0;
  std::size_t totals_from_breakdowns = 0;  // records and World totals built by summing
  std::size_t self_trade = 0;              // rows whose reporter is its own partner
  std::map<std::pair<std::string, int>, CommodityYearCounts> by_commodity_year;
};

// An economy's trade with the World aggregate (kept for the trade intensity
// index, which needs total exports and imports).
struct WorldTotalKey {
  std::string reporter;
  TradeFlow flow;
  std::string commodity;
  int year;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>.
  auto operator<=>(const WorldTotalKey&) const = default;
};

struct TradeData {
  std::vector<TradeRecord> records;              // bilateral records between economies
  std::map<WorldTotalKey, double> world_totals;  // records whose partner is World
  TradeReadReport report;
};

TradeData ReadTradeRecords(const std::string& path, const CountryTable& countries,
                           const TradeReadOptions& options);
TradeData ParseTradeRecords(std::string_view text, const std::string& source,
                            const CountryTable& countries, const TradeReadOptions& options);

// Which report of a flow counts (docs/study-method.md §0).
enum class Reconciliation {
  kImporterFirst,  // importer-reported, the exporter's mirror filling gaps (default)
  kExporterOnly,   // exporter-reported only
};
inline constexpr EnumName<Reconciliation> kReconciliationNames[] = {
    {Reconciliation::kImporterFirst, "importer",
     "importer-reported, the exporter's mirror filling gaps"},
    {Reconciliation::kExporterOnly, "exporter", "exporter-reported only"},
};
constexpr std::span<const EnumName<Reconciliation>> EnumTable(Reconciliation) {
  return kReconciliationNames;
}

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
// when two records report the same flow, and DataError when nothing matches
// (saying why, from data.report.by_commodity_year).
LabelledMatrix BuildFlowMatrix(const TradeData& data, const std::string& commodity, int year,
                               Reconciliation reconciliation, FlowMatrixReport* report = nullptr);

}  // namespace qap
