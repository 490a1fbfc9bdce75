// The study end to end (Liao & Han 2025, Tables 3 and 4; docs/study-method.md
// §4-§7): for each product and direction, build the matrices, run the QAP
// regression, and lay the standardized coefficients out as the paper does.
// A TOML manifest (read with toml++) says what to run.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "qap/core/regression.hpp"
#include "qap/trade/covariates.hpp"

namespace qap {

struct StudyManifest {
  std::string path;    // the manifest file
  std::string sha256;  // of its bytes, for provenance
  std::string name;
  std::string focal = "CHN";
  int year = 2023;
  std::vector<std::string> products;
  std::vector<TradeDirection> directions{TradeDirection::kExport, TradeDirection::kImport};

  // Data: raw files (the recipe of `qap covariates`) or ready matrices.
  struct RawData {
    std::string trade, wdi, gdp_fill, wgi, memberships, advanced, reference_dir;
  };
  std::optional<RawData> raw;
  // Ready matrices: a path pattern with {hs}, {direction} and {variable}
  // (REE/REI for the dependent matrix, TPR, PGDP, TD, ECI, WGI).
  std::string matrices;

  RegressionOptions regression;  // null, permutations, seed, p-value rule, statistic, dyads
  CovariateOptions
      covariates;  // partners, reconciliation, difference, log_gdp, td scope, drop_incomplete
  std::vector<std::string> variants;  // robustness variants to run besides the main one (R1..R4)
  std::vector<int> robustness_years;  // T
  GeometricZeros geometric_zeros = GeometricZeros::kExact;
  std::vector<std::string> formats;  // output formats

  // [[override]]: the [model] options of one product (and direction, variant).
  struct Override {
    std::string product;
    std::string direction;  // empty: both
    std::string variant;    // empty: every variant
    // [model] with the override's keys on top, except the seed: set only when
    // the override names one; otherwise the model's derived seed applies.
    RegressionOptions regression;
    CovariateOptions covariates;
  };
  std::vector<Override> overrides;
  [[nodiscard]] const Override* OverrideFor(const std::string& variant, const std::string& product,
                                            TradeDirection direction) const;
};

// What a manifest falls back on. The engine does not know where qap's data
// are installed: the caller (the CLI) finds out and passes it in.
struct ManifestDefaults {
  // Used when raw [data] names no reference_dir; empty: reference_dir is required.
  std::string reference_dir;
  // Appended to the error when reference_dir is needed and there is no default
  // (e.g. how to tell the CLI where its data are).
  std::string reference_dir_hint;
};

// Throws InputError naming the manifest line and column: unknown key, wrong
// type, missing file, a product that is not a six-digit HS code or is listed
// twice, an empty product, direction or year list, a direction or year listed
// twice, a year outside 1900..2100, permutations outside the range --perms
// allows (CheckPermutationCount), a variant that does not exist. Integers are
// range-checked as 64-bit values, never narrowed. Paths are relative to the
// manifest's folder.
StudyManifest ReadStudyManifest(const std::string& path, const ManifestDefaults& defaults = {});
// The same from text; `path` places relative paths and names the manifest.
StudyManifest ParseStudyManifest(std::string_view text, const std::string& path,
                                 const ManifestDefaults& defaults = {});

// Where the example manifest of `qap study init` points, each path as seen
// from the manifest's folder.
struct ExampleManifestPaths {
  std::string raw;        // folder of the bundled raw files; empty: placeholders the user must edit
  std::string matrices;   // folder of the bundled ready matrices; empty: a placeholder (commented
                          // out anyway)
  std::string reference;  // the reference folder; empty: left out (the default data folder applies)
};
// A commented example manifest (`qap study init`).
std::string ExampleStudyManifest(const ExampleManifestPaths& paths);

struct StudyModel {
  std::string variant;  // "main", "R1".."R4"
  std::string product;
  TradeDirection direction = TradeDirection::kExport;
  std::uint64_t seed = 0;
  std::optional<RegressionResult> result;
  std::string failure;  // why the model could not be estimated
  std::vector<DroppedPartner> dropped;
  // Partners whose import-model TD numerator is the other report (CovariateResult::td_fallbacks).
  std::vector<TradeIntensityFallback> td_fallbacks;
  // Each built matrix's name and formula (raw data only; CovariateResult::definitions).
  std::vector<std::pair<std::string, std::string>> definitions;
};

struct StudyResult {
  StudyManifest manifest;
  std::vector<StudyModel> models;
  // The text of each distinct DATA_NOTE file found beside the inputs (the
  // bundled synthetic fixtures carry one saying so); empty for data without one.
  std::vector<std::string> data_notes;
  // How each raw file was read (manifests with [data] raw files): layouts,
  // encodings, aggregates left out, economies that could not be resolved.
  std::optional<TradeReadReport> trade_read;
  std::vector<AttributeReadReport> attribute_reads;  // WDI, the GDP fill file (if any), WGI
  int threads = 1;  // as run; recorded for provenance, it changes no number
  [[nodiscard]] bool any_failed() const;
};

// Settings of a run. What the run reports as it goes is a separate parameter
// of RunStudy, not a setting.
struct StudyRunOptions {
  int threads = 0;
  // Called with each model's matrices as built, before its regression (for
  // checks on the matrices themselves, e.g. in the tests).
  std::function<void(const StudyModel& model, const LabelledMatrix& y,
                     const std::vector<LabelledMatrix>& x)>
      matrices;
};

// Called after each model with (models done, models in the study).
using StudyProgress = std::function<void(std::size_t models_done, std::size_t models_total)>;

// Throws OptionsError for a study that cannot run, its message spelled for the
// manifest (an option is named by its manifest key, never by a command-line
// flag: qap/study/option_names.hpp). A model that fails (ModelError,
// DataError) is recorded in its StudyModel::failure, spelled the same way.
StudyResult RunStudy(const StudyManifest& manifest, const StudyRunOptions& options,
                     const StudyProgress& progress = {});

}  // namespace qap
