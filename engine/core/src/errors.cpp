#include "qap/core/errors.hpp"

namespace qap {

std::string SourcePosition::ToString() const {
  std::string out = file;
  if (line > 0) {
    out.append(":").append(std::to_string(line));
    if (column > 0) out.append(":").append(std::to_string(column));
  }
  return out;
}

InputError::InputError(SourcePosition position, const std::string& message)
    : Error(ErrorKind::kInput,
            position.ToString() + ": " +
                (position.field > 0 ? "field " + std::to_string(position.field) + ": " : "") +
                message),
      position_(std::move(position)) {}

}  // namespace qap
