// Where the command line runs independent paths: `serial` (a plain loop), or, when sdekit is built
// with the Thrust ensembles (integrations/thrust), Thrust's host systems `cpp`, `omp` and `tbb`
// with at most --threads threads (sdekit::with_host_backend). The per-path work writes into its own
// slots and the caller reduces in path order, so every backend gives the same bits.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace sdekit::cli {

struct path_backend {
  std::string name = "serial";
  std::size_t threads = 1;

  /// Calls f(i) for i = 0, ..., count − 1, in parallel on the parallel backends; an exception
  /// thrown by f is rethrown here after the loop.
  void for_each(std::size_t count, std::function<void(std::size_t)> const& f) const;
};

/// The backend names `--backend` accepts in this build.
std::vector<std::string> backend_names();

/// The default of the diffusion commands: omp when this build has the Thrust ensembles, else serial.
std::string default_backend();

/// All the machine's hardware threads (1 when it cannot tell) for a parallel default backend.
std::size_t default_threads();

/// Validates `--backend` and `--threads`; throws sdekit::invalid_argument naming them.
path_backend make_backend(std::string const& name, std::size_t threads);

}  // namespace sdekit::cli
