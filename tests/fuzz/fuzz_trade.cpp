// libFuzzer target: Comtrade / long trade files, and the flow matrix built
// from whatever they hold.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "qap/core/errors.hpp"
#include "qap/trade/trade_data.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const qap::CountryTable countries = qap::CountryTable::Load(QAP_FUZZ_REFERENCE_DIR);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const bool drop : {false, true}) {
    try {
      qap::TradeReadOptions options;
      options.drop_unknown_economies = drop;
      const qap::TradeData trade = qap::ParseTradeRecords(text, "fuzz.csv", countries, options);
      if (!trade.records.empty()) {
        const auto& first = trade.records.front();
        qap::BuildFlowMatrix(trade, first.commodity, first.year,
                             qap::Reconciliation::kImporterFirst);
      }
      // A product the file may hold only at another level, year or as World
      // totals: the "no records" explanation walks the report's counts.
      qap::BuildFlowMatrix(trade, "850511", 2023, qap::Reconciliation::kExporterOnly);
    } catch (const qap::Error&) {
    }
  }
  return 0;
}
