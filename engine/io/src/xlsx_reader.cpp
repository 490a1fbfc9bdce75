#include "qap/io/xlsx_reader.hpp"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "expat_callbacks.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/text.hpp"

namespace qap::detail {

namespace {

constexpr std::string_view kZipMagic{"PK\x03\x04", 4};
constexpr std::string_view kOle2Magic{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8};
constexpr std::string_view kWorkbookPart = "xl/workbook.xml";
constexpr std::string_view kWorkbookRelsPart = "xl/_rels/workbook.xml.rels";

InputError Refuse(const std::string& file, const std::string& message) {
  return InputError({file, 0, 0, 0}, message);
}

// Hostile files can hold megabyte-long names and values: messages quote at most
// a few dozen bytes of them.
std::string Quote(std::string_view text) {
  constexpr std::size_t kMax = 48;
  std::string out = "\"";
  out.append(text.substr(0, kMax));
  if (text.size() > kMax) out.append("...");
  return out.append("\"");
}

// 1048576 -> "1,048,576"
std::string Thousands(std::uint64_t value) {
  std::string digits = std::to_string(value);
  for (std::size_t i = digits.size(); i > 3; i -= 3) digits.insert(i - 3, ",");
  return digits;
}

std::string MiB(std::uint64_t bytes) {
  return bytes % (std::uint64_t{1} << 20) == 0 ? Thousands(bytes >> 20) + " MiB"
                                               : Thousands(bytes) + " bytes";
}

// 1 -> "A", 28 -> "AB"
std::string ColumnName(std::size_t column) {
  std::string name;
  while (column > 0) {
    const std::size_t digit = (column - 1) % 26;
    name.insert(name.begin(), static_cast<char>('A' + digit));
    column = (column - 1) / 26;
  }
  return name;
}

std::optional<std::uint64_t> ParseDecimal(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

struct CellReference {
  std::uint64_t column = 0;
  std::uint64_t row = 0;
};

// "AB12". Absolute markers ("$A$1") and ranges are not cell positions.
std::optional<CellReference> ParseCellReference(std::string_view text) {
  std::size_t letters = 0;
  CellReference ref;
  while (letters < text.size() && std::isalpha(static_cast<unsigned char>(text[letters])) != 0) {
    const auto upper = static_cast<char>(std::toupper(static_cast<unsigned char>(text[letters])));
    ref.column = ref.column * 26 + static_cast<std::uint64_t>(upper - 'A' + 1);
    if (++letters > 7) return std::nullopt;
  }
  if (letters == 0 || letters == text.size() || text[letters] == '0') return std::nullopt;
  const auto row = ParseDecimal(text.substr(letters), 10);
  if (!row || *row == 0) return std::nullopt;
  ref.row = *row;
  return ref;
}

void AppendUtf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

std::optional<std::uint32_t> EscapedCodeUnit(std::string_view text, std::size_t at) {
  // "_xHHHH_"
  if (at + 7 > text.size() || text[at] != '_' || text[at + 1] != 'x' || text[at + 6] != '_') {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  for (std::size_t i = at + 2; i < at + 6; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (std::isxdigit(c) == 0) return std::nullopt;
    value = value * 16 + static_cast<std::uint32_t>(
                             std::isdigit(c) != 0 ? c - '0' : (std::tolower(c) - 'a' + 10));
  }
  return value;
}

// Excel writes characters XML cannot hold (a carriage return in a cell, say)
// as "_x000D_", and a literal "_x" sequence as "_x005F_x..." (ECMA-376
// ST_Xstring): decoded so the text is what the user typed.
std::string DecodeXstring(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto unit = EscapedCodeUnit(text, i);
    if (!unit) {
      out.push_back(text[i++]);
      continue;
    }
    i += 7;
    std::uint32_t code_point = *unit;
    if (code_point >= 0xD800 && code_point < 0xDC00) {
      const auto low = EscapedCodeUnit(text, i);
      if (low && *low >= 0xDC00 && *low < 0xE000) {
        code_point = 0x10000 + ((code_point - 0xD800) << 10) + (*low - 0xDC00);
        i += 7;
      } else {
        code_point = 0xFFFD;
      }
    } else if (code_point >= 0xDC00 && code_point < 0xE000) {
      code_point = 0xFFFD;
    }
    AppendUtf8(out, code_point);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Zip access: every entry read through one bounded loop, under the caps.

struct ZipDiscard {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct ZipFileClose {
  void operator()(zip_file_t* entry) const { zip_fclose(entry); }
};

class Archive {
 public:
  Archive(std::string_view bytes, const std::string& file, const XlsxLimits& limits)
      : file_(file), limits_(limits) {
    zip_error_t error;
    zip_error_init(&error);
    // The buffer is borrowed (freep = 0): `bytes` outlives the archive.
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    zip_t* archive = source != nullptr ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
    if (archive == nullptr) {
      const std::string reason = zip_error_strerror(&error);
      if (source != nullptr) zip_source_free(source);
      zip_error_fini(&error);
      throw Refuse(file_, "cannot open it as a zip archive (" + reason +
                              "); the file is truncated or damaged: download it again");
    }
    zip_error_fini(&error);
    archive_.reset(archive);
    // Part names are case-insensitive (OPC); one map instead of a linear
    // search of the central directory per lookup.
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
      const char* name = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
      if (name == nullptr) continue;
      // Two entries with one name: which one Excel would read is anyone's guess.
      if (!entries_.emplace(Lower(name), static_cast<zip_uint64_t>(i)).second) {
        throw Refuse(
            file_, "the zip holds two entries named " + Quote(name) + "; the workbook is damaged");
      }
    }
  }

  [[nodiscard]] bool Has(std::string_view part) const { return entries_.count(Lower(part)) > 0; }

  std::string Read(std::string_view part) {
    const auto found = entries_.find(Lower(part));
    if (found == entries_.end()) throw Refuse(file_, "the workbook has no part " + Quote(part));
    zip_t* archive = archive_.get();
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive, found->second, 0, &stat) != 0 ||
        (stat.valid & ZIP_STAT_SIZE) == 0) {
      throw Damaged(part, zip_strerror(archive));
    }
    if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && stat.encryption_method != ZIP_EM_NONE) {
      throw Refuse(file_, "part " + Quote(part) +
                              " is encrypted; save the workbook from Excel without a password");
    }
    const std::string where =
        "part " + Quote(part) + " unpacks to " + Thousands(stat.size) + " bytes";
    if (stat.size > limits_.max_entry_bytes) {
      throw Refuse(file_, where + ", more than the " + MiB(limits_.max_entry_bytes) +
                              " one part may hold here; refusing it (a real workbook part is far "
                              "smaller: a zip bomb?)");
    }
    if (stat.size > limits_.ratio_floor_bytes && (stat.valid & ZIP_STAT_COMP_SIZE) != 0 &&
        stat.size / std::max<std::uint64_t>(stat.comp_size, 1) > limits_.max_ratio) {
      throw Refuse(file_, where + " from " + Thousands(stat.comp_size) +
                              " packed, a compression ratio above " + Thousands(limits_.max_ratio) +
                              ":1; refusing it (a zip bomb?)");
    }
    if (stat.size > limits_.max_total_bytes - total_read_) {
      throw Refuse(file_, where + ", which takes the workbook past the " +
                              MiB(limits_.max_total_bytes) + " this reader unpacks; refusing it");
    }
    std::unique_ptr<zip_file_t, ZipFileClose> entry(zip_fopen_index(archive, found->second, 0));
    if (!entry) throw Damaged(part, zip_strerror(archive));
    // One byte more than declared, so an entry that inflates past its header
    // is caught instead of trusted.
    std::string data(static_cast<std::size_t>(stat.size) + 1, '\0');
    std::size_t used = 0;
    for (;;) {
      if (used == data.size()) {
        throw Damaged(part, "it unpacks to more than the " + Thousands(stat.size) +
                                " bytes its header declares");
      }
      const zip_int64_t n = zip_fread(entry.get(), data.data() + used, data.size() - used);
      if (n < 0) throw Damaged(part, zip_file_strerror(entry.get()));
      if (n == 0) break;
      used += static_cast<std::size_t>(n);
    }
    if (used != stat.size) {
      throw Damaged(part, "it unpacks to " + Thousands(used) + " bytes, not the " +
                              Thousands(stat.size) + " its header declares");
    }
    data.resize(used);
    total_read_ += used;
    return data;
  }

 private:
  [[nodiscard]] InputError Damaged(std::string_view part, const std::string& reason) const {
    return Refuse(file_, "cannot unpack part " + Quote(part) + " (" + reason +
                             "); the file is damaged: download it again");
  }

  std::string file_;
  XlsxLimits limits_;
  std::unique_ptr<zip_t, ZipDiscard> archive_;
  std::map<std::string, zip_uint64_t> entries_;
  std::uint64_t total_read_ = 0;
};

// ---------------------------------------------------------------------------
// XML: expat with namespaces resolved ("uri|local"), DTDs refused. Handler
// code may throw; expat is C, so exceptions are caught at each callback,
// parsing is stopped, and the exception is rethrown once expat has returned.

std::string_view LocalName(const XML_Char* name) {
  const std::string_view full(name);
  const auto bar = full.rfind('|');
  return bar == std::string_view::npos ? full : full.substr(bar + 1);
}

// An attribute by local name; `namespaced` asks for a prefixed one (r:id).
const XML_Char* Attribute(const XML_Char** attributes, std::string_view local,
                          bool namespaced = false) {
  for (std::size_t i = 0; attributes[i] != nullptr; i += 2) {
    const std::string_view name(attributes[i]);
    if (LocalName(attributes[i]) == local &&
        (name.find('|') != std::string_view::npos) == namespaced) {
      return attributes[i + 1];
    }
  }
  return nullptr;
}

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view name, const XML_Char** attributes) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(std::string_view text) = 0;

  XML_Parser parser = nullptr;
  std::exception_ptr error;
  std::string file;
  std::string part;

  // "xl/workbook.xml, line 3, column 7" for messages about the XML itself.
  [[nodiscard]] std::string Where() const {
    return Quote(part) + ", line " + std::to_string(XML_GetCurrentLineNumber(parser)) +
           ", column " + std::to_string(XML_GetCurrentColumnNumber(parser) + 1);
  }
};

template <typename Call>
void Guarded(void* data, Call&& call) {
  detail::GuardedXmlCallback<XmlHandler>(data, std::forward<Call>(call));
}

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** attributes) {
  Guarded(data, [&](XmlHandler& h) { h.Start(LocalName(name), attributes); });
}
void XMLCALL OnEnd(void* data, const XML_Char* name) {
  Guarded(data, [&](XmlHandler& h) { h.End(LocalName(name)); });
}
void XMLCALL OnText(void* data, const XML_Char* text, int length) {
  Guarded(data,
          [&](XmlHandler& h) { h.Text(std::string_view(text, static_cast<std::size_t>(length))); });
}
void XMLCALL OnDoctype(void* data, const XML_Char* /*name*/, const XML_Char* /*system_id*/,
                       const XML_Char* /*public_id*/, int /*has_internal_subset*/) {
  Guarded(data, [&](XmlHandler& h) {
    throw Refuse(h.file, h.Where() +
                             ": a DOCTYPE declaration, which Office Open XML forbids "
                             "(entity declarations in one are how entity-expansion "
                             "attacks work); refusing the file");
  });
}

struct ParserFree {
  void operator()(XML_Parser parser) const { XML_ParserFree(parser); }
};

void ParseXml(std::string_view text, XmlHandler& handler) {
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserFree> parser(
      XML_ParserCreateNS(nullptr, '|'));
  if (!parser) throw std::bad_alloc();
  handler.parser = parser.get();
  XML_SetUserData(parser.get(), &handler);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);
  XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
  // Belt and braces: no external DTD or parameter entities are ever fetched
  // (expat's billion-laughs amplification limit stays at its default, on).
  XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);
  constexpr std::size_t kChunk = std::size_t{1} << 30;  // XML_Parse takes an int length
  std::size_t at = 0;
  do {
    const std::size_t length = std::min(kChunk, text.size() - at);
    const bool last = at + length == text.size();
    const XML_Status status = XML_Parse(parser.get(), text.data() + at, static_cast<int>(length),
                                        last ? XML_TRUE : XML_FALSE);
    if (handler.error) std::rethrow_exception(handler.error);
    if (status != XML_STATUS_OK) {
      throw Refuse(handler.file, handler.Where() + ": malformed XML (" +
                                     XML_ErrorString(XML_GetErrorCode(parser.get())) +
                                     "); the file is damaged: download it again");
    }
    at += length;
  } while (at < text.size());
  handler.parser = nullptr;
}

// ---------------------------------------------------------------------------
// The parts.

struct SheetEntry {
  std::string name;
  std::string relationship;
  std::size_t line = 0;  // in xl/workbook.xml, for messages
};

class WorkbookHandler : public XmlHandler {
 public:
  std::vector<SheetEntry> sheets;

  void Start(std::string_view name, const XML_Char** attributes) override {
    if (name == "sheets") {
      in_sheets_ = true;
    } else if (name == "sheet" && in_sheets_) {
      const XML_Char* sheet_name = Attribute(attributes, "name");
      const XML_Char* id = Attribute(attributes, "id", /*namespaced=*/true);
      if (sheet_name == nullptr || id == nullptr) {
        throw Refuse(file, Where() + ": a <sheet> without a name or r:id; the workbook is damaged");
      }
      sheets.push_back(
          {sheet_name, id, static_cast<std::size_t>(XML_GetCurrentLineNumber(parser))});
    }
  }
  void End(std::string_view name) override {
    if (name == "sheets") in_sheets_ = false;
  }
  void Text(std::string_view /*text*/) override {}

 private:
  bool in_sheets_ = false;
};

struct Relationship {
  std::string type;
  std::string target;
  bool external = false;
};

class RelationshipsHandler : public XmlHandler {
 public:
  std::map<std::string, Relationship> relationships;

  void Start(std::string_view name, const XML_Char** attributes) override {
    if (name != "Relationship") return;
    const XML_Char* id = Attribute(attributes, "Id");
    const XML_Char* type = Attribute(attributes, "Type");
    const XML_Char* target = Attribute(attributes, "Target");
    const XML_Char* mode = Attribute(attributes, "TargetMode");
    if (id == nullptr || target == nullptr) return;  // unusable; only an error if a sheet needs it
    relationships[id] = {type != nullptr ? type : "", target,
                         mode != nullptr && std::string_view(mode) == "External"};
  }
  void End(std::string_view /*name*/) override {}
  void Text(std::string_view /*text*/) override {}
};

// A relationship target of xl/workbook.xml as a zip entry name: relative to
// xl/ ("worksheets/sheet1.xml") or absolute ("/xl/worksheets/sheet1.xml").
std::optional<std::string> ResolveTarget(std::string_view target) {
  std::string path =
      target.substr(0, 1) == "/" ? std::string(target.substr(1)) : "xl/" + std::string(target);
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string segment = path.substr(start, end - start);
    if (segment == "..") {
      if (segments.empty()) return std::nullopt;
      segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  if (segments.empty()) return std::nullopt;
  std::string resolved;
  for (const auto& segment : segments) resolved.append(resolved.empty() ? "" : "/").append(segment);
  return resolved;
}

// All strings in one buffer: a shared-string table of many tiny entries must
// not cost a std::string (32 bytes) each.
class SharedStrings {
 public:
  void Add(std::string_view text) {
    pool_.append(text);
    ends_.push_back(pool_.size());
  }
  [[nodiscard]] std::size_t size() const { return ends_.size(); }
  [[nodiscard]] std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(pool_).substr(begin, ends_[i] - begin);
  }

 private:
  std::string pool_;
  std::vector<std::size_t> ends_;
};

// <sst><si><t>text</t></si><si><r><t>rich</t></r><r><t> run</t></r><rPh>..</rPh></si></sst>
class SharedStringsHandler : public XmlHandler {
 public:
  SharedStrings strings;

  void Start(std::string_view name, const XML_Char** /*attributes*/) override {
    if (name == "si") {
      if (in_item_)
        throw Refuse(file, Where() + ": a shared string inside another; the workbook is damaged");
      in_item_ = true;
      phonetic_depth_ = 0;
      text_.clear();
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "t" && in_item_ && phonetic_depth_ == 0) {
      in_text_ = true;
    }
  }
  void End(std::string_view name) override {
    if (name == "si" && in_item_) {
      strings.Add(DecodeXstring(text_));
      in_item_ = false;
    } else if (name == "rPh" && phonetic_depth_ > 0) {
      --phonetic_depth_;
    } else if (name == "t") {
      in_text_ = false;
    }
  }
  void Text(std::string_view text) override {
    if (in_text_) text_.append(text);
  }

 private:
  bool in_item_ = false;
  bool in_text_ = false;
  std::size_t phonetic_depth_ = 0;  // phonetic guides (<rPh>) are not the cell's text
  std::string text_;
};

class WorksheetHandler : public XmlHandler {
 public:
  WorksheetHandler(XlsxSheet& sheet, const SharedStrings* strings, const XlsxLimits& limits,
                   std::size_t& fields_used)
      : sheet_(sheet), strings_(strings), limits_(limits), fields_used_(fields_used) {}

  void Start(std::string_view name, const XML_Char** attributes) override {
    if (name == "sheetData") {
      in_data_ = true;
      return;
    }
    if (!in_data_) return;  // nothing outside the sheet's data is read
    if (name == "row") {
      StartRow(attributes);
    } else if (name == "c" && in_row_) {
      StartCell(attributes);
    } else if (!in_cell_) {
      // Elements between cells carry nothing this reader keeps.
    } else if (name == "v") {
      in_value_ = true;
      has_value_ = true;
      value_.clear();
    } else if (name == "is") {
      in_inline_ = true;
      has_inline_ = true;
      inline_.clear();
    } else if (name == "rPh" && in_inline_) {
      ++phonetic_depth_;
    } else if (name == "t" && in_inline_ && phonetic_depth_ == 0) {
      in_text_ = true;
    }
  }

  void End(std::string_view name) override {
    if (name == "sheetData") {
      in_data_ = false;
    } else if (name == "row" && in_row_) {
      if (!record_.fields.empty()) sheet_.rows.push_back(std::move(record_));
      record_ = CsvRecord{};
      in_row_ = false;
    } else if (name == "c" && in_cell_) {
      FinishCell();
      in_cell_ = false;
    } else if (name == "v") {
      in_value_ = false;
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "rPh" && phonetic_depth_ > 0) {
      --phonetic_depth_;
    } else if (name == "t") {
      in_text_ = false;
    }
  }

  void Text(std::string_view text) override {
    if (in_value_) {
      value_.append(text);
    } else if (in_text_) {
      inline_.append(text);
    }
  }

 private:
  // For faults in the XML structure, where no cell position can be trusted.
  [[nodiscard]] std::string SheetWhere() const {
    return "sheet " + Quote(sheet_.name) + " (" + Where() + ")";
  }

  [[nodiscard]] InputError CellError(const std::string& message) const {
    return InputError({file, row_, column_, 0}, "sheet " + Quote(sheet_.name) + ", cell " +
                                                    ColumnName(column_) + std::to_string(row_) +
                                                    ": " + message);
  }

  void StartRow(const XML_Char** attributes) {
    if (in_row_) {
      throw Refuse(file, SheetWhere() + ": a row inside row " + std::to_string(row_) +
                             "; the workbook is damaged");
    }
    std::uint64_t number = last_row_ + 1;
    if (const XML_Char* r = Attribute(attributes, "r")) {
      const auto parsed = ParseDecimal(r, 10);
      if (!parsed || *parsed == 0) {
        throw Refuse(file, SheetWhere() + ": row number " + Quote(r) +
                               " does not parse; the workbook is damaged");
      }
      number = *parsed;
    }
    if (number > limits_.max_rows) {
      throw Refuse(file, SheetWhere() + ": row " + Thousands(number) +
                             " is beyond Excel's limit of " + Thousands(limits_.max_rows) +
                             " rows");
    }
    if (number <= last_row_) {
      throw Refuse(file, SheetWhere() + ": row " + Thousands(number) + " comes after row " +
                             Thousands(last_row_) +
                             "; rows must be in ascending order, so the workbook is damaged");
    }
    last_row_ = number;
    row_ = static_cast<std::size_t>(number);
    last_column_ = 0;
    record_.fields.clear();
    record_.line = row_;
    in_row_ = true;
  }

  void StartCell(const XML_Char** attributes) {
    if (in_cell_) {
      throw Refuse(file, SheetWhere() + ": a cell inside cell " + ColumnName(column_) +
                             std::to_string(row_) + "; the workbook is damaged");
    }
    std::uint64_t column = last_column_ + 1;
    if (const XML_Char* r = Attribute(attributes, "r")) {
      const auto ref = ParseCellReference(r);
      if (!ref) {
        throw Refuse(file, SheetWhere() + ": cell reference " + Quote(r) + " in row " +
                               std::to_string(row_) +
                               " does not parse (expected a column and a row, like \"B7\")");
      }
      if (ref->row != row_) {
        throw Refuse(file, SheetWhere() + ": cell " + Quote(r) + " sits inside row " +
                               std::to_string(row_) + "; the workbook is damaged");
      }
      column = ref->column;
    }
    if (column > limits_.max_columns) {
      throw Refuse(file, SheetWhere() + ": a cell in column " + Thousands(column) + " of row " +
                             std::to_string(row_) + ", beyond Excel's limit of " +
                             Thousands(limits_.max_columns) + " columns");
    }
    column_ = static_cast<std::size_t>(column);
    if (column <= last_column_) {
      throw CellError("comes after column " + ColumnName(static_cast<std::size_t>(last_column_)) +
                      "; cells must be in column order (two cells in one place?), so the workbook "
                      "is damaged");
    }
    last_column_ = column;
    const XML_Char* type = Attribute(attributes, "t");
    type_ = type != nullptr ? type : "n";
    in_cell_ = true;
    in_value_ = in_inline_ = in_text_ = false;
    has_value_ = has_inline_ = false;
    phonetic_depth_ = 0;
  }

  void FinishCell() {
    std::string text;
    bool is_text = false;
    if (type_ == "inlineStr") {
      if (!has_inline_ && !has_value_) return;
      text = DecodeXstring(has_inline_ ? inline_ : value_);
      is_text = true;
    } else if (!has_value_) {
      return;  // a formatted blank, or a formula without a cached result
    } else if (type_ == "s") {
      const auto index = ParseDecimal(value_, 10);
      const std::size_t count = strings_ != nullptr ? strings_->size() : 0;
      if (!index || *index >= count) {
        throw CellError("refers to shared string " + Quote(value_) + ", but the workbook has " +
                        Thousands(count) + "; the workbook is damaged");
      }
      text = std::string((*strings_)[static_cast<std::size_t>(*index)]);
      is_text = true;
    } else if (type_ == "str") {
      text = DecodeXstring(value_);
      is_text = true;
    } else if (type_ == "b") {
      if (value_ != "0" && value_ != "1") throw CellError("boolean cell holds " + Quote(value_));
      text = value_ == "1" ? "TRUE" : "FALSE";
    } else if (type_ == "n" || type_ == "e" || type_ == "d") {
      text = value_;  // numbers as written, errors as "#N/A", ISO dates as written
    } else {
      throw CellError("unknown cell type t=" + Quote(type_) + "; the workbook is damaged");
    }
    const std::size_t needed = column_ - record_.fields.size();
    if (needed > limits_.max_fields - fields_used_) {
      throw CellError("the workbook holds more than " + Thousands(limits_.max_fields) +
                      " cells (counting empty cells between filled ones); save the sheet you need "
                      "as CSV");
    }
    fields_used_ += needed;
    while (record_.fields.size() + 1 < column_) {
      CsvField blank;
      blank.line = row_;
      blank.column = record_.fields.size() + 1;
      record_.fields.push_back(std::move(blank));
    }
    CsvField field;
    field.text = std::move(text);
    field.line = row_;
    field.column = column_;
    field.quoted = is_text;
    record_.fields.push_back(std::move(field));
  }

  XlsxSheet& sheet_;
  const SharedStrings* strings_;
  const XlsxLimits& limits_;
  std::size_t& fields_used_;

  bool in_data_ = false;
  bool in_row_ = false;
  bool in_cell_ = false;
  bool in_value_ = false;
  bool in_inline_ = false;
  bool in_text_ = false;
  bool has_value_ = false;
  bool has_inline_ = false;
  std::size_t phonetic_depth_ = 0;
  std::uint64_t last_row_ = 0;
  std::uint64_t last_column_ = 0;
  std::size_t row_ = 0;
  std::size_t column_ = 0;
  std::string type_;
  std::string value_;
  std::string inline_;
  CsvRecord record_;
};

template <typename Handler>
void ParsePart(Archive& archive, const std::string& file, const std::string& part,
               Handler& handler) {
  handler.file = file;
  handler.part = part;
  const std::string text = archive.Read(part);
  ParseXml(text, handler);
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

bool LooksLikeZip(std::string_view bytes) { return bytes.substr(0, kZipMagic.size()) == kZipMagic; }

bool LooksLikeOle2(std::string_view bytes) {
  return bytes.substr(0, kOle2Magic.size()) == kOle2Magic;
}

std::vector<XlsxSheet> ParseXlsxWorkbook(std::string_view bytes, const std::string& file,
                                         const XlsxLimits& limits) {
  if (LooksLikeOle2(bytes)) {
    throw Refuse(file,
                 "this is an OLE2 compound file, not an .xlsx zip: either an Excel 97-2003 "
                 "workbook (.xls) or an .xlsx protected with a password (Excel encrypts "
                 "those into the same container); open it in Excel and save it as .xlsx "
                 "without a password, or as CSV");
  }
  if (!LooksLikeZip(bytes)) {
    throw Refuse(file,
                 "not an .xlsx workbook (it does not start with a zip signature); save it "
                 "as .xlsx or CSV");
  }
  Archive archive(bytes, file, limits);
  if (!archive.Has(kWorkbookPart)) {
    throw Refuse(file,
                 "the zip holds no xl/workbook.xml, so it is not an Excel workbook; save it "
                 "from Excel as .xlsx or CSV");
  }
  if (!archive.Has(kWorkbookRelsPart)) {
    throw Refuse(file,
                 "the workbook has no xl/_rels/workbook.xml.rels, so its sheets cannot be "
                 "found; the workbook is damaged");
  }
  WorkbookHandler workbook;
  ParsePart(archive, file, std::string(kWorkbookPart), workbook);
  RelationshipsHandler rels;
  ParsePart(archive, file, std::string(kWorkbookRelsPart), rels);
  if (workbook.sheets.empty()) throw Refuse(file, "xl/workbook.xml lists no sheets");

  // Excel lists the shared-string table among the workbook's relationships;
  // the conventional name is the fallback for writers that do not.
  std::optional<std::string> strings_part;
  for (const auto& [id, rel] : rels.relationships) {
    if (EndsWith(rel.type, "/sharedStrings") && !rel.external)
      strings_part = ResolveTarget(rel.target);
  }
  if (!strings_part && archive.Has("xl/sharedStrings.xml")) strings_part = "xl/sharedStrings.xml";
  SharedStringsHandler strings;
  if (strings_part) {
    if (!archive.Has(*strings_part)) {
      throw Refuse(file, "the shared-string table " + Quote(*strings_part) +
                             " is missing; the workbook is damaged");
    }
    ParsePart(archive, file, *strings_part, strings);
  }

  std::vector<XlsxSheet> sheets;
  std::size_t fields_used = 0;
  for (const SheetEntry& entry : workbook.sheets) {
    const std::string where = "sheet " + Quote(entry.name) + " (xl/workbook.xml, line " +
                              std::to_string(entry.line) + ")";
    const auto rel = rels.relationships.find(entry.relationship);
    if (rel == rels.relationships.end()) {
      throw Refuse(file,
                   where + " refers to relationship " + Quote(entry.relationship) +
                       ", which xl/_rels/workbook.xml.rels does not hold; the workbook is damaged");
    }
    const auto part = rel->second.external ? std::nullopt : ResolveTarget(rel->second.target);
    if (!part) {
      throw Refuse(file, where + " points at " + Quote(rel->second.target) +
                             ", which is not a part of the workbook");
    }
    if (!archive.Has(*part)) {
      throw Refuse(file, where + " is stored in " + Quote(*part) +
                             ", which the zip does not hold; the workbook is damaged");
    }
    XlsxSheet sheet;
    sheet.name = entry.name;
    WorksheetHandler handler(sheet, strings_part ? &strings.strings : nullptr, limits, fields_used);
    ParsePart(archive, file, *part, handler);
    sheets.push_back(std::move(sheet));
  }
  return sheets;
}

}  // namespace qap::detail
