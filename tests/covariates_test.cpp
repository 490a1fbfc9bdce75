// Design-B covariate matrices (docs/study-method.md §3).
#include "qap/trade/covariates.hpp"

#include <gtest/gtest.h>

#include <map>

#include "qap/core/errors.hpp"
#include "qap/core/regression.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

// The three-partner example of docs/study-method.md §3.3.
TEST(Covariates, DyadBuildersReproduceTheWorkedExample) {
  const std::vector<std::string> labels{"JPN", "USA", "VNM"};
  const LabelledMatrix ree =
      DifferenceMatrix("REE", labels, {0.020, 0.050, 0.004}, DifferenceKind::kAbsolute);
  EXPECT_NEAR(ree.values(0, 1), 0.030, 1e-15);
  EXPECT_NEAR(ree.values(0, 2), 0.016, 1e-15);
  EXPECT_NEAR(ree.values(1, 2), 0.046, 1e-15);
  EXPECT_EQ(ree.values(2, 1), ree.values(1, 2));
  const LabelledMatrix pgdp =
      DifferenceMatrix("PGDP", labels, {33800, 82700, 4300}, DifferenceKind::kAbsolute);
  EXPECT_DOUBLE_EQ(pgdp.values(0, 1), 48900);
  EXPECT_DOUBLE_EQ(pgdp.values(0, 2), 29500);
  EXPECT_DOUBLE_EQ(pgdp.values(1, 2), 78400);
  const LabelledMatrix tpr = DifferenceMatrix("TPR", labels, {6, 4, 4}, DifferenceKind::kAbsolute);
  EXPECT_DOUBLE_EQ(tpr.values(0, 1), 2);
  EXPECT_DOUBLE_EQ(tpr.values(1, 2), 0);
  const LabelledMatrix eci = SameStatusMatrix("ECI", labels, {1, 1, 0});
  EXPECT_DOUBLE_EQ(eci.values(0, 1), 1);
  EXPECT_DOUBLE_EQ(eci.values(0, 2), 0);
  EXPECT_DOUBLE_EQ(eci.values(1, 2), 0);
  const LabelledMatrix signed_pgdp =
      DifferenceMatrix("PGDP", labels, {33800, 82700, 4300}, DifferenceKind::kSigned);
  EXPECT_DOUBLE_EQ(signed_pgdp.values(0, 1), -48900);
  EXPECT_DOUBLE_EQ(signed_pgdp.values(1, 0), 48900);
}

TEST(Covariates, GovernanceDistanceIsRangeNormalisedAndSkipsConstantDimensions) {
  // Dimension 0 ranges 0..2, dimension 1 ranges 1..5, the other four are constant.
  const std::vector<std::array<double, 6>> d = {
      {0, 1, 3, 3, 3, 3}, {2, 5, 3, 3, 3, 3}, {1, 2, 3, 3, 3, 3}};
  const LabelledMatrix w = GovernanceDistanceMatrix("WGI", {"A", "B", "C"}, d);
  EXPECT_DOUBLE_EQ(w.values(0, 1), (2.0 / 2.0 + 4.0 / 4.0) / 2.0);
  EXPECT_DOUBLE_EQ(w.values(0, 2), (1.0 / 2.0 + 1.0 / 4.0) / 2.0);
  EXPECT_DOUBLE_EQ(w.values(1, 1), 0.0);
}

class BuiltCovariates : public ::testing::Test {
 protected:
  void SetUp() override {
    countries_ = CountryTable::Load(testing::SourcePath("tests/data/reference"));
    trade_ =
        ReadTradeRecords(testing::SourcePath("tests/data/trade_covariates.csv"), countries_, {});
    gdp_.values = {{"BBB", {{2023, 40000}}}, {"CCC", {{2023, 10000}}}, {"DDD", {{2023, 25000}}}};
    for (std::size_t k = 0; k < 6; ++k) {
      wgi_[k].values = {{"BBB", {{2023, 1.0 + static_cast<double>(k)}}},
                        {"CCC", {{2023, -0.5}}},
                        {"DDD", {{2023, 0.25 * static_cast<double>(k)}}}};
    }
    memberships_ =
        MembershipTable::Read(testing::SourcePath("tests/data/memberships_test.csv"), countries_);
    advanced_ =
        AdvancedEconomies::Read(testing::SourcePath("tests/data/advanced_test.csv"), countries_);
    sources_ = {&trade_, &gdp_, &wgi_, &memberships_, &advanced_};
    options_.focal = "AAA";
    options_.commodity = "850511";
    options_.year = 2023;
    options_.reconciliation = Reconciliation::kExporterOnly;
  }
  // 2022: the same trade; GDP per capita 10 % lower for BBB and DDD while CCC
  // overtakes DDD (a crossing for the pair CCC-DDD); WGI indicator k lower by
  // wgi_drop + k * wgi_drop_per_indicator.
  void AddYear2022(double wgi_drop, double wgi_drop_per_indicator) {
    std::vector<TradeRecord> earlier;
    for (TradeRecord r : trade_.records) {
      r.year = 2022;
      earlier.push_back(r);
    }
    trade_.records.insert(trade_.records.end(), earlier.begin(), earlier.end());
    gdp_.values["BBB"][2022] = 36000;
    gdp_.values["CCC"][2022] = 30000;
    gdp_.values["DDD"][2022] = 22500;
    for (std::size_t k = 0; k < 6; ++k) {
      for (const char* iso3 : {"BBB", "CCC", "DDD"}) {
        wgi_[k].values[iso3][2022] =
            wgi_[k].values[iso3][2023] - wgi_drop - wgi_drop_per_indicator * static_cast<double>(k);
      }
    }
  }
  CountryTable countries_;
  TradeData trade_;
  AttributeTable gdp_;
  WgiTables wgi_;
  MembershipTable memberships_;
  AdvancedEconomies advanced_;
  CovariateSources sources_;
  CovariateOptions options_;
};

TEST_F(BuiltCovariates, ExportDesignUsesTheFocalCountrysDependenceAndAttributes) {
  const CovariateResult r = BuildCovariates(sources_, options_);
  ASSERT_EQ(r.partners.size(), 3U);
  EXPECT_EQ(r.dependent.name, "REE");
  EXPECT_EQ(r.dependent.labels, (std::vector<std::string>{"BBB", "CCC", "DDD"}));
  // E_AB = 0.1536 in the worked example; E_AC and E_AD likewise from eq (2').
  EXPECT_NEAR(r.partners[0].dependence, 0.1536, 5e-5);
  EXPECT_NEAR(r.dependent.values(0, 1),
              std::abs(r.partners[0].dependence - r.partners[1].dependence), 1e-15);
  // Memberships on 31 December 2023: BBB only WTO (OECD from 2024), CCC WTO and
  // APEC (G20 left mid-2023), DDD WTO.
  EXPECT_EQ(r.partners[0].memberships, 1);
  EXPECT_EQ(r.partners[1].memberships, 2);
  EXPECT_EQ(r.partners[2].memberships, 1);
  EXPECT_DOUBLE_EQ(r.explanatory[0].values(0, 1), 1.0);      // TPR = |1 - 2|
  EXPECT_DOUBLE_EQ(r.explanatory[1].values(0, 2), 15000.0);  // PGDP = |40000 - 25000|
  // TII_{AAA->BBB} = (400/1000) / (M_BBB/M_W) = 0.4 / (500/2000).
  EXPECT_NEAR(r.partners[0].trade_intensity, 0.4 / (500.0 / 2000.0), 1e-12);
  // ECI: BBB and DDD advanced in 2023, CCC not.
  EXPECT_DOUBLE_EQ(r.explanatory[3].values(0, 2), 1.0);
  EXPECT_DOUBLE_EQ(r.explanatory[3].values(0, 1), 0.0);
  EXPECT_TRUE(r.dropped.empty());
}

TEST_F(BuiltCovariates, DesignAIsADirectedNetworkAmongThePartners) {
  options_.design = CovariateDesign::kA;
  const CovariateResult r = BuildCovariates(sources_, options_);
  ASSERT_EQ(r.dependent.labels, (std::vector<std::string>{"BBB", "CCC", "DDD"}));
  EXPECT_EQ(r.dependent.name, "E");
  // Y_ij = E_ij among the partners: CCC sells to BBB, BBB does not sell to CCC.
  EXPECT_GT(r.dependent.values(1, 0), 0.0);
  EXPECT_DOUBLE_EQ(r.dependent.values(0, 1), 0.0);
  // Co-memberships in 2023: all three share WTO only.
  EXPECT_DOUBLE_EQ(r.explanatory[0].values(0, 1), 1.0);
  EXPECT_DOUBLE_EQ(r.explanatory[0].values(1, 2), 1.0);
  // TD = TII_{CCC->DDD} = (100 / 200) / (600 / 2000); directed: DDD sells CCC nothing.
  EXPECT_NEAR(r.explanatory[2].values(1, 2), (100.0 / 200.0) / (600.0 / 2000.0), 1e-12);
  EXPECT_DOUBLE_EQ(r.explanatory[2].values(2, 1), 0.0);
  // PGDP stays a difference matrix.
  EXPECT_DOUBLE_EQ(r.explanatory[1].values(0, 2), 15000.0);
}

// With a single year every variant reproduces the main matrices.
TEST_F(BuiltCovariates, RobustnessVariantsOverOneYearEqualTheMainMatrices) {
  const CovariateResult main = BuildCovariates(sources_, options_);
  for (const auto variant : {RobustnessVariant::kR1, RobustnessVariant::kR2, RobustnessVariant::kR3,
                             RobustnessVariant::kR4}) {
    const CovariateResult r =
        BuildRobustnessCovariates(sources_, options_, {variant, {2023}, GeometricZeros::kExact});
    EXPECT_EQ(r.dependent.values, main.dependent.values) << ToString(variant);
    for (std::size_t k = 0; k < main.explanatory.size(); ++k) {
      for (Eigen::Index i = 0; i < 3; ++i) {
        for (Eigen::Index j = 0; j < 3; ++j) {
          EXPECT_NEAR(r.explanatory[k].values(i, j), main.explanatory[k].values(i, j),
                      1e-12 * std::max(1.0, std::abs(main.explanatory[k].values(i, j))))
              << ToString(variant) << " " << main.explanatory[k].name << " " << i << j;
        }
      }
    }
  }
}

// docs/study-method.md §8.4: for signed differences R1 = R3 exactly; for absolute
// differences R1 = R3 whenever no pair's order crosses over the years, and
// R3 >= R1 always.
TEST_F(BuiltCovariates, RobustnessIdentitiesOverTwoYears) {
  // 2022: the same trade, GDP per capita 10 % lower everywhere (no crossing)
  // except CCC, which overtakes DDD (a crossing for the pair CCC-DDD).
  AddYear2022(/*wgi_drop=*/0.1, /*wgi_drop_per_indicator=*/0.0);
  const std::vector<int> years{2022, 2023};
  options_.difference = DifferenceKind::kSigned;
  const CovariateResult r1_signed =
      BuildRobustnessCovariates(sources_, options_, {RobustnessVariant::kR1, years, {}});
  const CovariateResult r3_signed =
      BuildRobustnessCovariates(sources_, options_, {RobustnessVariant::kR3, years, {}});
  EXPECT_TRUE(
      r1_signed.explanatory[1].values.isApprox(r3_signed.explanatory[1].values, 1e-12));  // PGDP
  options_.difference = DifferenceKind::kAbsolute;
  const CovariateResult r1 =
      BuildRobustnessCovariates(sources_, options_, {RobustnessVariant::kR1, years, {}});
  const CovariateResult r3 =
      BuildRobustnessCovariates(sources_, options_, {RobustnessVariant::kR3, years, {}});
  const auto& p1 = r1.explanatory[1].values;
  const auto& p3 = r3.explanatory[1].values;
  EXPECT_DOUBLE_EQ(p1(0, 2), p3(0, 2));  // BBB-DDD: BBB richer both years
  EXPECT_DOUBLE_EQ(p1(0, 1), p3(0, 1));  // BBB-CCC: BBB richer both years
  EXPECT_GT(p3(1, 2), p1(1, 2));         // CCC-DDD crosses: |.| of the mean < mean of |.|
  EXPECT_DOUBLE_EQ(p1(1, 2), std::abs((10000.0 + 30000.0) / 2 - (25000.0 + 22500.0) / 2));
  // Geometric variants: R2 of PGDP from geometric means of each partner's GDP.
  const CovariateResult r2 =
      BuildRobustnessCovariates(sources_, options_, {RobustnessVariant::kR2, years, {}});
  EXPECT_NEAR(r2.explanatory[1].values(0, 2),
              std::abs(std::sqrt(36000.0 * 40000.0) - std::sqrt(22500.0 * 25000.0)), 1e-8);
  // R4 on the 0/1 ECI dyads is "same status in every year".
  const CovariateResult r4 =
      BuildRobustnessCovariates(sources_, options_, {RobustnessVariant::kR4, years, {}});
  EXPECT_DOUBLE_EQ(r4.explanatory[3].values(0, 2), 0.0);  // DDD advanced only from 2023
  EXPECT_DOUBLE_EQ(r1.explanatory[3].values(0, 2), 0.5);  // R1: 1 - |1 - 0.5|
}

TEST(Covariates, GeometricMeanZeroPolicies) {
  EXPECT_DOUBLE_EQ(GeometricMean({4.0, 9.0}, GeometricZeros::kExact), 6.0);
  EXPECT_DOUBLE_EQ(GeometricMean({0.0, 9.0}, GeometricZeros::kExact), 0.0);
  EXPECT_DOUBLE_EQ(GeometricMean({0.0, 9.0}, GeometricZeros::kDrop), 9.0);
  EXPECT_NEAR(GeometricMean({0.0, 3.0}, GeometricZeros::kLog1p),
              std::expm1((std::log(1.0) + std::log(4.0)) / 2), 1e-15);
  EXPECT_THROW(GeometricMean({-1.0, 2.0}, GeometricZeros::kExact), DataError);
}

TEST_F(BuiltCovariates, ImportDesignAndDroppedPartners) {
  options_.direction = TradeDirection::kImport;
  // AAA imports from BBB and CCC only: two partners are too few.
  EXPECT_THROW(BuildCovariates(sources_, options_), DataError);
  options_.direction = TradeDirection::kExport;
  gdp_.values.erase("DDD");
  try {
    BuildCovariates(sources_, options_);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(
        std::string(e.what()).find("partner DDD of AAA (850511 export 2023): no GDP per capita"),
        std::string::npos)
        << e.what();
  }
  options_.drop_incomplete = true;
  EXPECT_THROW(BuildCovariates(sources_, options_), DataError);  // DDD dropped: two left
  options_.focal = "ZZZ";
  EXPECT_THROW(BuildCovariates(sources_, options_), DataError);
}

}  // namespace
}  // namespace qap

namespace qap {
namespace {

// The raw synthetic fixtures (fixtures/raw-2013-2023) were generated so that
// China's partner counts in 2023 are the ones the paper's sample sizes imply
// (docs/study-method.md §4.5): building every matrix must find exactly those n,
// and n(n-1) directed dyads.
TEST(StudyFixtures, EveryProductAndDirectionHasThePapersPartnerCount) {
  const std::string raw = testing::SourcePath("fixtures/raw-2013-2023/");
  const CountryTable countries = CountryTable::Load(testing::SourcePath("fixtures/reference"));
  const TradeData trade =
      ReadTradeRecords(raw + "comtrade_rare_earths_2013_2023.csv", countries, {});
  AttributeTable gdp =
      ReadWdiIndicator(raw + "wdi_gdp_per_capita.csv", "NY.GDP.PCAP.CD", countries);
  gdp.FillGapsFrom(ReadLongAttribute(raw + "imf_weo_gdp_per_capita_twn.csv", "WEO", countries));
  const WgiTables wgi = ReadWgi(raw + "wgi_2013_2023.csv", countries);
  const MembershipTable memberships =
      MembershipTable::Read(testing::SourcePath("fixtures/reference/memberships.csv"), countries);
  const AdvancedEconomies advanced = AdvancedEconomies::Read(
      testing::SourcePath("fixtures/reference/imf_advanced_economies.csv"), countries);
  const std::vector<std::tuple<const char*, std::size_t, std::size_t>> expected = {
      {"253090", 59, 48}, {"280530", 19, 34}, {"284610", 29, 37}, {"284690", 22, 45},
      {"360690", 18, 40}, {"720299", 26, 42}, {"850511", 58, 160}};
  for (const auto& [hs, exports, imports] : expected) {
    for (const auto direction : {TradeDirection::kExport, TradeDirection::kImport}) {
      CovariateOptions options;
      options.commodity = hs;
      options.direction = direction;
      const CovariateResult r =
          BuildCovariates({&trade, &gdp, &wgi, &memberships, &advanced}, options);
      const std::size_t n = direction == TradeDirection::kExport ? exports : imports;
      EXPECT_EQ(r.partners.size(), n) << hs << " " << ToString(direction);
      EXPECT_EQ(r.dependent.size(), static_cast<Eigen::Index>(n));
      for (const LabelledMatrix& m : r.explanatory) {
        EXPECT_TRUE(m.values.allFinite()) << hs << " " << m.name;
      }
    }
  }
}

}  // namespace
}  // namespace qap

// Issue 16, points 3b and 4: signed differences for every matrix, design A
// refused without flows among the partners, diagonals as defined.
namespace qap {
namespace {

// Exact antisymmetry X_ij = -X_ji (each signed cell is computed from the same
// terms as its twin with the sign flipped, so equality is exact, not approximate).
::testing::AssertionResult Antisymmetric(const LabelledMatrix& m) {
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    for (Eigen::Index j = 0; j < m.size(); ++j) {
      if (!(m.values(i, j) == -m.values(j, i))) {
        return ::testing::AssertionFailure()
               << m.name << "(" << i << "," << j << ") = " << m.values(i, j) << " but (" << j << ","
               << i << ") = " << m.values(j, i);
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// Four partners worked by hand. e = (1, 0, 1, 0). WGI: dimension 0 takes
// 0, 2, 1, 4 (range 4), dimension 1 takes 1, 5, 2, 3 (range 4), the other
// four are constant and skipped, so K' = 2.
TEST(SignedCovariates, EciAndWgiHaveSignedVersionsMatchingTheWorkedExample) {
  const std::vector<std::string> labels{"A", "B", "C", "D"};
  const std::vector<double> e{1, 0, 1, 0};
  const LabelledMatrix eci = SameStatusMatrix("ECI", labels, e, DifferenceKind::kSigned);
  EXPECT_TRUE(Antisymmetric(eci));
  EXPECT_EQ(eci.values(0, 1), 1.0);  // A advanced, B not
  EXPECT_EQ(eci.values(1, 0), -1.0);
  EXPECT_EQ(eci.values(0, 2), 0.0);  // both advanced
  EXPECT_EQ(eci.values(1, 3), 0.0);  // neither
  EXPECT_EQ(eci.values(3, 2), -1.0);
  const LabelledMatrix same = SameStatusMatrix("ECI", labels, e);
  EXPECT_EQ(same.values(0, 2), 1.0);
  EXPECT_EQ(same.values(1, 3), 1.0);
  EXPECT_EQ(same.values(0, 1), 0.0);
  const std::vector<std::array<double, 6>> d = {
      {0, 1, 7, 7, 7, 7}, {2, 5, 7, 7, 7, 7}, {1, 2, 7, 7, 7, 7}, {4, 3, 7, 7, 7, 7}};
  const LabelledMatrix wgi = GovernanceDistanceMatrix("WGI", labels, d, DifferenceKind::kSigned);
  EXPECT_TRUE(Antisymmetric(wgi));
  EXPECT_DOUBLE_EQ(wgi.values(0, 1), (-2.0 / 4 + -4.0 / 4) / 2);  // -0.75
  EXPECT_DOUBLE_EQ(wgi.values(0, 3), (-4.0 / 4 + -2.0 / 4) / 2);  // -0.75
  EXPECT_DOUBLE_EQ(wgi.values(1, 2), (1.0 / 4 + 3.0 / 4) / 2);    // 0.5
  EXPECT_DOUBLE_EQ(wgi.values(2, 3), (-3.0 / 4 + -1.0 / 4) / 2);  // -0.5
  // B-D: the two dimensions pull in opposite directions and cancel, where the
  // absolute version adds them.
  EXPECT_DOUBLE_EQ(wgi.values(1, 3), 0.0);
  EXPECT_DOUBLE_EQ(GovernanceDistanceMatrix("WGI", labels, d).values(1, 3),
                   (2.0 / 4 + 2.0 / 4) / 2);
  const LabelledMatrix pgdp =
      DifferenceMatrix("PGDP", labels, {30, 10, 25, 5}, DifferenceKind::kSigned);
  EXPECT_TRUE(Antisymmetric(pgdp));
  EXPECT_EQ(pgdp.values(2, 0), -5.0);
  // Diagonals: 1[e_i = e_i] = 1 under abs, e_i - e_i = 0 signed, 0 for WGI.
  for (Eigen::Index i = 0; i < 4; ++i) {
    EXPECT_EQ(same.values(i, i), 1.0);
    EXPECT_EQ(eci.values(i, i), 0.0);
    EXPECT_EQ(wgi.values(i, i), 0.0);
  }
}

// Every matrix of a signed build is antisymmetric, ECI and WGI included
// (before issue 16 they stayed symmetric, so their coefficients were exactly 0
// against an antisymmetric Y).
TEST_F(BuiltCovariates, SignedBuildMakesEveryMatrixAntisymmetric) {
  options_.difference = DifferenceKind::kSigned;
  const CovariateResult r = BuildCovariates(sources_, options_);
  ASSERT_EQ(r.dependent.labels, (std::vector<std::string>{"BBB", "CCC", "DDD"}));
  EXPECT_TRUE(Antisymmetric(r.dependent));
  for (const LabelledMatrix& m : r.explanatory) EXPECT_TRUE(Antisymmetric(m));
  // ECI = e_i - e_j: BBB and DDD advanced, CCC not.
  EXPECT_EQ(r.explanatory[3].name, "ECI");
  EXPECT_EQ(r.explanatory[3].values(0, 1), 1.0);
  EXPECT_EQ(r.explanatory[3].values(1, 2), -1.0);
  EXPECT_EQ(r.explanatory[3].values(0, 2), 0.0);
  // WGI by hand: dimension k is 1 + k (BBB), -0.5 (CCC), 0.25 k (DDD), so its
  // range is 1.5 + k; BBB - CCC = (1.5 + k) / (1.5 + k) = 1 in every dimension.
  EXPECT_DOUBLE_EQ(r.explanatory[4].values(0, 1), 1.0);
  double ccc_ddd = 0.0;
  for (int k = 0; k < 6; ++k) ccc_ddd += (-0.5 - 0.25 * k) / (1.5 + k);
  EXPECT_NEAR(r.explanatory[4].values(1, 2), ccc_ddd / 6, 1e-15);
  EXPECT_LT(r.explanatory[4].values(1, 2), 0.0);
  // The report names the signed definitions.
  bool named = false;
  for (const auto& [name, definition] : r.definitions) {
    if (name == "ECI") named = definition.find("e_i - e_j (signed)") != std::string::npos;
  }
  EXPECT_TRUE(named);
}

// docs/study-method.md §3.2: 1[e_i = e_i] = 1 is ECI's diagonal; every difference
// has 0 there (also under signed differences, where ECI's is e_i - e_i = 0).
TEST_F(BuiltCovariates, DiagonalsAreWhatTheDefinitionsGive) {
  for (const auto kind : {DifferenceKind::kAbsolute, DifferenceKind::kSigned}) {
    options_.difference = kind;
    const CovariateResult r = BuildCovariates(sources_, options_);
    for (Eigen::Index i = 0; i < 3; ++i) {
      EXPECT_EQ(r.dependent.values(i, i), 0.0);
      for (const LabelledMatrix& m : r.explanatory) {
        const double expected = m.name == "ECI" && kind == DifferenceKind::kAbsolute ? 1.0 : 0.0;
        EXPECT_EQ(m.values(i, i), expected) << m.name << " " << i;
      }
    }
    // The robustness variants keep the diagonal (R4 is refused for signed).
    for (const auto variant : {RobustnessVariant::kR1, RobustnessVariant::kR2,
                               RobustnessVariant::kR3, RobustnessVariant::kR4}) {
      if (variant == RobustnessVariant::kR4 && kind == DifferenceKind::kSigned) continue;
      const CovariateResult v =
          BuildRobustnessCovariates(sources_, options_, {variant, {2023}, GeometricZeros::kExact});
      for (Eigen::Index i = 0; i < 3; ++i) {
        for (const LabelledMatrix& m : v.explanatory) {
          const double expected = m.name == "ECI" && kind == DifferenceKind::kAbsolute ? 1.0 : 0.0;
          EXPECT_EQ(m.values(i, i), expected) << ToString(variant) << " " << m.name << " " << i;
        }
      }
    }
  }
  // Design A: TPR's c_ii = sum_o 1[i in o] = m_i (BBB 1, CCC 2, DDD 1 on
  // 31 December 2023); E_ii and TII_{i->i} need trade with oneself: missing.
  options_.difference = DifferenceKind::kAbsolute;
  options_.design = CovariateDesign::kA;
  const CovariateResult a = BuildCovariates(sources_, options_);
  EXPECT_EQ(a.explanatory[0].values(0, 0), 1.0);
  EXPECT_EQ(a.explanatory[0].values(1, 1), 2.0);
  EXPECT_EQ(a.explanatory[0].values(2, 2), 1.0);
  for (Eigen::Index i = 0; i < 3; ++i) {
    EXPECT_TRUE(std::isnan(a.dependent.values(i, i)));
    EXPECT_TRUE(std::isnan(a.explanatory[2].values(i, i)));
    EXPECT_EQ(a.explanatory[3].values(i, i), 1.0);  // ECI as in design B
    EXPECT_EQ(a.explanatory[1].values(i, i), 0.0);
  }
  // Off the diagonal nothing is missing.
  for (Eigen::Index i = 0; i < 3; ++i) {
    for (Eigen::Index j = 0; j < 3; ++j) {
      if (i != j) {
        EXPECT_TRUE(std::isfinite(a.explanatory[2].values(i, j)) &&
                    std::isfinite(a.dependent.values(i, j)));
      }
    }
  }
}

// Design A writes E_ii and TII_{i->i} as missing: the regression must read
// them only with --diagonal. Without it, a missing diagonal changes no number
// (same b, t, permutation p as a zero diagonal); with it the missing cells
// leave those dyads out by listwise deletion (N = n(n-1), reported).
TEST(SignedCovariates, AMissingDiagonalIsIgnoredUnlessTheDiagonalIsAnalysed) {
  const std::vector<std::string> labels{"A", "B", "C", "D", "E", "F"};
  auto random = [&](const std::string& name, unsigned seed) {
    LabelledMatrix m;
    m.name = m.source = name;
    m.labels = labels;
    m.values = DyadMatrix::Zero(6, 6);
    unsigned state = seed;
    for (Eigen::Index i = 0; i < 6; ++i) {
      for (Eigen::Index j = 0; j < 6; ++j) {
        state = state * 1103515245U + 12345U;
        if (i != j) m.values(i, j) = static_cast<double>((state >> 8) % 1000) / 100.0;
      }
    }
    return m;
  };
  const LabelledMatrix y0 = random("Y", 1);
  const std::vector<LabelledMatrix> x0{random("X1", 2), random("X2", 3)};
  LabelledMatrix y = y0;
  std::vector<LabelledMatrix> x = x0;
  for (Eigen::Index i = 0; i < 6; ++i) {
    y.values(i, i) = std::nan("");
    x[0].values(i, i) = std::nan("");
  }
  RegressionOptions options;
  options.permutation.permutations = 199;
  options.permutation.seed = 7;
  options.permutation.threads = 1;
  const RegressionResult zero = RunQapRegression(y0, x0, options);
  const RegressionResult missing = RunQapRegression(y, x, options);
  EXPECT_EQ(missing.dyads_used, 30);
  ASSERT_EQ(missing.coefficients.size(), zero.coefficients.size());
  for (std::size_t k = 0; k < zero.coefficients.size(); ++k) {
    EXPECT_EQ(missing.coefficients[k].coefficient, zero.coefficients[k].coefficient);
    EXPECT_EQ(missing.coefficients[k].t, zero.coefficients[k].t);
    if (zero.coefficients[k].permutation) {
      EXPECT_EQ(missing.coefficients[k].permutation->p_two_sided,
                zero.coefficients[k].permutation->p_two_sided);
    }
  }
  options.dyads.include_diagonal = true;
  EXPECT_EQ(RunQapRegression(y, x, options).dyads_used, 30);
  EXPECT_EQ(RunQapRegression(y0, x0, options).dyads_used, 36);
}

// Design A is a network among the partners: without a TOTAL flow between any
// two of them TD would be all zero (and Y, without product flows among them).
TEST_F(BuiltCovariates, DesignAIsRefusedWithoutFlowsAmongThePartners) {
  options_.design = CovariateDesign::kA;
  auto among_partners = [](const TradeRecord& r, const char* commodity) {
    return r.commodity == commodity && r.reporter != "AAA" && r.partner != "AAA";
  };
  TradeData without_totals = trade_;
  std::erase_if(without_totals.records,
                [&](const TradeRecord& r) { return among_partners(r, "TOTAL"); });
  sources_.trade = &without_totals;
  try {
    BuildCovariates(sources_, options_);
    FAIL() << "design A without TOTAL flows among the partners was accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "design A (850511 export 2023) needs the partners' TOTAL flows among each other"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("0 of 6 ordered partner pairs"), std::string::npos)
        << e.what();
  }
  options_.design = CovariateDesign::kB;  // design B needs only the flows with AAA
  EXPECT_NO_THROW(BuildCovariates(sources_, options_));

  options_.design = CovariateDesign::kA;
  TradeData without_product = trade_;
  std::erase_if(without_product.records,
                [&](const TradeRecord& r) { return among_partners(r, "850511"); });
  sources_.trade = &without_product;
  EXPECT_TRUE(testing::ThrowsWithMessage<DataError>(
      [&] { BuildCovariates(sources_, options_); },
      "for Y = E_ij, but 0 of 6 ordered partner pairs have a flow record of 850511"))
      << "design A without product flows among the partners was accepted";
}

// Over two years (DDD advanced only from 2023): the signed robustness
// variants are antisymmetric, R1 = R3 for ECI, and R4 (a geometric mean of
// signed dyads) is refused naming both options.
TEST_F(BuiltCovariates, SignedRobustnessVariantsAreAntisymmetricAndR4IsRefused) {
  AddYear2022(/*wgi_drop=*/0.0, /*wgi_drop_per_indicator=*/0.1);
  const std::vector<int> years{2022, 2023};
  options_.difference = DifferenceKind::kSigned;
  std::map<RobustnessVariant, CovariateResult> built;
  for (const auto variant :
       {RobustnessVariant::kR1, RobustnessVariant::kR2, RobustnessVariant::kR3}) {
    built[variant] = BuildRobustnessCovariates(sources_, options_, {variant, years, {}});
    for (const LabelledMatrix& m : built[variant].explanatory)
      EXPECT_TRUE(Antisymmetric(m)) << ToString(variant);
  }
  // BBB (advanced both years) vs DDD (2023 only): R1 1 - 0.5; R2 the
  // geometric mean of DDD's (0, 1) is 0, so 1 - 0; R3 the mean of 0 and 1.
  EXPECT_EQ(built[RobustnessVariant::kR1].explanatory[3].values(0, 2), 0.5);
  EXPECT_EQ(built[RobustnessVariant::kR2].explanatory[3].values(0, 2), 1.0);
  EXPECT_EQ(built[RobustnessVariant::kR3].explanatory[3].values(0, 2), 0.5);
  EXPECT_EQ(built[RobustnessVariant::kR3].explanatory[3].values(2, 0), -0.5);
  try {
    BuildRobustnessCovariates(sources_, options_, {RobustnessVariant::kR4, years, {}});
    FAIL() << "R4 with signed differences was accepted";
  } catch (const OptionsError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("robustness variant R4"), std::string::npos) << what;
    EXPECT_NE(what.find("difference = \"signed\""), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace qap
