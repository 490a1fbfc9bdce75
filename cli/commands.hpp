// The `qap` subcommands: each maps CLI11 options onto an engine options struct,
// runs the engine, and writes what it returns.
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
