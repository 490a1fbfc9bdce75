// Trade dependence (eqs 1-7) against the worked example of
// docs/study-method.md §1.5, under both conventions for n.
#include "qap/trade/dependence.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "qap/core/errors.hpp"
#include "test_support.hpp"

namespace qap {
namespace {

using testing::MatrixFromText;

LabelledMatrix WorkedExampleFlows() {
  return MatrixFromText(
      ",A,B,C,D\n"
      "A,0,60,30,10\n"
      "B,20,0,0,0\n"
      "C,50,10,0,0\n"
      "D,0,5,5,0\n",
      "F");
}

// The table prints four decimals.
void ExpectPrinted(double actual, double printed) {
  EXPECT_NEAR(actual, printed, 5e-5) << "printed " << printed;
}

TEST(TradeDependence, WorkedExampleUnderConventionU) {
  const DependenceResult r =
      ComputeTradeDependence(WorkedExampleFlows(), {PartnerCount::kAllPotential});
  EXPECT_EQ(r.universe, 4);
  const double hx[] = {0.4600, 1.0000, 0.7222, 0.5000};
  const double cx[] = {0.2387, 1.0000, 0.6447, 0.3070};
  const double hm[] = {0.5918, 0.6622, 0.7551, 1.0000};
  const double cm[] = {0.4542, 0.5594, 0.6900, 1.0000};
  for (Eigen::Index a = 0; a < 4; ++a) {
    ExpectPrinted(r.export_herfindahl[a], hx[a]);
    ExpectPrinted(r.export_concentration[a], cx[a]);
    ExpectPrinted(r.import_herfindahl[a], hm[a]);
    ExpectPrinted(r.import_concentration[a], cm[a]);
  }
  ExpectPrinted(r.export_dependence.values(0, 1), 0.1536);  // E_AB
  ExpectPrinted(r.import_dependence.values(0, 2), 0.3594);  // I_AC
  const double dt[4][4] = {{0, 0.1907, 0.3906, 0.0024},
                           {3.7016, 0, 0.0154, 0.0081},
                           {3.1095, 0.0320, 0, 0.0459},
                           {4.1895, 0.1372, 0.1112, 0}};
  for (Eigen::Index a = 0; a < 4; ++a) {
    EXPECT_FALSE(IsObserved(r.total_dependence.values(a, a)));
    for (Eigen::Index b = 0; b < 4; ++b) {
      if (a != b) ExpectPrinted(r.total_dependence.values(a, b), dt[a][b]);
    }
  }
  EXPECT_TRUE(r.undefined_cells.empty());
}

// Rule 9 / §8.1: under convention U, DT_ab > 0 exactly when a and b trade.
TEST(TradeDependence, SupportIsSymmetricUnderConventionU) {
  const LabelledMatrix flows = WorkedExampleFlows();
  const DependenceResult r = ComputeTradeDependence(flows, {});
  for (Eigen::Index a = 0; a < 4; ++a) {
    for (Eigen::Index b = 0; b < 4; ++b) {
      if (a == b) continue;
      EXPECT_EQ(r.total_dependence.values(a, b) > 0.0,
                flows.values(a, b) + flows.values(b, a) > 0.0)
          << a << b;
    }
  }
}

TEST(TradeDependence, WorkedExampleDegenerateCasesUnderConventionP) {
  const DependenceResult r = ComputeTradeDependence(WorkedExampleFlows(), {PartnerCount::kActive});
  // D exports 5/5 to B and C: perfectly diversified among its active partners.
  EXPECT_DOUBLE_EQ(r.export_concentration[3], 0.0);
  // B has a single export partner: n = 1 gives C = 1 (rule 3).
  EXPECT_DOUBLE_EQ(r.export_concentration[1], 1.0);
  // I_BD and I_CD divide by CX_D = 0: undefined, counted, never Inf (rule 4).
  EXPECT_FALSE(IsObserved(r.import_dependence.values(1, 3)));
  EXPECT_FALSE(IsObserved(r.import_dependence.values(2, 3)));
  EXPECT_FALSE(IsObserved(r.total_dependence.values(1, 3)));
  EXPECT_EQ(r.undefined_import, 2U);
  EXPECT_EQ(r.undefined_export, 0U);
  ASSERT_EQ(r.undefined_cells.size(), 2U);
  EXPECT_NE(r.undefined_cells[0].find("export concentration of \"D\" is 0"), std::string::npos);
  // D's export dependence on B: CX_D = 0 in the numerator is a legitimate 0 (rule 5).
  EXPECT_DOUBLE_EQ(r.export_dependence.values(3, 1), 0.0);
  // Zero shares give 0 whatever the concentrations (rule 1): B sells nothing to C.
  EXPECT_DOUBLE_EQ(r.export_dependence.values(1, 2), 0.0);
  for (Eigen::Index a = 0; a < 4; ++a) {
    for (Eigen::Index b = 0; b < 4; ++b) {
      const double v = r.total_dependence.values(a, b);
      EXPECT_FALSE(std::isinf(v));
    }
  }
}

TEST(TradeDependence, EconomyWithoutExportsHasUndefinedConcentrationAndZeroDependence) {
  const LabelledMatrix flows = MatrixFromText(",A,B,C\nA,0,5,5\nB,0,0,3\nC,0,0,0\n", "F");
  const DependenceResult r = ComputeTradeDependence(flows, {});
  EXPECT_FALSE(IsObserved(r.export_concentration[2]));  // C exports nothing
  EXPECT_FALSE(IsObserved(r.import_concentration[0]));  // A imports nothing
  EXPECT_DOUBLE_EQ(r.export_dependence.values(2, 0), 0.0);
  EXPECT_DOUBLE_EQ(r.import_dependence.values(0, 2), 0.0);  // nobody sells to A
}

TEST(TradeDependence, NegativeAndMissingFlowsAreRefusedNamingTheCell) {
  try {
    ComputeTradeDependence(MatrixFromText(",A,B\nA,0,-1\nB,2,0\n", "F"), {});
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("(exporter \"A\", importer \"B\") is negative"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ComputeTradeDependence(MatrixFromText(",A,B\nA,0,NA\nB,2,0\n", "F"), {}), DataError);
}

// The engine names a dependence run's files; the command line only writes them.
TEST(TradeDependence, OutputNamesAreFixedAndInOrder) {
  EXPECT_EQ(
      DependenceOutputNames(),
      (std::vector<std::string>{"E.csv", "I.csv", "DT.csv", "concentration.csv", "report.json"}));
}

}  // namespace
}  // namespace qap
