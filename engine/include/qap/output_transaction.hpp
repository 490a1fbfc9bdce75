// One command's output files, written all or nothing.
//
// A command declares every output before it computes (Declare: the folder
// exists, is a folder, a file can be created in it; no output names an input
// or another output), then adds each file's content as it is rendered (Add:
// written and fsynced under a unique staging name in the destination's
// folder), then commits (every staged file renamed into place) or, on any
// exception, lets the destructor remove every staged file. docs/cli.md, "What
// qap writes, and what it leaves on failure", states the guarantees.
//
// Rules:
// - Staging names are `.<name>.qap-staging-<pid>-<n>` (or, when that would
//   exceed NAME_MAX, `.qap-staging-<pid>-<n>-<hash>`); Declare removes staging
//   files in the same folder whose process no longer exists (kill -9 debris).
// - A destination that is a FIFO, socket, character or block device, or a
//   /proc file descriptor link such as /dev/stdout, is written through (opened
//   and written at commit), never renamed over.
// - A symlink is followed deliberately: its final target is replaced and the
//   link stays a link. A symlink loop is refused.
// - Commit holds an exclusive flock on each destination folder, so two qap
//   processes committing into one folder never interleave their sets; a
//   failed rename restores what was renamed before it (from hard-link backups).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace qap {

// The file operations a transaction makes, so tests can fail any one of them.
// Each returns what the POSIX call returns and sets errno like it.
class FileOperations {
 public:
  virtual ~FileOperations() = default;
  virtual int Open(const char* path, int flags, mode_t mode);
  virtual ssize_t Write(int fd, const void* data, std::size_t size);
  virtual int Fsync(int fd);
  virtual int Close(int fd);
  virtual int Rename(const char* from, const char* to);
  virtual int Link(const char* from, const char* to);
  virtual int Unlink(const char* path);
};

class OutputTransaction {
 public:
  // `operations` must outlive the transaction (nullptr: the real calls).
  explicit OutputTransaction(FileOperations* operations = nullptr);
  ~OutputTransaction();  // removes whatever is staged and not committed
  OutputTransaction(const OutputTransaction&) = delete;
  OutputTransaction& operator=(const OutputTransaction&) = delete;

  // Checks that `path` can be written, before any computation; `option`
  // (e.g. "--output") starts every message. Refuses a path that resolves to
  // an output declared before. Throws OutputError.
  void Declare(const std::string& path, const std::string& option);
  // Checks that a folder exists and files can be created in it (for outputs
  // whose names are known only later, e.g. `convert` into a folder).
  void DeclareFolder(const std::string& folder, const std::string& option);
  // Refuses (OutputError) if `input` (read under `option`) is one of the
  // declared outputs, by resolved path or by device and inode.
  void RefuseInput(const std::string& input, const std::string& option) const;

  // Stages `content` for `path` (declared first if it was not). Throws
  // OutputError; what was staged before stays staged until the destructor.
  void Add(const std::string& path, std::string_view content);
  // Writes the special files, then renames every staged file into place.
  // On failure nothing was renamed (or the renamed files were restored) and
  // every staged file is removed; special files may have received data.
  void Commit();
  // Removes every staged file. Never throws.
  void Abort() noexcept;

  // Paths of the staged files not yet committed (for tests).
  [[nodiscard]] std::vector<std::string> StagedPaths() const;

 private:
  struct Output {
    std::string given;        // as the user wrote it
    std::string option;       // e.g. "--output"
    std::string destination;  // symlinks resolved: the file that is replaced
    std::string folder;       // the destination's folder
    bool write_through = false;
    bool added = false;
    std::string staging;      // staged file (empty for write-through)
    std::string pending;      // content of a write-through output
  };
  Output* Find(const std::string& destination);
  Output& DeclareOutput(const std::string& path, const std::string& option);
  void WriteAll(int fd, std::string_view content, const Output& output);

  FileOperations* operations_;
  std::vector<Output> outputs_;
};

// Removes every staged file of every open transaction in this process and
// makes any further staging or commit wait forever. For a thread that
// receives SIGINT/SIGTERM/SIGHUP (sigwait) and ends the process right after;
// a commit in progress is finished first, so a set is never left half
// renamed. Not async-signal-safe: do not call it from a signal handler.
void RemoveStagedFilesBeforeTermination() noexcept;

// The staging-file name for `name` (a file name, no folder) in this process:
// `.<name>.qap-staging-<pid>-<n>`, or a short hashed form past NAME_MAX.
std::string StagingFileName(const std::string& name);

}  // namespace qap
