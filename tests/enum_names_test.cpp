// Issue 12, "each option defined once": one table per enum, the neutral field
// names of option errors and how each front end spells them.
#include "qap/core/enum_names.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>

#include "qap/core/alignment.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/permutation_test.hpp"
#include "qap/core/regression.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/render/report.hpp"
#include "qap/study/option_names.hpp"
#include "qap/trade/covariates.hpp"
#include "qap/trade/network.hpp"
#include "qap/trade/trade_data.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

// Every entry's name parses back to its value, names are unique, every entry
// has help, and a word outside the table is refused.
template <class E>
void ExpectRoundTrip(std::size_t expected_entries) {
  const auto table = EnumNames<E>();
  EXPECT_EQ(table.size(), expected_entries);
  std::set<std::string_view> names;
  for (const EnumName<E>& entry : table) {
    EXPECT_EQ(ToString(entry.value), std::string(entry.name));
    EXPECT_EQ(ParseEnum<E>(entry.name), entry.value) << entry.name;
    EXPECT_FALSE(entry.help.empty()) << entry.name;
    EXPECT_TRUE(names.insert(entry.name).second) << "listed twice: " << entry.name;
  }
  EXPECT_EQ(ParseEnum<E>("no-such-word"), std::nullopt);
  EXPECT_EQ(ParseEnum<E>(""), std::nullopt);
  EXPECT_EQ(ToString(static_cast<E>(99)), "?");
}

TEST(EnumNames, EveryTableRoundTrips) {
  ExpectRoundTrip<NullHypothesis>(5);
  ExpectRoundTrip<TestStatistic>(2);
  ExpectRoundTrip<PermutationAlgorithm>(2);
  ExpectRoundTrip<PValueRule>(2);
  ExpectRoundTrip<DyadMode>(2);
  ExpectRoundTrip<AlignMode>(2);
  ExpectRoundTrip<InputFormat>(7);
  ExpectRoundTrip<AbsentEdge>(2);
  ExpectRoundTrip<OutputFormat>(4);
  ExpectRoundTrip<TradeDirection>(2);
  ExpectRoundTrip<CovariateDesign>(2);
  ExpectRoundTrip<DifferenceKind>(2);
  ExpectRoundTrip<TradeIntensityFlow>(2);
  ExpectRoundTrip<RobustnessVariant>(4);
  ExpectRoundTrip<GeometricZeros>(3);
  ExpectRoundTrip<TradeFlow>(2);
  ExpectRoundTrip<Reconciliation>(2);
  ExpectRoundTrip<PartnerCount>(2);
  ExpectRoundTrip<NetworkKind>(4);
}

// The spellings users type today, so no command line or manifest breaks.
TEST(EnumNames, TheSpellingsUsersTypeStillParse) {
  EXPECT_EQ(ParseEnum<NullHypothesis>("freedman-lane"), NullHypothesis::kFreedmanLane);
  EXPECT_EQ(ParseEnum<NullHypothesis>("dsp"), NullHypothesis::kDoubleSemiPartialling);
  EXPECT_EQ(ParseEnum<TestStatistic>("beta"), TestStatistic::kCoefficient);
  EXPECT_EQ(ParseEnum<PValueRule>("plus-one"), PValueRule::kPlusOne);
  EXPECT_EQ(ParseEnum<InputFormat>("edgelist"), InputFormat::kEdgeList);
  EXPECT_EQ(ParseEnum<InputFormat>("dl"), InputFormat::kUcinetDl);
  EXPECT_EQ(ParseEnum<DifferenceKind>("abs"), DifferenceKind::kAbsolute);
  EXPECT_EQ(ParseEnum<CovariateDesign>("A"), CovariateDesign::kA);
  EXPECT_EQ(ParseEnum<PartnerCount>("all"), PartnerCount::kAllPotential);
  EXPECT_EQ(ParseEnum<Reconciliation>("exporter"), Reconciliation::kExporterOnly);
  EXPECT_EQ(ParseEnum<GeometricZeros>("log1p"), GeometricZeros::kLog1p);
  // Names are exact: no case folding, no abbreviations.
  EXPECT_EQ(ParseEnum<CovariateDesign>("a"), std::nullopt);
  EXPECT_EQ(ParseEnum<NullHypothesis>("DSP"), std::nullopt);
  EXPECT_EQ(ParseEnum<RobustnessVariant>("main"), std::nullopt);
  EXPECT_EQ(EnumChoiceList<NullHypothesis>(), "dsp, y, x, freedman-lane, classical");
  // The label column: reports write beta as the symbol b.
  EXPECT_EQ(EnumLabel(TestStatistic::kCoefficient), "b");
  EXPECT_EQ(EnumLabel(NullHypothesis::kPermuteY), "y");
}

// Engine checks name the option by field, never by a command-line flag; the
// front end spells it.
TEST(OptionErrors, ValidateNamesTheFieldAndEachFrontEndSpellsIt) {
  PermutationOptions options;
  options.permutations = 0;
  const auto problem = options.Validate();
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->field(), "permutations");
  EXPECT_EQ(std::string(problem->what()).find("--"), std::string::npos) << problem->what();
  EXPECT_EQ(
      FormatError(*problem, OptionContext::kCommandLine),
      "--perms: the number of permutations must be a whole number from 1 to 1000000000, got 0");
  EXPECT_EQ(FormatError(*problem, OptionContext::kManifest),
            "permutations: the number of permutations must be a whole number from 1 to 1000000000, "
            "got 0");

  options.permutations = 10;
  options.threads = -1;
  ASSERT_TRUE(options.Validate().has_value());
  EXPECT_EQ(options.Validate()->field(), "threads");
  EXPECT_EQ(FormatError(*options.Validate(), OptionContext::kCommandLine).rfind("--threads: ", 0),
            0U);

  NetworkOptions network;
  network.threshold_is_quantile = true;
  network.threshold = 1.5;
  ASSERT_TRUE(network.Validate().has_value());
  EXPECT_EQ(FormatError(*network.Validate(), OptionContext::kCommandLine),
            "--threshold-quantile: must be in [0, 1)");

  CovariateOptions covariates;
  ASSERT_TRUE(covariates.Validate().has_value());  // no commodity
  EXPECT_EQ(FormatError(*covariates.Validate(), OptionContext::kCommandLine),
            "--hs: the product code is required");

  // An error with no field is printed as it is, in any context.
  const OptionsError plain("already complete");
  EXPECT_EQ(plain.field(), "");
  EXPECT_EQ(FormatError(plain, OptionContext::kCommandLine), "already complete");
  EXPECT_EQ(FormatError(plain, OptionContext::kManifest), "already complete");
}

// The permutation count has one range for every front end; a signed count (a
// manifest's TOML integer) is reported as written, not as 0.
TEST(OptionErrors, NegativeCountIsReportedAsWritten) {
  EXPECT_EQ(CheckPermutationCount(std::int64_t{-5}),
            "the number of permutations must be a whole number from 1 to 1000000000, got -5");
  EXPECT_EQ(CheckPermutationCount(std::int64_t{0}),
            "the number of permutations must be a whole number from 1 to 1000000000, got 0");
  EXPECT_EQ(CheckPermutationCount(std::int64_t{7}), "");
  EXPECT_EQ(
      CheckPermutationCount(std::uint64_t{1000000001}),
      "the number of permutations must be a whole number from 1 to 1000000000, got 1000000001");
}

// A data error's hint names an option too: --drop-incomplete on the command
// line, drop_incomplete in a manifest.
TEST(OptionErrors, AHintInADataErrorIsSpelledPerFrontEnd) {
  const DataError e("partner X: no GDP; drop such partners with a report (", "drop_incomplete",
                    ")");
  EXPECT_EQ(e.field(), "drop_incomplete");
  EXPECT_STREQ(e.what(), "partner X: no GDP; drop such partners with a report (drop_incomplete)");
  EXPECT_EQ(FormatError(e, OptionContext::kCommandLine),
            "partner X: no GDP; drop such partners with a report (--drop-incomplete)");
  EXPECT_EQ(FormatError(e, OptionContext::kManifest),
            "partner X: no GDP; drop such partners with a report (drop_incomplete)");
}

// The null distribution's budget names three options (the plot twice): the
// command line gets its flags, a manifest or library caller the field names.
TEST(OptionErrors, TheNullDistributionBudgetNamesItsOptionsPerFrontEnd) {
  const std::optional<OptionsError> e = NullDistributionMemoryError(kMaxPermutations, 1);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->field(), "plot");
  const std::string flags = FormatError(*e, OptionContext::kCommandLine);
  EXPECT_EQ(flags.rfind("the JSON quantiles and --plot keep every permutation's statistics: ", 0),
            0U)
      << flags;
  EXPECT_NE(flags.find(", or another --format without --plot (the p-values need no such memory)"),
            std::string::npos)
      << flags;
  const std::string keys = FormatError(*e, OptionContext::kManifest);
  EXPECT_EQ(keys.find("--"), std::string::npos) << keys;
  EXPECT_NE(keys.find("or another format without plot ("), std::string::npos) << keys;
  EXPECT_FALSE(NullDistributionMemoryError(1000, 1).has_value());
}

// An unknown economy's hint names drop_unknown_economies: --drop-unknown on the
// command line; a study has no such flag.
TEST(OptionErrors, TheUnknownEconomyHintIsSpelledPerFrontEnd) {
  const CountryTable countries = CountryTable::Load(testing::SourcePath("tests/data/reference"));
  try {
    ParseTradeRecords("exporter,importer,hs,year,value\nAAA,Atlantis,850511,2023,5\n", "t.csv",
                      countries, {});
    ADD_FAILURE() << "an unknown economy was not refused";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "drop_unknown_economies");
    const std::string flags = FormatError(e, OptionContext::kCommandLine);
    EXPECT_EQ(flags.rfind("t.csv:2:5: field 2: unknown economy \"Atlantis\"", 0), 0U) << flags;
    EXPECT_NE(flags.find("or drop unknown economies with a report (--drop-unknown)"),
              std::string::npos)
        << flags;
    EXPECT_NE(
        FormatError(e, OptionContext::kManifest).find("with a report (drop_unknown_economies)"),
        std::string::npos);
  }
}

}  // namespace
}  // namespace qap
