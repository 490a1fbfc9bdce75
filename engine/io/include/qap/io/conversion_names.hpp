// What `convert` decides from names: the format an output file's extension
// asks for, and the file a named matrix is written to inside a folder.
#pragma once

#include <optional>
#include <string>

namespace qap {

enum class ConversionTarget { kCsv, kUcinetDl, kPajek };

// .csv and .tsv: kCsv; .dl: kUcinetDl; .net: kPajek; anything else: nullopt.
std::optional<ConversionTarget> ConversionTargetFromExtension(const std::string& path);

// "<name>.csv" for a matrix written into a folder. A matrix name is not a
// path: ':', '/' and '\' become '_' (a '/' would reach into missing
// subfolders), and a name that is empty or starts with '.' gets a leading '_'
// (no hidden files, no "..").
std::string MatrixFileName(const std::string& matrix_name);

}  // namespace qap
