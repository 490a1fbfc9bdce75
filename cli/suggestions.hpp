// Command-line habits (issue 13): `qap help COMMAND`, the usage of a command
// given no arguments, "did you mean" for a mistyped command or option, and
// --perms in scientific notation. Used by main.cpp around CLI11's parse.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qap::cli {

// Edit distance with adjacent transpositions (optimal string alignment):
// "prems" is one edit from "perms".
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidates close enough to `typed` to suggest: the one equal to it but
// for case; else those at the least edit distance when it is at most 2 and at
// most half the typed length (leading dashes ignored); else the one candidate
// `typed` is a prefix of. Empty when nothing is close.
std::vector<std::string> NearestNames(const std::string& typed,
                                      const std::vector<std::string>& candidates);

// "1e4" -> "10000", "2.5e3" -> "2500": a number in scientific notation that
// is exactly a whole number of at most 20 digits, written in digits. Any
// other text is returned unchanged (and the caller's own check refuses it).
std::string ExactScientificToDigits(const std::string& text);

// Lets every --perms of `app` and its commands take a whole number in
// scientific notation (ExactScientificToDigits, applied before its check).
void AcceptScientificPermutationCounts(CLI::App& app);

// Handles what must be decided before CLI11 parses `args` (argv[1...]):
// `qap help [COMMAND...]` (rewritten in `args` to `COMMAND... --help`, so the
// same text is printed), a mistyped command in it, and a command given no
// arguments at all (its usage on stderr). Returns the exit status when qap
// should stop here.
std::optional<int> HandleBeforeParse(CLI::App& app, std::vector<std::string>& args);

// Prints a failed parse as `qap: error: ...` on stderr, naming a mistyped
// command or option and the nearest valid ones, and says where the help is.
void PrintParseError(const CLI::App& app, const CLI::ParseError& error);

}  // namespace qap::cli
