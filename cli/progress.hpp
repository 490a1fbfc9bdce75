// A progress line on stderr for long permutation runs.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace qap::cli {

// Returns a callback for PermutationOptions::progress, or an empty function
// when stderr is not a terminal or `quiet` is set. It stays silent for the
// first second so quick runs print nothing.
// `rate_scale` converts a unit into the rate shown (e.g. models into
// permutations per second, with `rate_unit` "permutations").
std::function<void(std::size_t, std::size_t)> MakeProgressPrinter(bool quiet, std::string label,
                                                                  std::string unit = "permutations",
                                                                  double rate_scale = 1.0,
                                                                  std::string rate_unit = "");

// Clears the progress line if one was drawn.
void FinishProgress();

// For the thread that ends the process on SIGINT, SIGTERM or SIGHUP: ends a
// drawn progress line with a newline (the "\r..." line would otherwise be
// left open under the shell's prompt) and draws none after it.
void EndProgressLineBeforeTermination();

}  // namespace qap::cli
