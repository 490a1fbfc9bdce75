#include "qap/io/sha256.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"

namespace qap::detail {

namespace {

constexpr std::array<std::uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t Rotate(std::uint32_t x, unsigned n) { return (x >> n) | (x << (32U - n)); }

void Compress(std::array<std::uint32_t, 8>& state, const unsigned char* block) {
  std::array<std::uint32_t, 64> w{};
  for (std::size_t t = 0; t < 16; ++t) {
    w[t] = (std::uint32_t{block[4 * t]} << 24U) | (std::uint32_t{block[4 * t + 1]} << 16U) |
           (std::uint32_t{block[4 * t + 2]} << 8U) | std::uint32_t{block[4 * t + 3]};
  }
  for (std::size_t t = 16; t < 64; ++t) {
    const std::uint32_t s0 = Rotate(w[t - 15], 7) ^ Rotate(w[t - 15], 18) ^ (w[t - 15] >> 3U);
    const std::uint32_t s1 = Rotate(w[t - 2], 17) ^ Rotate(w[t - 2], 19) ^ (w[t - 2] >> 10U);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  auto [a, b, c, d, e, f, g, h] = state;
  for (std::size_t t = 0; t < 64; ++t) {
    const std::uint32_t t1 = h + (Rotate(e, 6) ^ Rotate(e, 11) ^ Rotate(e, 25)) +
                             ((e & f) ^ (~e & g)) + kRound[t] + w[t];
    const std::uint32_t t2 =
        (Rotate(a, 2) ^ Rotate(a, 13) ^ Rotate(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

}  // namespace

Sha256::Sha256()
    : state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19} {}

void Sha256::Update(std::string_view data) {
  length_ += data.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t rest = data.size();
  if (buffered_ > 0) {
    const std::size_t take = std::min(rest, buffer_.size() - buffered_);
    std::memcpy(buffer_.data() + buffered_, bytes, take);
    buffered_ += take;
    bytes += take;
    rest -= take;
    if (buffered_ < buffer_.size()) return;
    Compress(state_, buffer_.data());
    buffered_ = 0;
  }
  for (; rest >= 64; bytes += 64, rest -= 64) Compress(state_, bytes);
  if (rest > 0) std::memcpy(buffer_.data(), bytes, rest);
  buffered_ = rest;
}

std::string Sha256::Finish() {
  // FIPS 180-4 §5.1.1: a one bit, zeros to 56 bytes mod 64, the bit length.
  const std::uint64_t bits = length_ * 8U;
  std::array<unsigned char, 72> padding{};
  padding[0] = 0x80;
  const std::size_t zeros = buffered_ < 56 ? 56 - buffered_ : 120 - buffered_;
  for (std::size_t i = 0; i < 8; ++i)
    padding[zeros + i] = static_cast<unsigned char>(bits >> (56U - 8U * i));
  const std::uint64_t length = length_;
  Update(std::string_view(reinterpret_cast<const char*>(padding.data()), zeros + 8));
  length_ = length;
  std::string hex;
  for (std::uint32_t word : state_) {
    std::array<char, 9> digits{};
    std::snprintf(digits.data(), digits.size(), "%08x", word);
    hex += digits.data();
  }
  return hex;
}

std::string Sha256Hex(std::string_view data) {
  Sha256 digest;
  digest.Update(data);
  return digest.Finish();
}

std::string Sha256FileHex(const std::string& path) {
  const bool regular = CheckInputPath(path);
  std::ifstream stream(path, std::ios::binary);
  if (!stream)
    throw InputError({path, 0, 0, 0}, "cannot be opened for reading (check permissions)");
  const std::uint64_t limit = regular ? kDefaultReadLimit : kMaxStreamBytes;
  Sha256 digest;
  std::uint64_t total = 0;
  std::vector<char> chunk(std::size_t{1} << 20U);
  while (stream) {
    stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(stream.gcount());
    if (got == 0) break;
    total += got;
    if (total > limit)
      throw InputError({path, 0, 0, 0}, "is larger than " + DescribeBytes(limit) + "; not hashed");
    digest.Update(std::string_view(chunk.data(), got));
  }
  if (stream.bad()) throw InputError({path, 0, 0, 0}, "read failed");
  return digest.Finish();
}

}  // namespace qap::detail
