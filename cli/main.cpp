// qap: QAP and MRQAP permutation tests on dyadic matrices.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "commands.hpp"
#include "data_folder.hpp"
#include "progress.hpp"
#include "qap/errors.hpp"
#include "qap/report.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

// glibc raises its mmap threshold each time a large block is freed, so after
// the first matrix file's text is released, later 8 MB matrices come from the
// heap and freed ones are not handed back: peak resident memory then exceeds
// what the run ever holds by a matrix or two. A fixed threshold keeps every
// large block mmapped and returned on free (docs/performance.md, Memory).
void KeepLargeAllocationsMapped() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

int ExitStatusFor(qap::ErrorKind kind) {
  using qap::cli::ExitStatus;
  switch (kind) {
    case qap::ErrorKind::kOptions: return ExitStatus::kExitUsage;
    case qap::ErrorKind::kInput: return ExitStatus::kExitInput;
    case qap::ErrorKind::kData: return ExitStatus::kExitData;
    case qap::ErrorKind::kModel: return ExitStatus::kExitModel;
    case qap::ErrorKind::kOutput: return ExitStatus::kExitOutput;
  }
  return ExitStatus::kExitInternal;
}

}  // namespace

int main(int argc, char** argv) {
  KeepLargeAllocationsMapped();
  qap::cli::InitDataFolder(argc > 0 ? argv[0] : nullptr);
  CLI::App app{"qap: QAP and MRQAP permutation tests on dyadic matrices", "qap"};
  app.set_version_flag("--version", "qap " + std::string(qap::EngineVersion()));
  app.require_subcommand(1);
  app.footer("Run 'qap COMMAND --help' for a command's options. Exit status: 0 success, 2 usage, "
             "3 unreadable input, 4 inconsistent data, 5 model cannot be estimated, 6 output not written.");
  const auto regress = qap::cli::AddRegressCommand(app);
  const auto correlate = qap::cli::AddCorrelateCommand(app);
  const auto dependence = qap::cli::AddDependenceCommand(app);
  const auto network = qap::cli::AddNetworkCommand(app);
  const auto covariates = qap::cli::AddCovariatesCommand(app);
  const auto study = qap::cli::AddStudyCommand(app);
  const auto convert = qap::cli::AddConvertCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? qap::cli::kExitSuccess : qap::cli::kExitUsage;
  }
  try {
    if (app.got_subcommand("regress")) regress();
    if (app.got_subcommand("correlate")) correlate();
    if (app.got_subcommand("dependence")) dependence();
    if (app.got_subcommand("network")) network();
    if (app.got_subcommand("covariates")) covariates();
    if (app.got_subcommand("study")) study();
    if (app.got_subcommand("convert")) convert();
  } catch (const qap::Error& e) {
    qap::cli::FinishProgress();
    std::fprintf(stderr, "qap: error: %s\n", e.what());
    return ExitStatusFor(e.kind());
  } catch (const std::exception& e) {
    qap::cli::FinishProgress();
    std::fprintf(stderr, "qap: internal error: %s\n", e.what());
    return qap::cli::kExitInternal;
  }
  return qap::cli::kExitSuccess;
}
