// Permutation throughput of QAP regressions, and the machine's own limit for
// this kind of work. docs/performance.md explains the cases and the counters;
// bench/summarize.py runs the suite and prints a table.
//
//   build/release/bench/qap_bench --benchmark_counters_tabular=true
//   build/release/bench/qap_bench --benchmark_format=json > results.json
#include <benchmark/benchmark.h>

#include <numeric>
#include <random>
#include <thread>

#include "qap/core/alignment.hpp"
#include "qap/core/dyads.hpp"
#include "qap/core/permutation.hpp"
#include "qap/core/regression.hpp"
#include "qap/io/matrix_io.hpp"
#include "qap/study/study.hpp"
#include "qap/trade/covariates.hpp"

namespace {

// Node-effect matrices like the study's difference matrices: |a_i - a_j| plus noise.
qap::LabelledMatrix NodeEffectMatrix(Eigen::Index n, std::mt19937_64& random,
                                     const std::string& name) {
  std::normal_distribution<double> normal;
  Eigen::VectorXd attribute(n);
  for (Eigen::Index i = 0; i < n; ++i) attribute[i] = normal(random);
  qap::LabelledMatrix m;
  m.name = name;
  m.source = name;
  for (Eigen::Index i = 0; i < n; ++i) m.labels.push_back("n" + std::to_string(i));
  m.values.resize(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j)
      m.values(i, j) = std::abs(attribute[i] - attribute[j]) + 0.3 * normal(random);
  }
  return m;
}

struct Data {
  qap::LabelledMatrix y;
  std::vector<qap::LabelledMatrix> x;
};

const Data& CachedData(Eigen::Index n, int p) {
  static std::map<std::pair<Eigen::Index, int>, Data> cache;
  auto [it, inserted] = cache.try_emplace({n, p});
  if (inserted) {
    std::mt19937_64 random(static_cast<std::uint64_t>(n * 100 + p));
    it->second.y = NodeEffectMatrix(n, random, "Y");
    for (int k = 0; k < p; ++k)
      it->second.x.push_back(NodeEffectMatrix(n, random, "X" + std::to_string(k)));
  }
  return it->second;
}

qap::NullHypothesis NullFromIndex(std::int64_t index) {
  switch (index) {
    case 0:
      return qap::NullHypothesis::kPermuteY;
    case 1:
      return qap::NullHypothesis::kDoubleSemiPartialling;
    case 2:
      return qap::NullHypothesis::kPermuteX;
    default:
      return qap::NullHypothesis::kFreedmanLane;
  }
}

int AllCores() { return static_cast<int>(std::max(1U, std::thread::hardware_concurrency())); }

// At least two blocks of 64 per thread so every thread has work.
std::size_t PermutationsFor(Eigen::Index n) { return n >= 500 ? 256 : n >= 160 ? 640 : 2560; }

// Arguments: n, p, null (0 y, 1 dsp, 2 x, 3 freedman-lane), threads (0 = all cores).
void BM_Regression(benchmark::State& state) {
  const auto n = static_cast<Eigen::Index>(state.range(0));
  const auto p = static_cast<int>(state.range(1));
  const Data& data = CachedData(n, p);
  qap::RegressionOptions options;
  options.null_hypothesis = NullFromIndex(state.range(2));
  options.permutation.permutations = PermutationsFor(n);
  options.permutation.seed = 1;
  options.permutation.threads = state.range(3) == 0 ? AllCores() : static_cast<int>(state.range(3));
  for (auto _ : state) benchmark::DoNotOptimize(qap::RunQapRegression(data.y, data.x, options));
  const auto permutations = static_cast<double>(options.permutation.permutations);
  const double dyads = static_cast<double>(n * (n - 1));
  // Tested coefficients: all p + 1 from one refit under y; one refit each otherwise.
  const double tested =
      options.null_hypothesis == qap::NullHypothesis::kPermuteY ? 1.0 : static_cast<double>(p);
  state.counters["engine_threads"] = options.permutation.threads;
  state.counters["perms_per_s"] =
      benchmark::Counter(permutations, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["dyad_perms_per_s_per_coef"] = benchmark::Counter(
      permutations * dyads * tested, benchmark::Counter::kIsIterationInvariantRate);
}

void RegressionGrid(benchmark::internal::Benchmark* b) {
  b->ArgNames({"n", "p", "null", "threads"});
  for (std::int64_t n : {20, 58, 160, 500, 1000}) {
    for (std::int64_t p : {1, 5, 10}) {
      for (std::int64_t null : {0, 1, 2, 3}) {
        for (std::int64_t threads : {1, 0}) b->Args({n, p, null, threads});
      }
    }
  }
}
BENCHMARK(BM_Regression)->Apply(RegressionGrid)->Unit(benchmark::kMillisecond)->UseRealTime();

// The machine's limit for this work on one core: per permutation, one plain
// streaming pass that gathers each dyad's permuted cell and multiplies it into
// a running dot product. Nothing faster can touch every permuted dyad.
void BM_GatherDotLimit(benchmark::State& state) {
  const auto n = static_cast<Eigen::Index>(state.range(0));
  const Data& data = CachedData(n, 1);
  const qap::DyadIndex dyads(n, {});
  Eigen::VectorXd weights = Eigen::VectorXd::LinSpaced(dyads.size(), 0.0, 1.0);
  qap::PermutationStream stream(1, 0);
  qap::Permutation p(static_cast<std::size_t>(n));
  const double* m = data.y.values.data();
  const double* w = weights.data();
  const auto nodes = static_cast<std::uint32_t>(n);
  double total = 0.0;
  for (auto _ : state) {
    stream.Next(p);
    double sum = 0.0;
    std::size_t d = 0;
    for (std::uint32_t i = 0; i < nodes; ++i) {
      const double* row = m + static_cast<std::size_t>(p[i]) * nodes;
      for (std::uint32_t j = 0; j < i; ++j) sum += row[p[j]] * w[d++];
      for (std::uint32_t j = i + 1; j < nodes; ++j) sum += row[p[j]] * w[d++];
    }
    total += sum;
  }
  benchmark::DoNotOptimize(total);
  state.counters["dyad_perms_per_s"] = benchmark::Counter(
      static_cast<double>(dyads.size()), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_GatherDotLimit)->ArgName("n")->Arg(20)->Arg(58)->Arg(160)->Arg(500)->Arg(1000);

// The cost of drawing one permutation, to compare with the gather it feeds.
void BM_DrawPermutation(benchmark::State& state) {
  qap::PermutationStream stream(1, 0);
  qap::Permutation p(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    stream.Next(p);
    benchmark::DoNotOptimize(p.data());
  }
  state.counters["perms_per_s"] =
      benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_DrawPermutation)->ArgName("n")->Arg(58)->Arg(160)->Arg(1000);

// What `qap regress` does for the README's import model of HS 850511
// (160 nodes, 5 matrices): read six CSV files, align them, 5,000 DSP
// permutations on all cores.
void BM_FixtureStudyModel(benchmark::State& state) {
  const std::string folder =
      std::string(QAP_SOURCE_DIR) + "/fixtures/rare-earth-2023/850511/import/";
  qap::RegressionOptions options;
  options.null_hypothesis = NullFromIndex(state.range(0));
  options.permutation.permutations = 5000;
  options.permutation.seed = 42;
  options.permutation.threads = AllCores();
  for (auto _ : state) {
    qap::LabelledMatrix y = qap::ReadLabelledMatrix(folder + "REI.csv", {});
    std::vector<qap::LabelledMatrix> x;
    for (const char* name : {"TPR", "PGDP", "TD", "ECI", "WGI"}) {
      x.push_back(qap::ReadLabelledMatrix(folder + name + ".csv", {}));
    }
    std::vector<qap::LabelledMatrix*> all{&y};
    for (auto& m : x) all.push_back(&m);
    qap::AlignMatrices(all, qap::AlignMode::kExact);
    benchmark::DoNotOptimize(qap::RunQapRegression(y, x, options));
  }
}
BENCHMARK(BM_FixtureStudyModel)
    ->ArgName("null")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Issue 4's speed target: every matrix of the study (7 products x export and
// import, design B, 2023) from the raw fixture files, reading included.
void BM_BuildStudyMatrices(benchmark::State& state) {
  const std::string raw = std::string(QAP_SOURCE_DIR) + "/fixtures/raw-2013-2023/";
  const std::string reference = std::string(QAP_SOURCE_DIR) + "/fixtures/reference";
  std::size_t partners = 0;
  for (auto _ : state) {
    const qap::CountryTable countries = qap::CountryTable::Load(reference);
    const qap::TradeData trade =
        qap::ReadTradeRecords(raw + "comtrade_rare_earths_2013_2023.csv", countries, {});
    qap::AttributeTable gdp =
        qap::ReadWdiIndicator(raw + "wdi_gdp_per_capita.csv", "NY.GDP.PCAP.CD", countries);
    gdp.FillGapsFrom(
        qap::ReadLongAttribute(raw + "imf_weo_gdp_per_capita_twn.csv", "WEO", countries));
    const qap::WgiTables wgi = qap::ReadWgi(raw + "wgi_2013_2023.csv", countries);
    const qap::MembershipTable memberships =
        qap::MembershipTable::Read(reference + "/memberships.csv", countries);
    const qap::AdvancedEconomies advanced =
        qap::AdvancedEconomies::Read(reference + "/imf_advanced_economies.csv", countries);
    for (const char* hs : {"253090", "280530", "284610", "284690", "360690", "720299", "850511"}) {
      for (const auto direction : {qap::TradeDirection::kExport, qap::TradeDirection::kImport}) {
        qap::CovariateOptions options;
        options.commodity = hs;
        options.direction = direction;
        const auto result =
            qap::BuildCovariates({&trade, &gdp, &wgi, &memberships, &advanced}, options);
        partners += result.partners.size();
      }
    }
  }
  benchmark::DoNotOptimize(partners);
}
BENCHMARK(BM_BuildStudyMatrices)->Unit(benchmark::kMillisecond)->UseRealTime();

// Issue 5's target: the whole fixture study (14 main and 4 x 14 robustness
// models, 5,000 DSP permutations each) under 10 s on two cores.
void BM_FixtureStudy(benchmark::State& state) {
  const qap::StudyManifest manifest =
      qap::ReadStudyManifest(std::string(QAP_SOURCE_DIR) + "/fixtures/study/rare-earth-2023.toml");
  qap::StudyRunOptions options;
  options.threads = AllCores();
  for (auto _ : state) benchmark::DoNotOptimize(qap::RunStudy(manifest, options));
}
BENCHMARK(BM_FixtureStudy)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
