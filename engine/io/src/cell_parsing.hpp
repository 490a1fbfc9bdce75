// Cells and labels of text tables, parsed one way for every reader of
// matrices and dyadic tables (private to qap_io).
#pragma once

#include <string>

#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"

namespace qap::detail {

inline SourcePosition PositionOf(const std::string& file, const CsvField& field,
                                 std::size_t field_number) {
  return {file, field.line, field.column, field_number};
}

// Blank and NA are missing (NaN); NaN and infinities are refused because they
// are almost always the residue of a failed computation upstream. `where`
// describes the cell for the message.
double ParseCell(const CsvField& field, const std::string& file, std::size_t field_number,
                 const std::string& where);

// The common case, a plain finite number with nothing around it, without
// building an error context; anything else goes to ParseCell.
bool ParseFastNumber(const std::string& text, double& value);

std::string Quoted(const std::string& label);

// Refuses an empty label or one that is not valid UTF-8; `what` is "row",
// "column" or "node".
void CheckLabel(const std::string& label, const std::string& file, const CsvField& field,
                std::size_t field_number, const char* what);

}  // namespace qap::detail
