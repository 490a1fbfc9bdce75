// The trade intensity index TD (docs/study-method.md §3.2) on worked examples small
// enough to check by hand: its scope (total trade or the product's own flow
// matrix) and, in import models, which report of the flow j -> focal enters
// the numerator.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "qap/core/errors.hpp"
#include "qap/render/study_report.hpp"
#include "qap/study/study.hpp"
#include "qap/trade/covariates.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

// One Comtrade Plus API row (the 22 columns of tests/data/trade_comtrade.csv).
std::string Row(const std::string& reporter, const std::string& flow, const std::string& partner,
                const std::string& commodity, double value) {
  auto code = [](const std::string& iso3) -> std::string {
    if (iso3 == "AAA") return "901,AAA,\"Alpha, Rep.\"";
    if (iso3 == "BBB") return "902,BBB,Beta";
    if (iso3 == "CCC") return "903,CCC,Gamma";
    if (iso3 == "DDD") return "904,DDD,Delta";
    if (iso3 == "World") return "0,W00,World";
    return "899,_X,\"Areas, nes\"";
  };
  return "C,A,20230101,2023,52,2023," + code(reporter) + "," + flow + "," +
         (flow == "X" ? "Export" : "Import") + "," + code(partner) + "," + commodity +
         ",goods,8,,," + std::to_string(value) + ",true,false\n";
}

// The worked example. AAA is the focal economy.
//
// HS 850511, the records as filed (X: the reporter's exports to the partner,
// M: its imports from the partner):
//   AAA X BBB 55, AAA X CCC 30, AAA X DDD 10, AAA X Areas-nes 7, AAA X World 120
//   BBB X AAA 18, CCC X AAA 45, CCC X BBB 10, DDD X AAA 10, DDD X BBB 5, DDD X CCC 5
//   BBB M AAA 60, AAA M BBB 20, AAA M CCC 50, BBB M World 90
// Reconciled (importer first, the exporter's mirror filling gaps), exporter
// row, importer column; the Areas-nes row and the World rows are no economy's
// bilateral trade and stay out:
//            AAA  BBB  CCC  DDD | X (row sum)
//      AAA     0   60   30   10 | 100
//      BBB    20    0    0    0 |  20
//      CCC    50   10    0    0 |  60
//      DDD    10    5    5    0 |  20
//      M      80   75   35   10 | M_W = 200
// The only World records (AAA's exports 120, BBB's imports 90) cover two
// reporters: the old product-scope index took M_W = 90 from them.
//
// TOTAL, with a World record for every economy (as Comtrade's TOTAL
// downloads have):
//   X to World: AAA 2000, BBB 1000, CCC 600, DDD 400
//   M from World: AAA 1500, BBB 800, CCC 900, DDD 800      M_W = 4000
//   AAA M BBB 220 / BBB X AAA 200, AAA M CCC 330 / CCC X AAA 300,
//   DDD X AAA 100 (AAA filed no import record from DDD), AAA X BBB 500.
std::string WorkedExample(bool ccc_files_its_total_exports_to_aaa = true) {
  std::string text =
      "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,"
      "flowCode,flowDesc,"
      "partnerCode,partnerISO,partnerDesc,cmdCode,cmdDesc,qtyUnitCode,qty,netWgt,primaryValue,"
      "isReported,isAggregate\n";
  const std::string h = "850511";
  text += Row("AAA", "X", "BBB", h, 55) + Row("AAA", "X", "CCC", h, 30) +
          Row("AAA", "X", "DDD", h, 10) + Row("AAA", "X", "Areas", h, 7) +
          Row("AAA", "X", "World", h, 120) + Row("BBB", "X", "AAA", h, 18) +
          Row("CCC", "X", "AAA", h, 45) + Row("CCC", "X", "BBB", h, 10) +
          Row("DDD", "X", "AAA", h, 10) + Row("DDD", "X", "BBB", h, 5) +
          Row("DDD", "X", "CCC", h, 5) + Row("BBB", "M", "AAA", h, 60) +
          Row("AAA", "M", "BBB", h, 20) + Row("AAA", "M", "CCC", h, 50) +
          Row("BBB", "M", "World", h, 90);
  const std::string t = "TOTAL";
  text += Row("AAA", "X", "World", t, 2000) + Row("BBB", "X", "World", t, 1000) +
          Row("CCC", "X", "World", t, 600) + Row("DDD", "X", "World", t, 400) +
          Row("AAA", "M", "World", t, 1500) + Row("BBB", "M", "World", t, 800) +
          Row("CCC", "M", "World", t, 900) + Row("DDD", "M", "World", t, 800) +
          Row("AAA", "M", "BBB", t, 220) + Row("BBB", "X", "AAA", t, 200) +
          Row("AAA", "M", "CCC", t, 330) + Row("DDD", "X", "AAA", t, 100) +
          Row("AAA", "X", "BBB", t, 500);
  if (ccc_files_its_total_exports_to_aaa) text += Row("CCC", "X", "AAA", t, 300);
  return text;
}

class TradeIntensity : public ::testing::Test {
 protected:
  void SetUp() override {
    countries_ = CountryTable::Load(testing::SourcePath("tests/data/reference"));
    Read(true);
    gdp_.values = {{"BBB", {{2023, 40000}}}, {"CCC", {{2023, 10000}}}, {"DDD", {{2023, 25000}}}};
    for (std::size_t k = 0; k < 6; ++k) {
      wgi_[k].values = {{"BBB", {{2023, 1.0}}}, {"CCC", {{2023, -0.5}}}, {"DDD", {{2023, 0.25}}}};
    }
    memberships_ =
        MembershipTable::Read(testing::SourcePath("tests/data/memberships_test.csv"), countries_);
    advanced_ =
        AdvancedEconomies::Read(testing::SourcePath("tests/data/advanced_test.csv"), countries_);
    options_.focal = "AAA";
    options_.commodity = "850511";
    options_.year = 2023;
    options_.reconciliation = Reconciliation::kImporterFirst;
  }
  void Read(bool ccc_files_its_total_exports_to_aaa) {
    trade_ = ParseTradeRecords(WorkedExample(ccc_files_its_total_exports_to_aaa), "worked.csv",
                               countries_, {});
  }
  CovariateResult Build() {
    return BuildCovariates({&trade_, &gdp_, &wgi_, &memberships_, &advanced_}, options_);
  }
  static double Td(const CovariateResult& r, const std::string& iso3) {
    for (const PartnerAttributes& p : r.partners) {
      if (p.iso3 == iso3) return p.trade_intensity;
    }
    ADD_FAILURE() << iso3 << " is not a partner";
    return -1.0;
  }
  CountryTable countries_;
  TradeData trade_;
  AttributeTable gdp_;
  WgiTables wgi_;
  MembershipTable memberships_;
  AdvancedEconomies advanced_;
  CovariateOptions options_;
};

// Product scope: X, M and M_W are sums over the product's reconciled flow
// matrix, never the few World records some reporters filed. On the old code
// TII_{AAA->BBB} was (60 / 120) / (90 / 90) = 0.5.
TEST_F(TradeIntensity, ProductScopeSumsTheProductsFlowMatrix) {
  options_.trade_intensity_on_product = true;
  options_.direction = TradeDirection::kExport;
  const CovariateResult exports = Build();
  ASSERT_EQ(exports.partners.size(), 3U);
  // TII_{AAA->j} = (F_AAA,j / X_AAA) / (M_j / M_W) = (F_AAA,j / 100) / (M_j / 200):
  EXPECT_NEAR(Td(exports, "BBB"), 1.6, 1e-12);         // (60/100) / (75/200) = 0.6 / 0.375
  EXPECT_NEAR(Td(exports, "CCC"), 12.0 / 7.0, 1e-12);  // (30/100) / (35/200) = 0.3 / 0.175
  EXPECT_NEAR(Td(exports, "DDD"), 2.0, 1e-12);         // (10/100) / (10/200) = 0.1 / 0.05
  EXPECT_TRUE(exports.td_fallbacks.empty());

  options_.direction = TradeDirection::kImport;
  const CovariateResult imports = Build();
  ASSERT_EQ(imports.partners.size(), 3U);
  // TII_{j->AAA} = (F_j,AAA / X_j) / (M_AAA / M_W) = (F_j,AAA / X_j) / (80/200), the
  // numerator from AAA's own import record (td_flow focal-report, the default):
  EXPECT_NEAR(Td(imports, "BBB"), 2.5, 1e-12);          // (20/20) / 0.4
  EXPECT_NEAR(Td(imports, "CCC"), 25.0 / 12.0, 1e-12);  // (50/60) / 0.4
  EXPECT_NEAR(Td(imports, "DDD"), 1.25, 1e-12);  // (10/20) / 0.4, DDD's record (AAA filed none)
}

// Design A's directed TII_{i->j} among the partners uses the same sums.
TEST_F(TradeIntensity, ProductScopeDesignASumsTheProductsFlowMatrix) {
  options_.trade_intensity_on_product = true;
  options_.design = CovariateDesign::kA;
  const CovariateResult r = Build();
  ASSERT_EQ(r.explanatory[2].labels, (std::vector<std::string>{"BBB", "CCC", "DDD"}));
  // TII_{CCC->BBB} = (10 / 60) / (75 / 200); TII_{DDD->CCC} = (5 / 20) / (35 / 200).
  EXPECT_NEAR(r.explanatory[2].values(1, 0), (10.0 / 60.0) / (75.0 / 200.0), 1e-12);
  EXPECT_NEAR(r.explanatory[2].values(2, 1), (5.0 / 20.0) / (35.0 / 200.0), 1e-12);
  EXPECT_DOUBLE_EQ(r.explanatory[2].values(0, 1), 0.0);  // BBB sells CCC nothing
}

// td_flow on total trade, import models: TII_{j->AAA} = (X_j,AAA / X_j) / (M_AAA / M_W)
// with X_j and M_AAA = 1500 from the World records and M_W = 1500 + 800 + 900 + 800 = 4000,
// so the denominator M_AAA / M_W = 0.375.
TEST_F(TradeIntensity, ImportNumeratorFollowsTdFlow) {
  options_.direction = TradeDirection::kImport;
  options_.trade_intensity_flow = TradeIntensityFlow::kFocalReport;  // the default
  EXPECT_EQ(CovariateOptions{}.trade_intensity_flow, TradeIntensityFlow::kFocalReport);
  const CovariateResult focal = Build();
  ASSERT_EQ(focal.partners.size(), 3U);
  EXPECT_NEAR(Td(focal, "BBB"), 0.22 / 0.375, 1e-12);  // AAA's import record 220 / X_BBB 1000
  EXPECT_NEAR(Td(focal, "CCC"), 0.55 / 0.375, 1e-12);  // AAA's import record 330 / X_CCC 600
  // AAA filed no import record from DDD: DDD's own export record 100 / X_DDD 400, reported.
  EXPECT_NEAR(Td(focal, "DDD"), 0.25 / 0.375, 1e-12);
  ASSERT_EQ(focal.td_fallbacks.size(), 1U);
  EXPECT_EQ(focal.td_fallbacks[0].iso3, "DDD");
  EXPECT_EQ(focal.td_fallbacks[0].year, 2023);
  EXPECT_NE(focal.td_fallbacks[0].note.find("no AAA's import record from DDD"), std::string::npos)
      << focal.td_fallbacks[0].note;
  EXPECT_NE(focal.td_fallbacks[0].note.find("the TII numerator is DDD's export record to AAA"),
            std::string::npos);

  options_.trade_intensity_flow = TradeIntensityFlow::kPartnerReport;
  const CovariateResult partner = Build();
  ASSERT_EQ(partner.partners.size(), 3U);
  EXPECT_NEAR(Td(partner, "BBB"), 0.2 / 0.375, 1e-12);   // BBB's export record 200 / 1000
  EXPECT_NEAR(Td(partner, "CCC"), 0.5 / 0.375, 1e-12);   // CCC's export record 300 / 600
  EXPECT_NEAR(Td(partner, "DDD"), 0.25 / 0.375, 1e-12);  // its own record: nothing to report
  EXPECT_TRUE(partner.td_fallbacks.empty());
  // The dependent matrix and every other matrix are the same under both settings.
  EXPECT_EQ(partner.dependent.values, focal.dependent.values);
  EXPECT_EQ(partner.explanatory[1].values, focal.explanatory[1].values);

  // Export models do not read td_flow: X_AAA,j is the reconciled flow (AAA X BBB 500, TOTAL).
  options_.direction = TradeDirection::kExport;
  const CovariateResult exports_partner = Build();
  options_.trade_intensity_flow = TradeIntensityFlow::kFocalReport;
  const CovariateResult exports_focal = Build();
  EXPECT_NEAR(Td(exports_focal, "BBB"), (500.0 / 2000.0) / (800.0 / 4000.0), 1e-12);
  EXPECT_EQ(Td(exports_partner, "BBB"), Td(exports_focal, "BBB"));
}

// partner-report without the partner's own record: the focal's import record,
// listed by name, never a silent 0.
TEST_F(TradeIntensity, PartnerReportFallsBackToTheFocalsRecordByName) {
  Read(false);  // CCC filed no TOTAL export record to AAA
  options_.direction = TradeDirection::kImport;
  options_.trade_intensity_flow = TradeIntensityFlow::kPartnerReport;
  const CovariateResult r = Build();
  EXPECT_NEAR(Td(r, "CCC"), 0.55 / 0.375, 1e-12);  // AAA's import record 330 / X_CCC 600
  EXPECT_NEAR(Td(r, "BBB"), 0.2 / 0.375, 1e-12);
  ASSERT_EQ(r.td_fallbacks.size(), 1U);
  EXPECT_EQ(r.td_fallbacks[0].iso3, "CCC");
  EXPECT_NE(r.td_fallbacks[0].note.find(
                "td_flow partner-report: no CCC's export record to AAA (TOTAL, 2023)"),
            std::string::npos)
      << r.td_fallbacks[0].note;
}

// Product scope with partner-report: the numerator is j's own product export
// record, the denominators the sums of the reconciled matrix (X_BBB 20, X_CCC 60,
// M_AAA / M_W = 80 / 200 = 0.4).
TEST_F(TradeIntensity, ProductScopeWithPartnerReport) {
  options_.trade_intensity_on_product = true;
  options_.direction = TradeDirection::kImport;
  options_.trade_intensity_flow = TradeIntensityFlow::kPartnerReport;
  const CovariateResult r = Build();
  EXPECT_NEAR(Td(r, "BBB"), 2.25, 1e-12);   // (18/20) / 0.4
  EXPECT_NEAR(Td(r, "CCC"), 1.875, 1e-12);  // (45/60) / 0.4
  EXPECT_NEAR(Td(r, "DDD"), 1.25, 1e-12);   // (10/20) / 0.4
  EXPECT_TRUE(r.td_fallbacks.empty());
}

TEST(TradeIntensityFlowOption, ParsesItsTwoWordsAndValidateRefusesAnythingElse) {
  EXPECT_EQ(ParseEnum<TradeIntensityFlow>("focal-report"), TradeIntensityFlow::kFocalReport);
  EXPECT_EQ(ParseEnum<TradeIntensityFlow>("partner-report"), TradeIntensityFlow::kPartnerReport);
  EXPECT_EQ(ParseEnum<TradeIntensityFlow>("partner"), std::nullopt);
  EXPECT_EQ(ToString(TradeIntensityFlow::kPartnerReport), "partner-report");
  CovariateOptions options;
  options.commodity = "850511";
  EXPECT_FALSE(options.Validate().has_value());
  options.trade_intensity_flow = static_cast<TradeIntensityFlow>(7);
  const auto problem = options.Validate();
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(
      std::string(problem->what()).rfind("td_flow: expected focal-report or partner-report", 0), 0U)
      << problem->what();
}

// The study's provenance header names the trade intensity's scope and flow.
TEST(TradeIntensityFlowOption, StudyProvenanceAndManifestKey) {
  StudyResult r;
  r.manifest.raw = StudyManifest::RawData{};
  r.manifest.products = {"850511"};
  r.manifest.covariates.trade_intensity_flow = TradeIntensityFlow::kPartnerReport;
  std::string meta;  // a CSV's provenance is in its .meta.json sidecar (issue 13)
  RenderStudyTable(r, "main", "csv", &meta);
  const auto provenance = nlohmann::json::parse(meta)["provenance"];
  EXPECT_EQ(provenance["td scope"], "total") << meta;
  EXPECT_EQ(provenance["td flow"], "partner-report (import models' TD numerator)") << meta;
  // The manifest key, and a word it does not know refused naming the line.
  const std::string text = ExampleStudyManifest({});
  EXPECT_NE(text.find("td_flow = \"focal-report\""), std::string::npos);
  const std::string manifest =
      std::string("[study]\nname = \"t\"\nproducts = [\"850511\"]\n[data]\n") +
      "matrices = \"{hs}/{direction}/{variable}.csv\"\n[model]\ntd_flow = ";
  const StudyManifest m = ParseStudyManifest(manifest + "\"partner-report\"\n", "/nowhere/m.toml");
  EXPECT_EQ(m.covariates.trade_intensity_flow, TradeIntensityFlow::kPartnerReport);
  EXPECT_TRUE(testing::ThrowsWithMessage<InputError>(
      [&] { ParseStudyManifest(manifest + "\"partner\"\n", "/nowhere/m.toml"); },
      "td_flow = \"partner\" is not one of focal-report, partner-report"))
      << "td_flow = \"partner\" was accepted";
}

// The bundled synthetic data were generated with TII_{j->CN} from j's own
// export record (fixtures/raw-2013-2023/README.md): partner-report reproduces
// attributes.csv's td_import to rounding, focal-report (China's import
// records, 5-15 % above the partners' own) does not.
TEST(TradeIntensityFixture, PartnerReportReproducesTheGeneratorsImportIndex) {
  const CountryTable countries = CountryTable::Load(testing::SourcePath("fixtures/reference"));
  const TradeData trade = ReadTradeRecords(
      testing::SourcePath("fixtures/raw-2013-2023/comtrade_rare_earths_2013_2023.csv"), countries,
      {});
  std::map<std::string, double> expected;
  {
    std::ifstream in(testing::SourcePath("fixtures/rare-earth-2023/attributes.csv"));
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      // label,iso3,region,m,g,e,td_export,td_import,... (labels have no commas)
      std::vector<std::string> fields;
      std::stringstream row(line);
      for (std::string field; std::getline(row, field, ',');) fields.push_back(field);
      if (fields.size() > 7 && !fields[7].empty()) expected[fields[1]] = std::stod(fields[7]);
    }
  }
  ASSERT_GT(expected.size(), 100U);
  // Every attribute a partner needs, so that no partner is dropped for another reason.
  AttributeTable gdp;
  WgiTables wgi;
  for (const auto& [iso3, td] : expected) {
    gdp.values[iso3][2023] = 1000.0;
    for (auto& table : wgi) table.values[iso3][2023] = 0.0;
  }
  const MembershipTable memberships =
      MembershipTable::Read(testing::SourcePath("fixtures/reference/memberships.csv"), countries);
  const AdvancedEconomies advanced = AdvancedEconomies::Read(
      testing::SourcePath("fixtures/reference/imf_advanced_economies.csv"), countries);
  CovariateOptions options;
  options.commodity = "850511";
  options.direction = TradeDirection::kImport;
  options.drop_incomplete = true;
  options.trade_intensity_flow = TradeIntensityFlow::kPartnerReport;
  const CovariateResult partner =
      BuildCovariates({&trade, &gdp, &wgi, &memberships, &advanced}, options);
  options.trade_intensity_flow = TradeIntensityFlow::kFocalReport;
  const CovariateResult focal =
      BuildCovariates({&trade, &gdp, &wgi, &memberships, &advanced}, options);
  ASSERT_EQ(partner.partners.size(), focal.partners.size());
  ASSERT_GE(partner.partners.size(), 100U);
  EXPECT_TRUE(partner.td_fallbacks.empty());
  EXPECT_TRUE(focal.td_fallbacks.empty());  // China files every import record
  for (std::size_t i = 0; i < partner.partners.size(); ++i) {
    const std::string& iso3 = partner.partners[i].iso3;
    ASSERT_TRUE(expected.contains(iso3)) << iso3;
    // The generator fitted the records to these values, up to rounding to cents (9.1e-10 there).
    EXPECT_TRUE(testing::RelativelyNear(partner.partners[i].trade_intensity, expected[iso3], 1e-8))
        << iso3;
    const double ratio = focal.partners[i].trade_intensity / partner.partners[i].trade_intensity;
    EXPECT_GT(ratio, 1.0) << iso3;   // CIF above FOB
    EXPECT_LT(ratio, 1.35) << iso3;  // U(1.05, 1.15) x exp(N(0, 0.03))
  }

  // Product scope on the same file. Independently (a Python script over the
  // CSV: importer records first, exporter mirrors, aggregates and self-trade
  // left out): M_W = 1.6253828645560e10, while the two product World import
  // records sum to 1.1198594e9; AFG's import TII = 21.201329980870046 (1.46
  // when M_W, X and M came from the World records).
  options.trade_intensity_on_product = true;
  const CovariateResult product =
      BuildCovariates({&trade, &gdp, &wgi, &memberships, &advanced}, options);
  bool afg = false;
  for (const PartnerAttributes& p : product.partners) {
    if (p.iso3 != "AFG") continue;
    afg = true;
    EXPECT_TRUE(testing::RelativelyNear(p.trade_intensity, 21.201329980870046, 1e-12));
  }
  EXPECT_TRUE(afg);
}

}  // namespace
}  // namespace qap
