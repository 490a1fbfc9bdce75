// The `qap` subcommands, one file each (regress.cpp, study.cpp, ...): each maps
// CLI11 options onto an engine options struct, runs the engine, and writes
// what it returns. Shared flag groups are in common_options.hpp and
// flow_options.hpp.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace qap::cli {

// Documented exit statuses (docs/cli.md).
enum ExitStatus : int {
  kExitSuccess = 0,
  kExitInternal = 1,
  kExitUsage = 2,
  kExitInput = 3,
  kExitData = 4,
  kExitModel = 5,
  kExitOutput = 6,
};

// qap was started with standard output closed: a command that would print
// there fails with exit 6 instead (its descriptor is held by /dev/null so
// that no output file can take descriptor 1).
void MarkStandardOutputClosed();

// Not enough memory (std::bad_alloc): the run asked for more than the
// system gives, although it fit the documented budgets.
inline constexpr int kExitMemory = 7;

// Makes every option of `app` and its subcommands that takes a value refuse one
// that is an option name (`--x --perms 9` would read a file named --perms).
// Defined in common_options.cpp.
void RefuseOptionNamesAsValues(CLI::App& app);

// Adds a subcommand; the returned function runs it after parsing.
std::function<void()> AddRegressCommand(CLI::App& app);
std::function<void()> AddCorrelateCommand(CLI::App& app);
std::function<void()> AddDependenceCommand(CLI::App& app);
std::function<void()> AddNetworkCommand(CLI::App& app);
std::function<void()> AddCovariatesCommand(CLI::App& app);
std::function<void()> AddConvertCommand(CLI::App& app);
// `qap study run` and `qap study init`.
std::function<void()> AddStudyCommand(CLI::App& app);

}  // namespace qap::cli
