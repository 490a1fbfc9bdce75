// libFuzzer target: the labelled-matrix / edge-list reader. Any input must
// give a LabelledMatrix or a qap::Error; anything else (a crash, a sanitizer
// report, another exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "qap/errors.hpp"
#include "qap/interchange.hpp"
#include "qap/matrix_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const qap::InputFormat format : {qap::InputFormat::kAuto, qap::InputFormat::kEdgeList}) {
    qap::ReadOptions options;
    options.format = format;
    try {
      const qap::LabelledMatrix m = qap::ParseLabelledMatrix(text, "fuzz.csv", options);
      if (static_cast<std::size_t>(m.size()) != m.labels.size()) __builtin_trap();
    } catch (const qap::Error&) {
    }
  }
  // The same bytes as UCINET DL and as Pajek.
  try {
    for (const qap::LabelledMatrix& m : qap::ParseUcinetDl(text, "fuzz.dl")) {
      if (static_cast<std::size_t>(m.size()) != m.labels.size()) __builtin_trap();
    }
  } catch (const qap::Error&) {
  }
  try {
    const qap::LabelledMatrix m = qap::ParsePajek(text, "fuzz.net");
    if (static_cast<std::size_t>(m.size()) != m.labels.size()) __builtin_trap();
  } catch (const qap::Error&) {
  }
  return 0;
}
