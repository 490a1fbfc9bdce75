#include "qap/study/output_names.hpp"

#include <algorithm>
#include <filesystem>

#include "qap/core/errors.hpp"

namespace qap {

std::string StudyFormatExtension(const std::string& format) {
  if (format == "text") return "txt";
  if (format == "csv") return "csv";
  if (format == "markdown") return "md";
  if (format == "latex") return "tex";
  if (format == "json") return "json";
  throw OptionsError("study output: unknown format \"" + format + "\"");
}

StudyOutputNames NameStudyOutputs(const std::vector<std::string>& manifest_variants,
                                  const std::vector<std::string>& formats,
                                  const std::string& output_dir,
                                  const std::string& table4_variant) {
  if (formats.empty()) throw OptionsError("study output: no format");
  namespace fs = std::filesystem;
  auto path = [&](const std::string& stem, const std::string& format) {
    return (fs::path(output_dir) / (stem + "." + StudyFormatExtension(format))).string();
  };
  StudyOutputNames names;
  names.variants.emplace_back("main");
  for (const std::string& v : manifest_variants) names.variants.push_back(v);
  for (const std::string& variant : names.variants) {
    for (const std::string& format : formats) {
      const bool main = variant == "main";
      names.tables.push_back({StudyOutputFile::Kind::kTable, variant, format,
                              path(main ? "table3" : "table4-" + variant, format)});
      if (!main) {
        names.tables.push_back({StudyOutputFile::Kind::kRobustnessComparison, variant, format,
                                path("compare-" + variant, format)});
      }
    }
  }
  names.printed_variant = std::find(names.variants.begin(), names.variants.end(), table4_variant) !=
                                  names.variants.end()
                              ? table4_variant
                              : "main";
  names.printed_format =
      formats.front() == "markdown" || formats.front() == "csv" ? formats.front() : "text";
  names.printed_path = path("compare-printed", names.printed_format);
  return names;
}

}  // namespace qap
