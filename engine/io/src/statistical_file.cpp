// Stata, SPSS and SAS files through ReadStat's parser API, fed from memory.
#include "qap/io/statistical_file.hpp"

#include <readstat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/text.hpp"

namespace qap {

namespace {

// --- In-memory I/O: ReadStat opens, seeks and reads through these handlers,
// so it never touches the file system and a fuzzer can hand it bytes.

struct MemoryFile {
  std::string_view bytes;
  std::size_t position = 0;
};

int MemoryOpen(const char* /*path*/, void* io_ctx) {
  static_cast<MemoryFile*>(io_ctx)->position = 0;
  return 0;  // ReadStat only checks for -1
}

int MemoryClose(void* /*io_ctx*/) { return 0; }

readstat_off_t MemorySeek(readstat_off_t offset, readstat_io_flags_t whence, void* io_ctx) {
  auto* file = static_cast<MemoryFile*>(io_ctx);
  const auto size = static_cast<readstat_off_t>(file->bytes.size());
  readstat_off_t base = 0;
  switch (whence) {
    case READSTAT_SEEK_SET:
      base = 0;
      break;
    case READSTAT_SEEK_CUR:
      base = static_cast<readstat_off_t>(file->position);
      break;
    case READSTAT_SEEK_END:
      base = size;
      break;
    default:
      return -1;
  }
  // Offsets come from the file; a hostile one must neither overflow nor land
  // outside the bytes (where ReadStat would then read nothing, or fail).
  if ((offset > 0 && base > size - offset) || base + offset < 0) return -1;
  const readstat_off_t target = base + offset;
  if (target > size) return -1;
  file->position = static_cast<std::size_t>(target);
  return target;
}

ssize_t MemoryRead(void* buffer, std::size_t count, void* io_ctx) {
  auto* file = static_cast<MemoryFile*>(io_ctx);
  const std::size_t available = file->bytes.size() - file->position;
  const std::size_t n = std::min(count, available);
  if (n > 0) std::memcpy(buffer, file->bytes.data() + file->position, n);
  file->position += n;
  return static_cast<ssize_t>(n);
}

readstat_error_t MemoryUpdate(long /*file_size*/, readstat_progress_handler /*progress*/,
                              void* /*user_ctx*/, void* /*io_ctx*/) {
  return READSTAT_OK;
}

// --- The table being built. Handlers run inside ReadStat's C code, so no
// exception may leave them: each is caught, kept, and rethrown after the
// parse has returned.

struct Builder {
  std::string source;
  StatisticalKind kind = StatisticalKind::kStata;
  StatisticalTable table;
  std::size_t variables = 0;  // from the metadata, or counted by the variable handler
  std::exception_ptr failure;
  std::string readstat_message;  // the last message ReadStat's error handler gave
  int format_version = 0;
};

InputError FileError(const std::string& source, const std::string& message) {
  return InputError(SourcePosition{source, 0, 0, 0}, message);
}

std::string FormatFloat(float value) {
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return {buffer.data(), ec == std::errc() ? end : buffer.data()};
}

// Missing of any kind: system, extended/tagged (Stata .a-.z, SAS .A-.Z),
// user-defined (SPSS discrete values and ranges), and a NaN ReadStat did not
// flag (SAS stores missing values as NaN bit patterns).
std::string ValueText(readstat_value_t value, readstat_variable_t* variable) {
  if (readstat_value_is_missing(value, variable) != 0) return {};
  switch (readstat_value_type(value)) {
    case READSTAT_TYPE_STRING:
    case READSTAT_TYPE_STRING_REF: {
      const char* text = readstat_string_value(value);
      return text == nullptr ? std::string() : std::string(text);
    }
    case READSTAT_TYPE_INT8:
      return std::to_string(static_cast<int>(readstat_int8_value(value)));
    case READSTAT_TYPE_INT16:
      return std::to_string(readstat_int16_value(value));
    case READSTAT_TYPE_INT32:
      return std::to_string(readstat_int32_value(value));
    case READSTAT_TYPE_FLOAT: {
      const float number = readstat_float_value(value);
      return std::isnan(number) ? std::string() : FormatFloat(number);
    }
    case READSTAT_TYPE_DOUBLE: {
      const double number = readstat_double_value(value);
      return std::isnan(number) ? std::string() : FormatRoundTrip(number);
    }
  }
  return {};
}

void CheckCells(Builder& builder, std::uint64_t rows) {
  if (builder.variables > 0 && rows > kMaxStatisticalCells / builder.variables) {
    throw FileError(builder.source, "has " + std::to_string(rows) + " observations of " +
                                        std::to_string(builder.variables) +
                                        " variables, more than " +
                                        std::to_string(kMaxStatisticalCells) + " cells");
  }
}

template <class Body>
int Guarded(Builder& builder, Body body) {
  try {
    body();
    return READSTAT_HANDLER_OK;
  } catch (...) {
    builder.failure = std::current_exception();
    return READSTAT_HANDLER_ABORT;
  }
}

int OnMetadata(readstat_metadata_t* metadata, void* ctx) {
  auto& builder = *static_cast<Builder*>(ctx);
  return Guarded(builder, [&] {
    builder.format_version = readstat_get_file_format_version(metadata);
    const int variables = readstat_get_var_count(metadata);
    const int rows = readstat_get_row_count(metadata);  // -1 when the file does not say
    if (variables > 0) builder.variables = static_cast<std::size_t>(variables);
    if (rows > 0) {
      CheckCells(builder, static_cast<std::uint64_t>(rows));
      // Reserve no more than the bytes could hold: the count is the file's claim.
      builder.table.rows.reserve(std::min<std::size_t>(static_cast<std::size_t>(rows), 4096));
    }
  });
}

int OnVariable(int index, readstat_variable_t* variable, const char* /*value_labels*/, void* ctx) {
  auto& builder = *static_cast<Builder*>(ctx);
  return Guarded(builder, [&] {
    auto& fields = builder.table.header.fields;
    if (index < 0 || static_cast<std::size_t>(index) != fields.size()) {
      throw FileError(builder.source, "variable " + std::to_string(index + 1) +
                                          " is out of order (a damaged file?)");
    }
    const char* name = readstat_variable_get_name(variable);
    detail::CsvField field;
    field.text = name == nullptr ? std::string() : std::string(name);
    field.line = 0;
    field.column = fields.size() + 1;
    fields.push_back(std::move(field));
    builder.variables = std::max(builder.variables, fields.size());
  });
}

int OnValue(int obs_index, readstat_variable_t* variable, readstat_value_t value, void* ctx) {
  auto& builder = *static_cast<Builder*>(ctx);
  return Guarded(builder, [&] {
    const int var_index = readstat_variable_get_index(variable);
    const std::size_t variables = builder.table.header.fields.size();
    if (obs_index < 0 || var_index < 0 || static_cast<std::size_t>(var_index) >= variables) {
      throw FileError(builder.source, "observation " + std::to_string(obs_index + 1) +
                                          ", variable " + std::to_string(var_index + 1) +
                                          " is outside the table (a damaged file?)");
    }
    const auto row = static_cast<std::size_t>(obs_index);
    auto& rows = builder.table.rows;
    // ReadStat gives values observation by observation, variable by variable.
    if (row == rows.size()) {
      CheckCells(builder, row + 1);
      detail::CsvRecord record;
      record.line = row + 1;
      record.fields.resize(variables);
      for (std::size_t column = 0; column < variables; ++column) {
        record.fields[column].line = row + 1;
        record.fields[column].column = column + 1;
      }
      rows.push_back(std::move(record));
    } else if (row + 1 != rows.size()) {
      throw FileError(builder.source, "observation " + std::to_string(row + 1) +
                                          " is out of order (a damaged file?)");
    }
    rows.back().fields[static_cast<std::size_t>(var_index)].text = ValueText(value, variable);
  });
}

void OnError(const char* message, void* ctx) {
  auto& builder = *static_cast<Builder*>(ctx);
  if (message == nullptr) return;
  try {
    builder.readstat_message = Trim(message);
  } catch (...) {  // std::bad_alloc: keep ReadStat's code alone
  }
}

struct ParserDeleter {
  void operator()(readstat_parser_t* parser) const { readstat_parser_free(parser); }
};

std::string FormatName(StatisticalKind kind, std::string_view bytes, int version) {
  switch (kind) {
    case StatisticalKind::kStata:
      return "Stata .dta" + (version > 0 ? " (format " + std::to_string(version) + ")" : "");
    case StatisticalKind::kSpss:
      return bytes.substr(0, 4) == "$FL3" ? "SPSS .zsav" : "SPSS .sav";
    case StatisticalKind::kSas:
      return "SAS .sas7bdat";
  }
  return {};
}

std::string_view KindWord(StatisticalKind kind) {
  switch (kind) {
    case StatisticalKind::kStata:
      return "a Stata .dta file";
    case StatisticalKind::kSpss:
      return "an SPSS .sav or .zsav file";
    case StatisticalKind::kSas:
      return "a SAS .sas7bdat file";
  }
  return "a statistical data file";
}

// Whether the first bytes are those every file of the kind starts with, so a
// CSV renamed .dta gets a message that says so rather than ReadStat's
// "unsupported version".
bool HasSignature(StatisticalKind kind, std::string_view bytes) {
  switch (kind) {
    case StatisticalKind::kStata: {
      if (bytes.substr(0, 11) == "<stata_dta>") return true;  // formats 117-119
      // Formats 104-115: the version byte, then the byte order (1 = MSF, 2 = LSF).
      if (bytes.size() < 2) return false;
      const auto version = static_cast<unsigned char>(bytes[0]);
      const auto order = static_cast<unsigned char>(bytes[1]);
      return version >= 104 && version <= 115 && (order == 1 || order == 2);
    }
    case StatisticalKind::kSpss:
      return bytes.substr(0, 4) == "$FL2" || bytes.substr(0, 4) == "$FL3";
    case StatisticalKind::kSas: {
      static constexpr std::array<unsigned char, 32> kMagic = {
          0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
          0x00, 0xc2, 0xea, 0x81, 0x60, 0xb3, 0x14, 0x11, 0xcf, 0xbd, 0x92,
          0x08, 0x00, 0x09, 0xc7, 0x31, 0x8c, 0x18, 0x1f, 0x10, 0x11};
      if (bytes.size() < kMagic.size()) return false;
      return std::equal(kMagic.begin(), kMagic.end(), bytes.begin(),
                        [](unsigned char a, char b) { return a == static_cast<unsigned char>(b); });
    }
  }
  return false;
}

// ReadStat's message for `error`, with what its error handler added when
// that says more than the message itself.
std::string ReadStatMessage(readstat_error_t error, const std::string& detail) {
  const char* text = readstat_error_message(error);
  std::string message = text == nullptr ? "error " + std::to_string(static_cast<int>(error)) : text;
  if (!detail.empty() && detail.find(message) == std::string::npos) message += " (" + detail + ")";
  if (error == READSTAT_ERROR_READ || error == READSTAT_ERROR_SEEK) {
    message += "; the file ends before its contents do (truncated?)";
  }
  return message;
}

}  // namespace

std::optional<StatisticalKind> StatisticalKindOf(const std::string& path) {
  const std::string lower = Lower(path);
  const auto ends_with = [&](std::string_view suffix) {
    return lower.size() > suffix.size() &&
           std::string_view(lower).substr(lower.size() - suffix.size()) == suffix;
  };
  if (ends_with(".dta")) return StatisticalKind::kStata;
  if (ends_with(".sav") || ends_with(".zsav")) return StatisticalKind::kSpss;
  if (ends_with(".sas7bdat")) return StatisticalKind::kSas;
  return std::nullopt;
}

bool IsStatisticalFile(const std::string& path) { return StatisticalKindOf(path).has_value(); }

StatisticalTable ParseStatisticalBytes(std::string_view bytes, const std::string& source,
                                       StatisticalKind kind) {
  if (!HasSignature(kind, bytes)) {
    throw FileError(source, "is not " + std::string(KindWord(kind)) +
                                ": it does not start the way one does (another kind of file "
                                "renamed, or damaged)");
  }
  MemoryFile file{bytes, 0};
  Builder builder;
  builder.source = source;
  builder.kind = kind;

  const std::unique_ptr<readstat_parser_t, ParserDeleter> parser(readstat_parser_init());
  if (!parser) throw std::bad_alloc();
  readstat_set_metadata_handler(parser.get(), OnMetadata);
  readstat_set_variable_handler(parser.get(), OnVariable);
  readstat_set_value_handler(parser.get(), OnValue);
  readstat_set_error_handler(parser.get(), OnError);
  readstat_set_open_handler(parser.get(), MemoryOpen);
  readstat_set_close_handler(parser.get(), MemoryClose);
  readstat_set_seek_handler(parser.get(), MemorySeek);
  readstat_set_read_handler(parser.get(), MemoryRead);
  readstat_set_update_handler(parser.get(), MemoryUpdate);
  readstat_set_io_ctx(parser.get(), &file);
  readstat_set_handler_character_encoding(parser.get(), "UTF-8");

  readstat_error_t error = READSTAT_OK;
  switch (kind) {
    case StatisticalKind::kStata:
      error = readstat_parse_dta(parser.get(), source.c_str(), &builder);
      break;
    case StatisticalKind::kSpss:
      error = readstat_parse_sav(parser.get(), source.c_str(), &builder);
      break;
    case StatisticalKind::kSas:
      error = readstat_parse_sas7bdat(parser.get(), source.c_str(), &builder);
      break;
  }
  // Our own refusal (the cell cap, a damaged order) first: ReadStat then only
  // reports that a handler aborted.
  if (builder.failure) std::rethrow_exception(builder.failure);
  if (error != READSTAT_OK) {
    throw FileError(source, "cannot be read as " + std::string(KindWord(kind)) +
                                ": ReadStat: " + ReadStatMessage(error, builder.readstat_message));
  }
  // A file with variables but no observation reaches here with no rows; one
  // whose variables never came is not a table.
  if (builder.table.header.fields.empty()) {
    throw FileError(source,
                    "cannot be read as " + std::string(KindWord(kind)) + ": it has no variables");
  }
  builder.table.format = FormatName(kind, bytes, builder.format_version);
  return std::move(builder.table);
}

StatisticalTable ReadStatisticalFile(const std::string& path, std::uint64_t max_bytes) {
  const std::optional<StatisticalKind> kind = StatisticalKindOf(path);
  if (!kind) {
    throw FileError(path,
                    "is not a Stata, SPSS or SAS data file (expected .dta, .sav, .zsav or "
                    ".sas7bdat)");
  }
  // ReadWholeFile checks the path (CheckInputPath) and refuses a regular file
  // larger than max_bytes before reading any of it.
  const std::string bytes = detail::ReadWholeFile(path, max_bytes);
  return ParseStatisticalBytes(bytes, path, *kind);
}

}  // namespace qap
