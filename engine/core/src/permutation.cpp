#include "qap/core/permutation.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <numeric>
#include <random>

#include "qap/core/errors.hpp"

namespace qap {

namespace {

std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

std::uint64_t BlockSeed(std::uint64_t seed, std::uint64_t block) {
  std::uint64_t state = seed;
  const std::uint64_t a = SplitMix64(state);
  state = a ^ (block * 0xD1B54A32D192ED03ULL);
  SplitMix64(state);
  return SplitMix64(state);
}

}  // namespace

PermutationStream::PermutationStream(std::uint64_t seed, std::uint64_t block)
    : engine_(BlockSeed(seed, block)) {}

std::uint32_t PermutationStream::Below(std::uint32_t bound) {
  // Lemire's method on 32 bits taken from the top of a 64-bit draw.
  auto draw = [this] { return static_cast<std::uint32_t>(engine_() >> 32U); };
  std::uint64_t product = std::uint64_t{draw()} * bound;
  auto low = static_cast<std::uint32_t>(product);
  if (low < bound) {
    const std::uint32_t threshold = (0U - bound) % bound;
    while (low < threshold) {
      product = std::uint64_t{draw()} * bound;
      low = static_cast<std::uint32_t>(product);
    }
  }
  return static_cast<std::uint32_t>(product >> 32U);
}

void PermutationStream::Next(std::span<std::uint32_t> out) {
  std::iota(out.begin(), out.end(), 0U);
  for (std::size_t i = out.size(); i > 1; --i) {
    const std::uint32_t j = Below(static_cast<std::uint32_t>(i));
    std::swap(out[i - 1], out[j]);
  }
}

PermutationPlan::PermutationPlan(std::uint64_t seed, std::size_t count, std::uint32_t nodes)
    : seed_(seed), count_(count), nodes_(nodes) {}

PermutationPlan::PermutationPlan(PermutationList fixed, std::uint32_t nodes)
    : count_(fixed->size()), nodes_(nodes), fixed_(std::move(fixed)) {}

std::size_t PermutationPlan::block_count() const noexcept {
  return (count_ + PermutationStream::kBlockSize - 1) / PermutationStream::kBlockSize;
}

std::size_t PermutationPlan::FillBlock(std::size_t block, std::vector<Permutation>& out) const {
  const std::size_t first = block * PermutationStream::kBlockSize;
  const std::size_t size = std::min(PermutationStream::kBlockSize, count_ - first);
  out.resize(size);
  if (fixed_) {
    for (std::size_t k = 0; k < size; ++k) out[k] = (*fixed_)[first + k];
    return first;
  }
  PermutationStream stream(seed_, block);
  for (auto& permutation : out) {
    permutation.resize(nodes_);
    stream.Next(permutation);
  }
  return first;
}

std::span<const Permutation> PermutationPlan::Block(std::size_t block,
                                                    std::vector<Permutation>& scratch) const {
  if (fixed_) {
    const std::size_t first = block * PermutationStream::kBlockSize;
    return std::span<const Permutation>(*fixed_).subspan(
        first, std::min(PermutationStream::kBlockSize, count_ - first));
  }
  FillBlock(block, scratch);
  return scratch;
}

std::uint64_t GenerateSeed() {
  std::random_device device;
  // Keep seeds to 53 bits so they survive a round trip through JSON readers
  // that hold numbers as doubles.
  const std::uint64_t high = device();
  const std::uint64_t low = device();
  return ((high << 32U) | low) & ((std::uint64_t{1} << 53U) - 1U);
}

}  // namespace qap
