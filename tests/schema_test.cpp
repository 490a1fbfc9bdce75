// `qap regress --format json` against its documented JSON Schema
// (docs/regress-result.schema.json), with a small validator for the subset of
// JSON Schema the document uses: type, enum, required, properties, items,
// oneOf, minimum and local $ref.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "qap/core/alignment.hpp"
#include "qap/core/regression.hpp"
#include "qap/render/report.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using Json = nlohmann::json;

bool HasType(const Json& value, const std::string& type) {
  if (type == "null") return value.is_null();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  return false;
}

// Appends a message per violation.
void Validate(const Json& value, const Json& schema, const Json& root, const std::string& where,
              std::vector<std::string>& errors) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    const std::string name = ref.substr(ref.rfind('/') + 1);
    Validate(value, root["$defs"][name], root, where, errors);
    return;
  }
  if (schema.contains("oneOf")) {
    int matches = 0;
    for (const Json& option : schema["oneOf"]) {
      std::vector<std::string> inner;
      Validate(value, option, root, where, inner);
      matches += inner.empty() ? 1 : 0;
    }
    if (matches != 1)
      errors.push_back(where + ": matches " + std::to_string(matches) + " of oneOf");
    return;
  }
  if (schema.contains("type")) {
    bool ok = false;
    if (schema["type"].is_array()) {
      for (const Json& t : schema["type"]) ok = ok || HasType(value, t);
    } else {
      ok = HasType(value, schema["type"]);
    }
    if (!ok) {
      errors.push_back(where + ": type " + std::string(value.type_name()) + " is not " +
                       schema["type"].dump());
      return;
    }
  }
  if (schema.contains("enum") &&
      std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end()) {
    errors.push_back(where + ": " + value.dump() + " is not in " + schema["enum"].dump());
  }
  if (schema.contains("minimum") && value.is_number() &&
      value.get<double>() < schema["minimum"].get<double>()) {
    errors.push_back(where + ": below the minimum");
  }
  if (value.is_object()) {
    for (const Json& key : schema.value("required", Json::array())) {
      if (!value.contains(key.get<std::string>()))
        errors.push_back(where + ": missing \"" + key.get<std::string>() + "\"");
    }
    if (schema.contains("properties")) {
      for (const auto& [key, sub] : schema["properties"].items()) {
        if (value.contains(key)) Validate(value[key], sub, root, where + "." + key, errors);
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      Validate(value[i], schema["items"], root, where + "[" + std::to_string(i) + "]", errors);
    }
  }
}

Json Schema() {
  std::ifstream in(testing::SourcePath("docs/regress-result.schema.json"));
  return Json::parse(in);
}

std::vector<std::string> Errors(const Json& document) {
  const Json schema = Schema();
  std::vector<std::string> errors;
  Validate(document, schema, schema, "$", errors);
  return errors;
}

TEST(JsonSchema, EveryKindOfRegressionResultConformsToTheDocumentedSchema) {
  LabelledMatrix y = ReadLabelledMatrix(testing::SourcePath("tests/data/small_missing/Y.csv"), {});
  std::vector<LabelledMatrix> x = {
      ReadLabelledMatrix(testing::SourcePath("tests/data/small_missing/X1.csv"), {}),
      ReadLabelledMatrix(testing::SourcePath("tests/data/small_missing/X2.csv"), {})};
  std::vector<LabelledMatrix*> all{&y, &x[0], &x[1]};
  const AlignmentReport alignment = AlignMatrices(all, AlignMode::kExact);
  for (const NullHypothesis null :
       {NullHypothesis::kClassical, NullHypothesis::kDoubleSemiPartialling,
        NullHypothesis::kPermuteY, NullHypothesis::kPermuteX, NullHypothesis::kFreedmanLane}) {
    RegressionOptions options;
    options.null_hypothesis = null;
    options.permutation.permutations = 20;
    options.permutation.seed = 1;
    options.keep_null_distribution =
        null == NullHypothesis::kPermuteY;  // quantiles filled, and null elsewhere
    RenderContext context;
    context.alignment = alignment;
    context.alignment.dropped.push_back({"ZZZ", {"X2.csv"}});
    context.input_notes = {"Y: the file has no labels: nodes are numbered 1..4 by position"};
    const Json document = Json::parse(
        RenderRegression(RunQapRegression(y, x, options), OutputFormat::kJson, context));
    const auto errors = Errors(document);
    EXPECT_TRUE(errors.empty()) << ToString(null) << ": " << (errors.empty() ? "" : errors.front());
  }
}

TEST(JsonSchema, TheValidatorRejectsADocumentThatBreaksTheSchema) {
  LabelledMatrix y = ReadLabelledMatrix(testing::SourcePath("tests/data/small/Y.csv"), {});
  std::vector<LabelledMatrix> x = {
      ReadLabelledMatrix(testing::SourcePath("tests/data/small/X1.csv"), {})};
  std::vector<LabelledMatrix*> all{&y, &x[0]};
  AlignMatrices(all, AlignMode::kExact);
  RegressionOptions options;
  options.permutation.permutations = 10;
  options.permutation.seed = 1;
  Json document =
      Json::parse(RenderRegression(RunQapRegression(y, x, options), OutputFormat::kJson, {}));
  EXPECT_TRUE(Errors(document).empty());
  Json missing = document;
  missing["model"].erase("r_squared");
  EXPECT_FALSE(Errors(missing).empty());
  Json wrong_type = document;
  wrong_type["coefficients"][1]["stars"] = 3;
  EXPECT_FALSE(Errors(wrong_type).empty());
  Json wrong_enum = document;
  wrong_enum["options"]["null"] = "qapspp";
  EXPECT_FALSE(Errors(wrong_enum).empty());
  Json wrong_note = document;
  wrong_note["notes"] = Json::array({1});
  EXPECT_FALSE(Errors(wrong_note).empty());
}

}  // namespace
}  // namespace qap
