// SHA-256 against the FIPS 180-4 example vectors, the incremental digest
// against the one-shot one at every split point, and file hashing.
#include "qap/io/sha256.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "qap/core/errors.hpp"

namespace qap::detail {
namespace {

TEST(Sha256, MatchesTheStandardsExampleVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the padding needs a second block.
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PiecesGiveTheDigestOfTheWhole) {
  std::string text;
  for (int k = 0; k < 300; ++k) text += static_cast<char>((k * 37) % 251);
  const std::string whole = Sha256Hex(text);
  for (std::size_t split = 0; split <= text.size(); ++split) {
    Sha256 digest;
    digest.Update(std::string_view(text).substr(0, split));
    digest.Update(std::string_view(text).substr(split));
    ASSERT_EQ(digest.Finish(), whole) << "split at " << split;
  }
}

TEST(Sha256, AFileIsHashedInPiecesAndAMissingOneNamed) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("qap_sha256_" + std::to_string(::getpid()) + ".bin");
  std::string content(3 << 20, 'x');  // several read chunks
  content[12345] = 'y';
  std::ofstream(path, std::ios::binary) << content;
  EXPECT_EQ(Sha256FileHex(path.string()), Sha256Hex(content));
  std::filesystem::remove(path);
  try {
    Sha256FileHex(path.string());
    ADD_FAILURE() << "a missing file hashed";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace qap::detail
