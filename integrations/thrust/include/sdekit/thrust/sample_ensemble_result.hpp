// What sample_ensemble() returns: the samples (samples × dim, row-major), the NFE per sample, and
// per sample its status and, for a failed one, the step it stopped at and the time it reached. A
// failed sample holds NaN; the others are complete. require_success() turns failures into one
// solve_error naming how many failed and the first of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <sdekit/solvers/errors.hpp>
#include <sdekit/solvers/status.hpp>

#include "detail/failure_summary.hpp"

namespace sdekit {

struct sample_ensemble_result {
  std::size_t samples = 0;
  std::size_t dim = 0;
  std::vector<double> x;
  std::size_t nfe = 0;                     ///< per sample; the mean (rounded) for the adaptive sampler
  std::vector<std::uint64_t> sample_nfe;   ///< adaptive sampler: each sample's own count
  std::vector<solve_status> status;
  std::vector<std::uint64_t> failed_step;
  std::vector<double> failed_time;

  std::size_t failures() const { return detail::count_failures(status); }

  bool ok() const { return failures() == 0; }

  /// "success", or e.g. "3 of 1000 samples failed; first: sample 17, non-finite state at step 12, t = 0.4".
  std::string message() const { return detail::failure_summary("sample", status, failed_step, failed_time); }

  void require_success() const {
    if (!ok()) throw solve_error(message());
  }
};

}  // namespace sdekit
