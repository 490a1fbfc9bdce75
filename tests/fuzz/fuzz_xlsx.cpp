// libFuzzer target: the .xlsx workbook reader.
//
// Each input is read twice over: as a whole workbook (the zip layer: central
// directory, sizes, compression), and as the XML of one part (a worksheet, the
// shared strings, the workbook) wrapped here in a valid stored zip. Without the
// wrapping almost every mutation of a part's XML would fail the zip's CRC and
// never reach the XML handlers.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "qap/core/errors.hpp"
#include "qap/io/xlsx_reader.hpp"

namespace {

std::uint32_t Crc32(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char c : data) {
    crc ^= static_cast<unsigned char>(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void Put(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

struct Part {
  std::string_view name;
  std::string_view data;
};

std::string StoredZip(const std::array<Part, 4>& parts) {
  std::string out;
  std::string central;
  for (const Part& part : parts) {
    const auto offset = static_cast<std::uint32_t>(out.size());
    auto header = [&](std::string& h) {
      Put(h, 20, 2);
      Put(h, 0, 2);
      Put(h, 0, 2);  // stored
      Put(h, 0, 2);
      Put(h, 0x21, 2);
      Put(h, Crc32(part.data), 4);
      Put(h, static_cast<std::uint32_t>(part.data.size()), 4);
      Put(h, static_cast<std::uint32_t>(part.data.size()), 4);
      Put(h, static_cast<std::uint32_t>(part.name.size()), 2);
      Put(h, 0, 2);
    };
    Put(out, 0x04034b50, 4);
    header(out);
    out.append(part.name).append(part.data);
    Put(central, 0x02014b50, 4);
    Put(central, 20, 2);
    header(central);
    Put(central, 0, 2);
    Put(central, 0, 2);
    Put(central, 0, 2);
    Put(central, 0, 4);
    Put(central, offset, 4);
    central.append(part.name);
  }
  const auto central_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  Put(out, 0x06054b50, 4);
  Put(out, 0, 4);
  Put(out, static_cast<std::uint32_t>(parts.size()), 2);
  Put(out, static_cast<std::uint32_t>(parts.size()), 2);
  Put(out, static_cast<std::uint32_t>(central.size()), 4);
  Put(out, central_offset, 4);
  Put(out, 0, 2);
  return out;
}

constexpr std::string_view kWorkbook =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
constexpr std::string_view kRels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"/xl/sharedStrings.xml\"/></Relationships>";
constexpr std::string_view kSheet =
    "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" "
    "t=\"s\"><v>1</v></c>"
    "</row><row><c t=\"inlineStr\"><is><t>x</t></is></c><c "
    "t=\"b\"><v>1</v></c></row></sheetData></worksheet>";
constexpr std::string_view kStrings =
    "<sst><si><t>a_x000D_b</t></si><si><r><t>c</t></r><rPh><t>d</t></rPh></si></sst>";

void Parse(const std::string& bytes, const qap::detail::XlsxLimits& limits) {
  try {
    qap::detail::ParseXlsxWorkbook(bytes, "fuzz.xlsx", limits);
  } catch (const qap::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Caps lowered so a mutated size field cannot make one run allocate
  // hundreds of megabytes; the code paths are the same as with the defaults.
  qap::detail::XlsxLimits limits;
  limits.max_entry_bytes = std::uint64_t{8} << 20;
  limits.max_total_bytes = std::uint64_t{32} << 20;
  limits.max_fields = 1'000'000;
  Parse(std::string(bytes), limits);
  Parse(StoredZip({{{"xl/workbook.xml", kWorkbook},
                    {"xl/_rels/workbook.xml.rels", kRels},
                    {"xl/worksheets/sheet1.xml", bytes},
                    {"xl/sharedStrings.xml", kStrings}}}),
        limits);
  Parse(StoredZip({{{"xl/workbook.xml", kWorkbook},
                    {"xl/_rels/workbook.xml.rels", kRels},
                    {"xl/worksheets/sheet1.xml", kSheet},
                    {"xl/sharedStrings.xml", bytes}}}),
        limits);
  Parse(StoredZip({{{"xl/workbook.xml", bytes},
                    {"xl/_rels/workbook.xml.rels", kRels},
                    {"xl/worksheets/sheet1.xml", kSheet},
                    {"xl/sharedStrings.xml", kStrings}}}),
        limits);
  return 0;
}
