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

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
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
  // Bytes an unprivileged writer may still use in `folder` (statvfs), or -1
  // with errno set when the filesystem does not say.
  virtual long double AvailableBytes(const char* folder);
};

// A file's content produced in pieces: `produce` calls `sink` with each piece
// in order, so a file far larger than memory (a permutation file) is never
// held whole.
using ContentSink = std::function<void(std::string_view)>;
using ContentProducer = std::function<void(const ContentSink& sink)>;

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
  // The same, with the content written piece by piece as `produce` makes it.
  // For a special file (written through at Commit) `produce` is kept and
  // called at Commit, so what it reads must live until then. An exception
  // from `produce` propagates; the partial staging file is removed with the
  // rest.
  void Add(const std::string& path, const ContentProducer& produce);
  // Refuses (OutputError, before any computation) an output of `bytes` bytes
  // that the filesystem of its folder has no room for. Special files and
  // filesystems that do not report their free space are not checked.
  void RequireSpace(const std::string& path, std::uint64_t bytes);
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
    std::string staging;       // staged file (empty for write-through)
    std::string pending;       // content of a write-through output
    ContentProducer producer;  // or its producer, called at Commit
  };
  Output* Find(const std::string& destination);
  Output& DeclareOutput(const std::string& path, const std::string& option);
  Output& Added(const std::string& path);
  void Stage(Output& output, const ContentProducer& produce);
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
