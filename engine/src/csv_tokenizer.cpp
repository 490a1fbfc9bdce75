#include "csv_tokenizer.hpp"

#include <array>
#include <cstdint>
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

CsvReader::CsvReader(std::string_view text, char delimiter, std::string file)
    : text_(text), delimiter_(delimiter), file_(std::move(file)) {
  if (text_.substr(0, kUtf8ByteOrderMark.size()) == kUtf8ByteOrderMark) position_ = kUtf8ByteOrderMark.size();
  line_start_ = position_;
}

bool CsvReader::Next(CsvRecord& record) {
  std::size_t used = 0;  // fields of `record` filled so far (storage is reused)
  bool started = false;  // the record has a character or a delimiter
  auto field = [&]() -> CsvField& {
    if (used == record.fields.size()) record.fields.emplace_back();
    CsvField& f = record.fields[used];
    f.text.clear();
    f.quoted = false;
    return f;
  };
  auto line_end_length = [&](std::size_t i) {
    return (text_[i] == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n') ? std::size_t{2} : std::size_t{1};
  };
  while (position_ < text_.size()) {
    // Start of a field.
    CsvField& current = field();
    current.line = line_;
    current.column = position_ - line_start_ + 1;
    char c = text_[position_];
    if (c == '\n' || c == '\r') {
      position_ += line_end_length(position_);
      ++line_;
      line_start_ = position_;
      if (started) {
        ++used;
        break;
      }
      continue;  // blank line
    }
    started = true;
    bool at_line_end = false;
    if (c == '"') {
      current.quoted = true;
      ++position_;
      bool closed = false;
      while (position_ < text_.size()) {
        c = text_[position_];
        if (c == '"') {
          if (position_ + 1 < text_.size() && text_[position_ + 1] == '"') {
            current.text.push_back('"');
            position_ += 2;
            continue;
          }
          ++position_;
          closed = true;
          break;
        }
        if (c == '\n' || c == '\r') {
          const std::size_t length = line_end_length(position_);
          current.text.append(text_.substr(position_, length));
          position_ += length;
          ++line_;
          line_start_ = position_;
          continue;
        }
        current.text.push_back(c);
        ++position_;
      }
      if (!closed) {
        throw InputError({file_, current.line, current.column, used + 1}, "a quoted field is never closed");
      }
      if (position_ < text_.size()) {
        c = text_[position_];
        if (c != delimiter_ && c != '\n' && c != '\r') {
          throw InputError({file_, line_, position_ - line_start_ + 1, used + 1},
                           "unexpected character after a closing quote");
        }
      }
    } else {
      const std::size_t begin = position_;
      while (position_ < text_.size()) {
        c = text_[position_];
        if (c == delimiter_ || c == '\n' || c == '\r') break;
        if (c == '"') {
          throw InputError({file_, line_, position_ - line_start_ + 1, used + 1},
                           "a quote inside an unquoted field; quote the whole field and "
                           "double the inner quote (\"\")");
        }
        ++position_;
      }
      current.text.assign(text_.substr(begin, position_ - begin));
    }
    ++used;
    if (position_ >= text_.size()) break;
    c = text_[position_];
    if (c == delimiter_) {
      ++position_;
      if (position_ >= text_.size() || text_[position_] == '\n' || text_[position_] == '\r') {
        // A trailing delimiter ends the record with an empty field.
        CsvField& empty = field();
        empty.line = line_;
        empty.column = position_ - line_start_ + 1;
        ++used;
        at_line_end = true;
      }
    } else {
      at_line_end = true;
    }
    if (at_line_end) {
      if (position_ < text_.size()) {
        position_ += line_end_length(position_);
        ++line_;
        line_start_ = position_;
      }
      break;
    }
  }
  if (used == 0) return false;
  record.fields.resize(used);
  record.line = record.fields.front().line;
  return true;
}

std::vector<CsvRecord> TokenizeCsv(std::string_view text, char delimiter, const std::string& file) {
  CsvReader reader(text, delimiter, file);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (reader.Next(record)) records.push_back(record);
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
  // A regular file is read in one piece into a string of its size: growing a
  // string by doubling would briefly hold 2.5 times a large matrix file, the
  // largest allocation of a small regression. Pipes have no size up front.
  if (std::filesystem::is_regular_file(status)) {
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec) {
      std::string text(static_cast<std::size_t>(size), '\0');
      stream.read(text.data(), static_cast<std::streamsize>(size));
      if (stream.bad() || static_cast<std::uintmax_t>(stream.gcount()) != size) {
        throw InputError({path, 0, 0, 0}, "read failed");
      }
      // Anything appended since the size was taken is read too.
      if (stream.peek() != std::char_traits<char>::eof()) {
        std::ostringstream rest;
        rest << stream.rdbuf();
        text += std::move(rest).str();
      }
      return text;
    }
  }
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  if (stream.bad()) {
    throw InputError({path, 0, 0, 0}, "read failed");
  }
  return std::move(buffer).str();
}

}  // namespace qap::detail
