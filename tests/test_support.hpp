// Helpers shared by the test files.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "qap/core/labelled_matrix.hpp"
#include "qap/io/matrix_io.hpp"

namespace qap::testing {

inline std::string SourcePath(const std::string& relative) {
  return std::string(QAP_SOURCE_DIR) + "/" + relative;
}

// |actual - expected| <= tolerance * max(|expected|, floor): relative, with a
// floor so values near zero are compared absolutely.
inline ::testing::AssertionResult RelativelyNear(double actual, double expected, double tolerance,
                                                 double floor = 1e-12) {
  const double scale = std::max(std::abs(expected), floor);
  if (std::abs(actual - expected) <= tolerance * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "actual " << actual << " vs expected " << expected << " (relative difference "
         << std::abs(actual - expected) / scale << " > " << tolerance << ")";
}

// Random tests print their seed so a failure can be replayed (Eigen's habit).
inline std::uint64_t AnnouncedSeed(std::uint64_t seed) {
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  std::printf("[ seed     ] %llu\n", static_cast<unsigned long long>(seed));
  return seed;
}

// `run()` must throw an Error of type E whose message contains `fragment`.
template <class E, class Run>
::testing::AssertionResult ThrowsWithMessage(Run&& run, std::string_view fragment) {
  try {
    run();
  } catch (const E& e) {
    if (std::string_view(e.what()).find(fragment) != std::string_view::npos) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "the message \"" << e.what() << "\" lacks \"" << fragment << "\"";
  }
  return ::testing::AssertionFailure()
         << "accepted (no exception); expected \"" << fragment << "\"";
}

inline LabelledMatrix MatrixFromText(const std::string& text, const std::string& name = "M") {
  LabelledMatrix m = ParseLabelledMatrix(text, name + ".csv", {});
  m.name = name;
  return m;
}

}  // namespace qap::testing
