// What solve() returns: the saved times and states, the status, and step counts.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "errors.hpp"
#include "status.hpp"

namespace sdekit {

template <class State>
struct solution {
  std::vector<double> t;       ///< saved times (options.save_at, or t1 alone)
  std::vector<State> x;        ///< states at those times
  solve_status status = solve_status::success;
  std::size_t accepted_steps = 0;
  std::size_t rejected_steps = 0;
  std::size_t failed_step = 0;  ///< index of the step that failed, when status != success
  double failed_time = 0.0;     ///< time reached by that step

  bool ok() const { return status == solve_status::success; }

  /// "success", or e.g. "non-finite state at step 812, t = 0.793".
  std::string message() const {
    if (ok()) return to_string(status);
    return detail::concat(to_string(status), " at step ", failed_step, ", t = ", failed_time);
  }

  /// The last saved state; throws solve_error with message() when the solve failed.
  State const& value() const {
    if (!ok()) throw solve_error(message());
    return x.back();
  }
};

}  // namespace sdekit
