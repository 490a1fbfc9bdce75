#include "qap/io/text_encoding.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace qap::detail {

namespace {

// Enough lines of a UTF-16 file to see its NUL pattern, small enough to be free.
constexpr std::size_t kSniffBytes = 4096;

// Windows-1252 0x80-0x9F. The five bytes the code page leaves unassigned (81
// 8D 8F 90 9D) map to the C1 controls of the same value, as WHATWG does, so
// every byte decodes and none is lost.
constexpr std::array<char32_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 88-8F
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 98-9F
};

std::size_t Utf8Length(char32_t code_point) {
  if (code_point < 0x80) return 1;
  if (code_point < 0x800) return 2;
  if (code_point < 0x10000) return 3;
  return 4;
}

// Appends at `out` (room already made) and returns the position after.
char* PutUtf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

char32_t Windows1252(unsigned char byte) {
  return byte >= 0x80 && byte <= 0x9F ? kWindows1252High[byte - 0x80] : char32_t{byte};
}

// Offset of the first byte that does not belong to a well-formed UTF-8
// sequence (RFC 3629: no overlong forms, no surrogates, nothing past
// U+10FFFF), or npos.
std::size_t FirstInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII runs are most of every file: test eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t word = 0;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char lead = p[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;  // range of the second byte
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // overlong
      if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;   // overlong
      if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
      return i;
    }
    if (i + length > n) return i;
    if (p[i + 1] < low || p[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

// 1-based line of byte `offset` in a byte-oriented text (LF, CRLF or CR ends).
std::size_t LineOfByte(std::string_view s, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < s.size(); ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n'))) ++line;
  }
  return line;
}

std::string Hex(unsigned value, int digits) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int d = digits - 1; d >= 0; --d) {
    out[static_cast<std::size_t>(d)] = kDigits[value & 0xF];
    value >>= 4;
  }
  return out;
}

[[noreturn]] void ThrowBinary(const std::string& file, std::string_view bytes, std::size_t offset) {
  throw InputError({file, LineOfByte(bytes, offset), 0, 0},
                   "NUL byte at byte offset " + std::to_string(offset) +
                       ": this is a binary file, not text (a spreadsheet saved as .xls/.xlsx?); "
                       "save or export it "
                       "as tab-separated or comma-separated text");
}

struct Utf16 {
  bool big_endian = false;
  std::size_t start = 0;  // after the BOM
};

// The code unit at byte `i`.
inline std::uint32_t Unit(const unsigned char* p, std::size_t i, bool big_endian) {
  return big_endian ? (std::uint32_t{p[i]} << 8) | p[i + 1] : (std::uint32_t{p[i + 1]} << 8) | p[i];
}

// UTF-16 without a BOM: ASCII text has a NUL in every other byte, on the odd
// side for little-endian and the even side for big-endian. Any text with Latin
// letters, digits, tabs or line ends shows the pattern in its first KiB; the
// other side may hold a few NULs from characters such as U+4E00, hence the
// ratios. Binary files (zip headers of .xlsx, BIFF .xls) can show the pattern
// too, but as text they would be full of C0 controls, which text files never
// hold except tab and line ends: any such unit rules UTF-16 out.
std::optional<Utf16> SniffUtf16(std::string_view bytes) {
  const std::size_t n = std::min(bytes.size(), kSniffBytes) & ~std::size_t{1};
  if (n < 2) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t even = 0;
  std::size_t odd = 0;
  for (std::size_t i = 0; i < n; i += 2) {
    even += p[i] == 0 ? 1 : 0;
    odd += p[i + 1] == 0 ? 1 : 0;
  }
  const std::size_t pairs = n / 2;
  std::optional<Utf16> form;
  if (odd * 4 >= pairs && even * 4 <= odd) form = Utf16{false, 0};
  if (even * 4 >= pairs && odd * 4 <= even) form = Utf16{true, 0};
  if (!form) return std::nullopt;
  for (std::size_t i = 0; i < n; i += 2) {
    const std::uint32_t u = Unit(p, i, form->big_endian);
    if (u < 0x20 && u != '\t' && u != '\n' && u != '\r') return std::nullopt;
  }
  return form;
}

DecodedText DecodeUtf16(std::string_view bytes, Utf16 form, const std::string& file) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  const char* name = form.big_endian ? "UTF-16BE" : "UTF-16LE";
  // Error positions count lines in code units, the way an editor would show them.
  auto line_of = [&](std::size_t offset) {
    std::size_t line = 1;
    for (std::size_t i = form.start; i + 1 < n && i < offset; i += 2) {
      const std::uint32_t u = Unit(p, i, form.big_endian);
      if (u == '\n' || (u == '\r' && (i + 3 >= n || Unit(p, i + 2, form.big_endian) != '\n')))
        ++line;
    }
    return line;
  };
  if ((n - form.start) % 2 != 0) {
    throw InputError({file, line_of(n - 1), 0, 0},
                     std::string(name) + " text of odd length: a lone byte at byte offset " +
                         std::to_string(n - 1) + "; the file is truncated or not " + name);
  }
  // First pass validates and sizes the output, so it is allocated once.
  std::size_t length = 0;
  for (std::size_t i = form.start; i < n; i += 2) {
    const std::uint32_t u = Unit(p, i, form.big_endian);
    if (u - 1 < 0x7F) {  // ASCII but NUL: most of every file
      ++length;
      continue;
    }
    if (u == 0) {
      throw InputError({file, line_of(i), 0, 0},
                       std::string("NUL character (U+0000) at byte offset ") + std::to_string(i) +
                           " of " + name + " text: the file is binary or not " + name);
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
      const bool paired = i + 3 < n && Unit(p, i + 2, form.big_endian) >= 0xDC00 &&
                          Unit(p, i + 2, form.big_endian) <= 0xDFFF;
      if (!paired) {
        throw InputError({file, line_of(i), 0, 0}, "unpaired " + std::string(name) +
                                                       " surrogate U+" + Hex(u, 4) +
                                                       " at byte offset " + std::to_string(i));
      }
      length += 4;
      i += 2;
      continue;
    }
    if (u >= 0xDC00 && u <= 0xDFFF) {
      throw InputError({file, line_of(i), 0, 0}, "unpaired " + std::string(name) + " surrogate U+" +
                                                     Hex(u, 4) + " at byte offset " +
                                                     std::to_string(i));
    }
    length += Utf8Length(u);
  }
  DecodedText decoded;
  decoded.encoding = name;
  decoded.text.resize(length);
  char* out = decoded.text.data();
  for (std::size_t i = form.start; i < n; i += 2) {
    char32_t cp = Unit(p, i, form.big_endian);
    if (cp < 0x80) {
      *out++ = static_cast<char>(cp);
      continue;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (Unit(p, i + 2, form.big_endian) - 0xDC00);
      i += 2;
    }
    out = PutUtf8(cp, out);
  }
  return decoded;
}

DecodedText DecodeWindows1252(std::string_view bytes) {
  std::size_t length = 0;
  for (const char c : bytes) length += Utf8Length(Windows1252(static_cast<unsigned char>(c)));
  DecodedText decoded;
  decoded.encoding = "Windows-1252";
  decoded.text.resize(length);
  char* out = decoded.text.data();
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      *out++ = c;
    } else {
      out = PutUtf8(Windows1252(byte), out);
    }
  }
  return decoded;
}

}  // namespace

std::string TranscodeUtf16WithBom(std::string bytes, const std::string& file) {
  const std::string_view view(bytes);
  if (view.starts_with("\xFF\xFE") || view.starts_with("\xFE\xFF")) {
    DecodedText decoded = DecodeUtf16(view, {view[0] == '\xFE', 2}, file);
    // XML (GraphML) stays as it is: expat reads UTF-16 with a BOM itself,
    // and the declaration may say encoding="UTF-16", which UTF-8 would break.
    const std::size_t first = decoded.text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && decoded.text[first] == '<') return bytes;
    return std::move(decoded.text);
  }
  if (const auto form = SniffUtf16(view)) {
    const std::size_t nul = view.find('\0');
    throw InputError({file, 1, 0, 0},
                     std::string("NUL byte at byte offset ") + std::to_string(nul) +
                         ": this looks like " + (form->big_endian ? "UTF-16BE" : "UTF-16LE") +
                         " text without a byte-order mark, which is not read as text here; "
                         "save it as UTF-8 (in Excel: \"CSV UTF-8\"; in PowerShell: "
                         "-Encoding utf8), or as UTF-16 with a byte-order mark (Excel's "
                         "\"Unicode Text\")");
  }
  return bytes;
}

bool DecodedText::transcoded() const { return encoding != "UTF-8"; }

DecodedText DecodeText(std::string bytes, const std::string& file) {
  const std::string_view view(bytes);
  if (view.starts_with("\xEF\xBB\xBF")) {
    const std::string_view body = view.substr(3);
    if (const auto* nul = static_cast<const char*>(std::memchr(body.data(), '\0', body.size()))) {
      ThrowBinary(file, view, static_cast<std::size_t>(nul - view.data()));
    }
    if (const std::size_t bad = FirstInvalidUtf8(body); bad != std::string_view::npos) {
      const std::size_t offset = bad + 3;
      throw InputError({file, LineOfByte(view, offset), 0, 0},
                       "the file starts with a UTF-8 byte-order mark but byte offset " +
                           std::to_string(offset) + " (0x" +
                           Hex(static_cast<unsigned char>(view[offset]), 2) +
                           ") is not UTF-8; re-save it as UTF-8");
    }
    bytes.erase(0, 3);
    return {std::move(bytes), "UTF-8 (BOM)"};
  }
  if (view.starts_with("\xFF\xFE")) return DecodeUtf16(view, {false, 2}, file);
  if (view.starts_with("\xFE\xFF")) return DecodeUtf16(view, {true, 2}, file);
  if (const auto form = SniffUtf16(view)) return DecodeUtf16(view, *form, file);
  if (const auto* nul = static_cast<const char*>(std::memchr(view.data(), '\0', view.size()))) {
    ThrowBinary(file, view, static_cast<std::size_t>(nul - view.data()));
  }
  if (FirstInvalidUtf8(view) == std::string_view::npos) return {std::move(bytes), "UTF-8"};
  return DecodeWindows1252(view);
}

}  // namespace qap::detail
