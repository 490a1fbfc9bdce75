// Typed exceptions thrown at the engine boundary.
//
// Every error names what the user must fix: the option, or the file with its
// line and column. The CLI maps each kind to a documented exit status
// (docs/cli.md, "Exit status"), so scripts can tell bad input from bad models.
//
// An error about one option names it by its neutral field name (the options
// struct's member in snake_case: "permutations", "drop_incomplete"), never by
// a front end's spelling: the same check serves the command line, a manifest
// and a library caller, and each front end spells the field its own way when
// it prints the error (qap/study/option_names.hpp: FormatError).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qap {

enum class ErrorKind {
  kOptions,  // an option value is invalid or options contradict each other
  kInput,    // a file cannot be read or parsed
  kData,     // matrices disagree with each other or with the model (labels, symmetry)
  kModel,    // the model cannot be estimated (rank-deficient, too few dyads)
  kOutput,   // an output file cannot be written
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  // A message that names one option: before + <the option> + after. what()
  // writes the option as `field`; Spelled() as a front end names it.
  Error(ErrorKind kind, std::string before, std::string field, std::string after)
      : Error(kind, {std::move(before), std::move(field), std::move(after)}) {}
  // A message that names several options: text, field, text, field, ..., text
  // (`parts` alternate, starting and ending with text; a message may need one
  // option in two places, or two options, as the null distribution's budget does).
  Error(ErrorKind kind, std::vector<std::string> parts);
  [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }
  // The first option the message names; empty when it names none (or is
  // already spelled for a front end).
  [[nodiscard]] const std::string& field() const noexcept;
  // The message with each field written as `spell(field)` (what() when there is no field).
  template <typename Spell>
  [[nodiscard]] std::string Spelled(const Spell& spell) const {
    if (parts_.size() < 2) return what();
    std::string out;
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      if (i % 2 == 0) {
        out += parts_[i];
      } else {
        out += spell(std::string_view(parts_[i]));
      }
    }
    return out;
  }

 private:
  ErrorKind kind_;
  std::vector<std::string> parts_;  // text, field, text, ...; one text when no field
};

// Invalid option.
class OptionsError : public Error {
 public:
  // A message already complete (it names no option, or names it as its front end spells it).
  explicit OptionsError(const std::string& message) : Error(ErrorKind::kOptions, message) {}
  // "field: detail" (or field + separator + detail): `detail` says what is
  // wrong without naming the option, so any front end can put its own name first.
  OptionsError(std::string field, const std::string& detail, std::string_view separator = ": ")
      : Error(ErrorKind::kOptions, "", std::move(field), std::string(separator) + detail) {}
  // Text and fields alternating, as for Error.
  explicit OptionsError(std::vector<std::string> parts)
      : Error(ErrorKind::kOptions, std::move(parts)) {}
};

// Where in a text file something went wrong. Lines and columns are 1-based;
// column counts characters (bytes) in the line, field counts delimited fields.
struct SourcePosition {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;
  std::size_t field = 0;

  // "file:line:column" (parts that are unknown are left out).
  [[nodiscard]] std::string ToString() const;
};

class InputError : public Error {
 public:
  InputError(SourcePosition position, const std::string& message);
  // A message naming options (parts as for Error), after the position.
  InputError(SourcePosition position, std::vector<std::string> parts);
  [[nodiscard]] const SourcePosition& position() const noexcept { return position_; }

 private:
  SourcePosition position_;
};

class DataError : public Error {
 public:
  explicit DataError(const std::string& message) : Error(ErrorKind::kData, message) {}
  // before + <option> + after, e.g. a hint naming the option that would avoid the error.
  DataError(std::string before, std::string field, std::string after)
      : Error(ErrorKind::kData, std::move(before), std::move(field), std::move(after)) {}
  // Text and fields alternating, as for Error.
  explicit DataError(std::vector<std::string> parts) : Error(ErrorKind::kData, std::move(parts)) {}
};

class ModelError : public Error {
 public:
  explicit ModelError(const std::string& message) : Error(ErrorKind::kModel, message) {}
};

class OutputError : public Error {
 public:
  explicit OutputError(const std::string& message) : Error(ErrorKind::kOutput, message) {}
};

}  // namespace qap
