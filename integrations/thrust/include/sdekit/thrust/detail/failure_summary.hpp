// What ensemble_solution and sample_ensemble_result say about their failed items (paths,
// samples): how many failed, and a sentence naming the first, its status, step and time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/status.hpp>

namespace sdekit::detail {

inline std::size_t count_failures(std::vector<solve_status> const& status) {
  std::size_t n = 0;
  for (solve_status s : status) n += s != solve_status::success;
  return n;
}

/// "success", or e.g. "2 of 1000 paths failed; first: path 17, non-finite state at step 0, t = 0"
/// with item = "path".
inline std::string failure_summary(char const* item, std::vector<solve_status> const& status,
                                   std::vector<std::uint64_t> const& failed_step, std::vector<double> const& failed_time) {
  std::size_t const failures = count_failures(status);
  if (failures == 0) return to_string(solve_status::success);
  std::size_t p = 0;
  while (status[p] == solve_status::success) ++p;
  return concat(failures, " of ", status.size(), " ", item, "s failed; first: ", item, " ", p, ", ", to_string(status[p]),
                " at step ", failed_step[p], ", t = ", failed_time[p]);
}

}  // namespace sdekit::detail
