// `qap study run` and `qap study init`.
#include "qap/study/study.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common_options.hpp"
#include "data_folder.hpp"
#include "progress.hpp"
#include "qap/core/errors.hpp"
#include "qap/io/output_transaction.hpp"
#include "qap/render/plot.hpp"
#include "qap/render/study_report.hpp"
#include "qap/study/output_names.hpp"

namespace qap::cli {

std::function<void()> AddStudyCommand(CLI::App& app) {
  static constexpr const char* kPrintedDefault = "<data>/paper/tables34_as_printed.csv";
  auto* study =
      app.add_subcommand("study", "Run the rare-earth study (Tables 3 and 4) from a TOML manifest");
  study->require_subcommand(1);
  auto* run =
      study->add_subcommand("run", "Run every model of a study manifest and write its tables");
  auto* init = study->add_subcommand("init", "Write a commented example manifest");
  struct Settings {
    std::string manifest;
    std::vector<std::string> formats;
    std::string output_dir;
    int threads = 0;
    bool quiet = false;
    std::string init_path;
    std::optional<std::string> compare_printed;
    std::string table4_variant = "R2";
    std::string plot;
    bool force = false;
  };
  auto s = std::make_shared<Settings>();
  run->add_option("manifest", s->manifest, "The study manifest (TOML)")
      ->type_name("FILE")
      ->required();
  run->add_option("--format", s->formats,
                  "text, csv, markdown, latex or json (default: the manifest's [output] formats)")
      ->check(CLI::IsMember({"text", "csv", "markdown", "latex", "json"}));
  run->add_option("--output", s->output_dir,
                  "Existing folder for table3.* files (default: the first format on stdout)")
      ->type_name("DIR");
  run->add_option("--threads", s->threads,
                  "Threads (0: OMP_NUM_THREADS if set, else all cores; results never depend on it)")
      ->check(CLI::Range(0, 1024));
  run->add_flag("-q,--quiet", s->quiet, "No progress line");
  run->add_option(
         "--compare-printed", s->compare_printed,
         std::string(
             "Set the tables beside the printed ones and flag impossible cells (default file: "
             "<data>/paper/tables34_as_printed.csv; ") +
             kDataFolderHelp + ")")
      ->expected(0, 1)
      ->default_str(kPrintedDefault);
  run->add_option("--plot", s->plot,
                  "Also write a forest plot of Table 3's standardized coefficients (SVG)")
      ->type_name("FILE.svg");
  run->add_option(
         "--table4-variant", s->table4_variant,
         EnumOptionHelp<RobustnessVariant>("Which robustness variant Table 4 is compared with"))
      ->check(CLI::IsMember(EnumWords<RobustnessVariant>()));
  init->add_option("file", s->init_path, "Where to write it (default: standard output)")
      ->type_name("FILE");
  init->add_flag("--force", s->force, "Replace FILE if it exists");
  study->footer("Example:\n  qap study run fixtures/study/rare-earth-2023.toml --format markdown");
  return [s, run, init] {
    if (init->parsed()) {
      namespace fs = std::filesystem;
      OutputTransaction out;
      if (!s->init_path.empty()) {
        out.Declare(s->init_path, "study init");
        std::error_code ec;
        if (fs::exists(s->init_path, ec) && !s->force) {
          throw OutputError("study init " + s->init_path +
                            ": the file exists; give --force to replace it");
        }
      }
      // Paths point at qap's data from where the manifest will live (the
      // current folder when printed). The example raw files and matrices are
      // only in a source tree; elsewhere the manifest gets placeholders.
      const DataFolder& data = Data();
      if (data.variable_is_wrong) throw OptionsError("study init: " + data.problem);
      const fs::path folder =
          s->init_path.empty() ? fs::current_path() : fs::absolute(s->init_path).parent_path();
      auto from_manifest = [&](const fs::path& target) {
        std::error_code ec;
        const fs::path relative = fs::relative(target, folder, ec);
        const std::string text = (ec || relative.empty() ? target : relative).generic_string();
        return text.empty() ? std::string(".") : text;
      };
      ExampleManifestPaths paths;
      if (!data.root.empty()) {
        std::error_code ec;
        paths.reference = from_manifest(data.root / "reference");
        if (fs::is_regular_file(data.root / "raw-2013-2023" / "comtrade_rare_earths_2013_2023.csv",
                                ec)) {
          paths.raw = from_manifest(data.root / "raw-2013-2023");
        }
        if (fs::is_directory(data.root / "rare-earth-2023", ec))
          paths.matrices = from_manifest(data.root / "rare-earth-2023");
      }
      const std::string manifest = ExampleStudyManifest(paths);
      if (s->init_path.empty()) {
        WriteStdout(manifest);
      } else {
        out.Add(s->init_path, manifest);
        out.Commit();
      }
      if (paths.raw.empty()) {
        std::fprintf(
            stderr, "qap: the example data are not here (%s): edit the EDIT-ME paths of [data]%s\n",
            data.root.empty() ? data.problem.c_str() : "they come only with a source tree",
            paths.reference.empty() ? " and set reference_dir or QAP_DATA_DIR" : "");
      }
      return;
    }
    (void)run;
    namespace fs = std::filesystem;
    OutputTransaction out;
    if (!s->output_dir.empty()) out.DeclareFolder(s->output_dir, "--output " + s->output_dir);
    if (!s->plot.empty()) out.Declare(s->plot, "--plot");
    // Found before the models run, so a missing data folder stops nothing half done.
    std::string printed;
    if (s->compare_printed) {
      // CLI11 hands a bare --compare-printed its default_str, the symbolic name.
      printed = s->compare_printed->empty() || *s->compare_printed == kPrintedDefault
                    ? PrintedTablesFile("--compare-printed FILE")
                    : *s->compare_printed;
      std::error_code ec;
      if (!fs::is_regular_file(printed, ec)) {
        throw InputError({printed, 0, 0, 0},
                         "--compare-printed: the file does not exist or is not a regular file");
      }
    }
    ManifestDefaults defaults;
    if (!Data().root.empty()) {
      defaults.reference_dir = (Data().root / "reference").string();
    } else {
      defaults.reference_dir_hint =
          Data().problem +
          "; set reference_dir in [data], or QAP_DATA_DIR to a folder holding "
          "reference/ and paper/";
    }
    const StudyManifest manifest = ReadStudyManifest(s->manifest, defaults);
    const std::vector<std::string> formats = s->formats.empty() ? manifest.formats : s->formats;
    const StudyOutputNames names =
        NameStudyOutputs(manifest.variants, formats, s->output_dir, s->table4_variant);
    if (!s->output_dir.empty()) {
      for (const StudyOutputFile& file : names.tables) {
        out.Declare(file.path, "--output");
        if (file.format == "csv") out.Declare(CsvMetaPath(file.path), "--output");
      }
      if (s->compare_printed) out.Declare(names.printed_path, "--output");
      if (s->compare_printed && names.printed_format == "csv")
        out.Declare(CsvMetaPath(names.printed_path), "--output");
    }
    out.RefuseInput(s->manifest, "manifest");
    out.RefuseInput(printed, "--compare-printed");
    StudyRunOptions options;
    options.threads = s->threads;
    const StudyResult result = RunStudy(
        manifest, options,
        MakeProgressPrinter(s->quiet, "study", "models",
                            static_cast<double>(manifest.regression.permutation.permutations),
                            "permutations"));
    FinishProgress();
    // Everything is rendered (and the printed tables read) before anything is
    // written, so a late failure leaves no partial set.
    std::string printed_comparison;
    std::string printed_meta;  // its CSV's sidecar
    if (s->compare_printed) {
      printed_comparison = RenderPrintedComparison(result, printed, names.printed_variant,
                                                   names.printed_format, &printed_meta);
    }
    if (s->output_dir.empty()) {
      std::string tables;
      for (const std::string& variant : names.variants) {
        std::string table = RenderStudyTable(result, variant, formats.front());
        if (variant != "main") {
          table =
              "\n" + table + "\n" + RenderRobustnessComparison(result, variant, formats.front());
        }
        tables += table;
      }
      WriteStdout(tables + printed_comparison);
    } else {
      for (const StudyOutputFile& file : names.tables) {
        std::string meta;
        out.Add(file.path,
                file.kind == StudyOutputFile::Kind::kTable
                    ? RenderStudyTable(result, file.variant, file.format, &meta)
                    : RenderRobustnessComparison(result, file.variant, file.format, &meta));
        if (file.format == "csv") out.Add(CsvMetaPath(file.path), meta);
      }
      if (s->compare_printed) out.Add(names.printed_path, printed_comparison);
      if (s->compare_printed && names.printed_format == "csv")
        out.Add(CsvMetaPath(names.printed_path), printed_meta);
    }
    if (!s->plot.empty()) out.Add(s->plot, RenderStudyForestSvg(result, "main"));
    out.Commit();
    if (result.any_failed()) {
      std::size_t failed = 0;
      for (const StudyModel& m : result.models) failed += m.result ? 0U : 1U;
      throw ModelError(std::to_string(failed) + " of " + std::to_string(result.models.size()) +
                       " models could not be estimated (see the tables); the others were written");
    }
  };
}

}  // namespace qap::cli
