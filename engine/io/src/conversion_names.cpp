#include "qap/io/conversion_names.hpp"

#include <filesystem>

namespace qap {

std::optional<ConversionTarget> ConversionTargetFromExtension(const std::string& path) {
  const std::string extension = std::filesystem::path(path).extension().string();
  if (extension == ".dl") return ConversionTarget::kUcinetDl;
  if (extension == ".net") return ConversionTarget::kPajek;
  if (extension == ".csv") return ConversionTarget::kCsv;
  if (extension == ".tsv") return ConversionTarget::kTsv;
  return std::nullopt;
}

std::string MatrixFileName(const std::string& matrix_name) {
  std::string name = matrix_name;
  for (char& c : name) {
    if (c == ':' || c == '/' || c == '\\') c = '_';
  }
  if (name.empty() || name.front() == '.') name = "_" + name;
  return name + ".csv";
}

}  // namespace qap
