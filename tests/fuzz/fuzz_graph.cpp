// libFuzzer target: the GraphML and GML readers (issue 13). Any input must
// give matrices or a qap::Error; anything else (a crash, a sanitizer report,
// another exception, unbounded recursion) is a bug. Nodes are capped as in
// fuzz_matrix.cpp, so a dense matrix stays within the fuzzer's memory budget.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "qap/core/errors.hpp"
#include "qap/io/graph_files.hpp"

namespace {

void Check(const std::vector<qap::LabelledMatrix>& matrices) {
  for (const qap::LabelledMatrix& m : matrices) {
    if (static_cast<std::size_t>(m.size()) != m.labels.size()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  qap::GraphReadOptions options;
  options.max_nodes = 1000;
  (void)qap::LooksLikeGraphml(text);
  (void)qap::LooksLikeGml(text);
  try {
    Check(qap::ParseGraphml(text, "fuzz.graphml", options));
  } catch (const qap::Error&) {
  }
  try {
    Check(qap::ParseGml(text, "fuzz.gml", options));
  } catch (const qap::Error&) {
  }
  options.attribute = "weight";
  options.absent_edge = qap::AbsentEdge::kMissing;
  try {
    Check(qap::ParseGml(text, "fuzz.gml", options));
  } catch (const qap::Error&) {
  }
  return 0;
}
