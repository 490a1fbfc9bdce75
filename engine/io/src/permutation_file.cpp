#include "qap/io/permutation_file.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>

#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"

namespace qap {

namespace {

// A list of permutations is held in memory whole; an endless generator of
// valid lines (`yes "1 2 3"`) must end before memory does.
constexpr std::uint64_t kMaxPermutationListBytes = std::uint64_t{4} << 30U;
// Comment lines are skipped without being kept, but an endless one ("yes '#'")
// must still end.
constexpr std::uint64_t kMaxCommentBytes = std::uint64_t{64} << 20U;

// One line of a permutation file: blank and '#' lines are skipped, anything
// else must be a permutation of 1..nodes.
void ParsePermutationLine(std::string_view line, std::size_t line_number, const std::string& path,
                          std::uint32_t nodes, std::vector<bool>& seen,
                          std::vector<Permutation>& out) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const auto first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos || line[first] == '#') return;
  if (const std::uint64_t most = MaxReadablePermutations(nodes); out.size() >= most) {
    throw InputError(
        {path, line_number, 1, 0},
        "holds more than " + std::to_string(most) + " permutations of " + std::to_string(nodes) +
            " nodes, the most a run reads from a file (at most 10^9, and at most " +
            detail::DescribeBytes(kMaxPermutationListBytes) + " in memory); is it endless?");
  }
  Permutation permutation;
  permutation.reserve(nodes);
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
      const bool text = std::all_of(token.begin(), token.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x20U && static_cast<unsigned char>(c) < 0x7FU;
      });
      // Binary bytes are not echoed to the terminal.
      throw InputError(where,
                       (text ? "\"" + std::string(token) + "\"" : std::string("binary data")) +
                           " is not a node position (1.." + std::to_string(nodes) + ")");
    }
    if (value < 1 || value > nodes) {
      throw InputError(
          where, "node position " + std::string(token) + " is outside 1.." + std::to_string(nodes));
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
  out.push_back(std::move(permutation));
}

}  // namespace

// Streams the file: a line is kept only up to the length a permutation of
// `nodes` entries can have, so /dev/zero, /dev/urandom or an endless
// generator is refused after a few bytes instead of filling memory.
std::vector<Permutation> ReadPermutationFile(const std::string& path, std::uint32_t nodes) {
  detail::CheckInputPath(path);
  std::ifstream stream(path, std::ios::binary);
  if (!stream)
    throw InputError({path, 0, 0, 0}, "cannot be opened for reading (check permissions)");
  const std::size_t digits = std::to_string(nodes).size();
  // Each entry is its digits and a separator; blanks around them are allowed
  // generously, not without end.
  const std::size_t max_line = 256 + static_cast<std::size_t>(nodes) * (digits + 16);
  std::vector<Permutation> permutations;
  std::vector<bool> seen;
  std::string line;
  std::size_t line_number = 1;
  bool blank_so_far = true;
  bool comment = false;
  std::uint64_t comment_bytes = 0;
  std::array<char, 1U << 16U> chunk{};
  auto finish_line = [&] {
    if (!comment) ParsePermutationLine(line, line_number, path, nodes, seen, permutations);
    line.clear();
    blank_so_far = true;
    comment = false;
    ++line_number;
  };
  while (stream) {
    stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(stream.gcount());
    if (got == 0) break;
    for (std::size_t k = 0; k < got; ++k) {
      const char c = chunk[k];
      if (c == '\n') {
        finish_line();
        continue;
      }
      if (comment) {
        if (++comment_bytes > kMaxCommentBytes) {
          throw InputError({path, line_number, 1, 0},
                           "holds more than " + detail::DescribeBytes(kMaxCommentBytes) +
                               " of comment lines: not a permutation file");
        }
        continue;
      }
      if (blank_so_far && c == '#') {
        comment = true;
        continue;
      }
      if (c != ' ' && c != '\t') blank_so_far = false;
      line.push_back(c);
      if (line.size() > max_line) {
        throw InputError({path, line_number, 1, 0},
                         "line is longer than a permutation of " + std::to_string(nodes) +
                             " nodes can be (" + std::to_string(max_line) +
                             " bytes) and has not ended: not a permutation file");
      }
    }
  }
  if (stream.bad()) throw InputError({path, 0, 0, 0}, "read failed");
  if (!line.empty()) finish_line();
  if (permutations.empty()) {
    throw InputError({path, 0, 0, 0}, "holds no permutation");
  }
  return permutations;
}

std::vector<Permutation> ParsePermutationText(std::string_view text, const std::string& path,
                                              std::uint32_t nodes) {
  std::vector<Permutation> permutations;
  std::vector<bool> seen;
  std::size_t line_number = 0;
  std::size_t position = 0;
  while (position <= text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string::npos) end = text.size();
    ++line_number;
    ParsePermutationLine(text.substr(position, end - position), line_number, path, nodes, seen,
                         permutations);
    position = end + 1;
  }
  if (permutations.empty()) {
    throw InputError({path, 0, 0, 0}, "holds no permutation");
  }
  return permutations;
}

void WritePermutationFile(const PermutationPlan& plan, const std::vector<std::string>& node_order,
                          const std::string& provenance,
                          const std::function<void(std::string_view)>& sink) {
  constexpr std::size_t kPiece = std::size_t{1} << 20U;
  std::string out =
      "# qap permutations: line m is permutation p; the permuted matrix is M[p, p] (1-based)\n";
  out += "# " + provenance + "\n# node order:";
  for (std::size_t i = 0; i < node_order.size(); ++i) {
    out += " " + std::to_string(i + 1) + "=" + node_order[i];
    if (i + 1 < node_order.size()) out += ";";
  }
  out += "\n";
  std::vector<Permutation> scratch;
  for (std::size_t b = 0; b < plan.block_count(); ++b) {
    for (const Permutation& p : plan.Block(b, scratch)) {
      for (std::size_t i = 0; i < p.size(); ++i) {
        if (i > 0) out += ' ';
        out += std::to_string(p[i] + 1);
      }
      out += '\n';
    }
    if (out.size() >= kPiece) {
      sink(out);
      out.clear();
    }
  }
  if (!out.empty()) sink(out);
}

std::string FormatPermutationFile(const PermutationPlan& plan,
                                  const std::vector<std::string>& node_order,
                                  const std::string& provenance) {
  std::string out;
  WritePermutationFile(plan, node_order, provenance,
                       [&](std::string_view piece) { out.append(piece); });
  return out;
}

std::uint64_t MaxReadablePermutations(std::uint32_t nodes) {
  // As many permutations as `--perms` allows (a file with more is not one this
  // engine wrote or can use), and no more than fit the list's memory bound.
  const std::uint64_t each = sizeof(Permutation) + std::uint64_t{nodes} * sizeof(std::uint32_t);
  return std::min<std::uint64_t>(kMaxPermutations, kMaxPermutationListBytes / each);
}

std::uint64_t PermutationLineBytes(std::uint64_t count, std::uint32_t nodes) {
  // Positions 1..nodes written once each: their digits, a separator each
  // (spaces between, the newline after the last).
  std::uint64_t line = 0;
  for (std::uint64_t low = 1, digits = 1; low <= nodes; low *= 10U, ++digits) {
    const std::uint64_t high = std::min<std::uint64_t>(nodes, low * 10U - 1U);
    line += (high - low + 1U) * (digits + 1U);
  }
  if (line == 0) line = 1;
  const std::uint64_t most = std::numeric_limits<std::uint64_t>::max();
  return count > most / line ? most : count * line;
}

}  // namespace qap
