// Encoding detection and transcoding of publishers' text files
// (engine/io/src/text_encoding.*): every encoding a publisher uses decodes to the
// same UTF-8, and what is not text is refused with its byte offset.
#include "qap/io/text_encoding.hpp"

#include <gtest/gtest.h>

#include <string>

#include "qap/core/errors.hpp"
#include "test_support.hpp"

namespace qap::detail {
namespace {

// The names that break naive readers, and a euro sign (0x80 in Windows-1252).
const std::string kUtf8 =
    "economy,note\r\n"
    "C\xC3\xB4te d'Ivoire,Cura\xC3\xA7"
    "ao\r\n"
    "T\xC3\xBCrkiye,S\xC3\xA3o Tom\xC3\xA9 and Pr\xC3\xADncipe\r\n"
    "price,\xE2\x82\xAC 12\r\n";

// The same text, byte for byte, in Windows-1252.
const std::string kWindows1252 =
    "economy,note\r\n"
    "C\xF4te d'Ivoire,Cura\xE7"
    "ao\r\n"
    "T\xFCrkiye,S\xE3o Tom\xE9 and Pr\xEDncipe\r\n"
    "price,\x80 12\r\n";

// UTF-8 -> UTF-16 written independently of the decoder (BMP and astral).
std::string ToUtf16(const std::string& utf8, bool big_endian, bool bom) {
  std::u32string code_points;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    const std::size_t length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = length == 1   ? b
                  : length == 2 ? (b & 0x1Fu)
                  : length == 3 ? (b & 0x0Fu)
                                : (b & 0x07u);
    for (std::size_t k = 1; k < length; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3Fu);
    code_points.push_back(cp);
    i += length;
  }
  std::string out;
  auto unit = [&](char32_t u) {
    const char high = static_cast<char>((u >> 8) & 0xFF);
    const char low = static_cast<char>(u & 0xFF);
    out += big_endian ? std::string{high, low} : std::string{low, high};
  };
  if (bom) unit(0xFEFF);
  for (char32_t cp : code_points) {
    if (cp >= 0x10000) {
      unit(0xD800 + ((cp - 0x10000) >> 10));
      unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

TEST(TextEncoding, ValidUtf8IsKeptByteForByte) {
  const DecodedText decoded = DecodeText(kUtf8, "a.csv");
  EXPECT_EQ(decoded.encoding, "UTF-8");
  EXPECT_FALSE(decoded.transcoded());
  EXPECT_EQ(decoded.text, kUtf8);
  EXPECT_EQ(DecodeText("", "empty.csv").text, "");
  EXPECT_EQ(DecodeText("", "empty.csv").encoding, "UTF-8");
}

TEST(TextEncoding, Utf8ByteOrderMarkIsStripped) {
  const DecodedText decoded = DecodeText("\xEF\xBB\xBF" + kUtf8, "a.csv");
  EXPECT_EQ(decoded.encoding, "UTF-8 (BOM)");
  EXPECT_TRUE(decoded.transcoded());
  EXPECT_EQ(decoded.text, kUtf8);
}

TEST(TextEncoding, Windows1252RoundTripsNamesAndTheEuroSign) {
  const DecodedText decoded = DecodeText(kWindows1252, "comtrade.csv");
  EXPECT_EQ(decoded.encoding, "Windows-1252");
  EXPECT_TRUE(decoded.transcoded());
  EXPECT_EQ(decoded.text, kUtf8);  // CRLF kept too
}

TEST(TextEncoding, Windows1252HighBlockAndUnassignedBytes) {
  // 0x80-0x9F in full: the assigned ones to their punctuation and letters,
  // 81 8D 8F 90 9D to the C1 controls of the same value (WHATWG).
  std::string bytes = "x";
  for (int b = 0x80; b <= 0x9F; ++b) bytes.push_back(static_cast<char>(b));
  // Row by row: € U+81 ‚ ƒ „ … † ‡ / ˆ ‰ Š ‹ Œ U+8D Ž U+8F /
  // U+90 ‘ ’ “ ” • – — / ˜ ™ š › œ U+9D ž Ÿ
  // clang-format off
  const std::string expected =
      "x"
      "\xE2\x82\xAC\xC2\x81\xE2\x80\x9A\xC6\x92\xE2\x80\x9E\xE2\x80\xA6\xE2\x80\xA0\xE2\x80\xA1"
      "\xCB\x86\xE2\x80\xB0\xC5\xA0\xE2\x80\xB9\xC5\x92\xC2\x8D\xC5\xBD\xC2\x8F"
      "\xC2\x90\xE2\x80\x98\xE2\x80\x99\xE2\x80\x9C\xE2\x80\x9D\xE2\x80\xA2\xE2\x80\x93\xE2\x80\x94"
      "\xCB\x9C\xE2\x84\xA2\xC5\xA1\xE2\x80\xBA\xC5\x93\xC2\x9D\xC5\xBE\xC5\xB8";
  // clang-format on
  EXPECT_EQ(DecodeText(bytes, "a.csv").text, expected);
  // Latin-1's upper half is the same code points.
  EXPECT_EQ(DecodeText("\xA0\xFF", "a.csv").text, "\xC2\xA0\xC3\xBF");
}

TEST(TextEncoding, Utf16WithAndWithoutByteOrderMark) {
  for (const bool big_endian : {false, true}) {
    for (const bool bom : {true, false}) {
      SCOPED_TRACE(std::string(big_endian ? "BE" : "LE") + (bom ? " with BOM" : " without BOM"));
      const DecodedText decoded = DecodeText(ToUtf16(kUtf8, big_endian, bom), "weo.xls");
      EXPECT_EQ(decoded.encoding, big_endian ? "UTF-16BE" : "UTF-16LE");
      EXPECT_TRUE(decoded.transcoded());
      EXPECT_EQ(decoded.text, kUtf8);
    }
  }
}

TEST(TextEncoding, Utf16SurrogatePairsBecomeFourByteUtf8) {
  const std::string text =
      "a\xF0\x9F\x8C\x8D"
      "b\n";  // U+1F30D
  EXPECT_EQ(DecodeText(ToUtf16(text, false, true), "a.txt").text, text);
  EXPECT_EQ(DecodeText(ToUtf16(text, true, false), "a.txt").text, text);
}

TEST(TextEncoding, BinaryIsRefusedWithTheOffset) {
  try {
    (void)DecodeText(std::string("PK\x03\x04\x14\x00\x06\x00", 8), "book.xlsx");
    FAIL() << "a zip header decoded";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("book.xlsx"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("byte offset 5"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("binary"), std::string::npos) << e.what();
  }
  // A NUL far from the start, after the sniffed KiB, in otherwise plain text.
  std::string late(10000, 'a');
  late[9000] = '\0';
  try {
    (void)DecodeText(late, "late.csv");
    FAIL() << "a NUL byte decoded";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("byte offset 9000"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)DecodeText(std::string("\xEF\xBB\xBF"
                                            "a\0b",
                                            6),
                                "bom.csv"),
               InputError);
}

TEST(TextEncoding, OddLengthUtf16IsRefused) {
  std::string bytes = ToUtf16("ISO\tCountry\r\n", false, true);
  bytes.push_back('x');
  try {
    (void)DecodeText(bytes, "weo.xls");
    FAIL() << "odd-length UTF-16 decoded";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("odd length"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("byte offset " + std::to_string(bytes.size() - 1)),
              std::string::npos)
        << e.what();
  }
  std::string no_bom = ToUtf16("ISO\tCountry\r\n", false, false);
  no_bom.pop_back();
  EXPECT_THROW((void)DecodeText(no_bom, "weo.xls"), InputError);
}

TEST(TextEncoding, UnpairedSurrogatesAreRefused) {
  std::string lone_high =
      ToUtf16("ab", false, true) + std::string("\x3D\xD8", 2) + ToUtf16("c", false, false);
  EXPECT_TRUE(qap::testing::ThrowsWithMessage<InputError>(
      [&] { (void)DecodeText(lone_high, "a.txt"); }, "surrogate U+D83D at byte offset 6"))
      << "a lone high surrogate decoded";
  const std::string lone_low = ToUtf16("ab", true, true) + std::string("\xDC\x00", 2);
  EXPECT_THROW((void)DecodeText(lone_low, "a.txt"), InputError);
  const std::string high_at_end = ToUtf16("ab", false, true) + std::string("\x3D\xD8", 2);
  EXPECT_THROW((void)DecodeText(high_at_end, "a.txt"), InputError);
}

TEST(TextEncoding, InvalidUtf8AfterAByteOrderMarkIsRefused) {
  try {
    (void)DecodeText("\xEF\xBB\xBFok\nC\xF4te", "a.csv");
    FAIL() << "Latin-1 behind a UTF-8 BOM decoded";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("a.csv:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("byte offset 7"), std::string::npos) << e.what();
  }
}

TEST(TextEncoding, MalformedUtf8FallsBackToWindows1252) {
  // Overlong "/", an encoded surrogate and a truncated sequence are not UTF-8.
  EXPECT_EQ(DecodeText("\xC0\xAF", "a").encoding, "Windows-1252");
  EXPECT_EQ(DecodeText("\xED\xA0\x80", "a").encoding, "Windows-1252");
  EXPECT_EQ(DecodeText("ab\xE2\x82", "a").encoding, "Windows-1252");
  EXPECT_EQ(DecodeText("\xF4\x90\x80\x80", "a").encoding, "Windows-1252");
  EXPECT_EQ(DecodeText("\xF0\x9F\x8C\x8D", "a").encoding, "UTF-8");
}

// The matrix reader's hook (issue 13): only UTF-16 with a byte-order mark is
// transcoded; without one it is refused, saying to save as UTF-8; everything
// else passes through untouched (UTF-8 BOM, Latin-1 and binary included,
// which the parsers after it handle or refuse).
TEST(TextEncoding, TranscodeUtf16WithBomOnly) {
  for (const bool big_endian : {false, true}) {
    SCOPED_TRACE(big_endian ? "BE" : "LE");
    EXPECT_EQ(TranscodeUtf16WithBom(ToUtf16(kUtf8, big_endian, true), "m.txt"), kUtf8);
    try {
      (void)TranscodeUtf16WithBom(ToUtf16(kUtf8, big_endian, false), "m.txt");
      FAIL() << "UTF-16 without a byte-order mark was transcoded";
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(std::string("m.txt:1: NUL byte at byte offset ") +
                             (big_endian ? "0" : "1") + ": this looks like UTF-16" +
                             (big_endian ? "BE" : "LE") + " text without a byte-order mark"),
                std::string::npos)
          << message;
      EXPECT_NE(message.find("save it as UTF-8"), std::string::npos) << message;
    }
  }
  for (const std::string& bytes : {kUtf8, "\xEF\xBB\xBF" + kUtf8, kWindows1252,
                                   std::string("PK\x03\x04\x14\x00\x06\x00", 8), std::string()}) {
    EXPECT_EQ(TranscodeUtf16WithBom(bytes, "m.txt"), bytes);
  }
  // UTF-16 XML is left to the XML parser, which reads the encoding it declares.
  const std::string xml =
      ToUtf16("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<graphml/>\n", false, true);
  EXPECT_EQ(TranscodeUtf16WithBom(xml, "g.graphml"), xml);
  // A BOM followed by broken UTF-16 is refused as DecodeText refuses it.
  EXPECT_THROW((void)TranscodeUtf16WithBom(ToUtf16("ab", false, true) + "x", "m.txt"), InputError);
}

}  // namespace
}  // namespace qap::detail
