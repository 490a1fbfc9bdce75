// SHA-256 (FIPS 180-4), for provenance hashes of manifests and data files.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace qap::detail {

// Incremental digest, for data that arrives in pieces.
class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  // Lower-case hexadecimal digest of everything passed to Update; call once.
  std::string Finish();

 private:
  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;
};

// Lower-case hexadecimal digest of `data`.
std::string Sha256Hex(std::string_view data);

// Digest of a file read in pieces, so hashing an input for provenance never
// holds a second copy of it. Bounded like ReadWholeFile (a pipe or device at
// most kMaxStreamBytes); throws InputError naming the path when it cannot.
std::string Sha256FileHex(const std::string& path);

}  // namespace qap::detail
