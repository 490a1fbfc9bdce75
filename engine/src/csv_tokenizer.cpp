#include "csv_tokenizer.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

namespace qap::detail {

namespace {

constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

std::string_view StripByteOrderMark(std::string_view text) {
  if (text.substr(0, kUtf8ByteOrderMark.size()) == kUtf8ByteOrderMark) {
    text.remove_prefix(kUtf8ByteOrderMark.size());
  }
  return text;
}

}  // namespace

char DetectDelimiter(std::string_view text) {
  text = StripByteOrderMark(text);
  std::array<std::size_t, 3> counts{};  // tab, comma, semicolon
  bool in_quotes = false;
  for (char c : text) {
    if (c == '"') {
      in_quotes = !in_quotes;
    } else if (!in_quotes && (c == '\n' || c == '\r')) {
      break;
    } else if (!in_quotes) {
      if (c == '\t') ++counts[0];
      if (c == ',') ++counts[1];
      if (c == ';') ++counts[2];
    }
  }
  constexpr std::array<char, 3> kCandidates{'\t', ',', ';'};
  std::size_t best = 1;  // comma when nothing is found: a one-column file fails later, clearly
  for (std::size_t i = 0; i < kCandidates.size(); ++i) {
    if (counts[i] > counts[best] || (counts[i] == counts[best] && counts[i] > 0 && i < best)) {
      best = i;
    }
  }
  return kCandidates[best];
}

std::vector<CsvRecord> TokenizeCsv(std::string_view input, char delimiter,
                                   const std::string& file) {
  const std::size_t bom_offset =
      input.substr(0, kUtf8ByteOrderMark.size()) == kUtf8ByteOrderMark ? kUtf8ByteOrderMark.size()
                                                                       : 0;
  std::vector<CsvRecord> records;
  CsvRecord record;
  CsvField field;
  std::size_t line = 1;
  std::size_t line_start = bom_offset;
  bool field_started = false;  // the current record has at least one character or delimiter
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted } state = State::kFieldStart;

  auto begin_field = [&](std::size_t i) {
    field.line = line;
    field.column = i - line_start + 1;
  };
  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field = CsvField{};
  };
  auto end_record = [&] {
    if (field_started) {
      end_field();
      record.line = record.fields.front().line;
      records.push_back(std::move(record));
    }
    record = CsvRecord{};
    field = CsvField{};
    field_started = false;
  };

  std::size_t i = bom_offset;
  while (i < input.size()) {
    const char c = input[i];
    const bool is_line_end = (c == '\n' || c == '\r');
    const std::size_t line_end_length = (c == '\r' && i + 1 < input.size() && input[i + 1] == '\n') ? 2 : 1;
    switch (state) {
      case State::kFieldStart:
        begin_field(i);
        if (c == '"') {
          field.quoted = true;
          field_started = true;
          state = State::kQuoted;
        } else if (c == delimiter) {
          field_started = true;
          end_field();
        } else if (is_line_end) {
          end_record();
          i += line_end_length;
          ++line;
          line_start = i;
          continue;
        } else {
          field.text.push_back(c);
          field_started = true;
          state = State::kUnquoted;
        }
        break;
      case State::kUnquoted:
        if (c == delimiter) {
          end_field();
          state = State::kFieldStart;
        } else if (is_line_end) {
          end_record();
          state = State::kFieldStart;
          i += line_end_length;
          ++line;
          line_start = i;
          continue;
        } else if (c == '"') {
          throw InputError({file, line, i - line_start + 1, record.fields.size() + 1},
                           "a quote inside an unquoted field; quote the whole field and "
                           "double the inner quote (\"\")");
        } else {
          field.text.push_back(c);
        }
        break;
      case State::kQuoted:
        if (c == '"') {
          state = State::kQuoteInQuoted;
        } else {
          if (is_line_end) {
            field.text.append(input.substr(i, line_end_length));
            i += line_end_length;
            ++line;
            line_start = i;
            continue;
          }
          field.text.push_back(c);
        }
        break;
      case State::kQuoteInQuoted:
        if (c == '"') {
          field.text.push_back('"');
          state = State::kQuoted;
        } else if (c == delimiter) {
          end_field();
          state = State::kFieldStart;
        } else if (is_line_end) {
          end_record();
          state = State::kFieldStart;
          i += line_end_length;
          ++line;
          line_start = i;
          continue;
        } else {
          throw InputError({file, line, i - line_start + 1, record.fields.size() + 1},
                           "unexpected character after a closing quote");
        }
        break;
    }
    ++i;
  }
  if (state == State::kQuoted) {
    throw InputError({file, field.line, field.column, record.fields.size() + 1},
                     "a quoted field is never closed");
  }
  end_record();
  return records;
}

std::string ReadWholeFile(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw InputError({path, 0, 0, 0}, "no such file");
  }
  if (std::filesystem::is_directory(status)) {
    throw InputError({path, 0, 0, 0}, "is a directory, not a file");
  }
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    throw InputError({path, 0, 0, 0}, "cannot be opened for reading (check permissions)");
  }
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  if (stream.bad()) {
    throw InputError({path, 0, 0, 0}, "read failed");
  }
  return std::move(buffer).str();
}

}  // namespace qap::detail
