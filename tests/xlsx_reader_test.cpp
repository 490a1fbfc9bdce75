// The .xlsx reader: the WGI release workbooks (both layouts), every cell kind,
// and each refusal of a damaged or hostile file with its message and place.
#include "qap/io/xlsx_reader.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "test_support.hpp"

namespace qap::detail {
namespace {

std::string Publisher(const std::string& name) {
  return ReadWholeFile(testing::SourcePath("tests/data/publishers/" + name));
}

const XlsxSheet& Sheet(const std::vector<XlsxSheet>& sheets, const std::string& name) {
  for (const auto& sheet : sheets) {
    if (sheet.name == name) return sheet;
  }
  throw std::runtime_error("no sheet " + name);
}

const CsvRecord& Row(const XlsxSheet& sheet, std::size_t line) {
  for (const auto& row : sheet.rows) {
    if (row.line == line) return row;
  }
  throw std::runtime_error("no row " + std::to_string(line) + " in " + sheet.name);
}

std::vector<std::string> Texts(const CsvRecord& record) {
  std::vector<std::string> texts;
  for (const auto& field : record.fields) texts.push_back(field.text);
  return texts;
}

// --- A stored (uncompressed) zip written byte by byte, so tests can lie in
// its headers: declared sizes, the encryption flag.

struct Entry {
  Entry(std::string entry_name, std::string entry_data)
      : name(std::move(entry_name)), data(std::move(entry_data)) {}
  std::string name;
  std::string data;
  std::optional<std::uint32_t> declared_size;  // uncompressed size claimed in the headers
  bool encrypted_flag = false;
};

std::uint32_t Crc32(const std::string& data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char c : data) {
    crc ^= static_cast<unsigned char>(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void Put16(std::string& out, std::uint32_t value) {
  out.push_back(static_cast<char>(value & 0xFF));
  out.push_back(static_cast<char>((value >> 8) & 0xFF));
}
void Put32(std::string& out, std::uint32_t value) {
  Put16(out, value & 0xFFFF);
  Put16(out, value >> 16);
}

std::string StoredZip(const std::vector<Entry>& entries) {
  std::string out;
  std::string central;
  for (const auto& entry : entries) {
    const auto offset = static_cast<std::uint32_t>(out.size());
    const std::uint32_t crc = Crc32(entry.data);
    const auto size = static_cast<std::uint32_t>(entry.data.size());
    const std::uint32_t declared = entry.declared_size.value_or(size);
    const std::uint32_t flags = entry.encrypted_flag ? 1 : 0;
    auto common = [&](std::string& header) {
      Put16(header, 20);     // version needed
      Put16(header, flags);  // general purpose flags
      Put16(header, 0);      // method: stored
      Put16(header, 0);      // time
      Put16(header, 0x21);   // date: 1980-01-01
      Put32(header, crc);
      Put32(header, size);
      Put32(header, declared);
      Put16(header, static_cast<std::uint32_t>(entry.name.size()));
      Put16(header, 0);  // extra length
    };
    Put32(out, 0x04034b50);
    common(out);
    out += entry.name;
    out += entry.data;
    Put32(central, 0x02014b50);
    Put16(central, 20);  // version made by
    common(central);
    Put16(central, 0);  // comment length
    Put16(central, 0);  // disk
    Put16(central, 0);  // internal attributes
    Put32(central, 0);  // external attributes
    Put32(central, offset);
    central += entry.name;
  }
  const auto central_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  Put32(out, 0x06054b50);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, static_cast<std::uint32_t>(entries.size()));
  Put16(out, static_cast<std::uint32_t>(entries.size()));
  Put32(out, static_cast<std::uint32_t>(central.size()));
  Put32(out, central_offset);
  Put16(out, 0);
  return out;
}

const std::string kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const std::string kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string WorkbookXml(
    const std::string& sheets = "<sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>") {
  return "<?xml version=\"1.0\"?>\n<workbook xmlns=\"" + kMain + "\" xmlns:r=\"" + kRel +
         "\"><sheets>" + sheets + "</sheets></workbook>";
}

std::string RelsXml(const std::string& target = "worksheets/sheet1.xml") {
  return "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"" +
         kRel + "/worksheet\" Target=\"" + target + "\"/></Relationships>";
}

std::string SheetXml(const std::string& rows) {
  return "<worksheet xmlns=\"" + kMain + "\"><sheetData>" + rows + "</sheetData></worksheet>";
}

std::vector<Entry> Workbook(const std::string& rows) {
  return {{"xl/workbook.xml", WorkbookXml()},
          {"xl/_rels/workbook.xml.rels", RelsXml()},
          {"xl/worksheets/sheet1.xml", SheetXml(rows)}};
}

// The InputError ParseXlsxWorkbook throws (the test fails if it throws none).
InputError Refusal(const std::string& bytes, const XlsxLimits& limits = {}) {
  try {
    ParseXlsxWorkbook(bytes, "book.xlsx", limits);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError";
  return InputError({"none", 0, 0, 0}, "none");
}

#define EXPECT_MESSAGE_HAS(error, text) \
  EXPECT_NE(std::string((error).what()).find(text), std::string::npos) << (error).what()

// --- The publisher workbooks

TEST(XlsxReader, WgiWorkbookUpTo2023HasOneWideSheetPerIndicator) {
  const auto sheets =
      ParseXlsxWorkbook(Publisher("wgi_workbook_2023_excerpt.xlsx"), "wgidataset.xlsx");
  std::vector<std::string> names;
  for (const auto& sheet : sheets) names.push_back(sheet.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"Introduction", "VoiceandAccountability",
                                      "Political StabilityNoViolence", "GovernmentEffectiveness",
                                      "RegulatoryQuality", "RuleofLaw", "ControlofCorruption"}));

  const XlsxSheet& va = Sheet(sheets, "VoiceandAccountability");
  // Rows 3, 10 and 12 are empty: 10 rows of notes, the years, the header, 9 economies.
  ASSERT_EQ(va.rows.size(), 21u);
  EXPECT_EQ(va.rows[0].line, 1u);
  EXPECT_EQ(va.rows[0].fields.at(0).text, "Worldwide Governance Indicators");  // a shared string
  EXPECT_EQ(va.rows[2].line, 4u);

  // Row 14: the year in the first column of each six-column block; A14:B14
  // are formatted blanks and the gaps are filled with empty fields.
  const CsvRecord& years = Row(va, 14);
  ASSERT_EQ(years.fields.size(), 15u);
  EXPECT_EQ(years.fields[0].text, "");
  EXPECT_EQ(years.fields[2].text, "2021");
  EXPECT_FALSE(years.fields[2].quoted);  // a number
  EXPECT_EQ(years.fields[3].text, "");
  EXPECT_EQ(years.fields[3].column, 4u);
  EXPECT_EQ(years.fields[8].text, "2022");
  EXPECT_EQ(years.fields[8].column, 9u);
  EXPECT_EQ(years.fields[14].text, "2023");
  EXPECT_EQ(years.fields[14].line, 14u);

  const CsvRecord& header = Row(va, 15);
  ASSERT_EQ(header.fields.size(), 20u);
  EXPECT_EQ(Texts(header)[0], "Country/Territory");
  EXPECT_TRUE(header.fields[0].quoted);
  EXPECT_EQ(Texts(header)[9], "StdErr");
  EXPECT_EQ(Texts(header)[19], "Upper");

  const CsvRecord& romania = Row(va, 21);
  ASSERT_EQ(romania.fields.size(), 20u);
  EXPECT_EQ(romania.fields[0].text, "Romania");
  EXPECT_EQ(romania.fields[1].text, "ROM");                  // WGI's code, not ISO's ROU
  EXPECT_EQ(romania.fields[14].text, "0.2211358004591038");  // number text as Excel wrote it
  EXPECT_EQ(romania.fields[16].text, "10");
  EXPECT_EQ(romania.fields[14].line, 21u);
  EXPECT_EQ(romania.fields[14].column, 15u);

  const CsvRecord& kosovo = Row(Sheet(sheets, "Political StabilityNoViolence"), 20);
  EXPECT_EQ(kosovo.fields[1].text, "KSV");
  for (std::size_t c = 2; c < 8; ++c) EXPECT_EQ(kosovo.fields[c].text, "#N/A") << c;
  EXPECT_EQ(kosovo.fields[8].text, "-0.10857007226869586");

  EXPECT_EQ(Row(Sheet(sheets, "GovernmentEffectiveness"), 17).fields[8].text,
            "-4.5199999999999997E-3");
  EXPECT_EQ(Row(Sheet(sheets, "ControlofCorruption"), 22).fields[1].text, "TMP");
  EXPECT_EQ(Row(Sheet(sheets, "ControlofCorruption"), 22).fields[19].text, "#N/A");
}

TEST(XlsxReader, WgiWorkbookFrom2024IsOneLongSheet) {
  const auto sheets =
      ParseXlsxWorkbook(Publisher("wgi_workbook_2024_excerpt.xlsx"), "wgidataset.xlsx");
  ASSERT_EQ(sheets.size(), 1u);
  const XlsxSheet& sheet = sheets[0];
  ASSERT_EQ(sheet.rows.size(), 1u + 9 * 6 * 3);
  EXPECT_EQ(
      Texts(sheet.rows[0]),
      (std::vector<std::string>{"codeindyr", "code", "countryname", "year", "indicator", "estimate",
                                "stddev", "nsource", "pctrank", "pctranklower", "pctrankupper"}));
  std::optional<CsvRecord> romania;
  std::optional<CsvRecord> andorra;
  for (const auto& row : sheet.rows) {
    if (row.fields.at(0).text == "ROMva2023") romania = row;
    if (row.fields.at(0).text == "ADOrq2021") andorra = row;
  }
  ASSERT_TRUE(romania && andorra);
  EXPECT_EQ(Texts(*romania)[2], "Romania");
  EXPECT_EQ(Texts(*romania)[3], "2023");
  // The same invented value as in the wide layout: mappings of the two can be compared.
  EXPECT_EQ(Texts(*romania)[5], "0.2211358004591038");
  for (std::size_t c = 5; c < 11; ++c) EXPECT_EQ(Texts(*andorra)[c], "..") << c;
}

TEST(XlsxReader, ReadsEveryCellKind) {
  const auto sheets = ParseXlsxWorkbook(Publisher("xlsx_cells.xlsx"), "cells.xlsx");
  ASSERT_EQ(sheets.size(), 2u);
  const XlsxSheet& cells = sheets[0];
  EXPECT_EQ(cells.name, "Cells");
  ASSERT_EQ(cells.rows.size(), 4u);  // row 2 holds only a formula without a result

  const CsvRecord& first = cells.rows[0];
  EXPECT_EQ(first.line, 1u);
  // inline string, booleans, an error, a formula's cached text, a number;
  // the formatted blank G1 is not a field.
  EXPECT_EQ(Texts(first),
            (std::vector<std::string>{"inline", "TRUE", "FALSE", "#N/A", "inline!", "1.2E-3"}));
  EXPECT_TRUE(first.fields[0].quoted);
  EXPECT_FALSE(first.fields[1].quoted);
  EXPECT_FALSE(first.fields[3].quoted);
  EXPECT_TRUE(first.fields[4].quoted);

  const CsvRecord& third = cells.rows[1];
  EXPECT_EQ(third.line, 3u);
  // Rich-text runs joined without the phonetic guide; "_x000D_" decoded.
  EXPECT_EQ(Texts(third),
            (std::vector<std::string>{"plain", "", "", "Rich text", "", "line one\r\nline two"}));
  EXPECT_EQ(third.fields[1].column, 2u);
  EXPECT_EQ(third.fields[3].column, 4u);

  const CsvRecord& fourth = cells.rows[2];  // no r attributes anywhere
  EXPECT_EQ(fourth.line, 4u);
  EXPECT_EQ(Texts(fourth), (std::vector<std::string>{"10", "plain", "inline"}));
  EXPECT_EQ(fourth.fields[2].column, 3u);

  const CsvRecord& seventh = cells.rows[3];
  EXPECT_EQ(seventh.line, 7u);
  ASSERT_EQ(seventh.fields.size(), 28u);  // AB
  EXPECT_EQ(seventh.fields[27].text, "0.123456789");
  EXPECT_EQ(seventh.fields[27].column, 28u);

  // The second sheet's relationship target is absolute ("/xl/worksheets/sheet2.xml").
  EXPECT_EQ(sheets[1].name, "Absolute");
  ASSERT_EQ(sheets[1].rows.size(), 1u);
  EXPECT_EQ(sheets[1].rows[0].line, 2u);
  EXPECT_EQ(Texts(sheets[1].rows[0]), (std::vector<std::string>{"", "absolute"}));
}

TEST(XlsxReader, ReadsAHandWrittenStoredZip) {
  const auto sheets = ParseXlsxWorkbook(
      StoredZip(Workbook("<row r=\"2\"><c r=\"C2\" t=\"inlineStr\"><is><t>x</t></is></c></row>")),
      "book.xlsx");
  ASSERT_EQ(sheets.size(), 1u);
  EXPECT_EQ(Texts(sheets[0].rows.at(0)), (std::vector<std::string>{"", "", "x"}));
  EXPECT_TRUE(LooksLikeZip(StoredZip(Workbook(""))));
  EXPECT_FALSE(LooksLikeZip("PK"));
}

// --- Refusals: what is wrong, where, and what to do.

TEST(XlsxReader, RefusesWhatIsNotAnXlsxZip) {
  const InputError text = Refusal("country,code\nRomania,ROM\n");
  EXPECT_EQ(text.position().file, "book.xlsx");
  EXPECT_MESSAGE_HAS(text, "book.xlsx: not an .xlsx workbook");
  EXPECT_MESSAGE_HAS(text, "save it as .xlsx or CSV");
  EXPECT_MESSAGE_HAS(Refusal(""), "not an .xlsx workbook");

  // Excel 97-2003 and password-protected .xlsx share the OLE2 container.
  std::string ole2("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  ole2.append(504, '\0');
  ole2.append("E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);
  const InputError xls = Refusal(ole2);
  EXPECT_TRUE(LooksLikeOle2(ole2));
  EXPECT_MESSAGE_HAS(xls, "Excel 97-2003 workbook (.xls)");
  EXPECT_MESSAGE_HAS(xls, "protected with a password");
  EXPECT_MESSAGE_HAS(xls, "save it as .xlsx without a password, or as CSV");
}

TEST(XlsxReader, RefusesATruncatedZip) {
  const std::string whole = Publisher("wgi_workbook_2023_excerpt.xlsx");
  for (const std::size_t keep : {whole.size() / 2, whole.size() - 10}) {
    const InputError e = Refusal(whole.substr(0, keep));
    EXPECT_MESSAGE_HAS(e, "book.xlsx: cannot open it as a zip archive");
    EXPECT_MESSAGE_HAS(e, "download it again");
  }
}

TEST(XlsxReader, RefusesAZipWithoutAWorkbook) {
  const InputError e = Refusal(StoredZip({{"word/document.xml", "<w:document/>"}}));
  EXPECT_MESSAGE_HAS(e, "no xl/workbook.xml, so it is not an Excel workbook");
  auto entries = Workbook("");
  entries.erase(entries.begin() + 1);  // the relationships
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(entries)), "no xl/_rels/workbook.xml.rels");
}

TEST(XlsxReader, RefusesEntityDeclarations) {
  // Billion laughs: refused at the DOCTYPE, before any entity is declared.
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE workbook [\n<!ENTITY a \"aaaaaaaaaa\">\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string ten;
    for (int k = 0; k < 10; ++k) ten += std::string("&") + static_cast<char>(c - 1) + ";";
    bomb += std::string("<!ENTITY ") + c + " \"" + ten + "\">\n";
  }
  bomb += "]>\n<workbook xmlns=\"" + kMain + "\" xmlns:r=\"" + kRel +
          "\"><sheets><sheet name=\"&j;\" r:id=\"rId1\"/></sheets></workbook>";
  auto entries = Workbook("");
  entries[0].data = bomb;
  const InputError e = Refusal(StoredZip(entries));
  EXPECT_MESSAGE_HAS(e, "\"xl/workbook.xml\", line 2");
  EXPECT_MESSAGE_HAS(e, "a DOCTYPE declaration");

  // An undeclared entity without a DOCTYPE is malformed XML.
  entries[0].data = WorkbookXml("<sheet name=\"&x;\" r:id=\"rId1\"/>");
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(entries)), "malformed XML (undefined entity)");
}

TEST(XlsxReader, RefusesMalformedXmlWithItsPlaceInThePart) {
  const InputError e = Refusal(StoredZip(Workbook("<row r=\"1\">\n<c r=\"A1\"><v>1</v></row>")));
  EXPECT_MESSAGE_HAS(
      e,
      "book.xlsx: \"xl/worksheets/sheet1.xml\", line 2, column 21: malformed XML (mismatched tag)");
}

TEST(XlsxReader, RefusesCellsOutsideExcelsGrid) {
  const InputError bad =
      Refusal(StoredZip(Workbook("<row r=\"3\"><c r=\"1A\"><v>1</v></c></row>")));
  EXPECT_MESSAGE_HAS(
      bad,
      "book.xlsx: sheet \"Sheet1\" (\"xl/worksheets/sheet1.xml\", line 1, column 100): "
      "cell reference \"1A\" in row 3 does not parse");
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(Workbook("<row r=\"3\"><c r=\"AB\"><v>1</v></c></row>"))),
                     "\"AB\" in row 3 does not parse");
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(Workbook("<row r=\"3\"><c r=\"$A$3\"><v>1</v></c></row>"))),
                     "\"$A$3\" in row 3 does not parse");
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(Workbook("<row r=\"3\"><c r=\"A4\"><v>1</v></c></row>"))),
                     "cell \"A4\" sits inside row 3");
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(Workbook("<row r=\"1048577\"><c><v>1</v></c></row>"))),
                     "row 1,048,577 is beyond Excel's limit of 1,048,576 rows");
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(Workbook("<row r=\"x\"/>"))),
                     "row number \"x\" does not parse");
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(Workbook("<row r=\"5\"><c r=\"XFE5\"><v>1</v></c></row>"))),
                     "a cell in column 16,385 of row 5, beyond Excel's limit of 16,384 columns");
  // XFD is the last column Excel has: read.
  const auto widest =
      ParseXlsxWorkbook(StoredZip(Workbook("<row r=\"5\"><c r=\"XFD5\"><v>1</v></c></row>")), "b");
  EXPECT_EQ(widest[0].rows.at(0).fields.size(), 16384u);
}

TEST(XlsxReader, RefusesToOverwriteOrReorderCells) {
  const InputError rows = Refusal(
      StoredZip(Workbook("<row r=\"4\"><c><v>1</v></c></row><row r=\"2\"><c><v>2</v></c></row>")));
  EXPECT_MESSAGE_HAS(rows, "row 2 comes after row 4");
  const InputError cells = Refusal(
      StoredZip(Workbook("<row r=\"2\"><c r=\"C2\"><v>1</v></c><c r=\"B2\"><v>2</v></c></row>")));
  EXPECT_EQ(cells.position().line, 2u);
  EXPECT_EQ(cells.position().column, 2u);
  EXPECT_MESSAGE_HAS(cells, "book.xlsx:2:2: sheet \"Sheet1\", cell B2: comes after column C");
  EXPECT_MESSAGE_HAS(
      Refusal(StoredZip(Workbook("<row r=\"2\"><c><v>1</v></c><row r=\"3\"/></row>"))),
      "a row inside row 2");
  EXPECT_MESSAGE_HAS(
      Refusal(StoredZip(Workbook("<row r=\"2\"><c r=\"B2\"><c r=\"C2\"/></c></row>"))),
      "a cell inside cell B2");
  // Two parts with one name (case does not count): which would Excel read?
  auto entries = Workbook("");
  entries.emplace_back("XL/Workbook.xml", WorkbookXml());
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(entries)), "two entries named \"XL/Workbook.xml\"");
}

TEST(XlsxReader, RefusesCellsWhoseValueCannotBeRead) {
  const InputError index =
      Refusal(StoredZip(Workbook("<row r=\"2\"><c r=\"C2\" t=\"s\"><v>5</v></c></row>")));
  EXPECT_EQ(index.position().line, 2u);
  EXPECT_EQ(index.position().column, 3u);
  EXPECT_MESSAGE_HAS(index, "cell C2: refers to shared string \"5\", but the workbook has 0");
  EXPECT_MESSAGE_HAS(
      Refusal(StoredZip(Workbook("<row r=\"1\"><c r=\"A1\" t=\"b\"><v>2</v></c></row>"))),
      "cell A1: boolean cell holds \"2\"");
  EXPECT_MESSAGE_HAS(
      Refusal(StoredZip(Workbook("<row r=\"1\"><c r=\"A1\" t=\"q\"><v>2</v></c></row>"))),
      "cell A1: unknown cell type t=\"q\"");
}

TEST(XlsxReader, RefusesSheetsItCannotFind) {
  auto entries = Workbook("");
  entries[0].data = WorkbookXml("<sheet name=\"Data\" sheetId=\"1\" r:id=\"rId9\"/>");
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(entries)),
                     "sheet \"Data\" (xl/workbook.xml, line 2) refers to relationship \"rId9\"");
  entries = Workbook("");
  entries[1].data = RelsXml("worksheets/missing.xml");
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(entries)),
                     "is stored in \"xl/worksheets/missing.xml\", which the zip does not hold");
  entries[1].data = RelsXml("../../outside.xml");
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(entries)),
                     "points at \"../../outside.xml\", which is not a part");
  entries[0].data = WorkbookXml("");
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(entries)), "xl/workbook.xml lists no sheets");
}

TEST(XlsxReader, RefusesZipBombs) {
  // Sizes declared in the headers are checked before anything is unpacked.
  auto entries = Workbook("");
  entries[2].declared_size = 300u << 20;
  EXPECT_MESSAGE_HAS(
      Refusal(StoredZip(entries)),
      "part \"xl/worksheets/sheet1.xml\" unpacks to 314,572,800 bytes, more than the 256 MiB");
  entries[2].declared_size = 5u << 20;  // from about a hundred bytes
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(entries)), "a compression ratio above 1,000:1");
  // An entry that unpacks to more than it declares is stopped at the declared size.
  entries[2].declared_size = 10;
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(entries)),
                     "cannot unpack part \"xl/worksheets/sheet1.xml\"");

  // The whole workbook, and the cells it spreads into.
  XlsxLimits limits;
  limits.max_total_bytes = 300;
  const std::string book = StoredZip(Workbook("<row r=\"1\"><c r=\"C1\"><v>1</v></c></row>"));
  EXPECT_MESSAGE_HAS(Refusal(book, limits), "takes the workbook past the 300 bytes");
  limits = {};
  limits.max_fields = 2;
  const InputError cells = Refusal(book, limits);
  EXPECT_MESSAGE_HAS(cells, "cell C1: the workbook holds more than 2 cells");
  limits.max_fields = 3;
  EXPECT_EQ(ParseXlsxWorkbook(book, "b", limits)[0].rows.at(0).fields.size(), 3u);
}

TEST(XlsxReader, RefusesEncryptedEntries) {
  auto entries = Workbook("");
  entries[0].encrypted_flag = true;
  EXPECT_MESSAGE_HAS(Refusal(StoredZip(entries)), "part \"xl/workbook.xml\" is encrypted");
}

}  // namespace
}  // namespace qap::detail
