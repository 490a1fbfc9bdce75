// libFuzzer target: the TOML study manifest.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "qap/core/errors.hpp"
#include "qap/study/study.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    qap::ParseStudyManifest(text, "/nonexistent/fuzz.toml");
  } catch (const qap::Error&) {
  }
  return 0;
}
