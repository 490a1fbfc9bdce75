#include "qap/permutation.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <random>

#include "csv_tokenizer.hpp"
#include "qap/errors.hpp"

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

PermutationPlan::PermutationPlan(std::vector<Permutation> fixed, std::uint32_t nodes)
    : count_(fixed.size()), nodes_(nodes), fixed_(std::move(fixed)) {}

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

std::uint64_t GenerateSeed() {
  std::random_device device;
  // Keep seeds to 53 bits so they survive a round trip through JSON readers
  // that hold numbers as doubles.
  const std::uint64_t high = device();
  const std::uint64_t low = device();
  return ((high << 32U) | low) & ((std::uint64_t{1} << 53U) - 1U);
}

std::vector<Permutation> ReadPermutationFile(const std::string& path, std::uint32_t nodes) {
  return ParsePermutationText(detail::ReadWholeFile(path), path, nodes);
}

std::vector<Permutation> ParsePermutationText(std::string_view text, const std::string& path, std::uint32_t nodes) {
  std::vector<Permutation> permutations;
  std::size_t line_number = 0;
  std::size_t position = 0;
  std::vector<bool> seen;
  while (position <= text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + position, end - position);
    ++line_number;
    position = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') {
      if (end == text.size()) break;
      continue;
    }
    Permutation permutation;
    seen.assign(nodes, false);
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == ',')) ++i;
      if (i >= line.size()) break;
      const std::size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != ',') ++i;
      const std::string_view token = line.substr(start, i - start);
      std::uint64_t value = 0;
      const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
      const SourcePosition where{path, line_number, start + 1, permutation.size() + 1};
      if (ec != std::errc() || ptr != token.data() + token.size()) {
        throw InputError(where, "\"" + std::string(token) + "\" is not a node position (1.." +
                                    std::to_string(nodes) + ")");
      }
      if (value < 1 || value > nodes) {
        throw InputError(where, "node position " + std::string(token) + " is outside 1.." +
                                    std::to_string(nodes));
      }
      if (seen[value - 1]) {
        throw InputError(where, "node position " + std::string(token) +
                                    " appears twice: a line must be a permutation");
      }
      seen[value - 1] = true;
      permutation.push_back(static_cast<std::uint32_t>(value - 1));
    }
    if (permutation.size() != nodes) {
      throw InputError({path, line_number, 1, 0},
                       "permutation has " + std::to_string(permutation.size()) +
                           " entries but the analysis has " + std::to_string(nodes) + " nodes");
    }
    permutations.push_back(std::move(permutation));
    if (end == text.size()) break;
  }
  if (permutations.empty()) {
    throw InputError({path, 0, 0, 0}, "holds no permutation");
  }
  return permutations;
}

std::string FormatPermutationFile(const PermutationPlan& plan,
                                  const std::vector<std::string>& node_order,
                                  const std::string& provenance) {
  std::string out = "# qap permutations: line m is permutation p; the permuted matrix is M[p, p] (1-based)\n";
  out += "# " + provenance + "\n# node order:";
  for (std::size_t i = 0; i < node_order.size(); ++i) {
    out += " " + std::to_string(i + 1) + "=" + node_order[i];
    if (i + 1 < node_order.size()) out += ";";
  }
  out += "\n";
  std::vector<Permutation> block;
  for (std::size_t b = 0; b < plan.block_count(); ++b) {
    plan.FillBlock(b, block);
    for (const Permutation& p : block) {
      for (std::size_t i = 0; i < p.size(); ++i) {
        if (i > 0) out += ' ';
        out += std::to_string(p[i] + 1);
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace qap
