// Typed exceptions thrown at the engine boundary.
//
// Every error names what the user must fix: the option, or the file with its
// line and column. The CLI maps each kind to a documented exit status
// (docs/cli.md, "Exit status"), so scripts can tell bad input from bad models.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

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
  [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// Invalid option; the message starts with the option's name.
class OptionsError : public Error {
 public:
  explicit OptionsError(const std::string& message) : Error(ErrorKind::kOptions, message) {}
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
  [[nodiscard]] const SourcePosition& position() const noexcept { return position_; }

 private:
  SourcePosition position_;
};

class DataError : public Error {
 public:
  explicit DataError(const std::string& message) : Error(ErrorKind::kData, message) {}
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
