// Host backends by name, for code that chooses them at run time (the command line, benchmarks):
//   solve_ensemble(sdekit::host_backend{"omp", 2}, problem, method, brownian, paths, span, dt0, x0)
// runs solve_ensemble under thrust::cpp::par ("cpp", one thread), thrust::omp::par ("omp") or
// thrust::tbb::par ("tbb") with at most `threads` threads (0: the system's default). Results are the
// same bits for every backend and thread count; only the time differs.
#pragma once

#include <omp.h>

#include <string>
#include <utility>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <thrust/system/cpp/execution_policy.h>
#include <thrust/system/omp/execution_policy.h>
#include <thrust/system/tbb/execution_policy.h>

#include <sdekit/solvers/errors.hpp>

#include "solve_ensemble.hpp"

namespace sdekit {

struct host_backend {
  std::string name;  ///< "cpp", "omp" or "tbb"
  int threads = 0;   ///< at most this many threads; 0 leaves the backend's default
};

/// Calls f(policy) with the execution policy that `backend` names, its thread count in force.
template <class F>
decltype(auto) with_host_backend(host_backend const& backend, F&& f) {
  if (backend.threads < 0) detail::fail("threads = ", backend.threads, " must be ≥ 0 (0: the backend's default)");
  if (backend.name == "cpp") return std::forward<F>(f)(::thrust::cpp::par);
  if (backend.name == "omp") {
    struct restore_threads {
      int previous = omp_get_max_threads();
      ~restore_threads() { omp_set_num_threads(previous); }
    } const restore;
    if (backend.threads > 0) omp_set_num_threads(backend.threads);
    return std::forward<F>(f)(::thrust::omp::par);
  }
  if (backend.name == "tbb") {
    int const threads = backend.threads > 0 ? backend.threads : int(tbb::this_task_arena::max_concurrency());
    tbb::global_control const limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
    return std::forward<F>(f)(::thrust::tbb::par);
  }
  detail::fail("backend = \"", backend.name, "\" is not one of cpp, omp, tbb");
}

template <class... Args>
auto solve_ensemble(host_backend const& backend, Args const&... args) {
  return with_host_backend(backend, [&](auto const& policy) { return solve_ensemble(policy, args...); });
}

}  // namespace sdekit
