// Reproducible random node permutations.
//
// Permutation m is drawn from a stream keyed by (seed, block), block = m / 64,
// never by thread: any thread count draws exactly the same permutations, so
// `--threads 1` and `--threads 16` print the same digits.
//
// Engine: Boost.Random's mt19937_64, seeded per block from SplitMix64 mixing of
// (seed, block) (Steele, Lea & Flood 2014). Shuffle: Fisher-Yates (Durstenfeld
// 1964) with Lemire's nearly divisionless bounded integers (Lemire 2019, ACM
// TOMACS 29(1)), which are unbiased and avoid a division per draw.
#pragma once

#include <boost/random/mersenne_twister.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qap/core/dyads.hpp"

namespace qap {

class PermutationStream {
 public:
  static constexpr std::size_t kBlockSize = 64;

  PermutationStream(std::uint64_t seed, std::uint64_t block);

  // Overwrites `out` with a uniformly random permutation of 0..out.size()-1.
  void Next(std::span<std::uint32_t> out);

 private:
  std::uint32_t Below(std::uint32_t bound);  // uniform on [0, bound)
  boost::random::mt19937_64 engine_;
};

// A list of permutations read from a file, shared read-only: the caller's
// inputs, the plan and the result all point at the one copy in memory (a
// file of 10^6 permutations of 200 nodes is 800 MB).
using PermutationList = std::shared_ptr<const std::vector<Permutation>>;

// Where the permutations of a run come from: drawn from (seed, block) streams,
// or read from a file so results can be compared with other software
// permutation by permutation. A drawn plan stores only (seed, count) and draws
// a block when asked, so whoever reads it again (the run, then the writer of
// --save-permutations) draws the same permutations again rather than holding
// m of them in memory.
class PermutationPlan {
 public:
  PermutationPlan(std::uint64_t seed, std::size_t count, std::uint32_t nodes);
  // `fixed` must not be null; it is shared, never copied.
  PermutationPlan(PermutationList fixed, std::uint32_t nodes);

  [[nodiscard]] std::size_t count() const noexcept { return count_; }
  [[nodiscard]] std::size_t block_count() const noexcept;
  [[nodiscard]] std::uint32_t nodes() const noexcept { return nodes_; }

  // Fills `out` with the permutations of one block (64 or fewer for the last);
  // returns the index of the block's first permutation.
  std::size_t FillBlock(std::size_t block, std::vector<Permutation>& out) const;
  // The permutations of one block: a view of the list when the plan has one
  // (nothing copied), else drawn into `scratch`. Valid while both live.
  [[nodiscard]] std::span<const Permutation> Block(std::size_t block,
                                                   std::vector<Permutation>& scratch) const;

  // The list the plan reads from; null when it draws from the seed.
  [[nodiscard]] const PermutationList& fixed() const noexcept { return fixed_; }
  [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }

 private:
  std::uint64_t seed_ = 0;
  std::size_t count_ = 0;
  std::uint32_t nodes_ = 0;
  PermutationList fixed_;
};

// A random seed from the operating system, for runs where none was given.
std::uint64_t GenerateSeed();

// The most permutations a run draws (--perms, a manifest's permutations, the
// lines of a permutation file): at the kernel's rate a larger count runs for
// days, and a count past 2^32 would need 64-bit block counters in every
// progress and report path.
inline constexpr std::uint64_t kMaxPermutations = 1000000000;

}  // namespace qap
