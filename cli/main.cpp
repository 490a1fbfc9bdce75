// qap: QAP and MRQAP permutation tests on dyadic matrices.
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "data_folder.hpp"
#include "progress.hpp"
#include "qap/core/errors.hpp"
#include "qap/io/output_transaction.hpp"
#include "qap/render/report.hpp"
#include "qap/study/option_names.hpp"
#include "suggestions.hpp"

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

// SIGINT, SIGTERM and SIGHUP are blocked in every thread (OpenMP's start
// later and inherit the mask) and taken by one thread with sigwait, which
// removes the staged files of open output transactions (after a commit in
// progress, so a set is never half renamed) and ends the process by the same
// signal. A thread, not a handler: the removal takes a lock and allocates.
// Signals the caller ignores (nohup, background jobs) stay ignored.
void HandleTerminationSignals() {
  static sigset_t set;
  sigemptyset(&set);
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction current {};
    if (sigaction(signal, nullptr, &current) == 0 && current.sa_handler != SIG_IGN)
      sigaddset(&set, signal);
  }
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return;
  std::thread([] {
    int signal = 0;
    while (sigwait(&set, &signal) != 0) {
    }
    qap::cli::EndProgressLineBeforeTermination();
    qap::RemoveStagedFilesBeforeTermination();
    std::signal(signal, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal);
    pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
    raise(signal);
    _exit(128 + signal);
  }).detach();
}

// A closed standard descriptor would be handed to the first file qap opens,
// and what is printed would land in it: hold each with /dev/null instead.
void HoldClosedStandardDescriptors() {
  for (const int fd : {0, 1, 2}) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (opened != fd && opened >= 0) close(opened);
    if (fd == 1) qap::cli::MarkStandardOutputClosed();
  }
}

// What was printed must have reached standard output (`> /dev/full` fails only at the flush).
int CheckStandardOutput(int status) {
  if (std::fflush(stdout) == 0 && std::ferror(stdout) == 0) return status;
  const int error = errno;
  std::fprintf(stderr, "qap: error: standard output: write failed: %s\n", std::strerror(error));
  return qap::cli::kExitOutput;
}

int ExitStatusFor(qap::ErrorKind kind) {
  using qap::cli::ExitStatus;
  switch (kind) {
    case qap::ErrorKind::kOptions:
      return ExitStatus::kExitUsage;
    case qap::ErrorKind::kInput:
      return ExitStatus::kExitInput;
    case qap::ErrorKind::kData:
      return ExitStatus::kExitData;
    case qap::ErrorKind::kModel:
      return ExitStatus::kExitModel;
    case qap::ErrorKind::kOutput:
      return ExitStatus::kExitOutput;
  }
  return ExitStatus::kExitInternal;
}

int Run(int argc, char** argv) {
  KeepLargeAllocationsMapped();
  HoldClosedStandardDescriptors();
  HandleTerminationSignals();
  qap::cli::InitDataFolder(argc > 0 ? argv[0] : nullptr);
  CLI::App app{"qap: QAP and MRQAP permutation tests on dyadic matrices", "qap"};
  app.set_version_flag("--version", "qap " + std::string(qap::EngineVersion()));
  app.require_subcommand(1);
  app.footer(
      "Run 'qap help COMMAND' (or 'qap COMMAND --help') for a command's options. "
      "Exit status: 0 success, 2 usage, 3 unreadable input, 4 inconsistent data, "
      "5 model cannot be estimated, 6 output not written, 7 out of memory.");
  const auto regress = qap::cli::AddRegressCommand(app);
  const auto correlate = qap::cli::AddCorrelateCommand(app);
  const auto dependence = qap::cli::AddDependenceCommand(app);
  const auto network = qap::cli::AddNetworkCommand(app);
  const auto covariates = qap::cli::AddCovariatesCommand(app);
  const auto study = qap::cli::AddStudyCommand(app);
  const auto convert = qap::cli::AddConvertCommand(app);
  qap::cli::RefuseOptionNamesAsValues(app);
  qap::cli::AcceptScientificPermutationCounts(app);
  std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  if (const std::optional<int> status = qap::cli::HandleBeforeParse(app, args)) return *status;
  try {
    std::reverse(args.begin(), args.end());  // CLI11 takes the words last first
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    // --help and --version (exit code 0) are printed as CLI11 prints them.
    if (e.get_exit_code() == 0) {
      app.exit(e);
      return CheckStandardOutput(qap::cli::kExitSuccess);
    }
    qap::cli::PrintParseError(app, e);
    return qap::cli::kExitUsage;
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
    // Engine errors name an option by field; here it is spelled as a flag.
    std::fprintf(stderr, "qap: error: %s\n",
                 qap::FormatError(e, qap::OptionContext::kCommandLine).c_str());
    return ExitStatusFor(e.kind());
  } catch (const std::bad_alloc&) {
    // Runs that cannot fit the budgets are refused before they start (exit 2);
    // this is the system running out below them. Not a bug: a status of its own.
    qap::cli::FinishProgress();
    std::fprintf(stderr,
                 "qap: error: out of memory: the system could not give the memory this run needs; "
                 "use fewer permutations or smaller inputs, or free memory\n");
    return qap::cli::kExitMemory;
  } catch (const std::exception& e) {
    qap::cli::FinishProgress();
    std::fprintf(stderr, "qap: internal error: %s\n", e.what());
    return qap::cli::kExitInternal;
  }
  return CheckStandardOutput(qap::cli::kExitSuccess);
}

}  // namespace

int main(int argc, char** argv) {
  // Setting up the commands allocates and can throw before Run's own handlers
  // are in place; nothing may leave main as an uncaught exception (abort).
  try {
    return Run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("qap: error: out of memory while starting\n", stderr);
    return qap::cli::kExitMemory;
  } catch (...) {
    std::fputs("qap: internal error while starting\n", stderr);
    return qap::cli::kExitInternal;
  }
}
