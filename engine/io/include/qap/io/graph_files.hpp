// GraphML and GML: reading the graph files igraph (Python and R), networkx,
// Gephi and Cytoscape write (issue 13) into labelled matrices.
//
// GraphML (graphml.graphdrawing.org): <key id= for= attr.name= attr.type=>
// declarations, then <graph edgedefault=> with <node id=> and
// <edge source= target= [directed=]> elements carrying <data key=> values.
// GML (Himsolt, "GML: A portable Graph File Format"): key-value pairs and
// bracketed lists, `graph [ directed 1 node [ id 0 label "A" ] edge [ source
// 0 target 1 weight 2.5 ] ]`.
//
// The rules, the same for both formats:
//  * Nodes are labelled by their `label` attribute when every node has a
//    distinct non-empty one, else by their `name` (igraph writes `name`) on
//    the same condition, else by their id. Rows follow the file's node order.
//  * Each numeric edge attribute (GraphML attr.type int, long, float or
//    double; GML: an attribute some edge gives as a number) becomes one
//    matrix named by the attribute, in the order the file declares (GraphML)
//    or first uses (GML) them. String, boolean and list attributes are
//    ignored, and so is Cytoscape's `SUID` (an object identifier, not a
//    tie's value); GML's edge `id` and networkx's multigraph `key` are not
//    attributes. With no numeric edge attribute, one matrix holding 1 for
//    each edge (unnamed: the file stem names it).
//  * `attribute` set: only that matrix. An unknown or non-numeric name is an
//    InputError listing the numeric edge attributes present.
//  * An undirected graph (GraphML edgedefault="undirected", GML `directed 0`
//    or no `directed`) fills (i, j) and (j, i); a directed one (i, j) only. A
//    GraphML edge's own `directed="true|false"` overrides the default.
//  * A pair without an edge is 0 or missing (`absent_edge`), the diagonal
//    included; a self-loop sets its diagonal cell.
//  * An edge without a value for an attribute is missing (NaN) in that
//    attribute's matrix, unless GraphML declares a <default> for the key.
//    "NaN", "NA" and an empty value are missing too (igraph writes NaN);
//    any other value that is not a finite number is an InputError with its
//    line.
//  * A second edge for an ordered pair (a multigraph; for an undirected edge,
//    either direction) is refused naming both lines, as are two nodes with
//    one id. An edge naming an unknown node is an InputError with its line.
//  * At most `max_nodes` nodes (a dense matrix of kMaxDenseNodes is 3.2 GB).
// Errors carry the line and column (GraphML: where the element starts).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qap/core/labelled_matrix.hpp"
#include "qap/io/matrix_io.hpp"

namespace qap {

struct GraphReadOptions {
  std::optional<std::string> attribute;  // only this numeric edge attribute
  AbsentEdge absent_edge = AbsentEdge::kZero;
  std::size_t max_nodes = kMaxDenseNodes;
};

// One graph per file (a second <graph> or `graph [` is refused). DTDs are
// refused in GraphML (entity expansion), as for workbooks.
std::vector<LabelledMatrix> ParseGraphml(std::string_view text, const std::string& source,
                                         const GraphReadOptions& options);
// Lists nest at most 32 deep; unbalanced brackets and unterminated strings
// are InputErrors with line and column. Strings decode &amp; &quot; &lt; &gt;
// and &#N; / &#xH; (networkx escapes non-ASCII so) to UTF-8.
std::vector<LabelledMatrix> ParseGml(std::string_view text, const std::string& source,
                                     const GraphReadOptions& options);

// True when the text is XML whose first element is <graphml> (within the
// first 4 KiB), or GML: `graph [` after optional comment lines and top-level
// pairs such as igraph's `Creator "..."` and `Version 1`.
bool LooksLikeGraphml(std::string_view text);
bool LooksLikeGml(std::string_view text);

}  // namespace qap
