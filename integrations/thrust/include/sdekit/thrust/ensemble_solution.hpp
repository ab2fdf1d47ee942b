// What solve_ensemble() returns: the save times, a (paths × times × dim) array of saved states,
// and per path its status, step counts, and where it failed. A failed path keeps NaN in the
// entries it did not reach; the other paths are complete. require_success() turns failures into
// one solve_error that names how many paths failed and the first of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/status.hpp>

#include "detail/failure_summary.hpp"

namespace sdekit {

template <class T>
struct ensemble_solution {
  std::size_t paths = 0;
  std::size_t dim = 0;
  std::vector<double> t;                  ///< save times
  std::vector<T> x;                       ///< x[(path · t.size() + save) · dim + component]
  std::vector<solve_status> status;       ///< per path
  std::vector<std::uint64_t> accepted_steps;
  std::vector<std::uint64_t> rejected_steps;
  std::vector<std::uint64_t> failed_step;  ///< step at which a failed path stopped
  std::vector<double> failed_time;         ///< time that step reached

  T const& at(std::size_t path, std::size_t save, std::size_t component) const {
    return x[(path * t.size() + save) * dim + component];
  }
  T const& final_value(std::size_t path, std::size_t component) const { return at(path, t.size() - 1, component); }

  std::size_t failures() const { return detail::count_failures(status); }

  bool ok() const { return failures() == 0; }

  /// "success", or e.g. "2 of 1000 paths failed; first: path 17, non-finite state at step 0, t = 0".
  std::string message() const { return detail::failure_summary("path", status, failed_step, failed_time); }

  /// Throws solve_error with message() when a path failed.
  void require_success() const {
    if (!ok()) throw solve_error(message());
  }
};

}  // namespace sdekit
