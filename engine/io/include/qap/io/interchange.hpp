// UCINET DL and Pajek .net: reading and writing the formats UCINET and Pajek
// users already have (issue 6), so data move both ways.
//
// UCINET DL (Borgatti, Everett & Freeman, UCINET 6 documentation, "DL files"):
//   dl n=3 [nm=2] format=fullmatrix|lowerhalf|upperhalf|edgelist1|nodelist1
//      [diagonal=present|absent]
//   labels: A,B,C          (or "row labels:"/"column labels:", or "labels embedded")
//   matrix labels: TRADE,AID
//   data:
//   0 1 2 ...              (fullmatrix: n rows of n values per matrix)
//   A B 1.5                (edgelist1: sender receiver [value]; value 1 when absent)
//   A B C                  (nodelist1: A has ties to B and C)
// Keywords are case-insensitive; separators are blanks or commas. Pairs not
// listed in an edge or node list are 0.
//
// "nr = 3, nc = 3" (rows and columns given apart) is n = 3; nr != nc is a
// rectangular (two-mode) matrix and refused: QAP needs square matrices.
// lowerhalf/upperhalf hold one triangle of a symmetric matrix, one row per
// line: row i of lowerhalf is columns 1..i, of upperhalf columns i..n; the
// other half is the mirror image. `diagonal = absent` (fullmatrix too) leaves
// the diagonal out of every row: lowerhalf row i is columns 1..i-1, so row 1
// is empty and takes no line (likewise upperhalf's last row). An absent
// diagonal reads as 0, not missing, as UCINET imports it (UCINET 6 user's
// guide, "Diagonal absent") and as other DL readers do (snafun's
// read_ucinet). QAP leaves the diagonal out of every statistic unless
// --diagonal is given, so without it 0 and missing give the same results;
// 0 also keeps the matrix writable to Pajek. A row with too few or too many
// values, or too few or too many rows, is refused naming the line.
//
// Pajek .net (Batagelj & Mrvar, Pajek manual): *Vertices n, then "i "label"",
// then *Arcs (directed) and/or *Edges (both directions) lines "i j [w]".
// A "*Network name" line before *Vertices (Pajek's own files) is skipped; a
// second one (a .paj project of several networks) is refused. Lines starting
// with % are comments, anywhere. What networkx write_pajek writes (lower-case
// sections, "0.0 0.0 ellipse" after each label) and what igraph writes (no
// labels unless the vertices have an "id" attribute: then 1..n) read too
// (tests/data/pajek/).
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

// True when the text starts like a DL file ("dl" keyword) or a Pajek file
// ("*Vertices", after blank lines, % comments and one "*Network name" line).
bool LooksLikeUcinetDl(std::string_view text);
bool LooksLikePajek(std::string_view text);

}  // namespace qap
