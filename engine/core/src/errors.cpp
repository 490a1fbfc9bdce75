#include "qap/core/errors.hpp"

#include <string>
#include <utility>
#include <vector>

namespace qap {

namespace {

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += part;
  return out;
}

// "file:line:column: field N: ", what an input error's message starts with.
std::string PositionPrefix(const SourcePosition& position) {
  return position.ToString() + ": " +
         (position.field > 0 ? "field " + std::to_string(position.field) + ": " : "");
}

}  // namespace

Error::Error(ErrorKind kind, std::vector<std::string> parts)
    : std::runtime_error(Joined(parts)), kind_(kind), parts_(std::move(parts)) {}

const std::string& Error::field() const noexcept {
  static const std::string kNone;
  return parts_.size() >= 2 ? parts_[1] : kNone;
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
    : Error(ErrorKind::kInput, PositionPrefix(position) + message),
      position_(std::move(position)) {}

InputError::InputError(SourcePosition position, std::vector<std::string> parts)
    : Error(ErrorKind::kInput,
            [&] {
              if (parts.empty()) parts.emplace_back();
              parts.front().insert(0, PositionPrefix(position));
              return std::move(parts);
            }()),
      position_(std::move(position)) {}

}  // namespace qap
