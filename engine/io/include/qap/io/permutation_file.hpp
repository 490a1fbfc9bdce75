// Permutation files: the permutations a run used, written by
// --save-permutations and read back by --permutations. Text in, text out,
// so it lives in io; the permutations themselves are core's.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "qap/core/permutation.hpp"

namespace qap {

// Permutation files: '#' lines are comments; every other line is one
// permutation as n 1-based node positions separated by spaces or commas, in the
// aligned node order (the permuted matrix is M[p, p], as in R).
std::vector<Permutation> ReadPermutationFile(const std::string& path, std::uint32_t nodes);
// The same from text; `source` names it in messages.
std::vector<Permutation> ParsePermutationText(std::string_view text, const std::string& source,
                                              std::uint32_t nodes);
// Writes the permutation file of `plan` to `sink` in pieces of about 1 MiB, as
// the permutations are drawn: memory stays bounded whatever the count (10^9
// permutations of 200 nodes are some 800 GB of text).
void WritePermutationFile(const PermutationPlan& plan, const std::vector<std::string>& node_order,
                          const std::string& provenance,
                          const std::function<void(std::string_view)>& sink);
// The same as one string, for tests and small plans.
std::string FormatPermutationFile(const PermutationPlan& plan,
                                  const std::vector<std::string>& node_order,
                                  const std::string& provenance);
// The exact size in bytes of the permutation lines of `count` permutations of
// `nodes` nodes (the comment header not counted); saturates, never wraps.
std::uint64_t PermutationLineBytes(std::uint64_t count, std::uint32_t nodes);
// The most permutations of `nodes` nodes that ReadPermutationFile accepts: it
// holds the list in memory, so a file is capped at kMaxPermutations lines and
// at 4 GiB of parsed permutations. A file that could not be read back is not
// worth writing (--save-permutations refuses it before computing).
std::uint64_t MaxReadablePermutations(std::uint32_t nodes);

}  // namespace qap
