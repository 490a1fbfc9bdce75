// libFuzzer target: WDI bulk CSV and WGI (long and DataBank) readers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "qap/attributes.hpp"
#include "qap/errors.hpp"

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
  return 0;
}
