#include "path_backend.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>

#include <sdekit/solvers/errors.hpp>

#include "closest_name.hpp"

#if SDEKIT_CLI_WITH_THRUST
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>

#include <sdekit/thrust/host_backend.hpp>
#endif

namespace sdekit::cli {

std::vector<std::string> backend_names() {
#if SDEKIT_CLI_WITH_THRUST
  return {"serial", "cpp", "omp", "tbb"};
#else
  return {"serial"};
#endif
}

std::string default_backend() { return backend_names().size() > 1 ? "omp" : "serial"; }

std::size_t default_threads() {
  if (default_backend() == "serial") return 1;
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

path_backend make_backend(std::string const& name, std::size_t threads) {
  std::vector<std::string> const names = backend_names();
  bool const known = std::find(names.begin(), names.end(), name) != names.end();
  if (!known && (name == "cpp" || name == "omp" || name == "tbb"))
    sdekit::detail::fail("--backend = '", name, "' is not available: this build has no Thrust ensembles "
                         "(SDEKIT_WITH_THRUST is off); use --backend serial");
  if (name == "cuda")
    sdekit::detail::fail("--backend = 'cuda' is not available from the command line: it is a host program; the CUDA "
                         "kernels run from C++ (sample_ensemble or solve_ensemble with thrust::cuda::par under nvcc)");
  if (!known) sdekit::detail::fail("--backend = '", name, "' is not a backend", suggestion(name, names));
  if (threads == 0) sdekit::detail::fail("--threads = 0 must be at least 1");
  if (name == "serial" && threads != 1)
    sdekit::detail::fail("--threads = ", threads, " needs a parallel backend (cpp, omp or tbb); serial runs one thread");
  return {name, threads};
}

void path_backend::for_each(std::size_t count, std::function<void(std::size_t)> const& f) const {
  if (name == "serial") {
    for (std::size_t i = 0; i < count; ++i) f(i);
    return;
  }
#if SDEKIT_CLI_WITH_THRUST
  std::exception_ptr first_error;
  std::mutex guard;
  auto const guarded = [&](std::size_t i) {
    try {
      f(i);
    } catch (...) {
      std::lock_guard<std::mutex> const lock(guard);
      if (!first_error) first_error = std::current_exception();
    }
  };
  with_host_backend(host_backend{name, int(threads)}, [&](auto const& policy) {
    ::thrust::for_each(policy, ::thrust::counting_iterator<std::size_t>(0), ::thrust::counting_iterator<std::size_t>(count),
                       guarded);
  });
  if (first_error) std::rethrow_exception(first_error);
#endif
}

}  // namespace sdekit::cli
