// How each front end spells an option the engine's errors name by field.
//
// Engine checks name an option by its neutral field name (qap/core/errors.hpp)
// so that a study run never tells the user to pass a command-line flag. The
// front end that prints the error spells the field its own way: the command
// line as a flag ("permutations" -> "--perms"), a manifest as its key
// ("drop_incomplete"). This table is the one place those spellings meet; it
// lives in the study room because it is the lowest room that knows every
// option (core's, trade's, the manifest's).
#pragma once

#include <string>
#include <string_view>

#include "qap/core/errors.hpp"

namespace qap {

enum class OptionContext {
  kCommandLine,  // `qap regress --perms 0`
  kManifest,     // a study manifest's [model] key
};

struct OptionSpelling {
  std::string_view field;         // the neutral name errors carry
  std::string_view flag;          // the command line's option
  std::string_view manifest_key;  // the manifest's key; empty: the field's own name
};

inline constexpr OptionSpelling kOptionSpellings[] = {
    {"permutations", "--perms", "permutations"},
    {"threads", "--threads", ""},
    {"permutation_list", "--permutations", ""},
    {"explanatory", "--x", ""},
    {"threshold", "--threshold", ""},
    {"threshold_quantile", "--threshold-quantile", ""},
    {"commodity", "--hs", "products"},
    {"focal", "--focal", "focal"},
    {"drop_incomplete", "--drop-incomplete", "drop_incomplete"},
    {"td_flow", "--td-flow", "td_flow"},
    {"plot", "--plot", ""},
    {"format", "--format", ""},
    {"drop_unknown_economies", "--drop-unknown", ""},
    {"delimiter", "--delim", ""},
    {"input_format", "--input-format", ""},
    {"labels", "--labels", ""},
    {"where", "--where", ""},
};

// The spelling of `field` in `context`; the field itself when the table has
// no entry (a field no front end renames).
[[nodiscard]] inline std::string_view SpellOption(std::string_view field, OptionContext context) {
  for (const OptionSpelling& s : kOptionSpellings) {
    if (s.field != field) continue;
    if (context == OptionContext::kCommandLine) return s.flag;
    return s.manifest_key.empty() ? s.field : s.manifest_key;
  }
  return field;
}

// The error's message as `context` spells the options it names (what() when
// it names none).
[[nodiscard]] inline std::string FormatError(const Error& error, OptionContext context) {
  if (error.field().empty()) return error.what();
  return error.Spelled([context](std::string_view field) { return SpellOption(field, context); });
}

}  // namespace qap
