// Character-encoding detection and transcoding for publishers' text files.
//
// Publishers do not all write UTF-8: Comtrade Plus web downloads come in
// Windows-1252/Latin-1, the IMF World Economic Outlook database file in
// UTF-16LE or Latin-1. Readers decode once here and then parse UTF-8 only, so
// the CSV tokenizer and the country table never see another encoding.
#pragma once

#include <string>

#include "qap/core/errors.hpp"

namespace qap::detail {

struct DecodedText {
  std::string text;      // UTF-8, without a byte-order mark
  std::string encoding;  // "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "Windows-1252"
  // Anything but plain UTF-8 (a stripped UTF-8 BOM counts), so readers can
  // report that the bytes they parsed are not the bytes on disk.
  [[nodiscard]] bool transcoded() const;
};

// Decodes a publisher's text file: a BOM says UTF-8/UTF-16LE/UTF-16BE; without one,
// UTF-16 is recognised by its NUL-byte pattern in the first few KiB; valid UTF-8 is
// kept as is; anything else is read as Windows-1252 (a superset of Latin-1 in the
// printable range; the five bytes Windows-1252 leaves unassigned map to the C1
// controls, as the WHATWG encoding standard does). Throws InputError naming the file
// and byte offset for a file that is none of these (NUL bytes outside UTF-16:
// binary), odd-length UTF-16, or unpaired surrogates. Linear time; `bytes` is moved
// into the result when it needs no transcoding.
DecodedText DecodeText(std::string bytes, const std::string& file);

// For readers that parse UTF-8 and refuse NUL bytes as binary (the matrix
// reader, ReadLabelledMatrices): UTF-16LE or UTF-16BE with a byte-order mark
// (Excel's "Unicode Text", PowerShell 5's default) is transcoded to UTF-8
// without the mark; UTF-16 without a mark is refused (InputError) with a
// message that says to save the file as UTF-8, since only the mark says for
// sure that the NUL bytes are text; any other bytes (UTF-8, binary files
// such as Stata's, which their own readers take) are returned unchanged, and
// so is UTF-16 XML (GraphML), which expat decodes itself.
std::string TranscodeUtf16WithBom(std::string bytes, const std::string& file);

}  // namespace qap::detail
