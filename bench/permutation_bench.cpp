// Throughput of whole QAP regressions on generated data (issue 3 extends this
// suite with the kernel cases and the machine-limit microbenchmark).
//
//   build/release/bench/qap_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <random>

#include "qap/regression.hpp"

namespace {

qap::LabelledMatrix RandomMatrix(Eigen::Index n, std::mt19937_64& random, const std::string& name) {
  std::normal_distribution<double> normal;
  qap::LabelledMatrix m;
  m.name = name;
  m.source = name;
  for (Eigen::Index i = 0; i < n; ++i) m.labels.push_back("n" + std::to_string(i));
  m.values.resize(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) m.values(i, j) = normal(random);
  }
  return m;
}

// Arguments: nodes, explanatory matrices, null (0 dsp, 1 y), threads.
void BM_Regression(benchmark::State& state) {
  const auto n = static_cast<Eigen::Index>(state.range(0));
  const auto p = static_cast<int>(state.range(1));
  std::mt19937_64 random(1);
  const qap::LabelledMatrix y = RandomMatrix(n, random, "Y");
  std::vector<qap::LabelledMatrix> x;
  for (int k = 0; k < p; ++k) x.push_back(RandomMatrix(n, random, "X" + std::to_string(k)));
  qap::RegressionOptions options;
  options.null_hypothesis = state.range(2) == 0 ? qap::NullHypothesis::kDoubleSemiPartialling
                                                : qap::NullHypothesis::kPermuteY;
  options.permutation.permutations = 200;
  options.permutation.seed = 1;
  options.permutation.threads = static_cast<int>(state.range(3));
  for (auto _ : state) {
    benchmark::DoNotOptimize(qap::RunQapRegression(y, x, options));
  }
  const double permutations = static_cast<double>(options.permutation.permutations);
  const double dyads = static_cast<double>(n * (n - 1));
  state.counters["permutations/s"] = benchmark::Counter(permutations, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["dyad_permutations/s"] =
      benchmark::Counter(permutations * dyads, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Regression)
    ->ArgNames({"n", "p", "null", "threads"})
    ->Args({58, 5, 0, 1})
    ->Args({58, 5, 0, 2})
    ->Args({58, 5, 1, 2})
    ->Args({160, 5, 0, 2})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
