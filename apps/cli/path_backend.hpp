// Where the command line runs independent paths. Only `serial` exists until the Thrust ensemble
// integration (integrations/thrust) provides host backends; `--backend cpp|omp|tbb` is refused
// with that sentence rather than silently run serially.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sdekit::cli {

struct path_backend {
  std::string name = "serial";
  std::size_t threads = 1;

  /// Calls f(i) for i = 0, ..., count − 1.
  template <class F>
  void for_each(std::size_t count, F&& f) const {
    for (std::size_t i = 0; i < count; ++i) f(i);
  }
};

/// The backend names `--backend` accepts.
std::vector<std::string> backend_names();

/// Validates `--backend` and `--threads`; throws sdekit::invalid_argument naming them.
path_backend make_backend(std::string const& name, std::size_t threads);

}  // namespace sdekit::cli
