#include "qap/io/csv_tokenizer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "qap/core/text.hpp"

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

namespace {
// networkx's write_edgelist(data=True) line: "A B {'weight': 1.5, 'kind': 'x'}".
// The commas of the attribute dict do not make it a CSV.
bool IsNetworkxDictLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  const std::size_t brace = line.find('{');
  if (brace == std::string_view::npos || line.empty() || line.back() != '}') return false;
  const std::string_view nodes = line.substr(0, brace);
  if (nodes.find_first_of("\t,;\"") != std::string_view::npos) return false;
  std::size_t tokens = 0;
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    if (nodes[k] != ' ' && (k == 0 || nodes[k - 1] == ' ')) ++tokens;
  }
  return tokens == 2 && nodes.back() == ' ';
}
}  // namespace

char DetectDelimiter(std::string_view text) {
  text = StripByteOrderMark(text);
  if (IsNetworkxDictLine(text.substr(0, text.find('\n')))) return kBlankDelimiter;
  std::array<std::size_t, 3> counts{};  // tab, comma, semicolon
  bool in_quotes = false;
  bool blanks_between_fields = false;
  bool seen_field = false;  // a non-blank character before the current position
  for (char c : text) {
    if (c == '"') {
      in_quotes = !in_quotes;
      seen_field = true;
    } else if (!in_quotes && (c == '\n' || c == '\r')) {
      break;
    } else if (!in_quotes) {
      if (c == ' ' && seen_field) blanks_between_fields = true;
      if (c != ' ') seen_field = true;
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
  // No tab, comma or semicolon, but blanks between fields: R's write.table and
  // the edge lists igraph and networkx write separate fields by spaces.
  if (counts[best] == 0 && blanks_between_fields) return kBlankDelimiter;
  return kCandidates[best];
}

CsvReader::CsvReader(std::string_view text, char delimiter, std::string file)
    : text_(text), delimiter_(delimiter), file_(std::move(file)) {
  if (text_.substr(0, kUtf8ByteOrderMark.size()) == kUtf8ByteOrderMark)
    position_ = kUtf8ByteOrderMark.size();
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
    return (text_[i] == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n') ? std::size_t{2}
                                                                              : std::size_t{1};
  };
  const bool blank_mode = delimiter_ == kBlankDelimiter;
  auto is_blank = [&](std::size_t i) { return text_[i] == ' ' || text_[i] == '\t'; };
  while (position_ < text_.size()) {
    if (blank_mode) {
      // Blanks before a field (and a line's leading blanks) separate nothing.
      while (position_ < text_.size() && is_blank(position_)) ++position_;
      if (position_ >= text_.size()) break;
    }
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
        throw InputError({file_, current.line, current.column, used + 1},
                         "a quoted field is never closed");
      }
      if (position_ < text_.size()) {
        c = text_[position_];
        if (c != delimiter_ && c != '\n' && c != '\r' && !(blank_mode && is_blank(position_))) {
          throw InputError({file_, line_, position_ - line_start_ + 1, used + 1},
                           "unexpected character after a closing quote");
        }
      }
    } else {
      const std::size_t begin = position_;
      while (position_ < text_.size()) {
        c = text_[position_];
        if (c == delimiter_ || c == '\n' || c == '\r' || (blank_mode && is_blank(position_))) {
          break;
        }
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
    if (blank_mode) {
      // Fields are separated by runs of blanks; trailing blanks end nothing.
      while (position_ < text_.size() && is_blank(position_)) ++position_;
      if (position_ >= text_.size()) break;
      c = text_[position_];
      if (c == '\n' || c == '\r') {
        position_ += line_end_length(position_);
        ++line_;
        line_start_ = position_;
        break;
      }
      continue;
    }
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

static std::string Folded(std::string_view name, bool case_insensitive) {
  return case_insensitive ? Lower(Trim(name)) : std::string(Trim(name));
}

void RefuseDuplicateHeaderNames(const CsvRecord& header, const std::string& file,
                                bool case_insensitive) {
  std::unordered_map<std::string, std::size_t> first;
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const CsvField& field = header.fields[c];
    std::string name = Folded(field.text, case_insensitive);
    if (name.empty()) continue;
    if (const auto [it, inserted] = first.emplace(std::move(name), c); !inserted) {
      throw InputError(
          {file, field.line, field.column, c + 1},
          "two columns are named \"" + std::string(Folded(field.text, false)) + "\" (columns " +
              std::to_string(it->second + 1) + " and " + std::to_string(c + 1) +
              "): rename one so that every column is read from where it is meant to be");
    }
  }
}

CsvTable::CsvTable(const CsvRecord& header, std::string file, bool case_insensitive)
    : file_(std::move(file)), line_(header.line) {
  // Duplicates are refused ignoring case even where lookups respect it: two
  // columns that differ only in case are a mistake in either reading.
  RefuseDuplicateHeaderNames(header, file_);
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    std::string name = Folded(header.fields[c].text, case_insensitive);
    if (!name.empty()) columns_.emplace(std::move(name), c);
  }
}

std::optional<std::size_t> CsvTable::FindColumn(std::string_view name) const {
  const auto it = columns_.find(name);
  if (it == columns_.end()) return std::nullopt;
  return it->second;
}

std::size_t CsvTable::RequireColumn(std::string_view name) const {
  if (const auto column = FindColumn(name)) return *column;
  throw InputError({file_, line_, 1, 1}, "missing column \"" + std::string(name) + "\"");
}

void RefuseFieldCount(const CsvRecord& header, const CsvRecord& row, const std::string& file) {
  const std::size_t expected = header.fields.size();
  const std::size_t n = row.fields.size();
  if (n == expected) return;
  const std::string fields = "row has " + std::to_string(n) + " fields, ";
  if (n > expected) {
    const CsvField& extra = row.fields[expected];
    throw InputError({file, extra.line, extra.column, expected + 1},
                     fields + "the header has " + std::to_string(expected) +
                         ": the first extra field is \"" + extra.text +
                         "\" (an unquoted delimiter inside a text field? quote that field)");
  }
  const CsvField& last = row.fields.back();
  throw InputError({file, last.line, last.column + last.text.size(), n + 1},
                   fields + "expected " + std::to_string(expected) + " as in the header (line " +
                       std::to_string(header.line) + "): column " + std::to_string(n + 1) + " (\"" +
                       Folded(header.fields[n].text, false) + "\") is missing");
}

std::string DescribeBytes(std::uint64_t bytes) {
  if (bytes >= (std::uint64_t{1} << 30U) && bytes % (std::uint64_t{1} << 30U) == 0) {
    return std::to_string(bytes >> 30U) + " GiB";
  }
  if (bytes >= (std::uint64_t{1} << 20U) && bytes % (std::uint64_t{1} << 20U) == 0) {
    return std::to_string(bytes >> 20U) + " MiB";
  }
  return std::to_string(bytes) + " bytes";
}

// Whether the first bytes of a pipe or device are plainly not text: four NUL
// bytes in a row (UTF-16 text has at most two, except for U+0000, which no
// input here holds) or more than 1% C0 control bytes other than NUL, tab,
// line ends and form feeds (random bytes have 11%; text in UTF-8, Latin-1 or
// UTF-16 with a byte order mark has none). Only streams are sniffed: they
// cannot be sized up front, and /dev/zero or /dev/urandom should be refused
// at once rather than after the stream limit.
static bool LooksBinary(std::string_view head) {
  if (head.find(std::string_view("\0\0\0\0", 4)) != std::string_view::npos) return true;
  if (head.size() >= 2 &&
      ((head[0] == '\xFF' && head[1] == '\xFE') || (head[0] == '\xFE' && head[1] == '\xFF'))) {
    return false;  // UTF-16: its code units may hold any byte
  }
  std::size_t control = 0;
  for (const char c : head) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte != 0 && byte < 0x20U && byte != '\t' && byte != '\n' && byte != '\r' && byte != '\f' &&
        byte != '\v') {
      ++control;
    }
  }
  return control * 100 > head.size();
}

bool CheckInputPath(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec == std::errc::too_many_symbolic_link_levels) {
    throw InputError({path, 0, 0, 0},
                     "too many levels of symbolic links (a symlink loop): point it at a real file");
  }
  if (ec == std::errc::permission_denied) {
    throw InputError({path, 0, 0, 0},
                     "cannot be reached: permission denied on a folder of its path");
  }
  if (ec == std::errc::not_a_directory) {
    throw InputError({path, 0, 0, 0}, "no such file (a part of its path is a file, not a folder)");
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    throw InputError({path, 0, 0, 0}, "cannot be read: " + ec.message());
  }
  if (ec || !std::filesystem::exists(status)) {
    // A dangling symlink exists as a link but not as a file: say so.
    std::error_code link_ec;
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, link_ec))) {
      throw InputError({path, 0, 0, 0}, "is a symbolic link to a file that does not exist");
    }
    throw InputError({path, 0, 0, 0}, "no such file");
  }
  if (std::filesystem::is_directory(status)) {
    throw InputError({path, 0, 0, 0}, "is a directory, not a file");
  }
  return std::filesystem::is_regular_file(status);
}

std::string ReadWholeFile(const std::string& path, std::uint64_t max_bytes) {
  const bool regular = CheckInputPath(path);
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    throw InputError({path, 0, 0, 0}, "cannot be opened for reading (check permissions)");
  }
  std::error_code ec;
  std::string text;
  // A regular file is read in one piece into a string of its size: growing a
  // string by doubling would briefly hold 2.5 times a large matrix file, the
  // largest allocation of a small regression. Pipes have no size up front.
  if (regular) {
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec) {
      if (size > max_bytes) {
        throw InputError({path, 0, 0, 0},
                         "is " + std::to_string(size) +
                             " bytes, more than a valid file of this kind can hold (" +
                             DescribeBytes(max_bytes) + ")");
      }
      text.assign(static_cast<std::size_t>(size), '\0');
      stream.read(text.data(), static_cast<std::streamsize>(size));
      if (stream.bad() || static_cast<std::uintmax_t>(stream.gcount()) != size) {
        throw InputError({path, 0, 0, 0}, "read failed");
      }
    }
  }
  // Anything appended since the size was taken, or the whole of a pipe or
  // device, is read in chunks up to the limit and no further.
  const std::uint64_t limit = regular ? max_bytes : std::min(max_bytes, kMaxStreamBytes);
  std::array<char, 1U << 16U> chunk{};
  while (stream) {
    stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(stream.gcount());
    if (got == 0) break;
    if (!regular && text.empty() && LooksBinary(std::string_view(chunk.data(), got))) {
      throw InputError({path, 0, 0, 0},
                       "is not a regular file and its first bytes are binary data, not text "
                       "(a device such as /dev/zero or /dev/urandom?)");
    }
    if (text.size() + got > limit) {
      throw InputError(
          {path, 0, 0, 0},
          regular
              ? "grew beyond " + DescribeBytes(limit) +
                    " while it was read (is another program writing it?)"
              : "is not a regular file and did not end within " + DescribeBytes(limit) +
                    " (an endless device or pipe?); save the data to a regular file and read that");
    }
    text.append(chunk.data(), got);
  }
  if (stream.bad()) {
    throw InputError({path, 0, 0, 0}, "read failed");
  }
  return text;
}

}  // namespace qap::detail
