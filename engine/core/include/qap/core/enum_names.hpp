// One table per user-facing enum: each value with the word users type for it
// (on the command line and in a manifest) and a line of help. The table is
// declared next to its enum and is the only mapping between the two, so a
// parser, a writer and a help text cannot drift apart (issue 12).
//
// A table is found by argument-dependent lookup: beside `enum class E` its
// header declares
//   inline constexpr EnumName<E> kENames[] = {{E::kA, "a", "help"}, ...};
//   constexpr std::span<const EnumName<E>> EnumTable(E) { return kENames; }
// and ToString, ParseEnum and EnumNames work for E.
#pragma once

#include <concepts>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace qap {

template <class E>
struct EnumName {
  E value;
  std::string_view name;  // the spelling users type and the engine writes
  std::string_view help;  // one line for a list of choices
  // What reports print where that differs from the name on purpose (the
  // statistic "beta" is the symbol "b" in formulas); empty: the name.
  std::string_view label = {};
};

// Enums that have a table (EnumTable found by ADL).
template <class E>
concept NamedEnum = std::is_enum_v<E> && requires(E e) {
  { EnumTable(e) } -> std::convertible_to<std::span<const EnumName<E>>>;
};

// Every entry of E's table, in the table's order (the order choices are listed in).
template <NamedEnum E>
[[nodiscard]] constexpr std::span<const EnumName<E>> EnumNames() {
  return EnumTable(E{});
}

// The name of `value`; "?" for a value outside the table (a cast integer).
template <NamedEnum E>
[[nodiscard]] constexpr std::string_view EnumToName(E value) {
  for (const EnumName<E>& entry : EnumNames<E>()) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

template <NamedEnum E>
[[nodiscard]] std::string ToString(E value) {
  return std::string(EnumToName(value));
}

// The label of `value` (its name when the table gives no label).
template <NamedEnum E>
[[nodiscard]] constexpr std::string_view EnumLabel(E value) {
  for (const EnumName<E>& entry : EnumNames<E>()) {
    if (entry.value == value) return entry.label.empty() ? entry.name : entry.label;
  }
  return "?";
}

// The help line of `value`; empty for a value outside the table.
template <NamedEnum E>
[[nodiscard]] constexpr std::string_view EnumHelp(E value) {
  for (const EnumName<E>& entry : EnumNames<E>()) {
    if (entry.value == value) return entry.help;
  }
  return {};
}

// The value whose name is exactly `text` (case matters); nullopt otherwise.
template <NamedEnum E>
[[nodiscard]] constexpr std::optional<E> ParseEnum(std::string_view text) {
  for (const EnumName<E>& entry : EnumNames<E>()) {
    if (entry.name == text) return entry.value;
  }
  return std::nullopt;
}

// "a, b, c": the names users may type, for "is not one of ..." messages.
template <NamedEnum E>
[[nodiscard]] std::string EnumChoiceList(std::string_view separator = ", ") {
  std::string out;
  for (const EnumName<E>& entry : EnumNames<E>()) {
    if (!out.empty()) out += separator;
    out += entry.name;
  }
  return out;
}

}  // namespace qap
