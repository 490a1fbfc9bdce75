// Flag groups and output plumbing the `qap` subcommands share: the input,
// dyad, permutation and output options of the matrix commands, their mapping
// onto the engine's options, and writing results to standard output or the
// output transaction.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qap/core/alignment.hpp"
#include "qap/core/dyads.hpp"
#include "qap/core/enum_names.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/labelled_matrix.hpp"
#include "qap/core/permutation.hpp"
#include "qap/core/permutation_test.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/io/output_transaction.hpp"
#include "qap/render/report.hpp"

namespace qap::cli {

// Options every matrix command shares: how inputs are read and aligned, how
// permutations are drawn, and where results go.
struct CommonSettings {
  std::string delimiter;
  std::string input_format = "auto";
  std::string absent_edge;  // empty: zero for an edge list read whole, missing for a table's column
  std::string labels = "names";
  std::vector<std::string> where;
  std::string data;  // a long table whose columns the model's variables name
  std::string align = "exact";
  bool undirected = false;
  bool diagonal = false;
  std::size_t permutations = 5000;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  std::string pvalue = "plus-one";
  std::string format = "text";
  std::string output;
  std::string save_permutations;
  std::string permutation_file;
  bool quiet = false;
};

// The whole of `text` as an unsigned 64-bit number: digits only, no sign, no
// wrapping past 2^64 - 1 (CLI11 alone would clamp 2^64 to 2^64 - 1).
std::optional<std::uint64_t> WholeNumber(const std::string& text);

// The table entries of E a command offers: all, or those in `only`, in the
// table's order.
template <NamedEnum E>
std::vector<EnumName<E>> EnumSubset(std::initializer_list<E> only) {
  std::vector<EnumName<E>> out;
  for (const EnumName<E>& entry : EnumNames<E>()) {
    bool wanted = only.size() == 0;
    for (const E value : only) wanted = wanted || value == entry.value;
    if (wanted) out.push_back(entry);
  }
  return out;
}

// The words an enum option accepts: its engine table (qap/core/enum_names.hpp),
// so the command line, a manifest and the reports use one spelling. `only`
// narrows a command to the values it supports.
template <NamedEnum E>
std::vector<std::string> EnumWords(std::initializer_list<E> only = {}) {
  std::vector<std::string> words;
  for (const EnumName<E>& entry : EnumSubset(only)) words.emplace_back(entry.name);
  return words;
}

// An enum option's help: `lead`, then each word with its help line from the
// engine's table (narrowed as EnumWords).
template <NamedEnum E>
std::string EnumOptionHelp(const std::string& lead, std::initializer_list<E> only = {}) {
  std::string out = lead;
  for (const EnumName<E>& entry : EnumSubset(only)) {
    out += "\n  " + std::string(entry.name) + ": " + std::string(entry.help);
  }
  return out;
}

// The value of a word CLI11 has already checked against EnumWords<E>().
template <NamedEnum E>
E EnumFromWord(const std::string& word) {
  const std::optional<E> value = ParseEnum<E>(word);
  if (!value) throw std::logic_error("option word \"" + word + "\" passed CLI11's check");
  return *value;
}

void AddCommonOptions(CLI::App& command, CommonSettings& s);

// Throws OptionsError naming --delim for a delimiter that is not one character.
ReadOptions ToReadOptions(const CommonSettings& s);

// The matrices named by `names`: files (or FILE:COLUMN), or, with --data,
// columns of that one table, read once so they share its node set.
std::vector<LabelledMatrix> ReadModelMatrices(const CommonSettings& s,
                                              const std::vector<std::string>& names);

// The readers' notes, one line each: "name: note", or "name, name: note"
// once for a note several matrices share (the columns of one --data table).
std::vector<std::string> InputNotes(const std::vector<LabelledMatrix*>& matrices);

// Refuses an output that would overwrite a matrix input (a FILE:COLUMN's file).
void RefuseMatrixInputs(OutputTransaction& out, const CommonSettings& s,
                        const std::vector<std::string>& names, const std::string& role);
PermutationOptions ToPermutationOptions(const CommonSettings& s);
DyadOptions ToDyadOptions(const CommonSettings& s);
AlignMode ToAlignMode(const CommonSettings& s);
OutputFormat ToOutputFormat(const std::string& format);

// What the run is given beside its settings: the --permutations list (read
// once, then shared with the plan and the result) and the progress line.
// `out` has the outputs declared: a permutation file that could not be read
// back, or that its folder has no room for, is refused before computing.
PermutationInputs ToPermutationInputs(const CommonSettings& s, std::uint32_t nodes,
                                      const std::string& label, OutputTransaction& out);

// Standard output is checked like a file: a short write, a full disk or a
// closed descriptor is an output error (exit 6), not a silent success.
void WriteStdout(std::string_view text);

// Declares the outputs every command shares (before any computation).
void DeclareCommonOutputs(OutputTransaction& out, const CommonSettings& s);

// The sidecar FILE.meta.json of a CSV written to `output` (CsvMetaPath), or
// empty: not CSV, standard output, or a destination that is not a regular
// file (a FIFO or device, /dev/stdout), whose folder gets no sidecar.
std::string CsvSidecarPath(const std::string& output, const std::string& format);

// Writes the rendered result (standard output first: if it fails, no file is
// written either) and, with --save-permutations, the plan the run used (null
// when it drew none), then commits.
// `meta`: the CSV's sidecar, written when CsvSidecarPath names one.
void Emit(const CommonSettings& s, const std::string& rendered, const PermutationPlan* plan,
          const std::vector<std::string>& node_order, const std::string& provenance,
          OutputTransaction& out, const std::string& meta = {});

// Names `matrix` names[index] when given and not empty (--x-names, --names).
void ApplyName(LabelledMatrix& matrix, const std::vector<std::string>& names, std::size_t index);

}  // namespace qap::cli
