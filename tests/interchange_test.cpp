// UCINET DL and Pajek: hand-written files from the format descriptions, and
// round trips through qap's writers.
#include "qap/io/interchange.hpp"

#include <gtest/gtest.h>

#include "qap/core/errors.hpp"
#include "qap/io/matrix_io.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

std::string File(const std::string& name) {
  return testing::SourcePath("tests/data/interchange/" + name);
}

TEST(UcinetDl, FullMatrixWithQuotedLabels) {
  const LabelledMatrix m = ReadLabelledMatrix(File("full.dl"), {});
  EXPECT_EQ(m.labels, (std::vector<std::string>{"Korea, Rep.", "JPN", "USA"}));
  EXPECT_EQ(m.name, "full");
  EXPECT_DOUBLE_EQ(m.values(0, 1), 1.5);
  EXPECT_DOUBLE_EQ(m.values(1, 2), 4.0);
  EXPECT_DOUBLE_EQ(m.values(2, 0), 5.0);
}

TEST(UcinetDl, SeveralMatricesWithMatrixLabels) {
  const auto matrices = ReadLabelledMatrices(File("multi.dl"), {});
  ASSERT_EQ(matrices.size(), 2U);
  EXPECT_EQ(matrices[0].name, "multi:TRADE");
  EXPECT_EQ(matrices[1].name, "multi:AID");
  EXPECT_DOUBLE_EQ(matrices[0].values(1, 2), 3.0);
  EXPECT_DOUBLE_EQ(matrices[1].values(0, 2), 1.0);
  try {
    ReadLabelledMatrix(File("multi.dl"), {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("holds 2 matrices (multi:TRADE, multi:AID)"),
              std::string::npos)
        << e.what();
  }
}

TEST(UcinetDl, EdgeAndNodeListsAndEmbeddedLabels) {
  const LabelledMatrix edges = ReadLabelledMatrix(File("edgelist.dl"), {});
  EXPECT_EQ(edges.labels, (std::vector<std::string>{"A", "B", "C", "D"}));
  EXPECT_DOUBLE_EQ(edges.values(0, 1), 2.5);
  EXPECT_DOUBLE_EQ(edges.values(1, 2), 1.0);
  EXPECT_DOUBLE_EQ(edges.values(3, 0), 4.0);
  EXPECT_DOUBLE_EQ(edges.values(2, 3), 0.0);
  const LabelledMatrix nodes = ReadLabelledMatrix(File("nodelist.dl"), {});
  EXPECT_DOUBLE_EQ(nodes.values(0, 1), 1.0);
  EXPECT_DOUBLE_EQ(nodes.values(0, 2), 1.0);
  EXPECT_DOUBLE_EQ(nodes.values(2, 0), 1.0);
  EXPECT_DOUBLE_EQ(nodes.values(1, 0), 0.0);
  const LabelledMatrix embedded = ReadLabelledMatrix(File("embedded.dl"), {});
  EXPECT_EQ(embedded.labels, (std::vector<std::string>{"X", "Y"}));
  EXPECT_DOUBLE_EQ(embedded.values(1, 0), 8.0);
}

TEST(Pajek, ArcsAndEdges) {
  const LabelledMatrix m = ReadLabelledMatrix(File("network.net"), {});
  EXPECT_EQ(m.labels[0], "Korea, Rep.");
  EXPECT_DOUBLE_EQ(m.values(0, 1), 1.5);
  EXPECT_DOUBLE_EQ(m.values(2, 0), 5.0);
  EXPECT_DOUBLE_EQ(m.values(1, 2), 4.0);
  EXPECT_DOUBLE_EQ(m.values(2, 1), 4.0);  // an edge goes both ways
  EXPECT_DOUBLE_EQ(m.values(1, 0), 0.0);
}

TEST(Interchange, RoundTripsKeepEveryValue) {
  const LabelledMatrix original =
      ReadLabelledMatrix(testing::SourcePath("tests/data/small/X1.csv"), {});
  const auto through_dl = ParseUcinetDl(FormatUcinetDl({original}), "round.dl");
  ASSERT_EQ(through_dl.size(), 1U);
  EXPECT_EQ(through_dl[0].labels, original.labels);
  EXPECT_EQ(through_dl[0].values, original.values);  // shortest round-trip formatting: exact
  LabelledMatrix no_diagonal = original;
  for (Eigen::Index i = 0; i < no_diagonal.size(); ++i) no_diagonal.values(i, i) = 0.0;
  const LabelledMatrix through_pajek = ParsePajek(FormatPajek(no_diagonal), "round.net");
  EXPECT_EQ(through_pajek.labels, original.labels);
  EXPECT_EQ(through_pajek.values, no_diagonal.values);
  // Several matrices through one DL file.
  LabelledMatrix second = original;
  second.name = "SECOND";
  second.values *= 2.0;
  const auto both = ParseUcinetDl(FormatUcinetDl({original, second}), "two.dl");
  ASSERT_EQ(both.size(), 2U);
  EXPECT_EQ(both[1].name, "SECOND");
  EXPECT_EQ(both[1].values, second.values);
}

TEST(Interchange, BrokenFilesNameTheLine) {
  auto message = [](std::string_view text, bool dl) {
    try {
      if (dl) {
        ParseUcinetDl(text, "x.dl");
      } else {
        ParsePajek(text, "x.net");
      }
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("dl format=fullmatrix\ndata:\n0\n", true).find("must give n="),
            std::string::npos);
  EXPECT_NE(message("dl n=2\ndata:\n0 1\n1\n", true).find("x.dl:4: row has 1 values, expected 2"),
            std::string::npos)
      << message("dl n=2\ndata:\n0 1\n1\n", true);
  EXPECT_NE(message("dl n=2\ndata:\n0 1\n", true).find("the data end after 1 of 2 rows"),
            std::string::npos);
  EXPECT_NE(message("dl n=2 format=blockmatrix\ndata:\n", true).find("is not supported"),
            std::string::npos);
  EXPECT_NE(message("dl n=2\ndata:\n0 x\n1 0\n", true).find("\"x\" is not a finite number"),
            std::string::npos);
  EXPECT_NE(message("*Vertices 2\n*Arcs\n1 3\n", false)
                .find("x.net:3: \"3\" is not a vertex number 1..2"),
            std::string::npos)
      << message("*Vertices 2\n*Arcs\n1 3\n", false);
  EXPECT_NE(message("*Network\n", false).find("starts with \"*Vertices n\""), std::string::npos);
}

}  // namespace
}  // namespace qap
