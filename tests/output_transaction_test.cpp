// The output transaction: all or nothing under a failure at any step, unique
// staging names, special files written through, symlinks followed, inputs
// and duplicate outputs refused, stale staging files of dead processes removed.
#include "qap/io/output_transaction.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "qap/core/errors.hpp"

namespace qap {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::stringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

void Write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Every name in `folder`, sorted.
std::vector<std::string> Names(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Fails the k-th call (1-based) of any operation but Unlink (the clean-up,
// which the transaction cannot report anyway) with EIO; `writes_of_one`
// makes every write accept a single byte, as a pipe or a signal may.
class FailingOperations : public FileOperations {
 public:
  explicit FailingOperations(int fail_at, bool writes_of_one = false)
      : fail_at_(fail_at), writes_of_one_(writes_of_one) {}
  int Open(const char* path, int flags, mode_t mode) override {
    return Fail() ? -1 : FileOperations::Open(path, flags, mode);
  }
  ssize_t Write(int fd, const void* data, std::size_t size) override {
    return Fail() ? -1
                  : FileOperations::Write(fd, data,
                                          writes_of_one_ ? std::min<std::size_t>(size, 1) : size);
  }
  int Fsync(int fd) override { return Fail() ? -1 : FileOperations::Fsync(fd); }
  int Close(int fd) override {
    // A failed close still releases the descriptor, as close(2) does.
    const int result = FileOperations::Close(fd);
    return Fail() ? -1 : result;
  }
  int Rename(const char* from, const char* to) override {
    return Fail() ? -1 : FileOperations::Rename(from, to);
  }
  int Link(const char* from, const char* to) override {
    return Fail() ? -1 : FileOperations::Link(from, to);
  }
  [[nodiscard]] int calls() const { return calls_; }

 private:
  bool Fail() {
    ++calls_;
    if (calls_ != fail_at_) return false;
    errno = EIO;
    return true;
  }
  int fail_at_;
  bool writes_of_one_;
  int calls_ = 0;
};

class OutputTransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() /
              ("qap_output_transaction_" + std::to_string(::getpid()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }
  fs::path folder_;
};

// Two files replaced, one created: run with `operations`; true when it committed.
bool RunThreeFileTransaction(const fs::path& folder, FileOperations* operations) {
  OutputTransaction transaction(operations);
  try {
    transaction.Declare((folder / "a.txt").string(), "--output");
    transaction.Declare((folder / "b.txt").string(), "--plot");
    transaction.Declare((folder / "c.txt").string(), "--save-permutations");
    transaction.Add((folder / "a.txt").string(), std::string(10000, 'A'));
    transaction.Add((folder / "b.txt").string(), "new b");
    transaction.Add((folder / "c.txt").string(), "new c");
    transaction.Commit();
    return true;
  } catch (const OutputError&) {
    return false;
  }
}

TEST_F(OutputTransactionTest, AFailureAtAnyStepChangesNoDestinationAndLeavesNoStagingFile) {
  FailingOperations counting(0);
  Write(folder_ / "a.txt", "old a");
  Write(folder_ / "b.txt", "old b");
  ASSERT_TRUE(RunThreeFileTransaction(folder_, &counting));
  const int steps = counting.calls();
  ASSERT_GE(steps, 3 + 3 * 4 + 2 + 3) << "probes, open/write/fsync/close per file, links, renames";
  for (int k = 1; k <= steps; ++k) {
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    Write(folder_ / "a.txt", "old a");
    Write(folder_ / "b.txt", "old b");
    FailingOperations failing(k);
    EXPECT_FALSE(RunThreeFileTransaction(folder_, &failing))
        << "step " << k << " failed but the commit succeeded";
    EXPECT_EQ(Read(folder_ / "a.txt"), "old a") << "step " << k;
    EXPECT_EQ(Read(folder_ / "b.txt"), "old b") << "step " << k;
    EXPECT_EQ(Names(folder_), (std::vector<std::string>{"a.txt", "b.txt"})) << "step " << k;
  }
  // Past the last step nothing fails: the whole set is in place.
  FailingOperations late(steps + 1);
  ASSERT_TRUE(RunThreeFileTransaction(folder_, &late));
  EXPECT_EQ(Read(folder_ / "a.txt"), std::string(10000, 'A'));
  EXPECT_EQ(Read(folder_ / "b.txt"), "new b");
  EXPECT_EQ(Read(folder_ / "c.txt"), "new c");
  EXPECT_EQ(Names(folder_), (std::vector<std::string>{"a.txt", "b.txt", "c.txt"}));
}

TEST_F(OutputTransactionTest, ShortWritesAreContinuedAndTheModeOfAReplacedFileKept) {
  Write(folder_ / "a.txt", "old");
  fs::permissions(folder_ / "a.txt", fs::perms::owner_read | fs::perms::owner_write);
  FailingOperations one_byte_at_a_time(0, true);
  ASSERT_TRUE(RunThreeFileTransaction(folder_, &one_byte_at_a_time));
  EXPECT_EQ(Read(folder_ / "a.txt"), std::string(10000, 'A'));
  EXPECT_EQ(fs::status(folder_ / "a.txt").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(OutputTransactionTest, AnUncommittedTransactionRemovesWhatItStaged) {
  {
    OutputTransaction transaction;
    transaction.Add((folder_ / "a.txt").string(), "content");
    ASSERT_EQ(transaction.StagedPaths().size(), 1U);
    EXPECT_TRUE(fs::exists(transaction.StagedPaths().front()));
    EXPECT_NE(transaction.StagedPaths().front().find(".a.txt.qap-staging-" +
                                                     std::to_string(::getpid()) + "-"),
              std::string::npos);
  }
  EXPECT_TRUE(Names(folder_).empty());
}

TEST_F(OutputTransactionTest, StagingNamesAreUniqueAndFitNameMax) {
  EXPECT_NE(StagingFileName("E.csv"), StagingFileName("E.csv"));
  const std::string long_name = std::string(250, 'x') + ".csv";  // 254 bytes: valid
  const std::string staging = StagingFileName(long_name);
  EXPECT_LE(staging.size(), 255U);
  EXPECT_NE(staging.find(".qap-staging-" + std::to_string(::getpid()) + "-"), std::string::npos);
  OutputTransaction transaction;
  transaction.Add((folder_ / long_name).string(), "fits");
  transaction.Commit();
  EXPECT_EQ(Read(folder_ / long_name), "fits");
  EXPECT_EQ(Names(folder_), std::vector<std::string>{long_name});
  OutputTransaction too_long;
  EXPECT_THROW(too_long.Declare((folder_ / (std::string(300, 'y'))).string(), "--output"),
               OutputError);
}

TEST_F(OutputTransactionTest, OutputsNamingEachOtherOrAnInputAreRefusedBeforeAnythingIsWritten) {
  Write(folder_ / "input.csv", "input");
  fs::create_directories(folder_ / "sub");
  fs::create_symlink("../input.csv", folder_ / "sub" / "alias.csv");
  OutputTransaction transaction;
  transaction.Declare((folder_ / "out.txt").string(), "--output");
  try {
    transaction.Declare((folder_ / "sub" / ".." / "out.txt").string(), "--plot");
    ADD_FAILURE() << "two names of one file accepted";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("names the same file as --output"), std::string::npos)
        << e.what();
  }
  OutputTransaction through_link;
  through_link.Declare((folder_ / "sub" / "alias.csv").string(), "--output");
  try {
    through_link.RefuseInput((folder_ / "input.csv").string(), "--y");
    ADD_FAILURE() << "an output that is an input accepted";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("is also the input --y"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(through_link.RefuseInput((folder_ / "out.txt").string(), "--x"));
  EXPECT_EQ(Read(folder_ / "input.csv"), "input");
}

TEST_F(OutputTransactionTest, SymlinksAreFollowedToTheFileTheyNameAndLoopsRefused) {
  fs::create_directories(folder_ / "real");
  Write(folder_ / "real" / "target.txt", "old");
  fs::create_symlink("real/target.txt", folder_ / "link.txt");
  fs::create_symlink("real/new.txt", folder_ / "dangling.txt");
  OutputTransaction transaction;
  transaction.Add((folder_ / "link.txt").string(), "through the link");
  transaction.Add((folder_ / "dangling.txt").string(), "created");
  transaction.Commit();
  EXPECT_TRUE(fs::is_symlink(folder_ / "link.txt"));
  EXPECT_TRUE(fs::is_symlink(folder_ / "dangling.txt"));
  EXPECT_EQ(Read(folder_ / "real" / "target.txt"), "through the link");
  EXPECT_EQ(Read(folder_ / "real" / "new.txt"), "created");
  EXPECT_EQ(Names(folder_ / "real"), (std::vector<std::string>{"new.txt", "target.txt"}));

  fs::create_symlink("loop2", folder_ / "loop1");
  fs::create_symlink("loop1", folder_ / "loop2");
  OutputTransaction loop;
  try {
    loop.Declare((folder_ / "loop1").string(), "--output");
    ADD_FAILURE() << "a symlink loop accepted";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("symlink loop"), std::string::npos) << e.what();
  }
}

TEST_F(OutputTransactionTest, AFifoIsWrittenThroughNotReplaced) {
  const fs::path fifo = folder_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = Read(fifo); });
  OutputTransaction transaction;
  transaction.Declare(fifo.string(), "--output");
  transaction.Declare((folder_ / "plot.svg").string(), "--plot");
  const std::string big(1 << 20, 'p');  // more than a pipe buffer
  transaction.Add(fifo.string(), big);
  transaction.Add((folder_ / "plot.svg").string(), "<svg/>");
  transaction.Commit();
  reader.join();
  EXPECT_EQ(received, big);
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(Read(folder_ / "plot.svg"), "<svg/>");
}

// Counts writes and reports a fixed amount of free space.
class MeasuredOperations : public FileOperations {
 public:
  explicit MeasuredOperations(long double available) : available_(available) {}
  ssize_t Write(int fd, const void* data, std::size_t size) override {
    ++writes;
    largest_write = std::max(largest_write, size);
    return FileOperations::Write(fd, data, size);
  }
  long double AvailableBytes(const char*) override { return available_; }
  int writes = 0;
  std::size_t largest_write = 0;

 private:
  long double available_;
};

TEST_F(OutputTransactionTest, StreamedContentIsWrittenPieceByPieceNeverHeldWhole) {
  MeasuredOperations operations(-1);
  OutputTransaction transaction(&operations);
  const std::string piece(1 << 16, 'q');
  transaction.Add((folder_ / "stream.txt").string(), [&](const ContentSink& sink) {
    for (int k = 0; k < 8; ++k) sink(piece);
  });
  transaction.Commit();
  EXPECT_EQ(Read(folder_ / "stream.txt"), std::string(8 << 16, 'q'));
  EXPECT_GE(operations.writes, 8);
  EXPECT_LE(operations.largest_write, piece.size()) << "the pieces were gathered before writing";
}

TEST_F(OutputTransactionTest, AProducerThatFailsMidwayLeavesTheOldFileAndNoStagingFile) {
  Write(folder_ / "stream.txt", "old");
  {
    OutputTransaction transaction;
    transaction.Declare((folder_ / "stream.txt").string(), "--save-permutations");
    EXPECT_THROW(transaction.Add((folder_ / "stream.txt").string(),
                                 [](const ContentSink& sink) {
                                   sink("first piece\n");
                                   throw DataError("the plan failed");
                                 }),
                 DataError);
  }
  EXPECT_EQ(Read(folder_ / "stream.txt"), "old");
  EXPECT_EQ(Names(folder_), std::vector<std::string>{"stream.txt"});
}

TEST_F(OutputTransactionTest, AStreamedFifoIsProducedAtCommit) {
  const fs::path fifo = folder_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = Read(fifo); });
  OutputTransaction transaction;
  transaction.Declare(fifo.string(), "--save-permutations");
  int produced = 0;
  transaction.Add(fifo.string(), [&](const ContentSink& sink) {
    ++produced;
    for (int k = 0; k < 32; ++k) sink(std::string(1 << 15, 'f'));  // 1 MiB, more than a pipe buffer
  });
  EXPECT_EQ(produced, 0) << "a special file is written at commit, not before";
  transaction.Commit();
  reader.join();
  EXPECT_EQ(produced, 1);
  EXPECT_EQ(received, std::string(32 << 15, 'f'));
}

TEST_F(OutputTransactionTest, AnOutputTheFolderHasNoRoomForIsRefusedBeforeWriting) {
  MeasuredOperations small(1000);
  OutputTransaction transaction(&small);
  transaction.Declare((folder_ / "p.txt").string(), "--save-permutations");
  EXPECT_NO_THROW(transaction.RequireSpace((folder_ / "p.txt").string(), 1000));
  try {
    transaction.RequireSpace((folder_ / "p.txt").string(), 1001);
    ADD_FAILURE() << "1001 bytes accepted in 1000 free";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("--save-permutations " + (folder_ / "p.txt").string() +
                                         ": needs 1001 bytes"),
              std::string::npos)
        << e.what();
  }
  MeasuredOperations silent(-1);  // a filesystem that does not report its free space
  OutputTransaction unchecked(&silent);
  EXPECT_NO_THROW(unchecked.RequireSpace((folder_ / "p.txt").string(), std::uint64_t{1} << 62U));
  EXPECT_TRUE(Names(folder_).empty());
}

TEST_F(OutputTransactionTest, StagingFilesOfDeadProcessesAreRemovedOthersKept) {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);  // reaped: its pid names no process
  const std::string dead = ".E.csv.qap-staging-" + std::to_string(child) + "-0";
  const std::string dead_short = ".qap-staging-" + std::to_string(child) + "-3-00ff00ff00ff00ff";
  const std::string alive = ".E.csv.qap-staging-" + std::to_string(::getppid()) + "-0";
  const std::string unrelated = "notes.qap-staging.txt";
  for (const std::string& name : {dead, dead_short, alive, unrelated}) Write(folder_ / name, "x");
  OutputTransaction transaction;
  transaction.Declare((folder_ / "E.csv").string(), "--output-dir");
  EXPECT_EQ(Names(folder_), (std::vector<std::string>{alive, unrelated}));
}

TEST_F(OutputTransactionTest, ConcurrentCommitsIntoOneFolderNeverMixTheirSets) {
  // Each writer commits {a,b,c} tagged with its name and round; a reader that
  // holds flock(folder, LOCK_SH), as docs/cli.md advises, must see one tag.
  const std::vector<std::string> names{"a.csv", "b.csv", "c.csv"};
  std::atomic<bool> done{false};
  std::atomic<int> mixed{0};
  std::atomic<int> reads{0};
  auto writer = [&](const std::string& tag) {
    for (int round = 0; round < 40; ++round) {
      OutputTransaction transaction;
      const std::string content = tag + "-" + std::to_string(round) + std::string(4096, '.');
      for (const std::string& name : names) transaction.Add((folder_ / name).string(), content);
      transaction.Commit();
    }
  };
  std::thread reader([&] {
    while (!done) {
      const int fd = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY);
      ::flock(fd, LOCK_SH);
      std::map<std::string, int> tags;
      for (const std::string& name : names) {
        if (fs::exists(folder_ / name)) ++tags[Read(folder_ / name)];
      }
      ::close(fd);
      if (tags.size() > 1) ++mixed;
      ++reads;
    }
  });
  std::thread first(writer, "first");
  std::thread second(writer, "second");
  first.join();
  second.join();
  done = true;
  reader.join();
  EXPECT_EQ(mixed, 0) << "of " << reads << " reads";
  const std::string final_a = Read(folder_ / "a.csv");
  EXPECT_EQ(Read(folder_ / "b.csv"), final_a);
  EXPECT_EQ(Read(folder_ / "c.csv"), final_a);
  EXPECT_EQ(Names(folder_), names) << "no staging file left";
}

}  // namespace
}  // namespace qap
