#include "qap/core/errors.hpp"

namespace qap {

Error::Error(ErrorKind kind, std::string before, std::string field, std::string after)
    : std::runtime_error(before + field + after),
      kind_(kind),
      before_(std::move(before)),
      field_(std::move(field)),
      after_(std::move(after)) {}

std::string Error::Spelled(std::string_view spelling) const {
  if (field_.empty()) return what();
  return before_ + std::string(spelling) + after_;
}

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
