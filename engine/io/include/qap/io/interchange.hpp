// UCINET DL and Pajek .net: reading and writing the formats UCINET and Pajek
// users already have (issue 6), so data move both ways.
//
// UCINET DL (Borgatti, Everett & Freeman, UCINET 6 documentation, "DL files"):
//   dl n=3 [nm=2] format=fullmatrix|edgelist1|nodelist1
//   labels: A,B,C          (or "row labels:"/"column labels:", or "labels embedded")
//   matrix labels: TRADE,AID
//   data:
//   0 1 2 ...              (fullmatrix: n rows of n values per matrix)
//   A B 1.5                (edgelist1: sender receiver [value]; value 1 when absent)
//   A B C                  (nodelist1: A has ties to B and C)
// Keywords are case-insensitive; separators are blanks or commas. Pairs not
// listed in an edge or node list are 0.
//
// Pajek .net (Batagelj & Mrvar, Pajek manual): *Vertices n, then "i "label"",
// then *Arcs (directed) and/or *Edges (both directions) lines "i j [w]".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "qap/core/labelled_matrix.hpp"

namespace qap {

// Every matrix of a DL file (one, or nm of them), named by the matrix labels
// when given. Throws InputError with the line. Duplicate labels and duplicate
// edges are refused naming both lines.
//
// `max_nodes`: DL edge lists and Pajek files are sparse, so a few bytes can
// ask for a dense n x n matrix of up to kMaxDenseNodes (3.2 GB); callers with
// a smaller memory budget (the fuzzers) pass a lower cap.
std::vector<LabelledMatrix> ParseUcinetDl(std::string_view text, const std::string& source,
                                          std::size_t max_nodes = kMaxDenseNodes);
// fullmatrix format with labels; several matrices (same labels) become nm=K.
std::string FormatUcinetDl(const std::vector<LabelledMatrix>& matrices);

// A labelled square matrix tab-separated, the twin of FormatLabelledMatrixCsv
// (missing cells NA, shortest round-trip numbers). A label holding a tab, a
// quote, a line break, a comma or a semicolon is quoted (quotes doubled), so
// the readers' delimiter detection still finds the tabs.
std::string FormatLabelledMatrixTsv(const LabelledMatrix& matrix);

// Duplicate vertices, labels, arcs and edges are refused naming both lines.
LabelledMatrix ParsePajek(std::string_view text, const std::string& source,
                          std::size_t max_nodes = kMaxDenseNodes);
// *Arcs for every non-zero off-diagonal cell; the diagonal is left out.
// Pajek has no place for a missing cell (an absent arc reads back as 0), so a
// matrix with a missing off-diagonal cell is refused (DataError naming how
// many and the first few by row and column label).
std::string FormatPajek(const LabelledMatrix& matrix);

// True when the text starts like a DL file ("dl" keyword) or a Pajek file ("*Vertices").
bool LooksLikeUcinetDl(std::string_view text);
bool LooksLikePajek(std::string_view text);

}  // namespace qap
