// The names of the files `study run` writes into its output folder, decided
// in one place so every front end writes the same set: Table 3 and each
// robustness variant's Table 4 with its comparison, per format, and the
// comparison with the printed tables.
#pragma once

#include <string>
#include <vector>

namespace qap {

// "txt", "csv", "md", "tex" or "json" for text, csv, markdown, latex, json;
// throws OptionsError for any other format.
std::string StudyFormatExtension(const std::string& format);

struct StudyOutputFile {
  enum class Kind {
    kTable,                 // RenderStudyTable(result, variant, format)
    kRobustnessComparison,  // RenderRobustnessComparison(result, variant, format)
  };
  Kind kind = Kind::kTable;
  std::string variant;  // "main" (Table 3) or a robustness variant (Table 4)
  std::string format;
  std::string path;  // inside the output folder
};

struct StudyOutputNames {
  // "main", then the manifest's robustness variants in its order.
  std::vector<std::string> variants;
  // For every variant, every format: its table, then (not for main) its
  // comparison with the main models. The order files are declared and added.
  std::vector<StudyOutputFile> tables;
  // The comparison with the printed tables: the variant Table 4 is compared
  // with (the one asked for when the manifest runs it, else main), the format
  // (the first format when markdown or csv, else text) and the file.
  std::string printed_variant;
  std::string printed_format;
  std::string printed_path;
};

// `formats` must not be empty; `output_dir` may be (the paths are then bare
// file names).
StudyOutputNames NameStudyOutputs(const std::vector<std::string>& manifest_variants,
                                  const std::vector<std::string>& formats,
                                  const std::string& output_dir, const std::string& table4_variant);

}  // namespace qap
