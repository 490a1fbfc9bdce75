// libFuzzer target: permutation files (--permutations).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "qap/errors.hpp"
#include "qap/permutation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& p : qap::ParsePermutationText(text, "fuzz.txt", 5)) {
      if (p.size() != 5) __builtin_trap();
    }
  } catch (const qap::Error&) {
  }
  return 0;
}
