// What `convert` decides from names: the format an output file's extension
// asks for, and the file a named matrix is written to inside a folder.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "qap/core/enum_names.hpp"

namespace qap {

// The formats `convert` writes; the names are its --to words.
enum class ConversionTarget { kCsv, kTsv, kUcinetDl, kPajek };
inline constexpr EnumName<ConversionTarget> kConversionTargetNames[] = {
    {ConversionTarget::kCsv, "csv", "comma-separated labelled matrix"},
    {ConversionTarget::kTsv, "tsv", "tab-separated labelled matrix"},
    {ConversionTarget::kUcinetDl, "dl", "UCINET DL fullmatrix"},
    {ConversionTarget::kPajek, "pajek", "Pajek .net, one arc per non-zero off-diagonal cell"},
};
constexpr std::span<const EnumName<ConversionTarget>> EnumTable(ConversionTarget) {
  return kConversionTargetNames;
}

// .csv: kCsv; .tsv: kTsv; .dl: kUcinetDl; .net: kPajek; anything else: nullopt.
std::optional<ConversionTarget> ConversionTargetFromExtension(const std::string& path);

// "<name>.csv" for a matrix written into a folder. A matrix name is not a
// path: ':', '/' and '\' become '_' (a '/' would reach into missing
// subfolders), and a name that is empty or starts with '.' gets a leading '_'
// (no hidden files, no "..").
std::string MatrixFileName(const std::string& matrix_name);

}  // namespace qap
