// libFuzzer target: permutation files (--permutations). The same bytes go
// through the in-memory parser and, from a file, through the streaming reader
// the command line uses; whatever the streaming reader accepts, the parser
// must accept identically (the streaming reader may refuse more: lines longer
// than a permutation can be).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qap/core/errors.hpp"
#include "qap/core/permutation.hpp"
#include "qap/io/permutation_file.hpp"

namespace {

const std::string& ScratchFile() {
  static const std::string path =
      "/tmp/qap_fuzz_permutations_" + std::to_string(::getpid()) + ".txt";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<std::vector<qap::Permutation>> parsed;
  try {
    parsed = qap::ParsePermutationText(text, "fuzz.txt", 5);
    for (const auto& p : *parsed) {
      if (p.size() != 5) __builtin_trap();
    }
  } catch (const qap::Error&) {
  }
  const std::string& path = ScratchFile();
  if (FILE* file = std::fopen(path.c_str(), "wb")) {
    const bool written = std::fwrite(data, 1, size, file) == size;
    std::fclose(file);
    if (written) {
      try {
        const auto streamed = qap::ReadPermutationFile(path, 5);
        if (!parsed || streamed != *parsed) __builtin_trap();
      } catch (const qap::Error&) {
      }
    }
    std::remove(path.c_str());  // libFuzzer may end with _Exit: leave nothing behind
  }
  return 0;
}
