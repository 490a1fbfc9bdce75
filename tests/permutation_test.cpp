#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#if __has_include(<omp.h>)
#include <omp.h>
#define QAP_TEST_HAS_OMP_H 1
#endif

#include "qap/core/errors.hpp"
#include "qap/core/permutation.hpp"
#include "qap/core/permutation_test.hpp"
#include "qap/io/permutation_file.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

// Issue 12: --threads 0 is OpenMP's default team size, so OMP_NUM_THREADS is
// honoured when --threads is not given. The environment is read once when the
// OpenMP runtime starts, so the test sets the same internal value the variable
// sets (omp_set_num_threads) and restores it; Cli.OmpNumThreadsIsHonouredWithoutThreads
// checks the variable itself on the executable.
TEST(Threads, ZeroMeansOpenMpsDefaultWhichHonoursOmpNumThreads) {
#ifdef QAP_TEST_HAS_OMP_H
  const int before = omp_get_max_threads();
  omp_set_num_threads(3);
  EXPECT_EQ(ResolveThreads(0), 3);
  omp_set_num_threads(1);
  EXPECT_EQ(ResolveThreads(0), 1);
  omp_set_num_threads(before);
  EXPECT_EQ(ResolveThreads(0), before);
#else
  GTEST_SKIP() << "omp.h is not on this compiler's include path";
#endif
  // A positive request is taken as given, whatever OpenMP's default.
  EXPECT_EQ(ResolveThreads(5), 5);
  EXPECT_EQ(ResolveThreads(1), 1);
}

TEST(PermutationStream, SameSeedAndBlockGiveTheSamePermutations) {
  PermutationStream a(42, 3);
  PermutationStream b(42, 3);
  PermutationStream other_block(42, 4);
  PermutationStream other_seed(43, 3);
  Permutation pa(50), pb(50), pc(50), pd(50);
  a.Next(pa);
  b.Next(pb);
  other_block.Next(pc);
  other_seed.Next(pd);
  EXPECT_EQ(pa, pb);
  EXPECT_NE(pa, pc);
  EXPECT_NE(pa, pd);
}

TEST(PermutationStream, DrawsEveryPermutationOfFourNodesEquallyOften) {
  const std::uint64_t seed = testing::AnnouncedSeed(2024);
  std::map<Permutation, int> counts;
  const int draws = 48000;
  PermutationStream stream(seed, 0);
  Permutation p(4);
  for (int i = 0; i < draws; ++i) {
    stream.Next(p);
    ++counts[p];
  }
  ASSERT_EQ(counts.size(), 24U);
  const double expected = draws / 24.0;
  double chi_square = 0.0;
  for (const auto& [permutation, count] : counts) {
    chi_square += (count - expected) * (count - expected) / expected;
  }
  const double critical = boost::math::quantile(boost::math::chi_squared(23), 0.999);
  EXPECT_LT(chi_square, critical);
}

TEST(PermutationPlan, BlocksAreTheStreamsOfTheirIndexWhateverTheOrderOfFilling) {
  const PermutationPlan plan(99, 150, 12);
  EXPECT_EQ(plan.block_count(), 3U);
  std::vector<Permutation> last;
  EXPECT_EQ(plan.FillBlock(2, last), 128U);
  EXPECT_EQ(last.size(), 22U);
  std::vector<Permutation> first;
  plan.FillBlock(0, first);
  PermutationStream stream(99, 0);
  Permutation p(12);
  for (const Permutation& expected : first) {
    stream.Next(p);
    EXPECT_EQ(p, expected);
  }
  std::vector<Permutation> last_again;
  plan.FillBlock(2, last_again);
  EXPECT_EQ(last, last_again);
}

class PermutationFile : public ::testing::Test {
 protected:
  std::string Write(const std::string& content) {
    // ctest runs tests in parallel processes: the name must be unique to this one.
    const auto path = std::filesystem::temp_directory_path() /
                      ("qap_perm_test_" + std::to_string(::getpid()) + "_" +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
                       std::to_string(counter_++) + ".txt");
    std::ofstream(path) << content;
    paths_.push_back(path);
    return path.string();
  }
  void TearDown() override {
    for (const auto& p : paths_) std::filesystem::remove(p);
  }
  std::string ErrorOf(const std::string& content, std::uint32_t nodes) {
    try {
      ReadPermutationFile(Write(content), nodes);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }

 private:
  std::vector<std::filesystem::path> paths_;
  int counter_ = 0;
};

TEST_F(PermutationFile, RoundTripsThroughWriteAndRead) {
  const PermutationPlan plan(5, 70, 6);
  const std::string text = FormatPermutationFile(plan, {"A", "B", "C", "D", "E", "F"}, "test");
  const std::vector<Permutation> read = ReadPermutationFile(Write(text), 6);
  ASSERT_EQ(read.size(), 70U);
  std::vector<Permutation> block;
  plan.FillBlock(1, block);
  EXPECT_EQ(read[64], block[0]);
  EXPECT_EQ(read[69], block[5]);
}

TEST_F(PermutationFile, AcceptsCommentsCommasAndCrlf) {
  const auto read = ReadPermutationFile(Write("# header\r\n2,1,3\r\n\r\n3 2 1\r\n"), 3);
  ASSERT_EQ(read.size(), 2U);
  EXPECT_EQ(read[0], (Permutation{1, 0, 2}));
  EXPECT_EQ(read[1], (Permutation{2, 1, 0}));
}

TEST_F(PermutationFile, RejectsWhatIsNotAPermutationWithLineAndColumn) {
  EXPECT_NE(ErrorOf("1 2 3\n1 2 4\n", 3).find(":2:5: field 3: node position 4 is outside 1..3"),
            std::string::npos);
  EXPECT_NE(ErrorOf("1 1 3\n", 3).find("appears twice"), std::string::npos);
  EXPECT_NE(ErrorOf("1 2\n", 3).find("has 2 entries but the analysis has 3 nodes"),
            std::string::npos);
  EXPECT_NE(ErrorOf("1 x 3\n", 3).find("\"x\" is not a node position"), std::string::npos);
  EXPECT_NE(ErrorOf("# only comments\n", 3).find("holds no permutation"), std::string::npos);
}

// Issue 11, class 11: the file is produced in bounded pieces, the same bytes
// as the whole string, and its size is known before it is written.
TEST(PermutationFileWriter, StreamsBoundedPiecesThatMakeTheWholeFile) {
  const std::uint32_t nodes = 120;
  const PermutationPlan plan(3, 20000, nodes);
  std::vector<std::string> labels;
  for (std::uint32_t i = 0; i < nodes; ++i) labels.push_back("N" + std::to_string(i));
  std::string joined;
  std::size_t pieces = 0;
  std::size_t largest = 0;
  WritePermutationFile(plan, labels, "test", [&](std::string_view piece) {
    joined.append(piece);
    ++pieces;
    largest = std::max(largest, piece.size());
  });
  const std::string whole = FormatPermutationFile(plan, labels, "test");
  EXPECT_EQ(joined, whole);
  EXPECT_GT(pieces, 3U);                                           // ~8.6 MB of text
  EXPECT_LT(largest, (std::size_t{1} << 20U) + 64U * 5U * nodes);  // a piece plus at most one block
  const std::size_t header = whole.find('\n', whole.find("# node order")) + 1;
  EXPECT_EQ(PermutationLineBytes(20000, nodes), whole.size() - header);
  EXPECT_EQ(PermutationLineBytes(1, 9), 18U);   // "1 2 ... 9\n"
  EXPECT_EQ(PermutationLineBytes(1, 10), 21U);  // "... 9 10\n"
  EXPECT_EQ(PermutationLineBytes(std::uint64_t{1} << 62U, 20000),
            std::numeric_limits<std::uint64_t>::max());
}

}  // namespace
}  // namespace qap
