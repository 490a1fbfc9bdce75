// End-to-end tests of the qap executable: exit statuses, messages, outputs.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "qap/io/csv_tokenizer.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

namespace fs = std::filesystem;

struct ProcessRun {
  int status = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

std::string ReadFile(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::stringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() /
              ("qap_cli_test_" + std::to_string(::getpid()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  // Runs qap from the source tree with `arguments` (already shell-quoted).
  ProcessRun Qap(const std::string& arguments) {
    return Run(QAP_SOURCE_DIR, "", QAP_EXECUTABLE, arguments);
  }

  // Runs `executable` in `folder` with the environment assignments `env`
  // (e.g. "QAP_DATA_DIR=/x"); QAP_DATA_DIR is unset unless `env` sets it.
  ProcessRun Run(const std::string& folder, const std::string& env, const std::string& executable,
                 const std::string& arguments) {
    const fs::path err_path = folder_ / "stderr.txt";
    const std::string command = "cd '" + folder + "' && env -u QAP_DATA_DIR " + env + " '" +
                                executable + "' " + arguments + " 2>'" + err_path.string() + "'";
    ProcessRun run;
    FILE* pipe = popen(command.c_str(), "r");
    std::array<char, 4096> buffer{};
    std::size_t read = 0;
    while ((read = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
      run.out.append(buffer.data(), read);
    const int status = pclose(pipe);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.err = ReadFile(err_path);
    return run;
  }

  fs::path folder_;
};

const std::string kSmall =
    "--y tests/data/small/Y.csv --x tests/data/small/X1.csv tests/data/small/X2.csv ";
const std::string kFixture =
    "--y fixtures/rare-earth-2023/850511/export/REE.csv --x "
    "fixtures/rare-earth-2023/850511/export/TPR.csv "
    "fixtures/rare-earth-2023/850511/export/PGDP.csv fixtures/rare-earth-2023/850511/export/TD.csv "
    "fixtures/rare-earth-2023/850511/export/ECI.csv "
    "fixtures/rare-earth-2023/850511/export/WGI.csv ";

TEST_F(Cli, VersionAndHelp) {
  const ProcessRun version = Qap("--version");
  EXPECT_EQ(version.status, 0);
  EXPECT_NE(version.out.find("qap 0."), std::string::npos) << version.out;
  const ProcessRun help = Qap("regress --help");
  EXPECT_EQ(help.status, 0);
  for (const char* option : {"--y", "--x", "--null", "--perms", "--seed", "--threads", "--format",
                             "--output", "--pvalue", "--undirected", "--diagonal", "--align",
                             "--save-permutations", "--permutations", "--statistic", "--x-names"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option;
  }
  EXPECT_EQ(Qap("").status, 2);
}

TEST_F(Cli, TextOutputHasEveryNumberTheIssueAsksFor) {
  const ProcessRun run = Qap("regress " + kFixture + "--perms 200 --seed 42");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(std::regex_search(run.out, std::regex("--seed +42\n"))) << run.out;
  EXPECT_TRUE(std::regex_search(run.out, std::regex("--perms +200\n"))) << run.out;
  for (const char* piece : {"Options in effect",
                            "dsp",
                            "Nodes: 58",
                            "Dyads used: 3306 of 3306",
                            "TPR",
                            "PGDP",
                            "TD",
                            "ECI",
                            "WGI",
                            "(intercept)",
                            "Std.coef",
                            "P(t*>=t)",
                            "P(t*<=t)",
                            "P(|t*|>=|t|)",
                            "Class.p: the",
                            "Residual standard error: ",
                            "Null distribution of t over the permutations",
                            "R-squared:",
                            "Adjusted R-squared",
                            "F(5, 3300)",
                            "R-squared permutation p (y null",
                            "plus-one",
                            "not permutation-tested"}) {
    EXPECT_NE(run.out.find(piece), std::string::npos) << piece << "\n" << run.out;
  }
}

TEST_F(Cli, SeedIsGeneratedAndPrintedWhenNotGiven) {
  const ProcessRun run = Qap("regress " + kSmall + "--perms 10 --format json");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  ASSERT_TRUE(json["options"]["seed"].is_number_unsigned());
  const std::uint64_t seed = json["options"]["seed"];
  const ProcessRun again =
      Qap("regress " + kSmall + "--perms 10 --format json --seed " + std::to_string(seed));
  EXPECT_EQ(again.out, run.out);
}

TEST_F(Cli, JsonCarriesTheDocumentedKeys) {
  const ProcessRun run =
      Qap("regress " + kSmall + "--perms 50 --seed 1 --format json --x-names A,B --y-name DEP");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["command"], "regress");
  EXPECT_EQ(json["options"]["null"], "dsp");
  EXPECT_EQ(json["options"]["permutations"], 50);
  EXPECT_EQ(json["options"]["pvalue_rule"], "plus-one");
  EXPECT_EQ(json["inputs"]["dependent"]["name"], "DEP");
  EXPECT_EQ(json["nodes"], 9);
  EXPECT_EQ(json["dyads_used"], 72);
  ASSERT_EQ(json["coefficients"].size(), 3U);
  EXPECT_EQ(json["coefficients"][1]["variable"], "A");
  EXPECT_EQ(json["coefficients"][2]["variable"], "B");
  EXPECT_TRUE(json["coefficients"][0]["permutation"].is_null());
  for (const char* key :
       {"coefficient", "standardized", "std_error", "t", "classical_p", "stars"}) {
    EXPECT_TRUE(json["coefficients"][1].contains(key)) << key;
  }
  for (const char* key :
       {"p_ge", "p_le", "p_two_sided", "count_ge", "count_le", "count_as_extreme"}) {
    EXPECT_TRUE(json["coefficients"][1]["permutation"].contains(key)) << key;
  }
  for (const char* key :
       {"r_squared", "adjusted_r_squared", "f", "f_df1", "f_df2", "f_p", "r_squared_permutation"}) {
    EXPECT_TRUE(json["model"].contains(key)) << key;
  }
}

TEST_F(Cli, OutputIsByteIdenticalForAnyThreadCount) {
  const ProcessRun one =
      Qap("regress " + kFixture + "--perms 300 --seed 9 --threads 1 --format csv");
  const ProcessRun two =
      Qap("regress " + kFixture + "--perms 300 --seed 9 --threads 2 --format csv");
  const ProcessRun many =
      Qap("regress " + kFixture + "--perms 300 --seed 9 --threads 5 --format csv");
  ASSERT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(one.out, many.out);
}

TEST_F(Cli, SavedPermutationsReplayToTheSameCounts) {
  const fs::path perms = folder_ / "perms.txt";
  const ProcessRun drawn =
      Qap("regress " + kSmall + "--perms 150 --seed 3 --format csv --save-permutations '" +
          perms.string() + "'");
  ASSERT_EQ(drawn.status, 0) << drawn.err;
  const ProcessRun replayed =
      Qap("regress " + kSmall + "--format csv --permutations '" + perms.string() + "'");
  ASSERT_EQ(replayed.status, 0) << replayed.err;
  auto table = [](const std::string& csv) { return csv.substr(csv.find("variable,")); };
  EXPECT_EQ(table(drawn.out), table(replayed.out));
  EXPECT_EQ(Qap("regress " + kSmall + "--perms 5 --permutations '" + perms.string() + "'").status,
            2);
}

TEST_F(Cli, WritesTheOutputFileAndEveryFormat) {
  const fs::path out = folder_ / "result.md";
  const ProcessRun run =
      Qap("regress " + kSmall + "--null y --perms 20 --seed 1 --format markdown -o '" +
          out.string() + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(run.out.empty());
  const std::string markdown = ReadFile(out);
  EXPECT_NE(markdown.find("| Variable |"), std::string::npos) << markdown;
  const ProcessRun csv = Qap(
      "correlate tests/data/small/Y.csv tests/data/small/X1.csv --perms 20 --seed 1 --format csv");
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_NE(csv.out.find("first,second,r,p_ge"), std::string::npos) << csv.out;
  const ProcessRun text =
      Qap("correlate tests/data/small/Y.csv tests/data/small/X1.csv --perms 20 --seed 1");
  EXPECT_NE(text.out.find("Pearson r"), std::string::npos) << text.out;
}

TEST_F(Cli, IntersectAlignmentReportsDroppedNodes) {
  const ProcessRun exact =
      Qap("regress --y tests/bad_inputs/good_y.csv --x tests/bad_inputs/other_labels.csv --null "
          "classical");
  EXPECT_EQ(exact.status, 4);
  EXPECT_NE(exact.err.find("\"C\" is missing from tests/bad_inputs/other_labels.csv"),
            std::string::npos)
      << exact.err;
  EXPECT_NE(exact.err.find("\"D\" is missing from tests/bad_inputs/good_y.csv"), std::string::npos)
      << exact.err;
}

// tests/bad_inputs/catalogue.csv: every broken input, with the command that
// feeds it to qap, the documented exit status and a piece of the message.
// Each must fail cleanly: that status, that message, nothing on stdout, no
// output file, no file in an output folder.
TEST_F(Cli, EveryCataloguedBadInputFailsCleanly) {
  const std::string path = testing::SourcePath("tests/bad_inputs/catalogue.csv");
  const auto records = detail::TokenizeCsv(detail::ReadWholeFile(path), ',', path);
  ASSERT_GE(records.size(), 41U) << "the catalogue holds at least 40 cases";
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& f = records[r].fields;
    ASSERT_EQ(f.size(), 4U) << "catalogue line " << records[r].line;
    const std::string name = f[0].text;
    const fs::path out = folder_ / "out.txt";
    const fs::path dir = folder_ / "outdir";
    fs::create_directories(dir);
    std::string arguments = f[1].text;
    for (const auto& [token, value] : {std::pair{std::string("{out}"), "'" + out.string() + "'"},
                                       std::pair{std::string("{dir}"), "'" + dir.string() + "'"}}) {
      for (auto at = arguments.find(token); at != std::string::npos; at = arguments.find(token)) {
        arguments.replace(at, token.size(), value);
      }
    }
    const ProcessRun run = Qap(arguments);
    EXPECT_EQ(run.status, std::stoi(f[2].text)) << name << "\n" << run.err;
    EXPECT_NE(run.err.find(f[3].text), std::string::npos)
        << name << "\nexpected: " << f[3].text << "\nstderr: " << run.err;
    EXPECT_TRUE(run.out.empty()) << name;
    EXPECT_FALSE(fs::exists(out)) << name;
    EXPECT_TRUE(fs::is_empty(dir)) << name;
    fs::remove_all(dir);
    fs::remove(out);
  }
}

// Inputs that look odd but are valid are read, not refused.
// Issue 11, class 1: values near 1e154 or 1e-155 are fitted, not turned into
// SE = inf, t = 0, p = 1 (or r = 0): the same t, p and R^2 as the data at
// ordinary scale, b scaled by the factor, on the fast path and the refit.
// The same counts and p-values; the quantiles of the null statistics agree to
// rounding (10^k scaling is not exact in binary).
void SamePermutationTest(const nlohmann::json& got, const nlohmann::json& want,
                         const std::string& label) {
  if (want.is_null()) {
    EXPECT_TRUE(got.is_null()) << label;
    return;
  }
  for (const char* key : {"count_as_extreme", "count_ge", "count_le", "p_ge", "p_le", "p_two_sided",
                          "valid_permutations"}) {
    EXPECT_EQ(got[key], want[key]) << label << " " << key;
  }
  for (const auto& [key, value] : want["quantiles"].items()) {
    EXPECT_TRUE(
        testing::RelativelyNear(got["quantiles"][key].get<double>(), value.get<double>(), 1e-9))
        << label << key;
  }
}

TEST_F(Cli, ExtremeScalesGiveTheNumbersOfOrdinaryScales) {
  auto scaled_copy = [&](const std::string& from, const std::string& name, double factor) {
    LabelledMatrix m = ReadLabelledMatrix(testing::SourcePath(from), {});
    m.values *= factor;
    const fs::path path = folder_ / (name + ".csv");
    std::ofstream(path) << FormatLabelledMatrixCsv(m);
    return "'" + path.string() + "'";
  };
  // Factors of Y, X1 and X2.
  for (const std::array<double, 3> factor :
       {std::array<double, 3>{1e154, 1e-140, 1.0}, std::array<double, 3>{1e-155, 1.0, 1e140}}) {
    const std::string y = scaled_copy("tests/data/small/Y.csv", "Y", factor[0]);
    const std::string x1 = scaled_copy("tests/data/small/X1.csv", "X1", factor[1]);
    const std::string x2 = scaled_copy("tests/data/small/X2.csv", "X2", factor[2]);
    const std::array<double, 3> unit{factor[0], factor[0] / factor[1], factor[0] / factor[2]};
    for (const std::string algorithm : {"auto", "refit"}) {
      const std::string label = algorithm + " " + std::to_string(factor[0]);
      const std::string common = " --perms 99 --seed 4 --format json --algorithm " + algorithm;
      const ProcessRun plain = Qap("regress " + kSmall + common);
      const ProcessRun extreme = Qap("regress --y " + y + " --x " + x1 + " " + x2 + common);
      ASSERT_EQ(plain.status, 0) << plain.err;
      ASSERT_EQ(extreme.status, 0) << extreme.err;
      const auto want = nlohmann::json::parse(plain.out);
      const auto got = nlohmann::json::parse(extreme.out);
      EXPECT_NEAR(got["model"]["r_squared"].get<double>(), want["model"]["r_squared"].get<double>(),
                  1e-12);
      SamePermutationTest(got["model"]["r_squared_permutation"],
                          want["model"]["r_squared_permutation"], label);
      for (std::size_t c = 0; c < 3; ++c) {
        const auto& g = got["coefficients"][c];
        const auto& w = want["coefficients"][c];
        EXPECT_TRUE(testing::RelativelyNear(g["t"].get<double>(), w["t"].get<double>(), 1e-9))
            << label << c;
        EXPECT_TRUE(testing::RelativelyNear(g["coefficient"].get<double>(),
                                            w["coefficient"].get<double>() * unit[c], 1e-9, 0.0))
            << label << c;
        EXPECT_TRUE(testing::RelativelyNear(g["std_error"].get<double>(),
                                            w["std_error"].get<double>() * unit[c], 1e-9, 0.0))
            << label << c;
        SamePermutationTest(g["permutation"], w["permutation"], label);
      }
    }
    const ProcessRun plain_r =
        Qap("correlate tests/data/small/Y.csv tests/data/small/X2.csv --perms 99 --seed 4 --format "
            "json");
    const ProcessRun extreme_r =
        Qap("correlate " + y + " " + x2 + " --perms 99 --seed 4 --format json");
    ASSERT_EQ(extreme_r.status, 0) << extreme_r.err;
    const auto want_r = nlohmann::json::parse(plain_r.out);
    const auto got_r = nlohmann::json::parse(extreme_r.out);
    EXPECT_NEAR(got_r["r"].get<double>(), want_r["r"].get<double>(), 1e-13);
    EXPECT_GT(std::abs(got_r["r"].get<double>()), 0.05);
    SamePermutationTest(got_r["permutation"], want_r["permutation"], "correlate");
  }
}

TEST_F(Cli, ToleratedOddities) {
  const ProcessRun mixed =
      Qap("regress --y tests/bad_inputs/good_y.csv --x tests/bad_inputs/mixed_line_endings.csv "
          "--null classical --format json");
  ASSERT_EQ(mixed.status, 0) << mixed.err;
  EXPECT_EQ(nlohmann::json::parse(mixed.out)["dyads_used"], 6);
  const ProcessRun semicolons =
      Qap("regress --y tests/bad_inputs/good_y.csv --x tests/bad_inputs/semicolons.csv "
          "--null classical");
  EXPECT_EQ(semicolons.status, 0) << semicolons.err;  // detected delimiter
}

TEST_F(Cli, OutputToAMissingFolderFailsBeforeAnyWork) {
  const ProcessRun run = Qap("regress " + kSmall + "--perms 10 -o /nonexistent/folder/out.txt");
  EXPECT_EQ(run.status, 6);
  EXPECT_NE(run.err.find("/nonexistent/folder/out.txt"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("does not exist"), std::string::npos) << run.err;
}

TEST_F(Cli, ExistingOutputIsReplacedWholeOnlyOnSuccess) {
  const fs::path out = folder_ / "keep.txt";
  std::ofstream(out) << "previous";
  const ProcessRun failed =
      Qap("regress --y tests/bad_inputs/good_y.csv --x tests/bad_inputs/non_numeric.csv -o '" +
          out.string() + "'");
  EXPECT_EQ(failed.status, 3);
  EXPECT_EQ(ReadFile(out), "previous");
  ASSERT_EQ(Qap("regress " + kSmall + "--null classical -o '" + out.string() + "'").status, 0);
  EXPECT_NE(ReadFile(out).find("QAP regression"), std::string::npos);
  for (const auto& entry : fs::directory_iterator(folder_)) {
    EXPECT_EQ(entry.path().filename().string().find(".qap-"), std::string::npos)
        << "temporary left behind";
  }
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

TEST_F(Cli, DependenceWritesTheWorkedExampleMatricesAndReport) {
  for (const char* flows :
       {"tests/data/worked_example_flows.csv", "tests/data/worked_example_flows_long.csv"}) {
    const ProcessRun run = Qap(std::string("dependence --flows ") + flows + " --output-dir '" +
                               folder_.string() + "'");
    ASSERT_EQ(run.status, 0) << run.err;
    const LabelledMatrix dt = ReadLabelledMatrix((folder_ / "DT.csv").string(), {});
    const auto a = std::find(dt.labels.begin(), dt.labels.end(), "D") - dt.labels.begin();
    const auto b = std::find(dt.labels.begin(), dt.labels.end(), "A") - dt.labels.begin();
    EXPECT_NEAR(dt.values(a, b), 4.1895, 5e-5) << flows;  // DT_DA of docs/study-method.md §1.5
    for (const char* file : {"E.csv", "I.csv", "concentration.csv", "report.json"}) {
      EXPECT_TRUE(fs::exists(folder_ / file)) << file;
    }
  }
  const ProcessRun active = Qap(
      "dependence --flows tests/data/worked_example_flows.csv --partners active --output-dir '" +
      folder_.string() + "'");
  ASSERT_EQ(active.status, 0) << active.err;
  const auto report = nlohmann::json::parse(ReadFile(folder_ / "report.json"));
  EXPECT_EQ(report["undefined_import_cells"], 2);
  EXPECT_EQ(report["partners"], "active");
}

TEST_F(Cli, DependenceRefusesBadFlowsAndMissingFoldersWritingNothing) {
  const ProcessRun negative =
      Qap("dependence --flows tests/bad_inputs/negative_flow.csv --output-dir '" +
          folder_.string() + "'");
  EXPECT_EQ(negative.status, 4);
  EXPECT_NE(negative.err.find("(exporter \"A\", importer \"B\") is negative"), std::string::npos)
      << negative.err;
  EXPECT_FALSE(fs::exists(folder_ / "DT.csv"));
  const ProcessRun missing =
      Qap("dependence --flows tests/data/worked_example_flows.csv --output-dir /nonexistent/dir");
  EXPECT_EQ(missing.status, 6);
  EXPECT_NE(missing.err.find("/nonexistent/dir"), std::string::npos);
}

TEST_F(Cli, NetworkPrintsMetricsRanksAndTheFocalSummary) {
  const ProcessRun run =
      Qap("network --flows tests/data/worked_example_flows.csv --kind export --focal A");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out.rfind("node,in_degree,rank_in_degree,", 0), 0U) << run.out;  // issue 13
  EXPECT_NE(run.out.find("\nA,2,"), std::string::npos) << run.out;  // A is sold to by B and C
  // The focal node's ranks and the options are in the CSV's sidecar.
  const fs::path csv = folder_ / "network.csv";
  ASSERT_EQ(Qap("network --flows tests/data/worked_example_flows.csv --kind export --focal A -o '" +
                csv.string() + "'")
                .status,
            0);
  EXPECT_EQ(ReadFile(csv), run.out);
  const auto meta = nlohmann::json::parse(ReadFile(csv.string() + ".meta.json"));
  EXPECT_EQ(meta["kind"], "export");
  EXPECT_EQ(meta["focal"], "A");
  EXPECT_TRUE(meta["focal_ranks"].contains("in_degree")) << meta.dump(2);
  const ProcessRun json = Qap(
      "network --flows tests/data/worked_example_flows.csv --threshold-quantile 0.5 --format json");
  ASSERT_EQ(json.status, 0) << json.err;
  const auto parsed = nlohmann::json::parse(json.out);
  EXPECT_EQ(parsed["metrics"].size(), 4U);
  EXPECT_EQ(parsed["threshold_quantile"], 0.5);
  EXPECT_EQ(Qap("network --flows tests/data/worked_example_flows.csv --threshold 1 "
                "--threshold-quantile 0.5")
                .status,
            2);
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

TEST_F(Cli, DependenceFromAComtradeFileReportsWhatWasDropped) {
  const ProcessRun run =
      Qap("dependence --trade tests/data/trade_comtrade.csv --hs 850511 --year 2023 --reconcile "
          "exporter "
          "--reference-dir tests/data/reference --output-dir '" +
          folder_.string() + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto report = nlohmann::json::parse(ReadFile(folder_ / "report.json"));
  EXPECT_EQ(report["trade_file"]["layout"], "comtrade");
  EXPECT_EQ(report["trade_file"]["dropped_aggregates"]["World"], 1);
  EXPECT_EQ(report["trade_file"]["re_exports_and_re_imports_left_out"], 1);
  EXPECT_EQ(report["reconciliation"]["rule"], "exporter");
  const LabelledMatrix dt = ReadLabelledMatrix((folder_ / "DT.csv").string(), {});
  EXPECT_NEAR(dt.values(3, 0), 4.1895, 5e-5);  // DDD on AAA: the worked example's D on A
  const ProcessRun missing_year =
      Qap("dependence --trade tests/data/trade_comtrade.csv --hs 850511 "
          "--reference-dir tests/data/reference --output-dir '" +
          folder_.string() + "'");
  EXPECT_EQ(missing_year.status, 2);
  const ProcessRun no_such_year =
      Qap("dependence --trade tests/data/trade_comtrade.csv --hs 850511 --year 2019 "
          "--reference-dir tests/data/reference --output-dir '" +
          folder_.string() + "'");
  EXPECT_EQ(no_such_year.status, 4);
  EXPECT_NE(no_such_year.err.find("no records for commodity 850511 in 2019"), std::string::npos)
      << no_such_year.err;
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

TEST_F(Cli, CovariatesFromRawFilesFeedRegressAndSayTheDataAreSynthetic) {
  const std::string raw = "fixtures/raw-2013-2023/";
  const ProcessRun run = Qap("covariates --trade " + raw +
                             "comtrade_rare_earths_2013_2023.csv --hs 280530 --direction export "
                             "--year 2023 --wdi " +
                             raw + "wdi_gdp_per_capita.csv --gdp-fill " + raw +
                             "imf_weo_gdp_per_capita_twn.csv --wgi " + raw +
                             "wgi_2013_2023.csv --output-dir '" + folder_.string() + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto report = nlohmann::json::parse(ReadFile(folder_ / "report.json"));
  EXPECT_EQ(report["nodes"], 19);
  EXPECT_EQ(report["dyads_directed"], 342);  // the paper's N for HS 280530 exports
  ASSERT_EQ(report["data_notes"].size(), 1U);
  EXPECT_NE(report["data_notes"][0].get<std::string>().find("SYNTHETIC"), std::string::npos);
  const std::string dir = folder_.string();
  const ProcessRun regress = Qap("regress --y '" + dir + "/REE.csv' --x '" + dir + "/TPR.csv' '" +
                                 dir + "/PGDP.csv' '" + dir + "/TD.csv' '" + dir + "/ECI.csv' '" +
                                 dir + "/WGI.csv' --perms 99 --seed 1 --format json");
  ASSERT_EQ(regress.status, 0) << regress.err;
  EXPECT_EQ(nlohmann::json::parse(regress.out)["dyads_used"], 342);
}

// Issue 10's promise: files exactly as the publishers ship them (a Comtrade
// Plus web download in Windows-1252 with breakdowns, sub-flows and HS4 rows;
// the WDI API download; the IMF WEO file in UTF-16LE; the WGI release
// workbook with WGI's own codes) run without editing a byte, and every
// partner that does not reach the regression is listed with its reason.
TEST_F(Cli, PublisherDownloadsRunWithoutEditingAByte) {
  const std::string set = "tests/data/publishers/";
  const ProcessRun run =
      Qap("covariates --trade " + set +
          "download_set/TradeData_850511_2023.csv --hs 850511 --direction export "
          "--year 2023 --wdi " +
          set + "wdi_api_gdp_per_capita_excerpt.csv --gdp-fill " + set +
          "weo_apr2024_excerpt_utf16le.xls --wgi " + set +
          "wgi_workbook_2023_excerpt.xlsx --drop-incomplete "
          "--output-dir '" +
          folder_.string() + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  // Text: each dropped partner with its reason, each file's encoding, what the trade reader left
  // out.
  for (const char* expected :
       {"5 partners kept, 2 dropped", "dropped TLS: no WGI cc estimate for 2023",
        "dropped TWN: no WGI va estimate for 2023", "comtrade, Windows-1252", "UTF-16LE",
        "UTF-8 (BOM)", "sub-flow rows left out: RX 1",
        "other classification levels left out: HS4 1", "2 left out beside a total row"}) {
    EXPECT_NE(run.err.find(expected), std::string::npos) << expected << "\n" << run.err;
  }
  const auto report = nlohmann::json::parse(ReadFile(folder_ / "report.json"));
  EXPECT_EQ(report["nodes"], 5);  // AND, COD, ROU, PSE (WGI's WBG), USA
  ASSERT_EQ(report["dropped_partners"].size(), 2U);
  EXPECT_EQ(report["dropped_partners"][1]["iso3"],
            "TWN");  // Comtrade's 490 "Other Asia, nes", ISO field S19
  EXPECT_EQ(report["trade_file"]["encoding"], "Windows-1252");
  ASSERT_EQ(report["attribute_files"].size(), 3U);
  EXPECT_EQ(report["attribute_files"][1]["encoding"], "UTF-16LE");
  EXPECT_EQ(report["attribute_files"][2]["layout"],
            "WGI release workbook, one sheet per indicator");
  for (const auto& file : report["attribute_files"])
    EXPECT_TRUE(file["unresolved_economies"].empty()) << file;
  const std::string partners = ReadFile(folder_ / "partners.csv");
  for (const char* iso3 : {"AND,", "COD,", "PSE,", "ROU,", "USA,"}) {
    EXPECT_NE(partners.find(std::string("\n") + iso3), std::string::npos) << iso3 << "\n"
                                                                          << partners;
  }

  // The same files through a study manifest: the footnote under Table 3, the reasons and the file
  // accounts in JSON.
  const ProcessRun study = Qap("study run " + set + "download_set/study.toml -q");
  ASSERT_EQ(study.status, 0) << study.err;
  EXPECT_NE(
      study.out.find("850511 export: 2 partners dropped (TLS, TWN); reasons in the JSON output"),
      std::string::npos)
      << study.out;
  EXPECT_NE(study.out.find("N                    20"), std::string::npos) << study.out;
  const ProcessRun json = Qap("study run " + set + "download_set/study.toml -q --format json");
  ASSERT_EQ(json.status, 0) << json.err;
  const auto table = nlohmann::json::parse(json.out);
  EXPECT_EQ(table["trade_file"]["encoding"], "Windows-1252");
  ASSERT_EQ(table["attribute_files"].size(), 3U);
  ASSERT_EQ(table["models"][0]["dropped_partners"].size(), 2U);
  EXPECT_NE(table["models"][0]["dropped_partners"][1]["reason"].get<std::string>().find(
                "no WGI va estimate"),
            std::string::npos);
}

TEST_F(Cli, CovariatesStopOnAPartnerWithoutAttributesUnlessAskedToDrop) {
  const std::string raw = "fixtures/raw-2013-2023/";
  const std::string common = "covariates --trade " + raw +
                             "comtrade_rare_earths_2013_2023.csv --hs 850511 --year 2023 "
                             "--wdi " +
                             raw + "wdi_gdp_per_capita.csv --wgi " + raw +
                             "wgi_2013_2023.csv --output-dir '" + folder_.string() + "'";
  // Without --gdp-fill Taiwan (not in WDI) has no GDP per capita.
  const ProcessRun stopped = Qap(common + " --direction import");
  EXPECT_EQ(stopped.status, 4);
  EXPECT_NE(
      stopped.err.find("partner TWN of CHN (850511 import 2023): no GDP per capita for 2023 in"),
      std::string::npos)
      << stopped.err;
  EXPECT_FALSE(fs::exists(folder_ / "REI.csv"));
  const ProcessRun dropped = Qap(common + " --direction import --drop-incomplete");
  ASSERT_EQ(dropped.status, 0) << dropped.err;
  const auto report = nlohmann::json::parse(ReadFile(folder_ / "report.json"));
  ASSERT_EQ(report["dropped_partners"].size(), 1U);
  EXPECT_EQ(report["dropped_partners"][0]["iso3"], "TWN");
  EXPECT_EQ(report["nodes"], 159);
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

TEST_F(Cli, StudyRunWritesEveryTableAndSaysWhenAModelFailed) {
  const ProcessRun failing = Qap("study run tests/data/manifests/failing.toml -q");
  EXPECT_EQ(failing.status, 5);
  EXPECT_NE(failing.out.find("failed: 111111 export:"), std::string::npos) << failing.out;
  EXPECT_NE(failing.err.find("1 of 2 models could not be estimated"), std::string::npos)
      << failing.err;
  const ProcessRun ok =
      Qap("study run tests/data/manifests/ready.toml -q --format csv markdown --output '" +
          folder_.string() + "'");
  ASSERT_EQ(ok.status, 0) << ok.err;
  EXPECT_TRUE(fs::exists(folder_ / "table3.csv"));
  EXPECT_TRUE(fs::exists(folder_ / "table3.md"));
  const ProcessRun bad = Qap("study run tests/data/manifests/unknown_key.toml");
  EXPECT_EQ(bad.status, 3);
  EXPECT_NE(bad.err.find("unknown_key.toml:3:1: unknown key \"colour\" in [study]"),
            std::string::npos)
      << bad.err;
  const ProcessRun init = Qap("study init");
  EXPECT_EQ(init.status, 0);
  EXPECT_NE(init.out.find("[robustness]"), std::string::npos);
  // A manifest written anywhere points at the bundled fixtures and runs.
  const fs::path manifest = folder_ / "elsewhere.toml";
  ASSERT_EQ(Qap("study init '" + manifest.string() + "'").status, 0);
  const ProcessRun elsewhere = Qap("study run '" + manifest.string() + "' -q --format csv");
  EXPECT_EQ(elsewhere.status, 0) << elsewhere.err;
  EXPECT_NE(elsewhere.out.find("T3,export,N,850511,3306,"), std::string::npos);
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

// Issue 6's determinism suite: the same command prints byte-identical output
// for 1, 2 and all threads and across repeated runs, in every format. (The
// study's provenance header records the thread count; every other byte of
// its output is compared in Study.* tests.)
TEST_F(Cli, OutputIsByteIdenticalAcrossThreadCountsAndRepeatedRuns) {
  const std::string all = std::to_string(std::max(1U, std::thread::hardware_concurrency()));
  const std::vector<std::string> commands = {
      "regress " + kFixture + "--perms 500 --seed 11",
      "regress --y tests/data/small_missing/Y.csv --x tests/data/small_missing/X1.csv "
      "tests/data/small_missing/X2.csv "
      "--null freedman-lane --perms 300 --seed 12",
      "correlate tests/data/small/Y.csv tests/data/small/X1.csv --perms 300 --seed 13"};
  for (const std::string& command : commands) {
    for (const char* format : {"text", "csv", "json", "markdown"}) {
      const std::string base = command + " --format " + format;
      const ProcessRun reference = Qap(base + " --threads 1");
      ASSERT_EQ(reference.status, 0) << base << "\n" << reference.err;
      for (const std::string& threads : {std::string("1"), std::string("2"), all}) {
        EXPECT_EQ(Qap(base + " --threads " + threads).out, reference.out)
            << base << " --threads " << threads;
      }
    }
  }
}

// Issue 12: without --threads (0, the default), OMP_NUM_THREADS decides the
// team size; --threads, when given, wins. The study's provenance header
// records the count it ran with.
TEST_F(Cli, OmpNumThreadsIsHonouredWithoutThreads) {
  const std::string study = "study run tests/data/manifests/ready.toml -q --format text";
  const ProcessRun three = Run(QAP_SOURCE_DIR, "OMP_NUM_THREADS=3", QAP_EXECUTABLE, study);
  ASSERT_EQ(three.status, 0) << three.err;
  EXPECT_NE(three.out.find("threads: 3 (the numbers do not depend on it)"), std::string::npos)
      << three.out;
  const ProcessRun given =
      Run(QAP_SOURCE_DIR, "OMP_NUM_THREADS=3", QAP_EXECUTABLE, study + " --threads 2");
  ASSERT_EQ(given.status, 0) << given.err;
  EXPECT_NE(given.out.find("threads: 2 (the numbers do not depend on it)"), std::string::npos)
      << given.out;
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

TEST_F(Cli, ConvertMovesMatricesBetweenCsvDlAndPajek) {
  const fs::path dl = folder_ / "ree.dl";
  const fs::path net = folder_ / "ree.net";
  const fs::path back = folder_ / "back.csv";
  ASSERT_EQ(Qap("convert tests/data/small/X1.csv '" + dl.string() + "'").status, 0);
  ASSERT_EQ(Qap("convert '" + dl.string() + "' '" + back.string() + "'").status, 0);
  const LabelledMatrix original =
      ReadLabelledMatrix(testing::SourcePath("tests/data/small/X1.csv"), {});
  const LabelledMatrix round = ReadLabelledMatrix(back.string(), {});
  EXPECT_EQ(round.labels, original.labels);
  EXPECT_EQ(round.values, original.values);
  ASSERT_EQ(Qap("convert tests/data/interchange/network.net '" + net.string() + "'").status, 0);
  EXPECT_NE(ReadFile(net).find("*Arcs"), std::string::npos);
  const ProcessRun split =
      Qap("convert tests/data/interchange/multi.dl '" + folder_.string() + "'");
  ASSERT_EQ(split.status, 0) << split.err;
  EXPECT_TRUE(fs::exists(folder_ / "multi_TRADE.csv"));
  EXPECT_TRUE(fs::exists(folder_ / "multi_AID.csv"));
  const ProcessRun several =
      Qap("convert tests/data/interchange/multi.dl '" + (folder_ / "one.csv").string() + "'");
  EXPECT_EQ(several.status, 2);
  EXPECT_NE(several.err.find("holds 2 matrices"), std::string::npos) << several.err;
  // qap regress reads DL and Pajek files directly.
  const ProcessRun regress =
      Qap("regress --y tests/data/interchange/full.dl --x tests/data/interchange/network.net "
          "--null classical --format json");
  ASSERT_EQ(regress.status, 0) << regress.err;
  EXPECT_EQ(nlohmann::json::parse(regress.out)["nodes"], 3);
}

// Issue 13: silent wrong results of convert. .tsv wrote commas; NA through
// Pajek came back as 0.
// Issue 13: GraphML and GML from igraph, networkx, Gephi and Cytoscape.
TEST_F(Cli, ConvertReadsGraphmlAndGml) {
  const fs::path out = folder_ / "net.csv";
  const ProcessRun graphml =
      Qap("convert tests/data/graph_files/networkx_directed.graphml '" + out.string() + "'");
  ASSERT_EQ(graphml.status, 0) << graphml.err;
  const LabelledMatrix m = ReadLabelledMatrix(out.string(), {});
  EXPECT_EQ(m.labels, (std::vector<std::string>{"CHN", "USA", "JPN", "DEU", "KOR"}));
  EXPECT_DOUBLE_EQ(m.values(0, 1), 2.5);
  EXPECT_DOUBLE_EQ(m.values(1, 0), 1.0);
  // Two numeric attributes: FILE:ATTRIBUTE reads one, a folder takes both.
  const ProcessRun one =
      Qap("convert tests/data/graph_files/networkx_undirected.gml:count '" + out.string() + "'");
  ASSERT_EQ(one.status, 0) << one.err;
  EXPECT_DOUBLE_EQ(ReadLabelledMatrix(out.string(), {}).values(3, 2), 5.0);
  const ProcessRun both =
      Qap("convert tests/data/graph_files/networkx_undirected.gml '" + folder_.string() + "'");
  ASSERT_EQ(both.status, 0) << both.err;
  EXPECT_TRUE(fs::exists(folder_ / "networkx_undirected_weight.csv"));
  EXPECT_TRUE(fs::exists(folder_ / "networkx_undirected_count.csv"));
}

TEST_F(Cli, ConvertWritesTsvForTsvAndKeepsOrRefusesMissingCells) {
  const std::string missing = "tests/data/small_missing/Y.csv";
  const LabelledMatrix original = ReadLabelledMatrix(testing::SourcePath(missing), {});
  auto same_cells = [&](const LabelledMatrix& got, const std::string& label) {
    EXPECT_EQ(got.labels, original.labels) << label;
    for (Eigen::Index i = 0; i < original.size(); ++i) {
      for (Eigen::Index j = 0; j < original.size(); ++j) {
        const double want = original.values(i, j);
        if (IsObserved(want)) {
          EXPECT_EQ(got.values(i, j), want) << label << " " << i << "," << j;
        } else {
          EXPECT_FALSE(IsObserved(got.values(i, j))) << label << " " << i << "," << j;
        }
      }
    }
  };
  const fs::path tsv = folder_ / "y.tsv";
  ASSERT_EQ(Qap("convert " + missing + " '" + tsv.string() + "'").status, 0);
  const std::string text = ReadFile(tsv);
  EXPECT_EQ(text.substr(0, 5), "\tn01\t") << text;
  EXPECT_NE(text.find("\tNA\t"), std::string::npos);
  same_cells(ReadLabelledMatrix(tsv.string(), {}), "tsv");
  // --to tsv says it whatever the extension; .txt still needs --to.
  const fs::path txt = folder_ / "y.txt";
  ASSERT_EQ(Qap("convert " + missing + " '" + txt.string() + "' --to tsv").status, 0);
  EXPECT_EQ(ReadFile(txt), text);
  fs::remove(txt);
  const ProcessRun unknown = Qap("convert " + missing + " '" + txt.string() + "'");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("give --to csv|tsv|dl|pajek"), std::string::npos) << unknown.err;
  EXPECT_FALSE(fs::exists(txt));
  // DL keeps NA: CSV -> DL -> CSV.
  const fs::path dl = folder_ / "y.dl";
  const fs::path back = folder_ / "back.csv";
  ASSERT_EQ(Qap("convert " + missing + " '" + dl.string() + "'").status, 0);
  ASSERT_EQ(Qap("convert '" + dl.string() + "' '" + back.string() + "'").status, 0);
  same_cells(ReadLabelledMatrix(back.string(), {}), "dl");
  // Pajek cannot: refused (exit 4), naming the cells and the formats that can.
  const fs::path net = folder_ / "y.net";
  const ProcessRun pajek = Qap("convert " + missing + " '" + net.string() + "'");
  EXPECT_EQ(pajek.status, 4);
  EXPECT_NE(pajek.err.find("Y has 6 missing off-diagonal cells (row, column): (\"n01\", "
                           "\"n04\")"),
            std::string::npos)
      << pajek.err;
  EXPECT_NE(pajek.err.find("write CSV, TSV or DL"), std::string::npos) << pajek.err;
  EXPECT_FALSE(fs::exists(net));
}

// Issue 13: Y given again as an X printed t = 1.9e16; it is refused (exit 5)
// naming the predictor. (The same file twice needs another name for one of
// them: a name used twice is refused first.)
TEST_F(Cli, DependentGivenAgainAsAPredictorIsRefused) {
  const ProcessRun run =
      Qap("regress --y tests/data/small/Y.csv --x tests/data/small/X1.csv tests/data/small/Y.csv "
          "--x-names X1 Y_again --perms 99 --seed 1");
  EXPECT_EQ(run.status, 5);
  EXPECT_NE(run.err.find("is identical to predictor 'Y_again' (tests/data/small/Y.csv) on "
                         "every one of the 72 dyads used: the fit is exact"),
            std::string::npos)
      << run.err;
  EXPECT_TRUE(run.out.empty());
}

// Issue 13: too few permutations for the stars, and more permutations than a
// 3-node network has orderings, are said in the header of every format.
TEST_F(Cli, PermutationCountWarningsAreInTheHeader) {
  const std::string regress =
      "regress --y tests/data/small/Y.csv --x tests/data/small/X1.csv "
      "--perms 10 --seed 1";
  const std::string few =
      "Warning: 10 permutations: the smallest attainable p-value is 1/11 = 0.0909, which already "
      "earns a star (*, p < 0.10)";
  const ProcessRun text = Qap(regress);
  ASSERT_EQ(text.status, 0) << text.err;
  const auto header_end = text.out.find("Nodes: ");
  // Text wraps at 100 columns: the warning's first line.
  const auto warning_at = text.out.find(few.substr(0, 74));
  EXPECT_LT(warning_at, header_end) << text.out;
  EXPECT_GT(warning_at, text.out.find("--perms")) << text.out;
  // CSV: in the sidecar, first (issue 13).
  const fs::path csv = folder_ / "few.csv";
  ASSERT_EQ(Qap(regress + " --format csv -o '" + csv.string() + "'").status, 0);
  EXPECT_EQ(ReadFile(csv).find(few.substr(9)), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(ReadFile(csv.string() + ".meta.json"))["warnings"][0]
                .get<std::string>()
                .find(few.substr(9)),
            0U);
  const ProcessRun json = Qap(regress + " --format json");
  ASSERT_EQ(json.status, 0) << json.err;
  const auto warnings = nlohmann::json::parse(json.out)["warnings"];
  ASSERT_EQ(warnings.size(), 1U) << json.out;
  EXPECT_EQ(warnings[0].get<std::string>().find(few.substr(9)), 0U) << warnings[0];
  // Enough permutations: no warning.
  const ProcessRun enough =
      Qap("regress --y tests/data/small/Y.csv --x tests/data/small/X1.csv --perms 199 --seed 1 "
          "--format json");
  ASSERT_EQ(enough.status, 0) << enough.err;
  EXPECT_TRUE(nlohmann::json::parse(enough.out)["warnings"].empty());
  // correlate on 3 nodes: 500 permutations of only 6 orderings.
  const std::string orderings =
      "500 permutations of 3 nodes, which have only 6 distinct orderings: permutations repeat";
  const fs::path sidecar = folder_ / "orderings.csv";
  for (const char* format : {"text", "csv", "json", "markdown"}) {
    const std::string csv_file =  // a CSV's warnings are in its sidecar (issue 13)
        std::string(format) == "csv" ? " -o '" + sidecar.string() + "'" : "";
    const ProcessRun run = Qap(
        "correlate tests/data/interchange/full.dl tests/data/interchange/network.net --perms 500 "
        "--seed 1 --format " +
        std::string(format) + csv_file);
    ASSERT_EQ(run.status, 0) << run.err;
    const std::string out = csv_file.empty() ? run.out : ReadFile(sidecar.string() + ".meta.json");
    EXPECT_NE(out.find(orderings), std::string::npos) << format << "\n" << out;
  }
}

// Issue 13: every CSV a command writes is a plain rectangle: the header row
// first, every line as many fields as the header, no comment or blank line
// (quoted commas counted as text).
void ExpectRectangular(const std::string& csv, const std::string& what) {
  ASSERT_FALSE(csv.empty()) << what;
  std::stringstream in(csv);
  std::string line;
  std::size_t header = 0;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    EXPECT_FALSE(line.empty()) << what << ": line " << number << " is blank";
    if (line.empty()) continue;
    EXPECT_NE(line.front(), '#') << what << ": " << line;
    std::size_t fields = 1;
    bool quoted = false;
    for (const char c : line) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) ++fields;
    }
    if (number == 1) {
      header = fields;
      EXPECT_EQ(line.find(",,"), std::string::npos) << what << ": an unnamed column";
    }
    EXPECT_EQ(fields, header) << what << ", line " << number << ": " << line;
  }
  EXPECT_GE(number, 2U) << what;
}

// The CSV goes to the file and its provenance to FILE.meta.json, written in
// the same transaction (refused with it); on standard output the CSV alone.
TEST_F(Cli, CsvOutputsAreBareTablesWithAMetaJsonSidecar) {
  const std::string regress = "regress " + kSmall + "--perms 20 --seed 4 --format csv";
  const ProcessRun stdout_csv = Qap(regress);
  ASSERT_EQ(stdout_csv.status, 0) << stdout_csv.err;
  ExpectRectangular(stdout_csv.out, "regress");
  EXPECT_EQ(stdout_csv.out.rfind("variable,file,coefficient,", 0), 0U) << stdout_csv.out;
  const fs::path csv = folder_ / "regress.csv";
  ASSERT_EQ(Qap(regress + " -o '" + csv.string() + "'").status, 0);
  EXPECT_EQ(ReadFile(csv), stdout_csv.out);
  const auto meta = nlohmann::json::parse(ReadFile(csv.string() + ".meta.json"));
  EXPECT_EQ(meta["command"], "regress");
  EXPECT_EQ(meta["options"]["seed"], 4);
  EXPECT_EQ(meta["options"]["permutations"], 20);
  EXPECT_TRUE(meta["inputs"]["dependent"]["sha256"].is_string()) << meta.dump(2);
  EXPECT_TRUE(meta["model"].contains("r_squared"));
  // Other formats get no sidecar.
  const fs::path json = folder_ / "regress.json";
  ASSERT_EQ(
      Qap("regress " + kSmall + "--perms 20 --seed 4 --format json -o '" + json.string() + "'")
          .status,
      0);
  EXPECT_FALSE(fs::exists(json.string() + ".meta.json"));
  // A sidecar that cannot be written refuses the run before it computes:
  // neither file appears.
  const fs::path blocked = folder_ / "blocked.csv";
  fs::create_directories(blocked.string() + ".meta.json");
  const ProcessRun refused = Qap(regress + " -o '" + blocked.string() + "'");
  EXPECT_EQ(refused.status, 6) << refused.err;
  EXPECT_NE(refused.err.find(".meta.json"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(blocked));

  const fs::path correlation = folder_ / "correlate.csv";
  ASSERT_EQ(Qap("correlate tests/data/small/Y.csv tests/data/small/X1.csv --perms 20 --seed 4 "
                "--format csv -o '" +
                correlation.string() + "'")
                .status,
            0);
  ExpectRectangular(ReadFile(correlation), "correlate");
  EXPECT_EQ(nlohmann::json::parse(ReadFile(correlation.string() + ".meta.json"))["command"],
            "correlate");

  const ProcessRun network = Qap("network --flows tests/data/worked_example_flows.csv --focal A");
  ASSERT_EQ(network.status, 0) << network.err;
  ExpectRectangular(network.out, "network");

  const fs::path dependence = folder_ / "dependence";
  fs::create_directories(dependence);
  ASSERT_EQ(Qap("dependence --flows tests/data/worked_example_flows.csv --output-dir '" +
                dependence.string() + "'")
                .status,
            0);
  ExpectRectangular(ReadFile(dependence / "concentration.csv"), "concentration.csv");

  const fs::path study = folder_ / "study";
  fs::create_directories(study);
  const ProcessRun tables =
      Qap("study run tests/data/manifests/ready.toml -q --format csv --output '" + study.string() +
          "'");
  ASSERT_EQ(tables.status, 0) << tables.err;
  std::size_t csv_files = 0;
  for (const auto& entry : fs::directory_iterator(study)) {
    if (entry.path().extension() != ".csv") continue;
    ++csv_files;
    ExpectRectangular(ReadFile(entry.path()), entry.path().filename().string());
    const auto sidecar = nlohmann::json::parse(ReadFile(entry.path().string() + ".meta.json"));
    EXPECT_EQ(sidecar["command"], "study run") << entry.path();
  }
  EXPECT_GE(csv_files, 1U);
}

// The readers' notes (labels numbered by position) are printed under the
// options in effect, and are in the JSON and the CSV's sidecar.
TEST_F(Cli, InputNotesArePrintedWithTheOptions) {
  const std::string regress = "regress " + kSmall + "--perms 20 --seed 4 --labels position";
  const ProcessRun text = Qap(regress);
  ASSERT_EQ(text.status, 0) << text.err;
  const std::size_t note = text.out.find("Note: Y, X1, X2: nodes by position: numbered 1..");
  EXPECT_NE(note, std::string::npos) << text.out;
  EXPECT_LT(note, text.out.find("Nodes: ")) << text.out;
  const ProcessRun json = Qap(regress + " --format json");
  ASSERT_EQ(json.status, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)["notes"].size(), 1U)
      << json.out;  // one line for Y, X1, X2
  const ProcessRun named = Qap("regress " + kSmall + "--perms 20 --seed 4 --format json");
  EXPECT_TRUE(nlohmann::json::parse(named.out)["notes"].empty()) << named.out;
  const ProcessRun correlate =
      Qap("correlate tests/data/small/Y.csv tests/data/small/X1.csv --perms 20 --seed 4 "
          "--labels position --format markdown");
  EXPECT_NE(correlate.out.find("Note: Y, X1: nodes by position"), std::string::npos)
      << correlate.out;
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

// qap finds its data at run time (cli/data_folder.hpp): installed with
// `cmake --install`, copied elsewhere, pointed at by QAP_DATA_DIR, or in the
// source tree it was built in. Nothing in --help names the build machine.
std::string Raw(const std::string& file) {
  return "'" + testing::SourcePath("fixtures/raw-2013-2023/" + file) + "'";
}

std::string CovariatesArguments(const fs::path& out) {
  return "covariates --trade " + Raw("comtrade_rare_earths_2013_2023.csv") +
         " --hs 280530 --direction export --year 2023 --wdi " + Raw("wdi_gdp_per_capita.csv") +
         " --gdp-fill " + Raw("imf_weo_gdp_per_capita_twn.csv") + " --wgi " +
         Raw("wgi_2013_2023.csv") + " --output-dir '" + out.string() + "'";
}

TEST_F(Cli, HelpShowsTheDataFolderSymbolicallyNotABuildPath) {
  for (const char* command :
       {"covariates --help", "dependence --help", "network --help", "study run --help"}) {
    const ProcessRun help = Qap(command);
    ASSERT_EQ(help.status, 0) << command;
    EXPECT_EQ(help.out.find(QAP_SOURCE_DIR), std::string::npos) << command << "\n" << help.out;
    EXPECT_NE(help.out.find("<data>/"), std::string::npos) << command;
    EXPECT_NE(help.out.find("QAP_DATA_DIR"), std::string::npos) << command;
  }
}

TEST_F(Cli, AnInstalledQapFindsItsDataFromAnyFolder) {
  const fs::path build = fs::path(QAP_EXECUTABLE).parent_path().parent_path();
  const fs::path prefix = folder_ / "prefix";
  ASSERT_EQ(std::system(("cmake --install '" + build.string() + "' --prefix '" + prefix.string() +
                         "' >'" + (folder_ / "install.log").string() + "' 2>&1")
                            .c_str()),
            0)
      << ReadFile(folder_ / "install.log");
  const fs::path qap = prefix / "bin" / "qap";
  ASSERT_TRUE(fs::exists(qap));
  for (const char* file :
       {"reference/countries.csv", "reference/aggregates.csv", "reference/memberships.csv",
        "reference/imf_advanced_economies.csv", "reference/README.md",
        "paper/tables34_as_printed.csv", "paper/README.md"}) {
    EXPECT_TRUE(fs::exists(prefix / "share" / "qap" / file)) << file;
  }
  EXPECT_FALSE(fs::exists(prefix / "share" / "qap" / "reference" / "check_reference.py"));

  // From an unrelated working folder, the defaults come from <prefix>/share/qap.
  const fs::path out = folder_ / "out";
  fs::create_directories(out);
  const ProcessRun covariates = Run(folder_.string(), "", qap.string(), CovariatesArguments(out));
  ASSERT_EQ(covariates.status, 0) << covariates.err;
  const auto report = nlohmann::json::parse(ReadFile(out / "report.json"));
  EXPECT_EQ(report["dyads_directed"], 342);
  EXPECT_NE(report.dump().find((prefix / "share/qap/reference/memberships.csv").string()),
            std::string::npos)
      << report.dump();

  const ProcessRun compared =
      Run(folder_.string(), "", qap.string(),
          "study run '" + testing::SourcePath("tests/data/manifests/ready.toml") +
              "' -q --format text --compare-printed");
  ASSERT_EQ(compared.status, 0) << compared.err;
  EXPECT_NE(compared.out.find("Engine vs printed Tables 3 and 4 (" +
                              (prefix / "share/qap/paper/tables34_as_printed.csv").string()),
            std::string::npos)
      << compared.out;
  EXPECT_NE(compared.out.find("note: the inputs are synthetic"), std::string::npos) << compared.out;

  const ProcessRun help = Run(folder_.string(), "", qap.string(), "covariates --help");
  EXPECT_EQ(help.out.find(QAP_SOURCE_DIR), std::string::npos) << help.out;

  // Installed, there are no example data: study init writes placeholders,
  // and a reference_dir relative to the manifest that reaches share/qap.
  fs::create_directories(folder_ / "study");
  const fs::path manifest = folder_ / "study" / "m.toml";
  const ProcessRun init =
      Run(folder_.string(), "", qap.string(), "study init '" + manifest.string() + "'");
  ASSERT_EQ(init.status, 0) << init.err;
  EXPECT_NE(init.err.find("EDIT-ME"), std::string::npos) << init.err;
  const std::string text = ReadFile(manifest);
  EXPECT_NE(text.find("trade = \"EDIT-ME/comtrade.csv\""), std::string::npos) << text;
  EXPECT_NE(text.find("reference_dir = \"../prefix/share/qap/reference\""), std::string::npos)
      << text;
  const ProcessRun placeholder =
      Run(folder_.string(), "", qap.string(), "study run '" + manifest.string() + "' -q");
  EXPECT_EQ(placeholder.status, 3);
  EXPECT_NE(placeholder.err.find("[data] trade: no such file or folder"), std::string::npos)
      << placeholder.err;
}

TEST_F(Cli, AMovedQapNeedsQapDataDirAndSaysSo) {
  const fs::path bin = folder_ / "elsewhere" / "bin";
  fs::create_directories(bin);
  fs::copy_file(QAP_EXECUTABLE, bin / "qap");
  fs::permissions(bin / "qap", fs::perms::owner_exec, fs::perm_options::add);
  const std::string qap = (bin / "qap").string();
  const fs::path out = folder_ / "out";
  fs::create_directories(out);

  const ProcessRun lost = Run(folder_.string(), "", qap, CovariatesArguments(out));
  EXPECT_EQ(lost.status, 2);
  EXPECT_NE(lost.err.find("found no data folder"), std::string::npos) << lost.err;
  EXPECT_NE(lost.err.find("QAP_DATA_DIR"), std::string::npos) << lost.err;
  EXPECT_NE(lost.err.find("--reference-dir"), std::string::npos) << lost.err;
  EXPECT_FALSE(fs::exists(out / "report.json"));

  // Commands that need no data do not care.
  EXPECT_EQ(Run(folder_.string(), "", qap,
                "regress --y '" + testing::SourcePath("tests/data/small/Y.csv") + "' --x '" +
                    testing::SourcePath("tests/data/small/X1.csv") + "' --perms 9 --seed 1")
                .status,
            0);
  // --reference-dir alone is enough.
  EXPECT_EQ(Run(folder_.string(), "", qap,
                CovariatesArguments(out) + " --reference-dir '" +
                    testing::SourcePath("fixtures/reference") + "'")
                .status,
            0);

  const std::string data = "QAP_DATA_DIR='" + testing::SourcePath("fixtures") + "'";
  fs::remove(out / "report.json");
  const ProcessRun found = Run(folder_.string(), data, qap, CovariatesArguments(out));
  ASSERT_EQ(found.status, 0) << found.err;
  EXPECT_NE(
      ReadFile(out / "report.json").find(testing::SourcePath("fixtures/reference/memberships.csv")),
      std::string::npos);

  // A wrong QAP_DATA_DIR is an error naming it, even where a default exists.
  for (const std::string& executable : {qap, std::string(QAP_EXECUTABLE)}) {
    const ProcessRun wrong =
        Run(folder_.string(), "QAP_DATA_DIR=/no/such/folder", executable, CovariatesArguments(out));
    EXPECT_EQ(wrong.status, 2) << executable;
    EXPECT_NE(wrong.err.find(
                  "QAP_DATA_DIR=/no/such/folder is not a folder holding reference/ and paper/"),
              std::string::npos)
        << wrong.err;
    const ProcessRun compare =
        Run(folder_.string(), "QAP_DATA_DIR=/no/such/folder", executable,
            "study run '" + testing::SourcePath("tests/data/manifests/ready.toml") +
                "' -q --compare-printed");
    EXPECT_EQ(compare.status, 2) << executable;
    EXPECT_NE(compare.err.find("QAP_DATA_DIR=/no/such/folder"), std::string::npos) << compare.err;
    EXPECT_EQ(compare.out, "");  // stopped before any model ran
  }
}

TEST_F(Cli, StudyInitWritesPathsRelativeToTheManifestAndKeepsAnExistingFile) {
  // From the build tree the data folder is the source tree's fixtures/.
  fs::create_directories(folder_ / "a" / "b");
  const fs::path manifest = folder_ / "a" / "b" / "study.toml";
  const ProcessRun init = Run(folder_.string(), "", QAP_EXECUTABLE, "study init a/b/study.toml");
  ASSERT_EQ(init.status, 0) << init.err;
  const std::string text = ReadFile(manifest);
  EXPECT_EQ(text.find("EDIT-ME/comtrade"), std::string::npos);
  EXPECT_EQ(text.find("= \"/"), std::string::npos) << text;  // no absolute path
  std::smatch match;
  ASSERT_TRUE(std::regex_search(text, match, std::regex("\ntrade = \"([^\"]+)\""))) << text;
  EXPECT_EQ(match[1].str().front(), '.');
  EXPECT_TRUE(fs::exists(manifest.parent_path() / match[1].str())) << match[1];
  ASSERT_TRUE(std::regex_search(text, match, std::regex("\nreference_dir = \"([^\"]+)\""))) << text;
  EXPECT_TRUE(fs::exists(manifest.parent_path() / match[1].str() / "countries.csv")) << match[1];
  // study run accepts it (the whole study runs in Cli.StudyRunWritesEveryTable...;
  // here one product, one direction, few permutations).
  std::string small =
      std::regex_replace(text, std::regex("products = \\[[^\\]]*\\]"), "products = [\"280530\"]");
  small = std::regex_replace(small, std::regex("directions = \\[[^\\]]*\\]"),
                             "directions = [\"export\"]");
  small = std::regex_replace(small, std::regex("permutations = 5000"), "permutations = 49");
  small = std::regex_replace(small, std::regex("variants = \\[[^\\]]*\\]"), "variants = []");
  { std::ofstream(folder_ / "a" / "b" / "small.toml") << small; }
  const ProcessRun run =
      Run(folder_.string(), "", QAP_EXECUTABLE, "study run a/b/small.toml -q --format csv");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("T3,export,N,280530,342,"), std::string::npos) << run.out;

  // An existing manifest is kept unless --force.
  { std::ofstream(manifest) << "# mine\n"; }
  const ProcessRun again = Run(folder_.string(), "", QAP_EXECUTABLE, "study init a/b/study.toml");
  EXPECT_EQ(again.status, 6);
  EXPECT_NE(again.err.find("a/b/study.toml: the file exists; give --force to replace it"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(ReadFile(manifest), "# mine\n");
  ASSERT_EQ(Run(folder_.string(), "", QAP_EXECUTABLE, "study init a/b/study.toml --force").status,
            0);
  EXPECT_NE(ReadFile(manifest).find("[robustness]"), std::string::npos);
}

}  // namespace
}  // namespace qap

// Issue 11, classes 7-9: outputs are all or nothing, inputs are never
// overwritten, signals leave no staging file, standard output is checked.
namespace qap {
namespace {

bool HasStagingFile(const fs::path& folder) {
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().filename().string().find(".qap-staging-") != std::string::npos) return true;
  }
  return false;
}

TEST_F(Cli, AnOutputNamingAnInputIsRefusedBeforeComputingAndTheInputKept) {
  fs::copy_file(testing::SourcePath("tests/data/small/Y.csv"), folder_ / "Y.csv");
  fs::copy_file(testing::SourcePath("tests/data/small/X1.csv"), folder_ / "X1.csv");
  const std::string y = ReadFile(folder_ / "Y.csv");
  const std::string models = "--y '" + (folder_ / "Y.csv").string() + "' --x '" +
                             (folder_ / "X1.csv").string() +
                             "' tests/data/small/X2.csv --perms 10 --seed 1 ";
  const ProcessRun output = Qap("regress " + models + "-o '" + (folder_ / "Y.csv").string() + "'");
  EXPECT_EQ(output.status, 6);
  EXPECT_NE(output.err.find("is also the input --y"), std::string::npos) << output.err;
  EXPECT_EQ(ReadFile(folder_ / "Y.csv"), y);
  // Through `..` and through a symlink it is the same file.
  fs::create_directories(folder_ / "sub");
  fs::create_symlink("../X1.csv", folder_ / "sub" / "link.csv");
  const ProcessRun saved = Qap("regress " + models + "--save-permutations '" +
                               (folder_ / "sub" / "link.csv").string() + "'");
  EXPECT_EQ(saved.status, 6);
  EXPECT_NE(saved.err.find("is also the input --x"), std::string::npos) << saved.err;
  const ProcessRun dotted =
      Qap("regress " + models + "--plot '" + (folder_ / "sub" / ".." / "Y.csv").string() + "'");
  EXPECT_EQ(dotted.status, 6) << dotted.err;
  EXPECT_EQ(ReadFile(folder_ / "Y.csv"), y);
  EXPECT_TRUE(output.out.empty() && saved.out.empty() && dotted.out.empty());
  const ProcessRun convert =
      Qap("convert '" + (folder_ / "Y.csv").string() + "' '" + (folder_ / "Y.csv").string() + "'");
  EXPECT_EQ(convert.status, 6) << convert.err;
  EXPECT_EQ(ReadFile(folder_ / "Y.csv"), y);
}

TEST_F(Cli, AFailedWriteToStandardOutputExitsSix) {
  const ProcessRun full = Qap("regress " + kSmall + "--perms 10 --seed 1 >/dev/full");
  EXPECT_EQ(full.status, 6);
  EXPECT_NE(full.err.find("standard output: write failed"), std::string::npos) << full.err;
  const ProcessRun closed = Qap("regress " + kSmall + "--perms 10 --seed 1 >&-");
  EXPECT_EQ(closed.status, 6);
  EXPECT_NE(closed.err.find("standard output is closed"), std::string::npos) << closed.err;
  // Closed standard output, output to a file: the file gets the result, not descriptor 1.
  const ProcessRun to_file = Qap("regress " + kSmall + "--perms 10 --seed 1 -o '" +
                                 (folder_ / "r.txt").string() + "' >&-");
  EXPECT_EQ(to_file.status, 0) << to_file.err;
  EXPECT_NE(ReadFile(folder_ / "r.txt").find("QAP regression"), std::string::npos);
  EXPECT_EQ(Qap("--version >/dev/full").status, 6);
}

// qap blocks opening a FIFO nobody reads, after staging --save-permutations:
// SIGTERM, SIGINT or SIGHUP then must remove the staged file and end qap by
// that signal. (A signal this test process ignores is inherited as ignored,
// and qap rightly keeps ignoring it: such a signal is skipped.)
TEST_F(Cli, TerminationSignalsWhileWritingLeaveNoStagingFile) {
  const fs::path fifo = folder_ / "blocked.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string perms = (folder_ / "perms.txt").string();
  for (const int signal : {SIGTERM, SIGINT, SIGHUP}) {
    struct sigaction current {};
    ASSERT_EQ(::sigaction(signal, nullptr, &current), 0);
    if (current.sa_handler == SIG_IGN) continue;
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (::chdir(QAP_SOURCE_DIR) != 0) ::_exit(100);
      ::execl(QAP_EXECUTABLE, "qap", "regress", "--y", "tests/data/small/Y.csv", "--x",
              "tests/data/small/X1.csv", "--perms", "20000", "--seed", "1", "-q",
              "--save-permutations", perms.c_str(), "-o", fifo.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(101);
    }
    bool staged = false;
    for (int i = 0; i < 600 && !staged; ++i) {
      staged = HasStagingFile(folder_);
      if (!staged) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(staged) << "the permutation file was never staged";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // qap now waits for a FIFO reader
    ASSERT_EQ(::kill(child, signal), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == signal) << signal << ": " << status;
    EXPECT_FALSE(HasStagingFile(folder_)) << signal;
    EXPECT_FALSE(fs::exists(perms)) << signal;
    EXPECT_TRUE(fs::is_fifo(fifo));
  }
}

TEST_F(Cli, AnOutputNameOf254BytesIsWritten) {
  const std::string name = std::string(250, 'n') + ".txt";
  const ProcessRun run =
      Qap("regress " + kSmall + "--null classical -o '" + (folder_ / name).string() + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(ReadFile(folder_ / name).find("QAP regression"), std::string::npos);
  EXPECT_FALSE(HasStagingFile(folder_));
}

TEST_F(Cli, StudyRunChecksEveryPathBeforeWritingAnything) {
  fs::create_directories(folder_ / "out");
  const ProcessRun missing =
      Qap("study run tests/data/manifests/ready.toml -q --output '" + (folder_ / "out").string() +
          "' --compare-printed '" + (folder_ / "missing.csv").string() + "'");
  EXPECT_EQ(missing.status, 3) << missing.err;
  EXPECT_NE(missing.err.find("--compare-printed: the file does not exist"), std::string::npos)
      << missing.err;
  EXPECT_TRUE(fs::is_empty(folder_ / "out"));
  std::ofstream(folder_ / "file.txt") << "x";
  const ProcessRun file = Qap("study run tests/data/manifests/ready.toml -q --output '" +
                              (folder_ / "file.txt").string() + "'");
  EXPECT_EQ(file.status, 6);
  EXPECT_NE(file.err.find("file.txt is a file, not a folder"), std::string::npos) << file.err;
}

TEST_F(Cli, ConvertKeepsSlashesInMatrixNamesOutOfPaths) {
  std::ofstream(folder_ / "named.dl")
      << "dl n = 2, nm = 2\nformat = fullmatrix\nlabels:\nA B\nmatrix labels:\n"
         "trade/2023 ../aid\ndata:\n0 1\n1 0\n0 2\n2 0\n";
  fs::create_directories(folder_ / "out");
  const ProcessRun run =
      Qap("convert '" + (folder_ / "named.dl").string() + "' '" + (folder_ / "out").string() + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(fs::exists(folder_ / "out" / "named_trade_2023.csv"));  // "named:trade/2023"
  EXPECT_TRUE(fs::exists(folder_ / "out" / "named_.._aid.csv"));
  EXPECT_EQ(std::distance(fs::directory_iterator(folder_ / "out"), fs::directory_iterator()), 2);
}

// Issue 11, classes 5, 11 and 12: numbers are read whole and checked by the
// engine's one rule; runs too large for memory are refused before any work,
// and the system running out is exit 7, never an internal error.
TEST_F(Cli, NumbersAreNeitherClampedNorWrappedAndHugeRunsAreRefusedUpFront) {
  const std::string model = "regress --y tests/data/small/Y.csv --x tests/data/small/X1.csv -q ";
  const ProcessRun largest = Qap(model + "--perms 9 --seed 18446744073709551615");
  ASSERT_EQ(largest.status, 0) << largest.err;
  EXPECT_NE(largest.out.find("18446744073709551615"), std::string::npos);
  for (const char* seed : {"18446744073709551616", "99999999999999999999999", "-1", "1e5"}) {
    const ProcessRun run = Qap(model + "--perms 9 --seed " + seed);
    EXPECT_EQ(run.status, 2) << seed;
    EXPECT_NE(run.err.find("--seed: must be a whole number from 0 to 18446744073709551615, got " +
                           std::string(seed)),
              std::string::npos)
        << run.err;
  }
  const ProcessRun over = Qap(model + "--perms 1000000001");
  EXPECT_EQ(over.status, 2);
  EXPECT_NE(over.err.find("--perms: the number of permutations must be a whole number from 1 to "
                          "1000000000, got 1000000001"),
            std::string::npos)
      << over.err;
  const ProcessRun wraps = Qap(model + "--perms 18446744073709551617");
  EXPECT_EQ(wraps.status, 2);
  EXPECT_NE(
      wraps.err.find(
          "--perms: the number of permutations must be a whole number from 1 to 1000000000, got "
          "18446744073709551617"),
      std::string::npos)
      << wraps.err;

  // 10^9 permutations with the JSON quantiles or a plot: refused at once with
  // the memory needed (the run would otherwise take days before failing).
  const auto start = std::chrono::steady_clock::now();
  const ProcessRun json =
      Qap(model + "--perms 1000000000 --format json -o '" + (folder_ / "r.json").string() + "'");
  const ProcessRun plot =
      Qap(model + "--perms 1000000000 --plot '" + (folder_ / "r.svg").string() + "'");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  for (const ProcessRun* run : {&json, &plot}) {
    EXPECT_EQ(run->status, 2) << run->err;
    EXPECT_NE(run->err.find(
                  "1000000000 permutations of 3 statistics need 44.7 GiB, over the 4 GiB budget"),
              std::string::npos)
        << run->err;
    EXPECT_TRUE(run->out.empty());
  }
  const ProcessRun save =
      Qap(model + "--perms 1000000000 --save-permutations '" + (folder_ / "p.txt").string() + "'");
  EXPECT_EQ(save.status, 2);
  // Streamed to disk, so memory does not bound the file; reading it back does.
  EXPECT_NE(save.err.find("--save-permutations: 1000000000 permutations of 9 nodes are more than "
                          "--permutations can "
                          "read back (at most 71582788)"),
            std::string::npos)
      << save.err;
  for (const char* name : {"r.json", "r.svg", "p.txt"})
    EXPECT_FALSE(fs::exists(folder_ / name)) << name;

    // Under the budget but over what the system gives: exit 7 and a message, not exit 1.
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer reserves terabytes of shadow memory at start-up, so
  // ulimit -v stops it before main; its own allocator limit makes the same
  // allocation fail the way an exhausted system does (std::bad_alloc).
  const std::string limit = "ASAN_OPTIONS=allocator_may_return_null=1:max_allocation_size_mb=300 ";
#else
  const std::string limit = "ulimit -v 400000 && ";
#endif
  const ProcessRun limited = Run(QAP_SOURCE_DIR, "", "/bin/sh",
                                 "-c '" + limit + "exec \"" + std::string(QAP_EXECUTABLE) + "\" " +
                                     model + "--perms 50000000 --format json'");
  EXPECT_EQ(limited.status, 7) << limited.err;
  EXPECT_NE(limited.err.find("qap: error: out of memory"), std::string::npos) << limited.err;
  EXPECT_EQ(limited.err.find("internal error"), std::string::npos) << limited.err;
}

TEST_F(Cli, AnOptionNameIsNeverTakenForAValue) {
  const ProcessRun run = Qap("regress --y tests/data/small/Y.csv --x --perms 9");
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("--x: expected a value, got the option --perms (is a value missing?"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("no such file"), std::string::npos) << run.err;
  const ProcessRun output =
      Qap("regress --y tests/data/small/Y.csv --x tests/data/small/X1.csv -o -q");
  EXPECT_EQ(output.status, 2);
  EXPECT_NE(output.err.find("got the option -q"), std::string::npos) << output.err;
  // A file whose name starts with a dash is still reachable as ./-name.
  fs::copy_file(testing::SourcePath("tests/data/small/X1.csv"), folder_ / "--odd.csv");
  const ProcessRun odd = Run(folder_.string(), "", QAP_EXECUTABLE,
                             "regress --y '" + testing::SourcePath("tests/data/small/Y.csv") +
                                 "' --x ./--odd.csv --perms 9 --seed 1 -q");
  EXPECT_EQ(odd.status, 0) << odd.err;
  // Negative numbers are values, not options (and are then refused for what they are).
  const ProcessRun negative =
      Qap("regress --y tests/data/small/Y.csv --x tests/data/small/X1.csv --threads -1 -q");
  EXPECT_EQ(negative.status, 2);
  EXPECT_EQ(negative.err.find("got the option"), std::string::npos) << negative.err;
}

// Issue 13, CLI habits: a mistyped command or option is named with the
// nearest valid one; `qap help COMMAND` is `qap COMMAND --help`.
TEST_F(Cli, AMistypedCommandOrOptionSuggestsTheNearest) {
  const ProcessRun command = Qap("regres");
  EXPECT_EQ(command.status, 2);
  EXPECT_NE(command.err.find("qap: error: unknown command 'regres'; did you mean 'regress'?"),
            std::string::npos)
      << command.err;
  const ProcessRun nested = Qap("study rn x.toml");
  EXPECT_EQ(nested.status, 2);
  EXPECT_NE(nested.err.find("unknown command 'study rn'; did you mean 'study run'?"),
            std::string::npos)
      << nested.err;
  // Named before what it caused (--y is then missing too).
  const ProcessRun option = Qap("regress --perm 9");
  EXPECT_EQ(option.status, 2);
  EXPECT_NE(option.err.find("qap: error: unknown option '--perm'; did you mean '--perms'?"),
            std::string::npos)
      << option.err;
  const ProcessRun far = Qap("regress " + kSmall + "--zzzz 1");
  EXPECT_EQ(far.status, 2);
  EXPECT_NE(far.err.find("unknown option '--zzzz'\n"), std::string::npos) << far.err;
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
  for (const ProcessRun* run : {&command, &nested, &option, &far}) EXPECT_TRUE(run->out.empty());
}

TEST_F(Cli, HelpCommandPrintsWhatHelpOptionPrints) {
  for (const std::string command : {"regress", "study run", "study", ""}) {
    const ProcessRun help = Qap("help " + command);
    const ProcessRun option = Qap(command + " --help");
    EXPECT_EQ(help.status, 0) << command;
    EXPECT_EQ(option.status, 0) << command;
    EXPECT_FALSE(help.out.empty()) << command;
    EXPECT_EQ(help.out, option.out) << command;
  }
  const ProcessRun unknown = Qap("help regres");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("unknown command 'regres'; did you mean 'regress'?"),
            std::string::npos)
      << unknown.err;
  EXPECT_TRUE(unknown.out.empty());
}

// A command given nothing prints its usage on stderr and exits 2 (nothing ran).
TEST_F(Cli, ABareCommandPrintsItsUsageAndExitsTwo) {
  const std::string help = Qap("regress --help").out;
  const ProcessRun bare = Qap("regress");
  EXPECT_EQ(bare.status, 2);
  EXPECT_TRUE(bare.out.empty());
  EXPECT_EQ(bare.err.rfind(help, 0), 0U) << bare.err;
  EXPECT_NE(bare.err.find("qap: error: 'qap regress' needs arguments"), std::string::npos)
      << bare.err;
  for (const char* command :
       {"", "correlate", "dependence", "network", "covariates", "study", "study run", "convert"}) {
    const ProcessRun run = Qap(command);
    EXPECT_EQ(run.status, 2) << command;
    EXPECT_NE(run.err.find("Usage: qap"), std::string::npos) << command << "\n" << run.err;
  }
  EXPECT_EQ(Qap("study init").status, 0);  // writes the example manifest
}

// --perms takes a whole number in scientific notation; --seed stays digits only.
TEST_F(Cli, PermsTakesAWholeNumberInScientificNotation) {
  const std::string model = "regress " + kSmall + "-q --seed 5 --format json --perms ";
  const ProcessRun digits = Qap(model + "10000");
  ASSERT_EQ(digits.status, 0) << digits.err;
  const ProcessRun scientific = Qap(model + "1e4");
  ASSERT_EQ(scientific.status, 0) << scientific.err;
  EXPECT_EQ(scientific.out, digits.out);
  EXPECT_EQ(nlohmann::json::parse(Qap(model + "2.5E3").out)["options"]["permutations"], 2500);
  for (const char* count : {"1.5e0", "2.5e-1", "1e99999"}) {
    const ProcessRun run = Qap(model + count);
    EXPECT_EQ(run.status, 2) << count;
    EXPECT_NE(
        run.err.find("must be a whole number from 1 to 1000000000, got " + std::string(count)),
        std::string::npos)
        << run.err;
  }
  const ProcessRun seed = Qap(model + "9 --seed 1e3");
  EXPECT_EQ(seed.status, 2);
  EXPECT_NE(seed.err.find("--seed: must be a whole number"), std::string::npos) << seed.err;
}

// The progress line ("\r..." on a terminal) cut short by SIGINT ends with a
// newline before the process dies, so the shell's prompt starts a line.
TEST_F(Cli, AnInterruptedProgressLineEndsWithANewline) {
  struct sigaction current {};
  ASSERT_EQ(::sigaction(SIGINT, nullptr, &current), 0);
  if (current.sa_handler == SIG_IGN) GTEST_SKIP() << "SIGINT is ignored here";
  const int terminal = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (terminal < 0) GTEST_SKIP() << "no pseudo-terminal";
  ASSERT_EQ(::grantpt(terminal), 0);
  ASSERT_EQ(::unlockpt(terminal), 0);
  const std::string side = ::ptsname(terminal);
  const std::string out = (folder_ / "out.txt").string();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int fd = ::open(side.c_str(), O_RDWR | O_NOCTTY);
    if (fd < 0 || ::dup2(fd, STDERR_FILENO) < 0 || ::chdir(QAP_SOURCE_DIR) != 0) ::_exit(100);
    ::execl(QAP_EXECUTABLE, "qap", "regress", "--y", "tests/data/small/Y.csv", "--x",
            "tests/data/small/X1.csv", "--perms", "1000000000", "--seed", "1", "--threads", "1",
            "-o", out.c_str(), static_cast<char*>(nullptr));
    ::_exit(101);
  }
  std::string seen;
  const auto read_some = [&](int timeout_ms) {
    pollfd wait{terminal, POLLIN, 0};
    if (::poll(&wait, 1, timeout_ms) <= 0) return false;
    std::array<char, 4096> buffer{};
    const ssize_t got = ::read(terminal, buffer.data(), buffer.size());
    if (got <= 0) return false;  // EIO once the process has closed the terminal
    seen.append(buffer.data(), static_cast<std::size_t>(got));
    return true;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (seen.find("regress [") == std::string::npos && std::chrono::steady_clock::now() < deadline)
    read_some(100);
  ASSERT_EQ(::kill(child, SIGINT), 0);
  while (read_some(2000)) {
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  while (read_some(200)) {
  }
  ::close(terminal);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << status;
  ASSERT_NE(seen.find("regress ["), std::string::npos) << "no progress line was drawn: " << seen;
  EXPECT_EQ(seen.back(), '\n') << seen;  // the terminal writes "\r\n"
  EXPECT_FALSE(fs::exists(out));
}

// Issue 13: a gravity panel as R's write.csv, haven's .dta and .sav. --data
// FILE --where year=2023 gives the same model from each, and the same as
// FILE:COLUMN arguments with the same row filter; only the inputs' names and
// hashes differ.
TEST_F(Cli, AGravityPanelRegressesAlikeFromCsvStataSpssAndFileColumn) {
  const std::string folder = "tests/data/others_write/";
  const std::string model = " --where year=2023 --perms 99 --seed 1 --format json -q";
  auto fit = [&](const std::string& inputs) {
    const ProcessRun run = Qap("regress " + inputs + model);
    EXPECT_EQ(run.status, 0) << inputs << "\n" << run.err;
    return run.status == 0 ? nlohmann::json::parse(run.out) : nlohmann::json();
  };
  const nlohmann::json csv = fit("--data " + folder + "gravity.csv --y trade --x dist rta");
  ASSERT_FALSE(csv.is_null());
  EXPECT_EQ(csv["nodes"], 4);
  ASSERT_EQ(csv["coefficients"].size(), 3U);
  EXPECT_EQ(csv["coefficients"][1]["variable"], "dist");
  EXPECT_EQ(csv["coefficients"][2]["variable"], "rta");
  const std::string g = folder + "gravity.csv";
  for (const std::string& inputs : {"--data " + folder + "gravity.dta --y trade --x dist rta",
                                    "--data " + folder + "gravity.sav --y trade --x dist rta",
                                    "--y " + g + ":trade --x " + g + ":dist " + g + ":rta"}) {
    const nlohmann::json other = fit(inputs);
    ASSERT_FALSE(other.is_null()) << inputs;
    for (const char* key :
         {"coefficients", "model", "nodes", "dyads_used", "dyads_total", "alignment", "warnings"}) {
      EXPECT_EQ(other[key], csv[key]) << inputs << ": " << key;
    }
  }
}

// R's write.csv(m, row.names = FALSE) and write.csv of a matrix without
// dimnames are refused by name (tests/bad_inputs/catalogue.csv) and read with
// --labels position: node k of one is node k of the other.
TEST_F(Cli, RMatricesWithoutNamesReadByPosition) {
  const std::string folder = "tests/data/others_write/";
  const ProcessRun run = Qap("correlate " + folder + "r_write_csv_no_row_names.csv " + folder +
                             "r_write_csv_no_dimnames.csv --labels position --perms 9 --seed 1 "
                             "--format json -q");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["nodes"], 4) << run.out;
  EXPECT_EQ(json["r"], 1.0) << run.out;  // the same numbers, matched by position
}

}  // namespace
}  // namespace qap
