#include "qap/study/study.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "qap/core/alignment.hpp"
#include "qap/core/enum_names.hpp"
#include "qap/core/errors.hpp"
#include "qap/io/csv_tokenizer.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/io/sha256.hpp"
#include "qap/study/option_names.hpp"
#include "qap/trade/covariate_loading.hpp"

namespace qap {

namespace {

namespace fs = std::filesystem;

// The years a manifest may name ([study] year, [robustness] years).
constexpr std::int64_t kFirstYear = 1900;
constexpr std::int64_t kLastYear = 2100;

SourcePosition PositionOf(const std::string& file, const toml::source_region& region) {
  return {file, static_cast<std::size_t>(region.begin.line),
          static_cast<std::size_t>(region.begin.column), 0};
}

// Reads one manifest table, refusing keys it does not know.
class Section {
 public:
  Section(const std::string& file, const toml::table* table, std::string name,
          const std::set<std::string>& allowed)
      : file_(file), table_(table), name_(std::move(name)) {
    if (table_ == nullptr) return;
    for (const auto& [key, node] : *table_) {
      if (!allowed.contains(std::string(key.str()))) {
        throw InputError(PositionOf(file_, key.source()),
                         "unknown key \"" + std::string(key.str()) + "\" in [" + name_ + "]");
      }
    }
  }

  template <typename T>
  std::optional<T> Get(const std::string& key, const char* type) const {
    if (table_ == nullptr) return std::nullopt;
    const toml::node* node = table_->get(key);
    if (node == nullptr) return std::nullopt;
    // value_exact: no conversions (toml++'s float -> integer conversion casts
    // out-of-range doubles, which is undefined behaviour; the fuzzer found it).
    if (const auto value = node->value_exact<T>()) return *value;
    throw InputError(PositionOf(file_, node->source()),
                     "[" + name_ + "] " + key + " must be " + type);
  }

  std::string String(const std::string& key, const std::string& fallback,
                     std::initializer_list<const char*> choices = {}) const {
    const auto value = Get<std::string>(key, "a string");
    if (!value) return fallback;
    if (choices.size() > 0) {
      bool known = false;
      std::string list;
      for (const char* choice : choices) {
        known = known || *value == choice;
        list += std::string(list.empty() ? "" : ", ") + choice;
      }
      if (!known) {
        throw InputError(PositionOf(file_, table_->get(key)->source()),
                         "[" + name_ + "] " + key + " = \"" + *value + "\" is not one of " + list);
      }
    }
    return *value;
  }

  // The enum value a string key names, through the enum's one table
  // (qap/core/enum_names.hpp): the words a manifest accepts are the words
  // the command line accepts and the reports print. nullopt when the key is absent.
  template <NamedEnum E>
  std::optional<E> Enum(const std::string& key) const {
    const auto value = Get<std::string>(key, "a string");
    if (!value) return std::nullopt;
    if (const auto parsed = ParseEnum<E>(*value)) return parsed;
    throw InputError(
        PositionOf(file_, table_->get(key)->source()),
        "[" + name_ + "] " + key + " = \"" + *value + "\" is not one of " + EnumChoiceList<E>());
  }

  // Whether the key is present at all (an empty list is present).
  [[nodiscard]] bool Has(const std::string& key) const {
    return table_ != nullptr && table_->get(key) != nullptr;
  }

  // An integer within [low, high]. TOML integers are 64-bit; anything outside
  // the key's range is refused here, never narrowed (a year of 4294969319
  // would otherwise wrap to 2023).
  std::optional<std::int64_t> Integer(const std::string& key, std::int64_t low,
                                      std::int64_t high) const {
    const auto value = Get<std::int64_t>(key, "an integer");
    if (value && (*value < low || *value > high)) {
      throw InputError(Where(key), "[" + name_ + "] " + key + " = " + std::to_string(*value) +
                                       " is outside " + std::to_string(low) + " to " +
                                       std::to_string(high));
    }
    return value;
  }

  // `where`, when given, receives each element's position.
  std::vector<std::string> Strings(const std::string& key,
                                   std::vector<SourcePosition>* where = nullptr) const {
    std::vector<std::string> out;
    ForEachElement<std::string>(key, "strings", "strings",
                                [&](const std::string& value, const toml::node& element) {
                                  out.push_back(value);
                                  if (where != nullptr) {
                                    where->push_back(PositionOf(file_, element.source()));
                                  }
                                });
    return out;
  }

  // Each element within [low, high] (see Integer).
  std::vector<int> Integers(const std::string& key, std::int64_t low, std::int64_t high) const {
    std::vector<int> out;
    ForEachElement<std::int64_t>(
        key, "years", "integers", [&](std::int64_t value, const toml::node& element) {
          if (value < low || value > high) {
            throw InputError(PositionOf(file_, element.source()),
                             "[" + name_ + "] " + key + ": " + std::to_string(value) +
                                 " is outside " + std::to_string(low) + " to " +
                                 std::to_string(high));
          }
          out.push_back(static_cast<int>(value));
        });
    return out;
  }

  [[nodiscard]] SourcePosition Where(const std::string& key) const {
    const toml::node* node = table_ == nullptr ? nullptr : table_->get(key);
    return node == nullptr ? SourcePosition{file_, 0, 0, 0} : PositionOf(file_, node->source());
  }

 private:
  // Calls use(value, element) for each element of the array `key` holds,
  // in order; nothing when the table or the key is absent. The words name
  // what the array must be and hold in the two refusals.
  template <class T, class Use>
  void ForEachElement(const std::string& key, const char* array_of, const char* holding,
                      Use&& use) const {
    if (table_ == nullptr) return;
    const toml::node* node = table_->get(key);
    if (node == nullptr) return;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      throw InputError(PositionOf(file_, node->source()),
                       "[" + name_ + "] " + key + " must be an array of " + array_of);
    }
    for (const toml::node& element : *array) {
      const auto value = element.value_exact<T>();
      if (!value) {
        throw InputError(PositionOf(file_, element.source()),
                         "[" + name_ + "] " + key + " must hold " + holding);
      }
      use(*value, element);
    }
  }

  std::string file_;
  const toml::table* table_;
  std::string name_;
};

std::string Resolve(const fs::path& folder, const std::string& path) {
  if (path.empty()) return path;
  const fs::path p(path);
  return p.is_absolute() ? path : (folder / p).lexically_normal().string();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::uint64_t ModelSeed(std::uint64_t seed, const std::string& variant, const std::string& product,
                        TradeDirection d) {
  // FNV-1a over the model's name, mixed with the study seed: each model has
  // its own permutation streams, the same for any thread count.
  std::uint64_t hash = 1469598103934665603ULL;
  for (char c : variant + "/" + product + "/" + ToString(d)) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  std::uint64_t z = seed ^ hash;
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return (z ^ (z >> 31U)) & ((std::uint64_t{1} << 53U) - 1U);
}

std::set<std::string> ModelKeys(std::set<std::string> extra) {
  for (const char* key : {"null", "permutations", "seed", "pvalue", "statistic", "dyads",
                          "diagonal", "algorithm", "partners", "reconcile", "difference", "log_gdp",
                          "td_scope", "td_flow", "drop_incomplete"}) {
    extra.insert(key);
  }
  return extra;
}

// Sets the options a [model] or [[override]] table names, leaving the rest.
void ApplyModelSection(const Section& section, const std::string& name,
                       RegressionOptions& regression, CovariateOptions& covariates) {
  if (const auto null = section.Enum<NullHypothesis>("null")) regression.null_hypothesis = *null;
  if (const auto permutations = section.Get<std::int64_t>("permutations", "an integer")) {
    // The rule every front end obeys (CheckPermutationCount), so a manifest
    // cannot ask for a run the command line refuses. The count goes in signed:
    // a negative one is reported as written.
    const std::string problem = CheckPermutationCount(*permutations);
    if (!problem.empty()) {
      throw InputError(
          section.Where("permutations"),
          "[" + name + "] permutations = " + std::to_string(*permutations) + ": " + problem);
    }
    regression.permutation.permutations = static_cast<std::size_t>(*permutations);
  }
  if (const auto seed = section.Get<std::int64_t>("seed", "an integer")) {
    if (*seed < 0) {
      throw InputError(section.Where("seed"),
                       "[" + name + "] seed = " + std::to_string(*seed) +
                           " must be 0 or positive (a TOML integer, at most 9223372036854775807)");
    }
    regression.permutation.seed = static_cast<std::uint64_t>(*seed);
  }
  if (const auto rule = section.Enum<PValueRule>("pvalue"))
    regression.permutation.pvalue_rule = *rule;
  if (const auto statistic = section.Enum<TestStatistic>("statistic"))
    regression.statistic = *statistic;
  if (const auto dyads = section.Enum<DyadMode>("dyads")) regression.dyads.mode = *dyads;
  if (const auto diagonal = section.Get<bool>("diagonal", "true or false"))
    regression.dyads.include_diagonal = *diagonal;
  if (const auto algorithm = section.Enum<PermutationAlgorithm>("algorithm"))
    regression.algorithm = *algorithm;
  if (const auto partners = section.Enum<PartnerCount>("partners")) covariates.partners = *partners;
  if (const auto reconcile = section.Enum<Reconciliation>("reconcile"))
    covariates.reconciliation = *reconcile;
  if (const auto difference = section.Enum<DifferenceKind>("difference"))
    covariates.difference = *difference;
  if (const auto log_gdp = section.Get<bool>("log_gdp", "true or false"))
    covariates.log_gdp = *log_gdp;
  if (section.Get<std::string>("td_scope", "a string")) {
    covariates.trade_intensity_on_product =
        section.String("td_scope", "", {"total", "product"}) == "product";
  }
  if (const auto flow = section.Enum<TradeIntensityFlow>("td_flow"))
    covariates.trade_intensity_flow = *flow;
  if (const auto drop = section.Get<bool>("drop_incomplete", "true or false"))
    covariates.drop_incomplete = *drop;
}

fs::path WithoutTrailingSlash(fs::path p) {
  p = p.lexically_normal();
  return p.has_filename() || !p.has_parent_path() ? p : p.parent_path();
}

// The DATA_NOTE files that describe an input: the one beside it and, up to
// `top` (the input tree's root), those of its parent folders, as a synthetic
// fixture tree says so once at its root. Each note is read up to 4 KiB.
void CollectDataNotes(const std::string& file, const fs::path& top,
                      std::vector<std::string>& notes) {
  if (file.empty()) return;
  fs::path folder = WithoutTrailingSlash(fs::path(file).parent_path());
  const fs::path stop = WithoutTrailingSlash(top);
  const auto [left, right] = std::mismatch(stop.begin(), stop.end(), folder.begin(), folder.end());
  const bool below_stop = !stop.empty() && left == stop.end();
  for (int level = 0; level < 16; ++level) {
    std::ifstream stream(folder / "DATA_NOTE", std::ios::binary);
    if (stream) {
      std::string text(4096, '\0');
      stream.read(text.data(), static_cast<std::streamsize>(text.size()));
      text.resize(static_cast<std::size_t>(stream.gcount()));
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
      if (!text.empty() && std::find(notes.begin(), notes.end(), text) == notes.end())
        notes.push_back(text);
    }
    if (!below_stop || folder == stop || !folder.has_parent_path() ||
        folder == folder.parent_path())
      break;
    folder = folder.parent_path();
  }
}

}  // namespace

const StudyManifest::Override* StudyManifest::OverrideFor(const std::string& variant,
                                                          const std::string& product,
                                                          TradeDirection direction) const {
  const Override* found = nullptr;
  for (const Override& o : overrides) {
    if (o.product == product && (o.direction.empty() || o.direction == ToString(direction)) &&
        (o.variant.empty() || o.variant == variant)) {
      found = &o;  // the last matching override wins
    }
  }
  return found;
}

bool StudyResult::any_failed() const {
  return std::any_of(models.begin(), models.end(),
                     [](const StudyModel& m) { return !m.result.has_value(); });
}

StudyManifest ReadStudyManifest(const std::string& path, const ManifestDefaults& defaults) {
  return ParseStudyManifest(detail::ReadWholeFile(path, detail::kManifestReadLimit), path,
                            defaults);
}

StudyManifest ParseStudyManifest(std::string_view text, const std::string& path,
                                 const ManifestDefaults& defaults) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw InputError(PositionOf(path, e.source()), std::string(e.description()));
  }
  for (const auto& [key, node] : root) {
    static const std::set<std::string> kSections = {"study",      "data",   "model",
                                                    "robustness", "output", "override"};
    if (!kSections.contains(std::string(key.str())) ||
        (!node.is_table() && std::string(key.str()) != "override")) {
      throw InputError(PositionOf(path, key.source()),
                       "unknown section \"" + std::string(key.str()) +
                           "\" (expected [study], [data], [model], [robustness], [output])");
    }
  }
  const fs::path folder = fs::path(path).parent_path();
  StudyManifest m;
  m.path = path;
  m.sha256 = detail::Sha256Hex(text);

  const Section study(path, root["study"].as_table(), "study",
                      {"name", "focal", "year", "products", "directions"});
  m.name = study.String("name", fs::path(path).stem().string());
  m.focal = study.String("focal", "CHN");
  m.year = static_cast<int>(study.Integer("year", kFirstYear, kLastYear).value_or(2023));
  std::vector<SourcePosition> product_at;
  m.products = study.Strings("products", &product_at);
  if (m.products.empty())
    throw InputError(study.Where("products"), "[study] products must list at least one HS code");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < m.products.size(); ++i) {
    const std::string& product = m.products[i];
    // A product is a six-digit HS code: it names a column of the tables, a
    // commodity in the trade file and a folder in a matrices pattern, so
    // anything else (a path, "abc", an HS4 heading, TOTAL, which is the
    // denominator of trade intensity and not a product) is refused.
    if (product.size() != 6 || product.find_first_not_of("0123456789") != std::string::npos) {
      throw InputError(product_at[i],
                       "[study] products: \"" + product + "\" is not a six-digit HS code" +
                           (product.size() < 6 && !product.empty() &&
                                    product.find_first_not_of("0123456789") == std::string::npos
                                ? " (HS codes are text: write leading zeros)"
                                : ""));
    }
    if (!seen.insert(product).second) {
      throw InputError(product_at[i], "[study] products lists " + product + " twice");
    }
  }
  if (study.Has("directions")) {
    std::vector<SourcePosition> direction_at;
    const auto directions = study.Strings("directions", &direction_at);
    if (directions.empty()) {
      throw InputError(study.Where("directions"),
                       "[study] directions is empty: list \"export\", \"import\" or both, or leave "
                       "the key out for both");
    }
    m.directions.clear();
    for (std::size_t i = 0; i < directions.size(); ++i) {
      const std::string& d = directions[i];
      const std::optional<TradeDirection> parsed = ParseEnum<TradeDirection>(d);
      if (!parsed) {
        throw InputError(direction_at[i],
                         "[study] directions: \"" + d + "\" is neither export nor import");
      }
      const TradeDirection direction = *parsed;
      if (std::find(m.directions.begin(), m.directions.end(), direction) != m.directions.end()) {
        throw InputError(direction_at[i], "[study] directions lists " + d + " twice");
      }
      m.directions.push_back(direction);
    }
  }

  const Section data(
      path, root["data"].as_table(), "data",
      {"trade", "wdi", "gdp_fill", "wgi", "memberships", "advanced", "reference_dir", "matrices"});
  const std::string matrices = data.String("matrices", "");
  const std::string trade = data.String("trade", "");
  if (matrices.empty() == trade.empty()) {
    throw InputError(
        {path, 0, 0, 0},
        "[data] needs either matrices (ready matrices) or trade, wdi and wgi (raw files)");
  }
  auto existing = [&](const std::string& key, const std::string& value) {
    std::string resolved = Resolve(folder, value);
    if (!resolved.empty() && !fs::exists(resolved)) {
      throw InputError(data.Where(key), "[data] " + key + ": no such file or folder: " + resolved);
    }
    return resolved;
  };
  if (!matrices.empty()) {
    m.matrices = Resolve(folder, matrices);
  } else {
    StudyManifest::RawData raw;
    raw.trade = existing("trade", trade);
    raw.wdi = existing("wdi", data.String("wdi", ""));
    raw.wgi = existing("wgi", data.String("wgi", ""));
    if (raw.wdi.empty() || raw.wgi.empty())
      throw InputError(data.Where("trade"), "[data] raw files need trade, wdi and wgi");
    raw.gdp_fill = existing("gdp_fill", data.String("gdp_fill", ""));
    if (const std::string reference = data.String("reference_dir", ""); !reference.empty()) {
      raw.reference_dir = existing("reference_dir", reference);
    } else if (!defaults.reference_dir.empty()) {
      // The caller's default is already a path of its own, not relative to the manifest.
      raw.reference_dir = defaults.reference_dir;
      std::error_code ec;
      if (!fs::is_directory(raw.reference_dir, ec)) {
        throw InputError(data.Where("trade"),
                         "[data] reference_dir is not given and the default reference folder " +
                             raw.reference_dir + " does not exist");
      }
    } else {
      throw InputError(
          data.Where("trade"),
          "[data] raw files need reference_dir (the folder with countries.csv and aggregates.csv) "
          "and "
          "there is no default" +
              (defaults.reference_dir_hint.empty() ? std::string()
                                                   : ": " + defaults.reference_dir_hint));
    }
    // Defaults live in the (already resolved) reference folder.
    const std::string memberships = data.String("memberships", "");
    const std::string advanced = data.String("advanced", "");
    raw.memberships = memberships.empty() ? raw.reference_dir + "/memberships.csv"
                                          : existing("memberships", memberships);
    raw.advanced = advanced.empty() ? raw.reference_dir + "/imf_advanced_economies.csv"
                                    : existing("advanced", advanced);
    m.raw = raw;
  }

  m.covariates.focal = m.focal;
  m.covariates.year = m.year;
  m.regression.permutation.permutations = 5000;
  const Section model(path, root["model"].as_table(), "model", ModelKeys({}));
  ApplyModelSection(model, "model", m.regression, m.covariates);

  // [[override]] tables: any [model] key for one product (and optionally one
  // direction or variant), on top of [model].
  if (const toml::node* node = root.get("override")) {
    const toml::array* overrides = node->as_array();
    if (overrides == nullptr) {
      throw InputError(PositionOf(path, node->source()),
                       "override must be an array of tables ([[override]])");
    }
    for (const toml::node& element : *overrides) {
      const toml::table* table = element.as_table();
      if (table == nullptr)
        throw InputError(PositionOf(path, element.source()), "[[override]] entries must be tables");
      const Section section(path, table, "override",
                            ModelKeys({"product", "direction", "variant"}));
      StudyManifest::Override o;
      o.product = section.String("product", "");
      if (o.product.empty())
        throw InputError(PositionOf(path, element.source()), "[[override]] needs a product");
      if (std::find(m.products.begin(), m.products.end(), o.product) == m.products.end()) {
        throw InputError(section.Where("product"),
                         "[[override]] product " + o.product + " is not in [study] products");
      }
      if (const auto direction = section.Enum<TradeDirection>("direction"))
        o.direction = ToString(*direction);
      o.variant = section.String("variant", "", {"main", "R1", "R2", "R3", "R4"});
      o.regression = m.regression;
      o.covariates = m.covariates;
      // The model keeps its derived seed unless the override sets one: an
      // override changes only what it names.
      o.regression.permutation.seed.reset();
      ApplyModelSection(section, "override", o.regression, o.covariates);
      m.overrides.push_back(std::move(o));
    }
  }

  const Section robustness(path, root["robustness"].as_table(), "robustness",
                           {"variants", "years", "geo_zero"});
  m.geometric_zeros = robustness.Enum<GeometricZeros>("geo_zero").value_or(GeometricZeros::kExact);
  m.variants = robustness.Strings("variants");
  for (const std::string& v : m.variants) {
    if (!ParseEnum<RobustnessVariant>(v)) {
      throw InputError(robustness.Where("variants"), "[robustness] variants: \"" + v +
                                                         "\" is not one of " +
                                                         EnumChoiceList<RobustnessVariant>());
    }
  }
  m.robustness_years = robustness.Integers("years", kFirstYear, kLastYear);
  if (robustness.Has("years") && m.robustness_years.empty()) {
    throw InputError(robustness.Where("years"),
                     "[robustness] years is empty: list the years to average over, or leave the "
                     "key out for 2013 to [study] year");
  }
  for (std::size_t i = 0; i < m.robustness_years.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (m.robustness_years[i] == m.robustness_years[j]) {
        throw InputError(
            robustness.Where("years"),
            "[robustness] years lists " + std::to_string(m.robustness_years[i]) + " twice");
      }
    }
  }
  if (!m.variants.empty() && m.robustness_years.empty()) {
    for (int y = 2013; y <= m.year; ++y) m.robustness_years.push_back(y);
  }

  const Section output(path, root["output"].as_table(), "output", {"formats"});
  m.formats = output.Strings("formats");
  if (m.formats.empty()) m.formats = {"text"};
  for (const std::string& f : m.formats) {
    if (f != "text" && f != "csv" && f != "markdown" && f != "latex" && f != "json") {
      throw InputError(
          output.Where("formats"),
          "[output] formats: \"" + f + "\" is not one of text, csv, markdown, latex, json");
    }
  }
  return m;
}

namespace {

StudyResult RunStudyModels(const StudyManifest& manifest, const StudyRunOptions& options,
                           const StudyProgress& progress) {
  StudyResult result;
  result.manifest = manifest;
  result.threads = ResolveThreads(options.threads);
  if (!manifest.variants.empty() && !manifest.raw) {
    throw OptionsError(
        "[robustness] variants rebuild the matrices from attributes over years: they need [data] "
        "raw files");
  }
  // Raw data are read once for every model, as `qap covariates` reads them
  // (the manifest reader already applied the memberships and advanced defaults).
  std::optional<CovariateData> raw;
  if (manifest.raw) {
    CovariateFiles files;
    files.trade = manifest.raw->trade;
    files.wdi = manifest.raw->wdi;
    files.gdp_fill = manifest.raw->gdp_fill;
    files.wgi = manifest.raw->wgi;
    files.memberships = manifest.raw->memberships;
    files.advanced = manifest.raw->advanced;
    files.reference_dir = manifest.raw->reference_dir;
    raw.emplace(LoadCovariateData(files));
    result.trade_read = raw->trade.report;
    result.attribute_reads = raw->reads;
  }
  // A combination with no definition stops the study before any model runs
  // (BuildRobustnessCovariates would refuse it only after the main models).
  for (const std::string& variant : manifest.variants) {
    if (variant != "R4") continue;
    for (const std::string& product : manifest.products) {
      for (const TradeDirection direction : manifest.directions) {
        const StudyManifest::Override* over = manifest.OverrideFor(variant, product, direction);
        if ((over != nullptr ? over->covariates : manifest.covariates).difference ==
            DifferenceKind::kSigned) {
          throw OptionsError(
              manifest.path +
              ": [robustness] variants lists R4 (the geometric mean of each dyad over "
              "the years), which is not defined with [model] difference = \"signed\" (product " +
              product + " " + ToString(direction) +
              "): signed dyads x_i - x_j are negative for one of each pair; use difference = "
              "\"abs\" "
              "or leave R4 out of variants");
        }
      }
    }
  }
  const std::uint64_t seed = manifest.regression.permutation.seed.value_or(GenerateSeed());
  result.manifest.regression.permutation.seed = seed;
  std::vector<std::string> variants{"main"};
  for (const std::string& v : manifest.variants) variants.push_back(v);
  const std::size_t total = variants.size() * manifest.products.size() * manifest.directions.size();
  for (const std::string& variant : variants) {
    for (const std::string& product : manifest.products) {
      for (const TradeDirection direction : manifest.directions) {
        StudyModel model;
        model.variant = variant;
        model.product = product;
        model.direction = direction;
        model.seed = ModelSeed(seed, model.variant, product, direction);
        try {
          LabelledMatrix y;
          std::vector<LabelledMatrix> x;
          if (manifest.raw) {
            const StudyManifest::Override* over = manifest.OverrideFor(variant, product, direction);
            CovariateOptions covariates = over != nullptr ? over->covariates : manifest.covariates;
            covariates.commodity = product;
            covariates.direction = direction;
            const CovariateSources sources = raw->Sources();
            CovariateResult built;
            if (variant == "main") {
              built = BuildCovariates(sources, covariates);
            } else {
              RobustnessOptions robustness;
              // The manifest reader admitted only the table's names.
              robustness.variant =
                  ParseEnum<RobustnessVariant>(variant).value_or(RobustnessVariant::kR4);
              robustness.years = manifest.robustness_years;
              robustness.zeros = manifest.geometric_zeros;
              built = BuildRobustnessCovariates(sources, covariates, robustness);
            }
            model.dropped = built.dropped;
            model.td_fallbacks = built.td_fallbacks;
            model.definitions = built.definitions;
            y = std::move(built.dependent);
            x = std::move(built.explanatory);
          } else {
            auto file = [&](const std::string& name) {
              return Replace(Replace(Replace(manifest.matrices, "{hs}", product), "{direction}",
                                     ToString(direction)),
                             "{variable}", name);
            };
            y = ReadLabelledMatrix(file(direction == TradeDirection::kExport ? "REE" : "REI"), {});
            for (const char* name : kStudyCovariateNames)
              x.push_back(ReadLabelledMatrix(file(name), {}));
            std::vector<LabelledMatrix*> all{&y};
            for (auto& m : x) all.push_back(&m);
            AlignMatrices(all, AlignMode::kExact);
          }
          if (options.matrices) options.matrices(model, y, x);
          const StudyManifest::Override* o = manifest.OverrideFor(variant, product, direction);
          RegressionOptions regression = o != nullptr ? o->regression : manifest.regression;
          regression.permutation.seed = o != nullptr && o->regression.permutation.seed
                                            ? *o->regression.permutation.seed
                                            : model.seed;
          model.seed = regression.permutation.seed.value_or(model.seed);
          regression.permutation.threads = options.threads;
          model.result = RunQapRegression(y, x, regression);
        } catch (const ModelError& e) {
          model.failure = FormatError(e, OptionContext::kManifest);
        } catch (const DataError& e) {
          model.failure = FormatError(e, OptionContext::kManifest);
        }
        result.models.push_back(std::move(model));
        if (progress) progress(result.models.size(), total);
      }
    }
  }
  if (manifest.raw) {
    for (const std::string* file :
         {&manifest.raw->trade, &manifest.raw->wdi, &manifest.raw->gdp_fill, &manifest.raw->wgi}) {
      CollectDataNotes(*file, {}, result.data_notes);
    }
  } else {
    // The fixed part of the pattern is the root of the matrix tree.
    const fs::path top =
        fs::path(manifest.matrices.substr(0, manifest.matrices.find('{'))).parent_path();
    for (const std::string& product : manifest.products) {
      for (const TradeDirection direction : manifest.directions) {
        const std::string y =
            Replace(Replace(Replace(manifest.matrices, "{hs}", product), "{direction}",
                            ToString(direction)),
                    "{variable}", direction == TradeDirection::kExport ? "REE" : "REI");
        CollectDataNotes(y, top, result.data_notes);
      }
    }
  }
  return result;
}

}  // namespace

StudyResult RunStudy(const StudyManifest& manifest, const StudyRunOptions& options,
                     const StudyProgress& progress) {
  // The engine's checks name an option by field; a study's user knows the
  // manifest's keys, not the command line's flags.
  try {
    return RunStudyModels(manifest, options, progress);
  } catch (const OptionsError& e) {
    if (e.field().empty()) throw;
    throw OptionsError(manifest.path + ": " + FormatError(e, OptionContext::kManifest));
  } catch (const DataError& e) {
    if (e.field().empty()) throw;
    throw DataError(FormatError(e, OptionContext::kManifest));
  } catch (const Error& e) {
    // A data file's hint (an input error naming drop_unknown_economies): the
    // command line would spell it as its flag, which a study does not have.
    // Its position is already in the message; the kind keeps the exit status.
    if (e.field().empty()) throw;
    throw Error(e.kind(), FormatError(e, OptionContext::kManifest));
  }
}

namespace {

// A TOML basic string: paths may hold backslashes or quotes.
std::string TomlString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Joined(const std::string& folder, const std::string& file) {
  return folder.empty() || folder == "." ? file : folder + "/" + file;
}

// The [data] section of the example manifest.
std::string ExampleData(const ExampleManifestPaths& paths) {
  std::string out = "[data]\n";
  if (paths.raw.empty()) {
    out +=
        "# EDIT THESE: qap's example data (fixtures/raw-2013-2023) exist only in a source tree of "
        "qap, so the\n"
        "# paths below are placeholders. Point them at your downloads (relative to this file or "
        "absolute):\n"
        "# UN Comtrade (the products' and TOTAL flows), World Bank WDI NY.GDP.PCAP.CD, IMF WEO for "
        "gaps, WGI.\n"
        "# Either raw files (what `qap covariates` reads) ...\n"
        "trade = \"EDIT-ME/comtrade.csv\"\n"
        "wdi = \"EDIT-ME/wdi_gdp_per_capita.csv\"\n"
        "gdp_fill = \"EDIT-ME/imf_weo_gdp_per_capita.csv\"   # optional: delete the line if WDI "
        "has no gaps\n"
        "wgi = \"EDIT-ME/wgi.csv\"\n";
  } else {
    out += "# Either raw files (what `qap covariates` reads) ...\n";
    out += "trade = " + TomlString(Joined(paths.raw, "comtrade_rare_earths_2013_2023.csv")) + "\n";
    out += "wdi = " + TomlString(Joined(paths.raw, "wdi_gdp_per_capita.csv")) + "\n";
    out += "gdp_fill = " + TomlString(Joined(paths.raw, "imf_weo_gdp_per_capita_twn.csv")) + "\n";
    out += "wgi = " + TomlString(Joined(paths.raw, "wgi_2013_2023.csv")) + "\n";
  }
  if (paths.reference.empty()) {
    out +=
        "# reference_dir = \"...\"   # countries.csv, aggregates.csv, memberships.csv, "
        "imf_advanced_economies.csv\n"
        "#                           (default: the reference folder qap ships with, "
        "<data>/reference)\n";
  } else {
    out += "reference_dir = " + TomlString(paths.reference) +
           "   # countries.csv, aggregates.csv, memberships.csv, imf_advanced_economies.csv\n";
  }
  out +=
      "# memberships and advanced default to files in reference_dir.\n"
      "# ... or ready matrices: {hs}, {direction}, {variable} (REE/REI, TPR, PGDP, TD, ECI, WGI)\n";
  const std::string matrices = paths.matrices.empty() ? "EDIT-ME/matrices" : paths.matrices;
  out += "# matrices = " + TomlString(Joined(matrices, "{hs}/{direction}/{variable}.csv")) + "\n";
  return out;
}

}  // namespace

std::string ExampleStudyManifest(const ExampleManifestPaths& paths) {
  std::string text =
      R"(# qap study manifest: the rare-earth trade-dependence study (Liao & Han 2025),
# Tables 3 and 4. Paths are relative to this file. Run: qap study run THIS.toml

[study]
name = "rare-earth-2023"
focal = "CHN"                 # the country whose dependence is modelled (ISO3)
year = 2023
products = ["253090", "280530", "284610", "284690", "360690", "720299", "850511"]
directions = ["export", "import"]

@DATA@
[model]
null = "dsp"                  # dsp, y, x, freedman-lane, classical
permutations = 5000
seed = 42                     # each model derives its own seed from this one
pvalue = "plus-one"           # or "proportion"
statistic = "t"               # or "beta"
dyads = "directed"            # n(n-1) dyads, as the paper's sample sizes
partners = "all"              # n in C(H; n): all (U) or active (P)
reconcile = "importer"        # importer reports first, exporter mirrors fill gaps
difference = "abs"            # |x_i - x_j| or signed
log_gdp = false
td_scope = "total"            # trade intensity on total trade or on the product
td_flow = "focal-report"      # import models' TD numerator: the focal's import record, or partner-report
drop_incomplete = true        # drop partners lacking an attribute in some year (listed in the JSON output)

[robustness]
variants = ["R1", "R2", "R3", "R4"]   # docs/study-method.md §5; each gives a Table 4 and a comparison
years = [2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023]
geo_zero = "exact"            # zeros in geometric means: exact (any zero gives 0), log1p, drop

# Any [model] key can be overridden for one product (and direction or variant):
# [[override]]
# product = "850511"
# direction = "import"
# permutations = 10000

[output]
formats = ["text", "csv", "markdown", "latex", "json"]
)";
  return Replace(text, "@DATA@", ExampleData(paths));
}

}  // namespace qap
