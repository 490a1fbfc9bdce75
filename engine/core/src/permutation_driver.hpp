// Runs a body over every block of permutations of a plan, in parallel.
//
// Blocks, not threads, own the random streams (see permutation.hpp), and a
// body may only write per-permutation rows or per-thread tallies of integers,
// so the result is the same for any thread count. Exceptions thrown inside the
// parallel region are caught, the remaining blocks are skipped, and the first
// one is rethrown afterwards (an exception must not cross an OpenMP region).
#pragma once

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "qap/core/permutation.hpp"
#include "qap/core/permutation_test.hpp"

namespace qap::detail {

// ResolveThreads (0: OpenMP's default, which honours OMP_NUM_THREADS), at
// most one thread per block.
inline int ResolveThreadCount(int requested, std::size_t blocks) {
  int threads = ResolveThreads(requested);
  threads = std::min<int>(threads, static_cast<int>(std::max<std::size_t>(blocks, 1)));
  return std::max(threads, 1);
}

// make_workspace() is called once per thread;
// body(workspace, first_index, block) once per block of permutations;
// finish(workspace) once per thread after its last block, one thread at a time.
template <typename MakeWorkspace, typename Body, typename Finish>
void ForEachPermutationBlock(const PermutationPlan& plan, int requested_threads,
                             const std::function<void(std::size_t, std::size_t)>& progress,
                             MakeWorkspace make_workspace, Body body, Finish finish) {
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
        // A listed plan lends its permutations in place; a drawn one fills `block`.
        const std::span<const Permutation> permutations =
            plan.Block(static_cast<std::size_t>(b), block);
        body(*workspace, static_cast<std::size_t>(b) * PermutationStream::kBlockSize, permutations);
        if (progress) {
#pragma omp critical(qap_progress)
          {
            done += permutations.size();
            progress(done, plan.count());
          }
        }
      } catch (...) {
        record_failure();
      }
    }
    if (workspace && !failed.load(std::memory_order_relaxed)) {
      std::exception_ptr finish_failure;
#pragma omp critical(qap_finish)
      {
        try {
          finish(*workspace);
        } catch (...) {
          finish_failure = std::current_exception();
        }
      }
      if (finish_failure) {
        try {
          std::rethrow_exception(finish_failure);
        } catch (...) {
          record_failure();
        }
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace qap::detail
