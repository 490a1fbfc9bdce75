#include "qap/core/alignment.hpp"

#include <gtest/gtest.h>

#include "qap/core/errors.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using testing::MatrixFromText;

TEST(Alignment, ReordersEveryMatrixToTheFirstOnesOrder) {
  LabelledMatrix a = MatrixFromText(",A,B,C\nA,0,1,2\nB,3,0,4\nC,5,6,0\n", "a");
  LabelledMatrix b = MatrixFromText(",C,A,B\nC,0,50,60\nA,20,0,10\nB,40,30,0\n", "b");
  const AlignmentReport report = AlignMatrices({&a, &b}, AlignMode::kExact);
  EXPECT_EQ(report.node_order, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(b.labels, a.labels);
  EXPECT_DOUBLE_EQ(b.values(0, 1), 10.0);  // A -> B
  EXPECT_DOUBLE_EQ(b.values(2, 0), 50.0);  // C -> A
  EXPECT_DOUBLE_EQ(b.values(1, 2), 40.0);  // B -> C
}

TEST(Alignment, ExactModeListsWhatIsMissingWhere) {
  LabelledMatrix a = MatrixFromText(",A,B,C\nA,0,1,2\nB,3,0,4\nC,5,6,0\n", "a");
  LabelledMatrix b = MatrixFromText(",A,B,D\nA,0,1,2\nB,3,0,4\nD,5,6,0\n", "b");
  try {
    AlignMatrices({&a, &b}, AlignMode::kExact);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("\"C\" is missing from b.csv"), std::string::npos) << message;
    EXPECT_NE(message.find("\"D\" is missing from a.csv"), std::string::npos) << message;
    EXPECT_NE(message.find("--align intersect"), std::string::npos) << message;
  }
}

TEST(Alignment, IntersectKeepsCommonNodesAndReportsTheDropped) {
  LabelledMatrix a = MatrixFromText(",A,B,C\nA,0,1,2\nB,3,0,4\nC,5,6,0\n", "a");
  LabelledMatrix b = MatrixFromText(",B,A,D\nB,0,1,2\nA,3,0,4\nD,5,6,0\n", "b");
  const AlignmentReport report = AlignMatrices({&a, &b}, AlignMode::kIntersect);
  EXPECT_EQ(report.node_order, (std::vector<std::string>{"A", "B"}));
  ASSERT_EQ(report.dropped.size(), 2U);
  EXPECT_EQ(report.dropped[0].label, "C");
  EXPECT_EQ(report.dropped[0].missing_from, std::vector<std::string>{"b.csv"});
  EXPECT_EQ(report.dropped[1].label, "D");
  EXPECT_EQ(a.size(), 2);
  EXPECT_DOUBLE_EQ(a.values(1, 0), 3.0);
  EXPECT_DOUBLE_EQ(b.values(0, 1), 3.0);  // A -> B in b
}

TEST(Alignment, IntersectionOfFewerThanTwoNodesIsAnError) {
  LabelledMatrix a = MatrixFromText(",A,B\nA,0,1\nB,1,0\n", "a");
  LabelledMatrix b = MatrixFromText(",A,C\nA,0,1\nC,1,0\n", "b");
  EXPECT_THROW(AlignMatrices({&a, &b}, AlignMode::kIntersect), DataError);
}

}  // namespace
}  // namespace qap
