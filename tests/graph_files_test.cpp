// GraphML and GML (issue 13): files written by networkx, python-igraph and R
// igraph (tests/data/graph_files/make_files.py, make_files.R), Gephi- and
// Cytoscape-style GraphML written by hand, and broken files.
#include "qap/io/graph_files.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/matrix_io.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using detail::ReadWholeFile;

std::string File(const std::string& name) {
  return testing::SourcePath("tests/data/graph_files/" + name);
}

std::vector<LabelledMatrix> Graphml(std::string_view text, const GraphReadOptions& options = {}) {
  return ParseGraphml(text, "net.graphml", options);
}
std::vector<LabelledMatrix> Gml(std::string_view text, const GraphReadOptions& options = {}) {
  return ParseGml(text, "net.gml", options);
}

const std::vector<std::string> kCountries{"CHN", "USA", "JPN", "DEU", "KOR"};

void ExpectNetworkxDirected(const LabelledMatrix& m) {
  EXPECT_EQ(m.labels, kCountries);
  EXPECT_DOUBLE_EQ(m.values(0, 1), 2.5);
  EXPECT_DOUBLE_EQ(m.values(1, 0), 1.0);
  EXPECT_DOUBLE_EQ(m.values(2, 3), 4.0);
  EXPECT_DOUBLE_EQ(m.values(3, 2), 0.0);  // directed: one way only
  EXPECT_DOUBLE_EQ(m.values(3, 4), 0.25);
  EXPECT_DOUBLE_EQ(m.values(4, 4), 0.5);  // the self-loop
  EXPECT_DOUBLE_EQ(m.values(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(m.values.sum(), 2.5 + 1.0 + 4.0 + 0.25 + 0.5);
}

TEST(GraphFiles, NetworkxDirectedGraphmlAndGml) {
  const auto graphml = ReadLabelledMatrices(File("networkx_directed.graphml"), {});
  ASSERT_EQ(graphml.size(), 1U);
  EXPECT_EQ(graphml[0].name, "networkx_directed");
  ExpectNetworkxDirected(graphml[0]);
  const auto gml = ReadLabelledMatrices(File("networkx_directed.gml"), {});
  ASSERT_EQ(gml.size(), 1U);
  ExpectNetworkxDirected(gml[0]);
}

void ExpectUndirected(const LabelledMatrix& weight, const LabelledMatrix& count) {
  EXPECT_EQ(weight.labels, kCountries);
  for (const auto& [i, j, w, c] :
       {std::tuple{0, 1, 3.0, 2.0}, std::tuple{1, 2, 1.5, 1.0}, std::tuple{2, 3, 2.0, 5.0}}) {
    EXPECT_DOUBLE_EQ(weight.values(i, j), w);
    EXPECT_DOUBLE_EQ(weight.values(j, i), w);  // undirected: both cells
    EXPECT_DOUBLE_EQ(count.values(i, j), c);
    EXPECT_DOUBLE_EQ(count.values(j, i), c);
  }
  EXPECT_TRUE(weight.values.isApprox(weight.values.transpose()));
  EXPECT_DOUBLE_EQ(weight.values.row(4).sum(), 0.0);  // KOR has no edge
}

TEST(GraphFiles, NetworkxUndirectedTwoNumericAttributesAndAString) {
  // networkx declares the keys kind, count, weight (in that order); "kind" is a string.
  const auto graphml = ReadLabelledMatrices(File("networkx_undirected.graphml"), {});
  ASSERT_EQ(graphml.size(), 2U);
  EXPECT_EQ(graphml[0].name, "networkx_undirected:count");
  EXPECT_EQ(graphml[1].name, "networkx_undirected:weight");
  ExpectUndirected(graphml[1], graphml[0]);
  // GML: attributes in the order edges first use them.
  const auto gml = ReadLabelledMatrices(File("networkx_undirected.gml"), {});
  ASSERT_EQ(gml.size(), 2U);
  EXPECT_EQ(gml[0].name, "networkx_undirected:weight");
  EXPECT_EQ(gml[1].name, "networkx_undirected:count");
  ExpectUndirected(gml[0], gml[1]);
}

TEST(GraphFiles, SeveralAttributesAreRefusedByTheSingleMatrixReader) {
  try {
    ReadLabelledMatrix(File("networkx_undirected.graphml"), {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("holds 2 matrices (count, weight); read one as"),
              std::string::npos)
        << e.what();
  }
}

TEST(GraphFiles, AttributeSelection) {
  const std::string text = ReadWholeFile(File("networkx_undirected.graphml"));
  GraphReadOptions options;
  options.attribute = "weight";
  const auto weight = Graphml(text, options);
  ASSERT_EQ(weight.size(), 1U);
  EXPECT_EQ(weight[0].name, "weight");
  EXPECT_DOUBLE_EQ(weight[0].values(2, 1), 1.5);
  options.attribute = "capacity";
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { Graphml(text, options); },
      "no numeric edge attribute \"capacity\"; the numeric edge attributes are \"count\", "
      "\"weight\""));
  options.attribute = "kind";
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>([&] { Graphml(text, options); },
                                                     "\"kind\" (its values are not numbers)"));
  options.attribute = "count";
  const auto count = Gml(ReadWholeFile(File("networkx_undirected.gml")), options);
  ASSERT_EQ(count.size(), 1U);
  EXPECT_DOUBLE_EQ(count[0].values(3, 2), 5.0);
  // FILE:ATTRIBUTE through the file reader.
  const LabelledMatrix chosen = ReadLabelledMatrix(File("networkx_undirected.gml") + ":weight", {});
  EXPECT_EQ(chosen.name, "weight");
  EXPECT_DOUBLE_EQ(chosen.values(0, 1), 3.0);
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [] { ReadLabelledMatrix(File("networkx_undirected.gml") + ":capacity", {}); },
      "the numeric edge attributes are \"weight\", \"count\""));
}

TEST(GraphFiles, InputFormatOverridesDetection) {
  // A GML file under another extension: recognised from its text, or named by the format.
  ReadOptions gml;
  gml.format = InputFormat::kGml;
  EXPECT_EQ(ReadLabelledMatrix(File("networkx_directed.gml"), gml).labels, kCountries);
  ReadOptions graphml;
  graphml.format = InputFormat::kGraphml;
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { ReadLabelledMatrix(File("networkx_directed.gml"), graphml); }, "malformed XML"));
}

void ExpectIgraphUndirected(const LabelledMatrix& m) {
  EXPECT_EQ(m.labels,
            (std::vector<std::string>{"A", "B", "C", "D"}));  // by name, not n0..n3 / 0..3
  EXPECT_DOUBLE_EQ(m.values(0, 1), 1.5);
  EXPECT_DOUBLE_EQ(m.values(1, 0), 1.5);
  EXPECT_TRUE(std::isnan(m.values(1, 2)));  // igraph leaves the NaN weight out: missing
  EXPECT_TRUE(std::isnan(m.values(2, 1)));
  EXPECT_DOUBLE_EQ(m.values(2, 3), 2.0);
  EXPECT_DOUBLE_EQ(m.values(0, 3), 0.0);
}

TEST(GraphFiles, PythonIgraphGraphmlAndGml) {
  ExpectIgraphUndirected(ReadLabelledMatrix(File("igraph_undirected.graphml"), {}));
  ExpectIgraphUndirected(ReadLabelledMatrix(File("igraph_undirected.gml"), {}));
}

void ExpectRIgraphDirected(const LabelledMatrix& m) {
  EXPECT_EQ(m.labels, (std::vector<std::string>{"W", "X", "Y", "Z"}));
  EXPECT_DOUBLE_EQ(m.values(1, 2), 1.0);
  EXPECT_DOUBLE_EQ(m.values(2, 1), 2.0);
  EXPECT_DOUBLE_EQ(m.values(2, 0), 3.5);
  EXPECT_DOUBLE_EQ(m.values(0, 2), 0.0);
  EXPECT_DOUBLE_EQ(m.values.row(3).sum() + m.values.col(3).sum(), 0.0);
}

TEST(GraphFiles, RIgraphGraphmlAndGml) {
  ExpectRIgraphDirected(ReadLabelledMatrix(File("r_igraph_directed.graphml"), {}));
  ExpectRIgraphDirected(ReadLabelledMatrix(File("r_igraph_directed.gml"), {}));
}

TEST(GraphFiles, GephiLabelsAndAnUndirectedEdgeInADirectedGraph) {
  const auto matrices = ReadLabelledMatrices(File("gephi.graphml"), {});
  ASSERT_EQ(matrices.size(), 1U);  // node keys (r, g, b, x, y, size) are not edge attributes
  const LabelledMatrix& m = matrices[0];
  EXPECT_EQ(m.labels, (std::vector<std::string>{"Brazil", "Chile", "Peru", "Bolivia"}));
  EXPECT_DOUBLE_EQ(m.values(0, 1), 3.0);
  EXPECT_DOUBLE_EQ(m.values(1, 0), 0.0);
  EXPECT_DOUBLE_EQ(m.values(1, 2), 1.25);
  EXPECT_DOUBLE_EQ(m.values(2, 0), 2.0);  // directed="false": both ways
  EXPECT_DOUBLE_EQ(m.values(0, 2), 2.0);
}

TEST(GraphFiles, CytoscapeNamesStrengthAndNoSuidOrBooleans) {
  const auto matrices = ReadLabelledMatrices(File("cytoscape.graphml"), {});
  ASSERT_EQ(matrices.size(), 1U);  // SUID (long) and selected (boolean) are not ties' values
  const LabelledMatrix& m = matrices[0];
  EXPECT_EQ(m.labels, (std::vector<std::string>{"GENE1", "GENE2", "GENE3"}));
  EXPECT_DOUBLE_EQ(m.values(0, 1), 0.8);
  EXPECT_DOUBLE_EQ(m.values(2, 1), 0.35);
  EXPECT_DOUBLE_EQ(m.values(1, 2), 0.0);
  GraphReadOptions options;
  options.attribute = "SUID";
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { Graphml(ReadWholeFile(File("cytoscape.graphml")), options); },
      "the numeric edge attributes are \"Strength\""));
}

TEST(GraphFiles, UnweightedEdgesAreOnesAndAbsentPairsFollowTheOption) {
  const std::string text = R"(<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <graph edgedefault="undirected">
    <node id="a"/><node id="b"/><node id="c"/>
    <edge source="a" target="b"/>
  </graph>
</graphml>
)";
  const auto zero = Graphml(text);
  ASSERT_EQ(zero.size(), 1U);
  EXPECT_EQ(zero[0].name, "");
  EXPECT_EQ(zero[0].labels, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_DOUBLE_EQ(zero[0].values(0, 1), 1.0);
  EXPECT_DOUBLE_EQ(zero[0].values(1, 0), 1.0);
  EXPECT_DOUBLE_EQ(zero[0].values(2, 0), 0.0);
  GraphReadOptions missing;
  missing.absent_edge = AbsentEdge::kMissing;
  const auto nan = Graphml(text, missing);
  EXPECT_DOUBLE_EQ(nan[0].values(0, 1), 1.0);
  EXPECT_TRUE(std::isnan(nan[0].values(2, 0)));
  EXPECT_TRUE(std::isnan(nan[0].values(2, 2)));
  const auto gml = Gml("graph [ node [ id 1 ] node [ id 2 ] edge [ source 1 target 2 ] ]");
  EXPECT_EQ(gml[0].labels, (std::vector<std::string>{"1", "2"}));
  EXPECT_DOUBLE_EQ(gml[0].values(1, 0), 1.0);  // no "directed": undirected
}

TEST(GraphFiles, KeyDefaultsAndLabelFallback) {
  // Duplicate labels: the ids label the nodes. A <default> fills edges without a value.
  const auto m = Graphml(R"(<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="l" for="node" attr.name="label" attr.type="string"/>
  <key id="w" for="edge" attr.name="w" attr.type="int"><default>7</default></key>
  <graph edgedefault="directed">
    <node id="a"><data key="l">same</data></node><node id="b"><data key="l">same</data></node>
    <edge source="a" target="b"/><edge source="b" target="a"><data key="w">2</data></edge>
  </graph>
</graphml>)");
  EXPECT_EQ(m[0].labels, (std::vector<std::string>{"a", "b"}));
  EXPECT_DOUBLE_EQ(m[0].values(0, 1), 7.0);
  EXPECT_DOUBLE_EQ(m[0].values(1, 0), 2.0);
}

TEST(GraphFiles, GmlStringsDecodeEntitiesAndCommentsAreSkipped) {
  const auto m =
      Gml("# a comment\nCreator \"me\"\ngraph [\n directed 1\n"
          " node [ id 0 label \"S&#227;o Paulo\" ]\n node [ id 1 label \"A &amp; B\" ]\n"
          " edge [ source 0 target 1 value 1e-3 ]\n]\n");
  EXPECT_EQ(m[0].labels, (std::vector<std::string>{"S\xC3\xA3o Paulo", "A & B"}));
  EXPECT_EQ(m[0].name, "value");
  EXPECT_DOUBLE_EQ(m[0].values(0, 1), 0.001);
  EXPECT_DOUBLE_EQ(m[0].values(1, 0), 0.0);
}

TEST(GraphFiles, ErrorsNameLinesAndColumns) {
  const std::string head = R"(<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="w" for="edge" attr.name="weight" attr.type="double"/>
  <graph edgedefault="undirected">
    <node id="a"/><node id="b"/>
)";
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { Graphml(head + "    <edge source=\"a\" target=\"z\"/>\n  </graph>\n</graphml>\n"); },
      "net.graphml:5:5: the edge's target \"z\" is not the id of a node in the graph"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] {
        Graphml(head +
                "    <edge source=\"a\" target=\"b\"/>\n    <edge source=\"b\" target=\"a\"/>\n"
                "  </graph>\n</graphml>\n");
      },
      "net.graphml:6:5: duplicate edge \"b\" -> \"a\" (lines 5 and 6)"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] {
        Graphml(head +
                "    <edge source=\"a\" target=\"b\">\n      <data key=\"w\">heavy</data>\n"
                "    </edge>\n  </graph>\n</graphml>\n");
      },
      "net.graphml:6:7: the edge's \"weight\" is \"heavy\", not a finite number"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { Graphml(head + "    <node id=\"a\"/>\n  </graph>\n</graphml>\n"); },
      "net.graphml:5:5: node id \"a\" is given twice (lines 4 and 5)"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>([&] { Graphml(head + "  </graph>\n"); },
                                                     "net.graphml:6:1: malformed XML"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] {
        Graphml("<?xml version=\"1.0\"?>\n<!DOCTYPE graphml [<!ENTITY a \"b\">]>\n<graphml/>");
      },
      "DOCTYPE"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { Graphml("<graphml><graph/><graph/></graphml>"); }, "a second <graph>"));
  EXPECT_TRUE(
      testing::ThrowsWithMessage<InputError>([&] { Graphml("<html/>"); }, "not a GraphML file"));
  GraphReadOptions small;
  small.max_nodes = 1;
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { Graphml(head + "  </graph>\n</graphml>\n", small); },
      "net.graphml:4:19: more than 1 nodes"));
}

TEST(GraphFiles, GmlErrorsNameLinesAndColumns) {
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [] { Gml("graph [\n  node [ id 0 ]\n  edge [ source 0 target 0\n]\n"); },
      "net.gml:1:7: the list opened here is not closed"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>([] { Gml("graph [ node [ id 0 ] ]\n]\n"); },
                                                     "net.gml:2:1: a \"]\" that closes no list"));
  EXPECT_TRUE(
      testing::ThrowsWithMessage<InputError>([] { Gml("graph [\n  node [ id 0 label \"A ]\n]\n"); },
                                             "net.gml:2:21: the string opened here is not closed"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [] { Gml("graph [ node [ id 0 ] node [ id 1 ]\n edge [ source 0 target 2 ] ]"); },
      "net.gml:2:2: the edge's target \"2\" is not the id of a node"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [] {
        Gml("graph [ directed 1 node [ id 0 ] node [ id 1 ]\n edge [ source 0 target 1 ]\n"
            " edge [ source 0 target 1 ] ]");
      },
      "net.gml:3:2: duplicate edge \"0\" -> \"1\" (lines 2 and 3)"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [] {
        Gml("graph [ node [ id 0 ] node [ id 1 ]\n edge [ source 0 target 1 weight 2 ]\n"
            " edge [ source 1 target 1 weight \"x\" ] ]");
      },
      "net.gml:3:34: the edge's \"weight\" is \"x\", not a finite number (other edges give "
      "numbers, as on line 2)"));
  std::string deep = "graph [ ";
  for (int k = 0; k < 40; ++k) deep += "a [ ";
  EXPECT_TRUE(
      testing::ThrowsWithMessage<InputError>([&] { Gml(deep); }, "lists nested more than 32 deep"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>([] { Gml("graph [ 12 ]"); },
                                                     "net.gml:1:9: expected a key"));
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>([] { Gml("graph [ node ]"); },
                                                     "net.gml:1:9: the key \"node\" has no value"));
  EXPECT_TRUE(
      testing::ThrowsWithMessage<InputError>([] { Gml("Version 1\n"); }, "no graph [ ... ]"));
}

TEST(GraphFiles, Detection) {
  for (const char* name : {"networkx_directed.graphml", "igraph_undirected.graphml",
                           "r_igraph_directed.graphml", "gephi.graphml", "cytoscape.graphml"}) {
    const std::string text = ReadWholeFile(File(name));
    EXPECT_TRUE(LooksLikeGraphml(text)) << name;
    EXPECT_FALSE(LooksLikeGml(text)) << name;
  }
  for (const char* name :
       {"networkx_directed.gml", "igraph_undirected.gml", "r_igraph_directed.gml"}) {
    const std::string text = ReadWholeFile(File(name));
    EXPECT_TRUE(LooksLikeGml(text)) << name;
    EXPECT_FALSE(LooksLikeGraphml(text)) << name;
  }
  EXPECT_FALSE(LooksLikeGraphml(",A,B\nA,0,1\nB,1,0\n"));
  EXPECT_FALSE(LooksLikeGml(",A,B\nA,0,1\nB,1,0\n"));
  EXPECT_FALSE(LooksLikeGml("from,to,weight\ngraph,[,1\n"));
  EXPECT_FALSE(LooksLikeGraphml("<?xml version=\"1.0\"?><gexf/>"));
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

// networkx declares one key per Python type of an attribute: weights 1.5 and
// 2 become keys "weight" (double) and "weight" (long). They are one matrix,
// not two with each other's cells missing.
TEST(GraphFiles, NetworkxKeysOfOneAttributeNameAreOneMatrix) {
  const std::string text =
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
      "  <key id=\"d1\" for=\"edge\" attr.name=\"weight\" attr.type=\"long\" />\n"
      "  <key id=\"d0\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\" />\n"
      "  <graph edgedefault=\"directed\">\n"
      "    <node id=\"A\" /> <node id=\"B\" /> <node id=\"C\" />\n"
      "    <edge source=\"A\" target=\"B\"><data key=\"d0\">1.5</data></edge>\n"
      "    <edge source=\"B\" target=\"C\"><data key=\"d1\">2</data></edge>\n"
      "  </graph>\n"
      "</graphml>\n";
  const std::vector<LabelledMatrix> m = ParseGraphml(text, "mixed.graphml", {});
  ASSERT_EQ(m.size(), 1U);
  EXPECT_EQ(m[0].name, "weight");
  EXPECT_DOUBLE_EQ(m[0].values(0, 1), 1.5);
  EXPECT_DOUBLE_EQ(m[0].values(1, 2), 2.0);
  EXPECT_DOUBLE_EQ(m[0].values(2, 0), 0.0);
}

}  // namespace
}  // namespace qap
