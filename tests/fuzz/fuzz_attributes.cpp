// libFuzzer target: WDI bulk CSV and WGI (long and DataBank) readers, the
// text-encoding decoder and the IMF WEO database reader.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "qap/core/errors.hpp"
#include "qap/io/text_encoding.hpp"
#include "qap/trade/attributes.hpp"
#include "qap/trade/weo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const qap::CountryTable countries = qap::CountryTable::Load(QAP_FUZZ_REFERENCE_DIR);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    qap::ParseWdiIndicator(text, "fuzz.csv", "NY.GDP.PCAP.CD", countries);
  } catch (const qap::Error&) {
  }
  try {
    qap::ParseWgi(text, "fuzz.csv", countries);
  } catch (const qap::Error&) {
  }
  // The parser on the raw bytes too, so it also sees what the decoder refuses.
  try {
    qap::AttributeReadReport report;
    qap::ParseWeo(text, "fuzz.xls", "NGDPDPC", countries, &report);
  } catch (const qap::Error&) {
  }
  try {
    const qap::detail::DecodedText decoded = qap::detail::DecodeText(std::string(text), "fuzz.xls");
    // Whatever was decoded is UTF-8 without NULs: decoding it again must keep
    // it as it is (unless it starts with U+FEFF, which reads as a BOM).
    if (!decoded.text.starts_with("\xEF\xBB\xBF")) {
      const qap::detail::DecodedText again = qap::detail::DecodeText(decoded.text, "fuzz.xls");
      if (again.encoding != "UTF-8" || again.text != decoded.text) std::abort();
    }
    qap::AttributeReadReport report;
    qap::ParseWeo(decoded.text, "fuzz.xls", "NGDPDPC", countries, &report);
  } catch (const qap::Error&) {
  }
  return 0;
}
