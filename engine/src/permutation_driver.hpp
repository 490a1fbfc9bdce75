// Runs a body over every permutation of a plan, in parallel over blocks.
//
// Blocks, not threads, own the random streams (see permutation.hpp), and each
// permutation writes only its own output row, so the result is the same for
// any thread count. Exceptions thrown inside the parallel region are caught,
// the remaining blocks are skipped, and the first one is rethrown afterwards
// (an exception must not cross an OpenMP region boundary).
#pragma once

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "qap/permutation.hpp"

namespace qap::detail {

inline int ResolveThreadCount(int requested, std::size_t blocks) {
  int threads = requested > 0 ? requested : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  threads = std::min<int>(threads, static_cast<int>(std::max<std::size_t>(blocks, 1)));
  return std::max(threads, 1);
}

// make_workspace() is called once per thread; body(workspace, index, permutation).
template <typename MakeWorkspace, typename Body>
void ForEachPermutation(const PermutationPlan& plan, int requested_threads,
                        const std::function<void(std::size_t, std::size_t)>& progress,
                        MakeWorkspace make_workspace, Body body) {
  const std::size_t blocks = plan.block_count();
  const int threads = ResolveThreadCount(requested_threads, blocks);
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  std::size_t done = 0;
  const auto block_count = static_cast<long long>(blocks);

  auto record_failure = [&] {
#pragma omp critical(qap_failure)
    if (!failure) failure = std::current_exception();
    failed.store(true, std::memory_order_relaxed);
  };

#pragma omp parallel num_threads(threads)
  {
    // Every thread must reach the worksharing loop, so a failure here only
    // marks the run as failed.
    std::optional<decltype(make_workspace())> workspace;
    try {
      workspace.emplace(make_workspace());
    } catch (...) {
      record_failure();
    }
    std::vector<Permutation> block;
#pragma omp for schedule(dynamic, 1)
    for (long long b = 0; b < block_count; ++b) {
      if (failed.load(std::memory_order_relaxed)) continue;
      try {
        const std::size_t first = plan.FillBlock(static_cast<std::size_t>(b), block);
        for (std::size_t k = 0; k < block.size(); ++k) body(*workspace, first + k, block[k]);
        if (progress) {
#pragma omp critical(qap_progress)
          {
            done += block.size();
            progress(done, plan.count());
          }
        }
      } catch (...) {
        record_failure();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace qap::detail
