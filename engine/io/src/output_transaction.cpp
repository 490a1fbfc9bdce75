#include "qap/io/output_transaction.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>

#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"

namespace qap {

namespace fs = std::filesystem;

int FileOperations::Open(const char* path, int flags, mode_t mode) {
  return ::open(path, flags, mode);
}
ssize_t FileOperations::Write(int fd, const void* data, std::size_t size) {
  return ::write(fd, data, size);
}
int FileOperations::Fsync(int fd) { return ::fsync(fd); }
int FileOperations::Close(int fd) { return ::close(fd); }
int FileOperations::Rename(const char* from, const char* to) { return ::rename(from, to); }
int FileOperations::Link(const char* from, const char* to) { return ::link(from, to); }
int FileOperations::Unlink(const char* path) { return ::unlink(path); }
long double FileOperations::AvailableBytes(const char* folder) {
  struct statvfs info {};
  if (::statvfs(folder, &info) != 0) return -1;
  return static_cast<long double>(info.f_bavail) * static_cast<long double>(info.f_frsize);
}

namespace {

constexpr const char* kStagingMarker = ".qap-staging-";

// Every staged file of every open transaction, for the termination path.
// Commit holds the mutex while it renames, so termination waits for a set to
// be whole; termination never releases it, so nothing is staged after it.
struct StagingRegistry {
  std::mutex mutex;
  std::vector<std::string> paths;
};

StagingRegistry& Registry() {
  static StagingRegistry* registry =
      new StagingRegistry;  // never destroyed: used until the process ends
  return *registry;
}

void RegisterLocked(const std::string& path) { Registry().paths.push_back(path); }
void UnregisterLocked(const std::string& path) {
  auto& paths = Registry().paths;
  const auto at = std::find(paths.begin(), paths.end(), path);
  if (at != paths.end()) paths.erase(at);
}
void Register(const std::string& path) {
  const std::lock_guard lock(Registry().mutex);
  RegisterLocked(path);
}
void Unregister(const std::string& path) {
  const std::lock_guard lock(Registry().mutex);
  UnregisterLocked(path);
}

std::string ErrnoText(int error) { return std::strerror(error); }

std::string FolderOf(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// Follows `path` through symlinks (at most 40, as the kernel does) to the name
// that is finally replaced; `via_proc` says a link led into /proc (the
// /dev/stdout family), which names an open file description, not a file.
std::string FollowLinks(const std::string& path, const std::string& option, bool& via_proc) {
  std::string current = path;
  for (int hop = 0; hop <= 40; ++hop) {
    struct stat info {};
    if (::lstat(current.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return current;
    std::string target(PATH_MAX, '\0');
    const ssize_t length = ::readlink(current.c_str(), target.data(), target.size());
    if (length < 0) return current;
    target.resize(static_cast<std::size_t>(length));
    if (target.rfind("/proc/", 0) == 0) via_proc = true;
    current = target.front() == '/' ? target : (fs::path(FolderOf(current)) / target).string();
  }
  throw OutputError(option + " " + path +
                    ": a symlink loop (more than 40 links); give the file itself");
}

std::string Canonical(const std::string& path) {
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? fs::absolute(path, ec).lexically_normal().string() : resolved.string();
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa {};
  struct stat sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

// Removes staging files left in `folder` by qap processes that no longer
// exist (kill -9, power loss). Files of live processes, and of pids this
// process cannot signal for another reason (EPERM), are left alone.
void RemoveStaleStagingFiles(const std::string& folder) {
  DIR* directory = ::opendir(folder.c_str());
  if (directory == nullptr) return;
  const pid_t self = ::getpid();
  while (const dirent* entry = ::readdir(directory)) {
    const std::string name = entry->d_name;
    const auto at = name.find(kStagingMarker);
    if (at == std::string::npos || name.front() != '.') continue;
    const char* digits = name.c_str() + at + std::strlen(kStagingMarker);
    char* end = nullptr;
    errno = 0;
    const long long pid = std::strtoll(digits, &end, 10);
    if (end == digits || *end != '-' || errno != 0 || pid <= 0 || pid > INT_MAX || pid == self)
      continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    const std::string path = (fs::path(folder) / name).string();
    struct stat info {};
    if (::lstat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) ::unlink(path.c_str());
  }
  ::closedir(directory);
}

std::uint64_t Fnv1a(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

// Holds an exclusive flock on a folder; released when closed.
class FolderLock {
 public:
  explicit FolderLock(const std::string& folder)
      : fd_(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ >= 0) {
      while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
    }
  }
  ~FolderLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string StagingFileName(const std::string& name) {
  static std::atomic<std::uint64_t> counter{0};
  const std::string suffix =
      std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
  std::string staging = "." + name + kStagingMarker + suffix;
  if (staging.size() > NAME_MAX) {
    // A valid name near NAME_MAX would make the staging name invalid.
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(Fnv1a(name)));
    staging = kStagingMarker + suffix + "-" + hash;
  }
  return staging;
}

void RemoveStagedFilesBeforeTermination() noexcept {
  StagingRegistry& registry = Registry();
  registry.mutex.lock();  // never unlocked: the process is about to end
  for (const std::string& path : registry.paths) ::unlink(path.c_str());
  registry.paths.clear();
}

OutputTransaction::OutputTransaction(FileOperations* operations) : operations_(operations) {
  static FileOperations real;
  if (operations_ == nullptr) operations_ = &real;
}

OutputTransaction::~OutputTransaction() { Abort(); }

OutputTransaction::Output* OutputTransaction::Find(const std::string& destination) {
  for (Output& o : outputs_) {
    if (o.destination == destination) return &o;
  }
  return nullptr;
}

OutputTransaction::Output& OutputTransaction::DeclareOutput(const std::string& path,
                                                            const std::string& option) {
  const std::string named = option + " " + path;
  if (path.empty()) throw OutputError(option + ": the file name is empty");
  bool via_proc = false;
  const std::string final_name = FollowLinks(path, option, via_proc);
  Output output;
  output.given = path;
  output.option = option;
  struct stat info {};
  const bool exists = ::stat(path.c_str(), &info) == 0;
  if (!exists && errno == ELOOP)
    throw OutputError(named + ": a symlink loop; give the file itself");
  if (exists && S_ISDIR(info.st_mode)) throw OutputError(named + ": is a folder, not a file");
  output.write_through = exists && (!S_ISREG(info.st_mode) || via_proc);
  output.destination = output.write_through ? path : Canonical(final_name);
  output.folder = FolderOf(final_name);
  for (const Output& other : outputs_) {
    if (other.destination == output.destination || SameFile(other.given, path)) {
      throw OutputError(named + ": names the same file as " + other.option + " " + other.given +
                        "; one would overwrite the other");
    }
  }
  if (output.write_through) {
    if (::access(path.c_str(), W_OK) != 0)
      throw OutputError(named + ": cannot be written: " + ErrnoText(errno));
    outputs_.push_back(std::move(output));
    return outputs_.back();
  }
  DeclareFolder(output.folder, named);
  const std::string file_name = fs::path(final_name).filename().string();
  const long name_max = ::pathconf(output.folder.c_str(), _PC_NAME_MAX);
  if (file_name.size() > static_cast<std::size_t>(name_max > 0 ? name_max : NAME_MAX)) {
    throw OutputError(named + ": the file name is " + std::to_string(file_name.size()) +
                      " bytes long; the folder allows " +
                      std::to_string(name_max > 0 ? name_max : NAME_MAX));
  }
  outputs_.push_back(std::move(output));
  return outputs_.back();
}

void OutputTransaction::Declare(const std::string& path, const std::string& option) {
  DeclareOutput(path, option);
}

void OutputTransaction::DeclareFolder(const std::string& folder, const std::string& option) {
  struct stat info {};
  if (::stat(folder.c_str(), &info) != 0) {
    const int error = errno;
    // Name the real obstacle: a file where a folder was expected says more than "does not exist".
    for (fs::path up = fs::path(folder).parent_path(); !up.empty(); up = up.parent_path()) {
      struct stat above {};
      if (::stat(up.c_str(), &above) == 0) {
        if (!S_ISDIR(above.st_mode)) {
          throw OutputError(option + ": the folder " + folder + " does not exist (" + up.string() +
                            " is a file, not a folder)");
        }
        break;
      }
      if (up == up.parent_path()) break;
    }
    if (error == ELOOP) throw OutputError(option + ": the folder " + folder + " is a symlink loop");
    throw OutputError(option + ": the folder " + folder + " does not exist");
  }
  if (!S_ISDIR(info.st_mode))
    throw OutputError(option + ": " + folder + " is a file, not a folder");
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    throw OutputError(option + ": cannot create files in the folder " + folder + ": " +
                      ErrnoText(errno));
  }
  RemoveStaleStagingFiles(folder);
  // access() says yes to root on a read-only mount or a pseudo-filesystem:
  // only creating a file tells.
  const std::string probe = (fs::path(folder) / StagingFileName("probe")).string();
  Register(probe);
  const int fd = operations_->Open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  int error = errno;
  bool closed = true;
  if (fd >= 0) {
    closed = operations_->Close(fd) == 0;
    if (!closed) error = errno;
    ::unlink(probe.c_str());
  }
  Unregister(probe);
  if (fd < 0 || !closed) {
    throw OutputError(option + ": cannot create files in the folder " + folder + ": " +
                      ErrnoText(error));
  }
}

void OutputTransaction::RefuseInput(const std::string& input, const std::string& option) const {
  if (input.empty()) return;
  const std::string resolved = Canonical(input);
  for (const Output& o : outputs_) {
    if (o.write_through) continue;
    if (o.destination == resolved || SameFile(o.destination, input)) {
      throw OutputError(o.option + " " + o.given + ": is also the input " + option + " " + input +
                        "; writing it would destroy the input (choose another output file)");
    }
  }
}

void OutputTransaction::WriteAll(int fd, std::string_view content, const Output& output) {
  while (!content.empty()) {
    const ssize_t written = operations_->Write(fd, content.data(), content.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      const int error = written < 0 ? errno : EIO;
      operations_->Close(fd);
      throw OutputError(output.option + " " + output.given + ": write failed: " + ErrnoText(error));
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
}

// The output `path` names, marked as added (declared now if it was not).
OutputTransaction::Output& OutputTransaction::Added(const std::string& path) {
  bool via_proc = false;
  Output* found = Find(Canonical(FollowLinks(path, "output", via_proc)));
  if (found == nullptr && !path.empty()) {
    for (Output& o : outputs_) {
      if (o.given == path) found = &o;
    }
  }
  Output& output = found != nullptr ? *found : DeclareOutput(path, "output");
  if (output.added)
    throw OutputError(output.option + " " + output.given + ": written twice by one command");
  output.added = true;
  return output;
}

void OutputTransaction::Add(const std::string& path, std::string_view content) {
  Output& output = Added(path);
  if (output.write_through) {
    output.pending.assign(content);
    return;
  }
  Stage(output, [content](const ContentSink& sink) { sink(content); });
}

void OutputTransaction::Add(const std::string& path, const ContentProducer& produce) {
  Output& output = Added(path);
  if (output.write_through) {
    output.producer = produce;
    return;
  }
  Stage(output, produce);
}

void OutputTransaction::Stage(Output& output, const ContentProducer& produce) {
  const std::string named = output.option + " " + output.given;
  output.staging =
      (fs::path(output.folder) / StagingFileName(fs::path(output.destination).filename().string()))
          .string();
  Register(output.staging);  // before the file exists, so termination never misses it
  const int fd =
      operations_->Open(output.staging.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int error = errno;
    Unregister(output.staging);
    output.staging.clear();
    throw OutputError(named + ": cannot create a file in " + output.folder + ": " +
                      ErrnoText(error));
  }
  struct stat previous {};
  if (::stat(output.destination.c_str(), &previous) == 0) ::fchmod(fd, previous.st_mode & 07777);
  // WriteAll closes the descriptor when a write fails; anything else the
  // producer throws must close it here.
  bool closed_by_write = false;
  try {
    produce([&](std::string_view piece) {
      try {
        WriteAll(fd, piece, output);
      } catch (...) {
        closed_by_write = true;
        throw;
      }
    });
  } catch (...) {
    if (!closed_by_write) operations_->Close(fd);
    throw;
  }
  if (operations_->Fsync(fd) != 0) {
    const int error = errno;
    operations_->Close(fd);
    throw OutputError(named + ": write failed (fsync): " + ErrnoText(error));
  }
  if (operations_->Close(fd) != 0)
    throw OutputError(named + ": write failed (close): " + ErrnoText(errno));
}

void OutputTransaction::RequireSpace(const std::string& path, std::uint64_t bytes) {
  bool via_proc = false;
  const Output* output = Find(Canonical(FollowLinks(path, "output", via_proc)));
  if (output == nullptr) output = &DeclareOutput(path, "output");
  if (output->write_through) return;
  const long double available = operations_->AvailableBytes(output->folder.c_str());
  if (available < 0) return;
  // A file it replaces frees its blocks only at the rename, so it does not count.
  if (static_cast<long double>(bytes) > available) {
    throw OutputError(output->option + " " + output->given + ": needs " +
                      detail::DescribeBytes(bytes) + ", but " + output->folder + " has " +
                      detail::DescribeBytes(static_cast<std::uint64_t>(available)) +
                      " free; write it to a folder with more room");
  }
}

void OutputTransaction::Commit() {
  for (Output& o : outputs_) {
    if (!o.added || !o.write_through) continue;
    const std::string named = o.option + " " + o.given;
    struct stat info {};
    const bool regular = ::stat(o.given.c_str(), &info) == 0 && S_ISREG(info.st_mode);
    // Append keeps `>> log` intact when /dev/stdout leads to a regular file.
    const int fd =
        operations_->Open(o.given.c_str(), O_WRONLY | O_CLOEXEC | (regular ? O_APPEND : 0), 0);
    if (fd < 0) {
      const int error = errno;
      Abort();
      throw OutputError(named + ": cannot be opened for writing: " + ErrnoText(error));
    }
    bool closed_by_write = false;  // WriteAll closes the descriptor when a write fails
    auto write = [&](std::string_view piece) {
      try {
        WriteAll(fd, piece, o);
      } catch (...) {
        closed_by_write = true;
        throw;
      }
    };
    try {
      if (o.producer) {
        o.producer(write);
      } else {
        write(o.pending);
      }
    } catch (...) {
      if (!closed_by_write) operations_->Close(fd);
      Abort();
      throw;
    }
    if (operations_->Close(fd) != 0) {
      const int error = errno;
      Abort();
      throw OutputError(named + ": write failed (close): " + ErrnoText(error));
    }
    o.pending.clear();
    o.producer = nullptr;
  }

  std::set<std::string> folders;
  for (const Output& o : outputs_) {
    if (!o.staging.empty()) folders.insert(Canonical(o.folder));
  }
  std::vector<std::unique_ptr<FolderLock>> locks;  // in sorted order: two committers never deadlock
  for (const std::string& folder : folders) locks.push_back(std::make_unique<FolderLock>(folder));

  std::unique_lock registry(Registry().mutex);
  struct Step {
    Output* output;
    std::string backup;  // hard link to the replaced file; empty when there was none
    bool renamed = false;
    bool replaces = false;  // a file was there before
  };
  std::vector<Step> steps;
  for (Output& o : outputs_) {
    if (!o.staging.empty()) steps.push_back({&o, {}, false, false});
  }
  auto undo = [&](const std::string& message) {
    for (Step& step : steps) {
      if (step.renamed) {
        if (step.backup.empty()) {
          // Without a backup a replaced file cannot come back; a new one can go.
          if (!step.replaces) operations_->Unlink(step.output->destination.c_str());
        } else if (operations_->Rename(step.backup.c_str(), step.output->destination.c_str()) ==
                   0) {
          UnregisterLocked(step.backup);
          step.backup.clear();
        }
      }
      if (!step.backup.empty()) {
        operations_->Unlink(step.backup.c_str());
        UnregisterLocked(step.backup);
      }
    }
    registry.unlock();
    Abort();
    throw OutputError(message);
  };
  for (Step& step : steps) {
    struct stat info {};
    if (::lstat(step.output->destination.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
    step.replaces = true;
    step.backup = (fs::path(step.output->folder) /
                   StagingFileName(fs::path(step.output->destination).filename().string()))
                      .string();
    RegisterLocked(step.backup);
    if (operations_->Link(step.output->destination.c_str(), step.backup.c_str()) != 0) {
      const int error = errno;
      UnregisterLocked(step.backup);
      step.backup.clear();
      // Filesystems without hard links: the set is still renamed whole, but a
      // failed rename could not restore this file.
      if (error == EPERM || error == ENOTSUP || error == EOPNOTSUPP || error == EMLINK) continue;
      undo(step.output->option + " " + step.output->given +
           ": cannot prepare the replacement: " + ErrnoText(error) + "; nothing was written");
    }
  }
  for (Step& step : steps) {
    if (operations_->Rename(step.output->staging.c_str(), step.output->destination.c_str()) != 0) {
      undo(step.output->option + " " + step.output->given +
           ": cannot rename the written file into place: " + ErrnoText(errno) +
           "; nothing was written");
    }
    step.renamed = true;
    UnregisterLocked(step.output->staging);
    step.output->staging.clear();
  }
  for (const auto& lock : locks) {
    if (lock->fd() >= 0) ::fsync(lock->fd());  // the renames themselves survive a crash
  }
  for (Step& step : steps) {
    if (step.backup.empty()) continue;
    operations_->Unlink(step.backup.c_str());
    UnregisterLocked(step.backup);
  }
}

void OutputTransaction::Abort() noexcept {
  for (Output& o : outputs_) {
    o.pending.clear();
    o.producer = nullptr;
    if (o.staging.empty()) continue;
    operations_->Unlink(o.staging.c_str());
    Unregister(o.staging);
    o.staging.clear();
  }
}

std::vector<std::string> OutputTransaction::StagedPaths() const {
  std::vector<std::string> paths;
  for (const Output& o : outputs_) {
    if (!o.staging.empty()) paths.push_back(o.staging);
  }
  return paths;
}

}  // namespace qap
