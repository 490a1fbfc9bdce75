// libFuzzer target: the labelled-matrix / edge-list reader. Any input must
// give a LabelledMatrix or a qap::Error; anything else (a crash, a sanitizer
// report, another exception) is a bug. scripts/fuzz.sh runs it under a
// memory limit, so an allocation out of proportion to the input is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "qap/core/errors.hpp"
#include "qap/io/interchange.hpp"
#include "qap/io/matrix_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const qap::InputFormat format :
       {qap::InputFormat::kAuto, qap::InputFormat::kEdgeList, qap::InputFormat::kMatrix}) {
    qap::ReadOptions options;
    options.format = format;
    try {
      const qap::LabelledMatrix m = qap::ParseLabelledMatrix(text, "fuzz.csv", options);
      if (static_cast<std::size_t>(m.size()) != m.labels.size()) __builtin_trap();
    } catch (const qap::Error&) {
    }
  }
  // The same bytes as UCINET DL and as Pajek. Sparse formats may ask for a
  // dense matrix of up to 20,000 nodes (3.2 GB) in a few bytes, which is
  // valid. The fuzzer's 512 MB budget (scripts/fuzz.sh) must also hold
  // ASan's quarantine (256 MB of freed blocks by default), so two freed
  // 4,000-node matrices (128 MB each) once tipped it over; 1,000 nodes
  // (8 MB) leave the bound logic exercised with room to spare.
  constexpr std::size_t kFuzzMaxNodes = 1000;
  try {
    for (const qap::LabelledMatrix& m : qap::ParseUcinetDl(text, "fuzz.dl", kFuzzMaxNodes)) {
      if (static_cast<std::size_t>(m.size()) != m.labels.size()) __builtin_trap();
    }
  } catch (const qap::Error&) {
  }
  try {
    const qap::LabelledMatrix m = qap::ParsePajek(text, "fuzz.net", kFuzzMaxNodes);
    if (static_cast<std::size_t>(m.size()) != m.labels.size()) __builtin_trap();
  } catch (const qap::Error&) {
  }
  return 0;
}
